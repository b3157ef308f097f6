//! End-to-end tests of feeds, sitemaps, page metadata, the 404 page and
//! hosting under a subpath. Feeds are read with a real feed parser.

mod common;

use std::collections::BTreeSet;

use common::links::{broken_links, resolve};
use common::{TestSite, snapshot};

const BASE: &str = "https://news.example.org/";
const TRICKY: &str =
    "Fish & \"chips\" <script>alert(1)</script> in São Paulo — Россия's </script> test";

/// The tricky headline as published: with curly quotes, as bodies get them.
fn tricky_shown() -> String {
    broadsheet::markdown::smart_punctuation(TRICKY)
}

fn site_with(config: &str, n: usize) -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        format!("title: The Test Times\nbase_url: {BASE}\n{config}"),
    );
    site.article(
        "tricky.md",
        &format!(
            "title: '{}'\ndate: 2025-12-31T10:00:00+01:00\nupdated: 2025-12-31T12:00:00+01:00\ntags: [Russia, \"C&C\"]\nauthors: [Ana Lima]\nsection: World\nimage: /img/lead.jpg\nsummary: \"Summary with <b> & friends\"",
            TRICKY.replace('\'', "''")
        ),
        "Body with a [bundle link](notes.txt) and [a root link](/2025/) and *markup*.\n",
    );
    for i in 0..n {
        site.article(
            &format!("a{i:03}.md"),
            &format!(
                "title: Article {i}\ndate: 2025-0{}-{:02}\ntags: [Russia]\nauthors: Bo Chen",
                1 + i % 9,
                1 + i % 28
            ),
            &format!("Paragraph {i}.\n"),
        );
    }
    site
}

/// The output file a feed link points at: it must be an absolute URL under the base.
fn page_of_link(site: &TestSite, base: &str, link: &str) -> std::path::PathBuf {
    assert!(link.starts_with(base), "{link} is not under {base}");
    let origin_len = base.splitn(4, '/').take(3).map(str::len).sum::<usize>() + 2;
    let (origin, base_path) = base.split_at(origin_len);
    let path = link.strip_prefix(origin).unwrap();
    resolve(&site.public(), base_path, path).unwrap_or_else(|| panic!("{link} does not resolve"))
}

fn parse_feed(site: &TestSite, path: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(site.public().join(path.trim_start_matches('/'))).unwrap();
    feed_rs::parser::parse(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
}

#[test]
fn site_feeds_parse_and_keep_tricky_titles_intact() {
    let site = site_with("feed_limit: 10\n", 30);
    site.build_ok();
    for path in ["/atom.xml", "/rss.xml", "/feed.json"] {
        let feed = parse_feed(&site, path);
        assert_eq!(feed.entries.len(), 10, "{path}: newest feed_limit entries");
        let tricky = feed
            .entries
            .iter()
            .find(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content.contains("chips"))
            })
            .unwrap_or_else(|| panic!("{path}: the tricky article is the newest"));
        assert_eq!(
            tricky.title.as_ref().unwrap().content,
            tricky_shown(),
            "{path}"
        );
        assert!(tricky.published.is_some(), "{path}: published date");
        for entry in &feed.entries {
            let link = &entry.links[0].href;
            page_of_link(&site, BASE, link);
        }
        let content = tricky
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            content.contains("<em>markup</em>"),
            "{path}: full content: {content}"
        );
        assert!(
            content.contains("href=\"https://news.example.org/2025/12/31/tricky/notes.txt\""),
            "{path}: absolute links: {content}"
        );
        assert!(
            content.contains("href=\"https://news.example.org/2025/\""),
            "{path}: {content}"
        );
    }
    let atom = parse_feed(&site, "/atom.xml");
    let tricky = &atom.entries[0];
    assert_eq!(tricky.authors[0].name.as_deref(), Some("Ana Lima"));
    let categories: Vec<&str> = tricky.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, vec!["Russia", "C&C"]);
    assert!(tricky.updated.unwrap() > tricky.published.unwrap());
    assert!(
        tricky
            .summary
            .as_ref()
            .unwrap()
            .content
            .contains("Summary with &lt;b&gt; &amp; friends")
    );
}

#[test]
fn every_term_has_an_atom_feed_linked_from_its_page() {
    let site = site_with("", 5);
    site.build_ok();
    let feed = parse_feed(&site, "/tags/russia/atom.xml");
    assert_eq!(feed.entries.len(), 6);
    parse_feed(&site, "/authors/bo-chen/atom.xml");
    parse_feed(&site, "/sections/world/atom.xml");
    let c_and_c = parse_feed(&site, "/tags/c-and-c/atom.xml");
    assert_eq!(c_and_c.entries.len(), 1);
    let page = site.page("/tags/russia/");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"The Test Times: Russia\" href=\"/tags/russia/atom.xml\">"), "{page}");
    let home = site.page("/");
    assert!(home.contains("href=\"/atom.xml\""));
    assert!(home.contains("href=\"/rss.xml\""));
    assert!(home.contains("href=\"/feed.json\""));
}

#[test]
fn entry_ids_survive_rebuilds_and_a_change_of_scheme() {
    let site = site_with("", 3);
    site.build_ok();
    let ids = |site: &TestSite| -> Vec<String> {
        parse_feed(site, "/atom.xml")
            .entries
            .iter()
            .map(|e| e.id.clone())
            .collect()
    };
    let first = ids(&site);
    assert!(
        first[0].starts_with("tag:news.example.org,2025-12-31:/2025/12/31/tricky/"),
        "{first:?}"
    );
    site.build_ok();
    assert_eq!(ids(&site), first);
    let mut options = site.options();
    options.base_url = Some("http://news.example.org/".into());
    broadsheet::build(&options).unwrap();
    assert_eq!(ids(&site), first);
}

#[test]
fn summary_only_feeds_carry_no_content() {
    let site = site_with("feed_content: summary\n", 2);
    site.build_ok();
    let feed = parse_feed(&site, "/atom.xml");
    assert!(feed.entries.iter().all(|e| e.content.is_none()));
    assert!(feed.entries.iter().all(|e| e.summary.is_some()));
}

fn sitemap_locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("sitemap parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect()
}

/// Every HTML page a search engine should see: all but 404, redirects and
/// the pages that ask not to be indexed (the search page).
fn indexable_pages(site: &TestSite) -> BTreeSet<String> {
    snapshot(&site.public())
        .into_iter()
        .filter(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            path.ends_with(".html")
                && path != "404.html"
                && !text.contains("http-equiv=\"refresh\"")
                && !text.contains("<meta name=\"robots\" content=\"noindex\">")
        })
        .map(|(path, _)| format!("{BASE}{}", path.trim_end_matches("index.html")))
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_once() {
    let site = site_with("", 12);
    site.build_ok();
    let xml = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let locs = sitemap_locs(&xml);
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "no URL twice");
    assert_eq!(unique, indexable_pages(&site));
    assert!(xml.contains("<loc>https://news.example.org/2025/12/31/tricky/</loc><lastmod>2025-12-31T12:00:00+01:00</lastmod>"), "lastmod from updated");
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://news.example.org/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn a_large_sitemap_is_split_under_an_index() {
    let site = site_with("sitemap_max_urls: 10\n", 12);
    site.build_ok();
    let index = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts = sitemap_locs(&index);
    assert!(parts.len() > 2, "{parts:?}");
    let mut all = Vec::new();
    for part in &parts {
        let path = part.strip_prefix(BASE).unwrap();
        let xml = std::fs::read_to_string(site.public().join(path)).unwrap();
        let locs = sitemap_locs(&xml);
        assert!(locs.len() <= 10);
        all.extend(locs);
    }
    let unique: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(unique.len(), all.len());
    assert_eq!(unique, indexable_pages(&site));
}

#[test]
fn the_news_sitemap_lists_the_last_48_hours_only() {
    let site = site_with("language: pt-BR\n", 3);
    let mut options = site.options();
    options.now = Some("2026-01-01T08:00:00Z".parse().unwrap());
    broadsheet::build(&options).unwrap();
    let xml = std::fs::read_to_string(site.public().join("news-sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(titles, vec![tricky_shown()]);
    assert!(xml.contains("<news:language>pt</news:language>"), "{xml}");
    assert!(xml.contains("<news:name>The Test Times</news:name>"));
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(robots.contains("news-sitemap.xml"));

    options.now = Some("2026-03-01T00:00:00Z".parse().unwrap());
    broadsheet::build(&options).unwrap();
    assert!(!site.public().join("news-sitemap.xml").exists());
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(!robots.contains("news-sitemap.xml"), "{robots}");
}

#[test]
fn article_metadata_survives_a_tricky_headline() {
    let site = site_with("", 0);
    site.build_ok();
    let page = site.page("/2025/12/31/tricky/");
    assert!(!page.contains("<script>alert(1)"), "{page}");
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let json: serde_json::Value = serde_json::from_str(&page[start..end]).expect("JSON-LD parses");
    assert_eq!(json["@type"], "NewsArticle");
    assert_eq!(json["headline"], tricky_shown());
    assert_eq!(json["description"], "Summary with <b> & friends");
    assert_eq!(json["datePublished"], "2025-12-31T10:00:00+01:00");
    assert_eq!(json["dateModified"], "2025-12-31T12:00:00+01:00");
    assert_eq!(json["author"][0]["name"], "Ana Lima");
    assert_eq!(json["image"][0], "https://news.example.org/img/lead.jpg");
    assert_eq!(json["publisher"]["name"], "The Test Times");
    assert_eq!(
        json["mainEntityOfPage"]["@id"],
        "https://news.example.org/2025/12/31/tricky/"
    );

    let og_title = page
        .split("<meta property=\"og:title\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let decoded = og_title
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    assert_eq!(decoded, tricky_shown());
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://news.example.org/2025/12/31/tricky/\">"
        )
    );
    assert!(page.contains(
        "<meta property=\"article:published_time\" content=\"2025-12-31T10:00:00+01:00\">"
    ));
    assert!(page.contains("<meta property=\"article:tag\" content=\"Russia\">"));
    assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(page.contains(
        "<meta property=\"og:image\" content=\"https://news.example.org/img/lead.jpg\">"
    ));
}

#[test]
fn the_404_page_is_styled_and_links_home() {
    let site = site_with("", 1);
    site.build_ok();
    let page = std::fs::read_to_string(site.public().join("404.html")).unwrap();
    assert!(page.contains("href=\"/theme.css?v="));
    assert!(page.contains("href=\"/\""));
    assert!(page.contains("href=\"/archive/\""));
    assert!(page.contains("noindex"));
}

#[test]
fn a_site_under_a_subpath_links_correctly() {
    let base = "https://example.org/archive/";
    let site = TestSite::new();
    site.write("config.yaml", format!("base_url: {base}\n"));
    site.article(
        "2024-01-02-foo/index.md",
        "title: Foo\nimage: lead.svg\ntags: [A]",
        "Links to [another article](/2024/01/03/bar/), [the year](/2024/) and [a file](lead.svg).\n",
    )
    .write("content/2024-01-02-foo/lead.svg", "<svg/>")
    .article("2024-01-03-bar.md", "title: Bar\ntags: [A, B]\nauthors: [X]", "Back to [foo](/2024/01/02/foo/).\n")
    .write("static/img/logo.svg", "<svg/>");
    site.build_ok();
    let broken = broken_links(&site.public(), "/archive/");
    assert!(broken.is_empty(), "{broken:#?}");
    let foo = site.page("/2024/01/02/foo/");
    assert!(foo.contains("href=\"/archive/2024/01/03/bar/\""), "{foo}");
    assert!(foo.contains("href=\"/archive/theme.css?v="));
    let feed = parse_feed(&site, "/atom.xml");
    for entry in &feed.entries {
        page_of_link(&site, base, &entry.links[0].href);
    }
    let xml = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    for loc in sitemap_locs(&xml) {
        page_of_link(&site, base, &loc);
    }
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/archive/sitemap.xml"));
}

#[test]
fn links_in_feed_summaries_are_absolute() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://news.example.org/sub/\nterm_feed_content: summary\n",
    );
    site.article(
        "linked/index.md",
        "title: Linked\ndate: 2025-06-01\ntags: [Port]",
        "See [the year](/2024/), [the map](map.svg) and ![a chart](chart.png).\n\nMore.\n",
    );
    site.write("content/linked/map.svg", "<svg/>");
    site.build_ok();
    for path in ["/atom.xml", "/tags/port/atom.xml", "/rss.xml", "/feed.json"] {
        let text =
            std::fs::read_to_string(site.public().join(path.trim_start_matches('/'))).unwrap();
        for relative in ["\"/sub/2024/", "\"/sub/2025/06/01/linked/map.svg"] {
            for quote in ["", "&quot;", "\\"] {
                let found = format!("href={quote}{}", relative.trim_start_matches('"'));
                assert!(
                    !text.contains(&found),
                    "{path} keeps a relative link: {found}"
                );
            }
        }
        assert!(
            text.contains("https://news.example.org/sub/2024/"),
            "{path}: {text}"
        );
        assert!(
            text.contains("https://news.example.org/sub/2025/06/01/linked/map.svg"),
            "{path}: {text}"
        );
        assert!(
            text.contains("https://news.example.org/sub/2025/06/01/linked/chart.png"),
            "{path}: {text}"
        );
    }
}

#[test]
fn json_feeds_write_markup_characters_as_escapes() {
    let site = site_with("", 0);
    site.build_ok();
    let json = std::fs::read_to_string(site.public().join("feed.json")).unwrap();
    assert!(
        !json.contains('<') && !json.contains('>') && !json.contains('&'),
        "{json}"
    );
    let feed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(feed["items"][0]["title"], tricky_shown());
}
