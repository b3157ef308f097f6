//! End-to-end tests of index pages over a generated site of a few hundred
//! articles: home, tags, authors, sections and date archives, their
//! pagination, and every internal link.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::links::broken_links;
use common::{Rng, TestSite, snapshot, stderr};

const TAGS: &[&str] = &[
    "Russia",
    "Russia",
    "Russia",
    "russia",
    " RUSSIA ",
    "São Paulo",
    "Россия",
    "Türkiye",
    "C++",
    "C",
    "Foo!",
    "foo",
    "energy",
    "climate",
    "elections",
    "transport",
    "housing",
    "oil",
    "diplomacy",
    "trade",
];
const AUTHORS: &[&str] = &[
    "Ana Lima",
    "Ana Lima",
    "Bo Chen",
    "Daniel Kovač",
    "Zoë Adler",
    "ana lima",
];
const SECTIONS: &[&str] = &["World", "City", "Economy", "Science"];

/// Writes `n` articles; returns each file's tag names as written.
fn generate(site: &TestSite, n: usize, seed: u64) -> BTreeMap<String, Vec<String>> {
    let mut rng = Rng(seed);
    let mut written = BTreeMap::new();
    for i in 0..n {
        let tags: Vec<&str> = (0..1 + rng.next() % 4).map(|_| rng.pick(TAGS)).collect();
        let year = 2023 + rng.next() % 3;
        let month = 1 + rng.next() % 12;
        let day = 1 + rng.next() % 28;
        // Every seventh article shares its instant with the one before: ties.
        let hour = if i % 7 == 0 { 12 } else { rng.next() % 24 };
        let section = if i % 5 == 0 {
            String::new()
        } else {
            format!("section: {}\n", rng.pick(SECTIONS))
        };
        let front = format!(
            "title: \"Article {i:03} & <friends>\"\ndate: {year}-{month:02}-{day:02}T{hour:02}:00:00+02:00\ntags: [{}]\nauthors: [\"{}\"]\n{section}",
            tags.iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", "),
            rng.pick(AUTHORS),
        );
        let file = format!("a{i:03}.md");
        site.article(&file, front.trim_end(), &format!("Body of article {i}.\n"));
        written.insert(file, tags.iter().map(|s| s.to_string()).collect());
    }
    written
}

/// Article links listed on a listing page (its cards' headlines).
fn listed(html: &str) -> Vec<String> {
    html.split("<h2 class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The `<link rel="next">` of a page.
fn next_page(html: &str) -> Option<String> {
    let start = html.find("<link rel=\"next\" href=\"")? + "<link rel=\"next\" href=\"".len();
    Some(html[start..].split('"').next()?.to_string())
}

/// Follows a listing from its first page; returns its articles and page count.
fn walk(site: &TestSite, start: &str) -> (Vec<String>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut seen = BTreeSet::new();
    let mut path = Some(start.to_string());
    while let Some(p) = path {
        assert!(seen.insert(p.clone()), "pagination of {start} loops at {p}");
        let html = site.page(&p);
        items.extend(listed(&html));
        pages += 1;
        path = next_page(&html);
    }
    (items, pages)
}

fn term_links(html: &str) -> Vec<String> {
    common::links::links(html)
        .into_iter()
        .filter(|l| {
            ["/tags/", "/authors/", "/sections/"]
                .iter()
                .any(|p| l.starts_with(p) && l.len() > p.len())
        })
        .collect()
}

fn generated(n: usize, config: &str) -> (TestSite, BTreeMap<String, Vec<String>>) {
    let site = TestSite::new();
    site.write("config.yaml", config);
    let written = generate(&site, n, 0x5eed_cafe);
    (site, written)
}

#[test]
fn every_article_is_reachable_from_every_listing_it_belongs_to() {
    let size = 7;
    let (site, _) = generated(300, &format!("page_size: {size}\n"));
    site.build_ok();

    let (home, home_pages) = walk(&site, "/");
    assert_eq!(home.len(), 300);
    assert_eq!(
        home.iter().collect::<BTreeSet<_>>().len(),
        300,
        "no article twice"
    );
    assert_eq!(home_pages, 300usize.div_ceil(size));

    let mut walked: HashMap<String, (Vec<String>, usize)> = HashMap::new();
    for url in &home {
        let html = site.page(url);
        let mut listings = term_links(&html);
        assert!(!listings.is_empty(), "{url} links to its tags and author");
        let parts: Vec<&str> = url.trim_matches('/').split('/').collect();
        listings.push(format!("/{}/", parts[0]));
        listings.push(format!("/{}/{}/", parts[0], parts[1]));
        listings.push(format!("/{}/{}/{}/", parts[0], parts[1], parts[2]));
        for listing in listings {
            let (items, pages) = walked
                .entry(listing.clone())
                .or_insert_with(|| walk(&site, &listing));
            assert!(items.contains(url), "{url} missing from {listing}");
            assert_eq!(
                *pages,
                items.len().div_ceil(size),
                "{listing}: ceil(n / page size) pages"
            );
            assert_eq!(
                items.iter().collect::<BTreeSet<_>>().len(),
                items.len(),
                "{listing}: no repeats"
            );
        }
    }
    // Newest first, ties broken deterministically: home order is by date descending.
    let dates: Vec<String> = home
        .iter()
        .map(|u| {
            let html = site.page(u);
            let s = html.find("<time datetime=\"").unwrap() + 16;
            html[s..s + 25].to_string()
        })
        .collect();
    let instants: Vec<jiff::Timestamp> = dates.iter().map(|d| d.parse().unwrap()).collect();
    assert!(
        instants.windows(2).all(|w| w[0] >= w[1]),
        "home is newest first"
    );

    let broken = broken_links(&site.public(), "/");
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:?}",
        broken.len(),
        &broken[..broken.len().min(5)]
    );
}

#[test]
fn case_variants_are_one_term_and_colliding_slugs_stay_apart() {
    let (site, written) = generated(200, "page_size: 1000\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);

    let with = |names: &[&str]| {
        written
            .values()
            .filter(|tags| tags.iter().any(|t| names.contains(&t.as_str())))
            .count()
    };
    let (russia, _) = walk(&site, "/tags/russia/");
    assert_eq!(russia.len(), with(&["Russia", "russia", " RUSSIA "]));
    let html = site.page("/tags/russia/");
    assert!(
        html.contains("<h1 class=\"page-title\">Russia</h1>"),
        "most common spelling"
    );
    assert!(
        html.contains(&format!(
            "<span class=\"count\">{} articles</span>",
            russia.len()
        )),
        "count under the heading"
    );

    assert_eq!(
        walk(&site, "/tags/sao-paulo/").0.len(),
        with(&["São Paulo"])
    );
    assert_eq!(walk(&site, "/tags/rossiia/").0.len(), with(&["Россия"]));
    assert_eq!(walk(&site, "/tags/turkiye/").0.len(), with(&["Türkiye"]));

    // "C" and "C++" have slugs of their own; "foo" and "Foo!" share
    // `foo`: the one used first keeps it, the other adds a hash of its name.
    assert_eq!(walk(&site, "/tags/c/").0.len(), with(&["C"]));
    assert_eq!(walk(&site, "/tags/c-plus-plus/").0.len(), with(&["C++"]));
    assert!(
        site.page("/tags/c-plus-plus/")
            .contains("<h1 class=\"page-title\">C++</h1>")
    );
    let hashed: Vec<String> = std::fs::read_dir(site.public().join("tags"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("foo-"))
        .collect();
    assert_eq!(hashed.len(), 1, "{hashed:?}");
    assert_eq!(hashed[0].len(), "foo-".len() + 6, "{hashed:?}");
    let mut counts = [
        walk(&site, "/tags/foo/").0.len(),
        walk(&site, &format!("/tags/{}/", hashed[0])).0.len(),
    ];
    counts.sort();
    let mut expected = [with(&["foo"]), with(&["Foo!"])];
    expected.sort();
    assert_eq!(counts, expected);
    assert!(
        warnings.contains(&format!("/tags/{}/", hashed[0])),
        "{warnings}"
    );

    let overview = site.page("/tags/");
    for name in ["Russia", "São Paulo", "Россия", "Türkiye", "C++", "Foo!"] {
        let escaped = name.replace('&', "&amp;");
        assert!(
            overview.contains(&format!(">{escaped}</a>")),
            "{name} on /tags/"
        );
    }
    let at = |name: &str| overview.find(&format!(">{name}</a>")).unwrap();
    assert!(
        at("C++") < at("Russia")
            && at("Russia") < at("São Paulo")
            && at("São Paulo") < at("Türkiye"),
        "Latin names in order, accents aside"
    );
    assert!(at("Türkiye") < at("Россия"), "other scripts after Latin");
    let authors = site.page("/authors/");
    assert!(
        authors.contains(">Ana Lima</a>") && !authors.contains(">ana lima</a>"),
        "{authors}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    // Two processes: nothing may depend on a hash map's random seed.
    let (site, _) = generated(150, "page_size: 9\n");
    assert!(site.run(&["build"]).status.success());
    let first = snapshot(&site.public());
    assert!(site.run(&["build"]).status.success());
    let second = snapshot(&site.public());
    assert_eq!(first.len(), second.len());
    for (path, bytes) in &first {
        assert!(
            second.get(path) == Some(bytes),
            "{path} differs between builds"
        );
    }
}

#[test]
fn date_pages_exist_at_every_prefix_and_link_their_neighbours() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2024-11-05", "")
        .article("b.md", "title: B\ndate: 2025-01-10", "")
        .article("c.md", "title: C\ndate: 2025-03-17", "");
    site.build_ok();
    let march = site.page("/2025/03/");
    assert!(march.contains("<title>March 2025 —"), "{march}");
    assert!(
        march.contains("<span class=\"count\">1 article</span>"),
        "{march}"
    );
    assert!(march.contains("href=\"/2025/01/\" rel=\"prev\""), "{march}");
    assert!(!march.contains("rel=\"next\">"), "no later month: {march}");
    let january = site.page("/2025/01/");
    assert!(
        january.contains("href=\"/2024/11/\" rel=\"prev\""),
        "across years: {january}"
    );
    let year = site.page("/2025/");
    assert!(year.contains("<title>2025 —"), "{year}");
    assert!(
        year.contains("<span class=\"count\">2 articles</span>"),
        "{year}"
    );
    assert!(year.contains("href=\"/2024/\" rel=\"prev\""), "{year}");
    assert!(
        year.contains("href=\"/2025/03/\"><span class=\"month-name\">March</span> <span class=\"count\">1</span>"),
        "{year}"
    );
    let day = site.page("/2025/03/17/");
    assert!(day.contains("href=\"/2025/03/17/c/\""), "{day}");
    let archive = site.page("/archive/");
    assert!(
        archive.contains("href=\"/2024/11/\" aria-label=\"November 2024: 1 article\">1</a>"),
        "{archive}"
    );
}

#[test]
fn custom_permalinks_still_have_date_pages() {
    let site = TestSite::new();
    site.write("config.yaml", "permalink: /news/:slug/\n");
    site.article("a.md", "title: A\ndate: 2025-03-17", "");
    site.build_ok();
    site.page("/news/a/");
    assert!(site.page("/2025/03/17/").contains("href=\"/news/a/\""));
    assert!(broken_links(&site.public(), "/").is_empty());
}

#[test]
fn page_one_redirects_to_the_listing() {
    let (site, _) = generated(30, "page_size: 10\n");
    site.build_ok();
    let redirect = site.page("/page/1/");
    assert!(
        redirect.contains("http-equiv=\"refresh\" content=\"0; url=/\""),
        "{redirect}"
    );
    let second = site.page("/page/2/");
    assert!(
        second.contains("<link rel=\"prev\" href=\"/\">"),
        "{second}"
    );
    assert!(
        second.contains("<link rel=\"next\" href=\"/page/3/\">"),
        "{second}"
    );
}

#[test]
fn stable_pagination_keeps_old_pages_unchanged_as_articles_arrive() {
    let (site, _) = generated(45, "page_size: 10\npagination: stable\n");
    site.build_ok();
    let (all, pages) = walk(&site, "/");
    assert_eq!((all.len(), pages), (45, 5));
    let newest = site.page("/");
    assert_eq!(
        listed(&newest).len(),
        5,
        "the newest page holds the remainder"
    );
    assert!(
        newest.contains("<link rel=\"next\" href=\"/page/4/\">"),
        "{newest}"
    );
    assert!(
        site.page("/page/5/").contains("url=/\""),
        "the newest number redirects"
    );
    let before: Vec<Vec<String>> = (1..=4)
        .map(|k| listed(&site.page(&format!("/page/{k}/"))))
        .collect();
    let oldest = site.page("/page/1/");
    assert!(!oldest.contains("rel=\"next\""), "page 1 holds the oldest");

    for i in 0..12 {
        site.article(
            &format!("new{i}.md"),
            &format!("title: New {i}\ndate: 2026-01-0{}", 1 + i % 9),
            "",
        );
    }
    let mut options = site.options();
    options.now = Some("2027-01-01T00:00:00Z".parse().unwrap());
    broadsheet::build(&options).unwrap();
    let after: Vec<Vec<String>> = (1..=4)
        .map(|k| listed(&site.page(&format!("/page/{k}/"))))
        .collect();
    assert_eq!(before, after, "pages 1-4 keep their articles");
    assert_eq!(walk(&site, "/").0.len(), 57);
}

#[test]
fn an_article_on_a_listing_url_is_an_error() {
    let site = TestSite::new();
    site.write("config.yaml", "permalink: /:slug/\n");
    site.article("tags.md", "title: Tags\ndate: 2025-01-01", "")
        .article("y.md", "title: Y\ndate: 2025-01-01\nslug: \"2025\"", "");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/tags.md:1:") && err.contains("content/y.md:1:"),
        "{err}"
    );
}

#[test]
fn the_link_walker_finds_broken_links() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "title: A\ndate: 2025-01-01",
        "Summary.\n\n[gone](/nowhere/), [fine](/2025/), [relative](missing.pdf), [out](https://example.org/x)\n",
    );
    // A bundle's first paragraph links its own file: listings must keep it working.
    site.article(
        "b/index.md",
        "title: B\ndate: 2025-02-01",
        "See the [map](map.svg) and ![chart](chart.svg).\n",
    )
    .write("content/b/map.svg", "<svg/>")
    .write("content/b/chart.svg", "<svg/>");
    site.build_ok();
    assert!(site.page("/").contains("href=\"/2025/02/01/b/map.svg\""));
    let broken = broken_links(&site.public(), "/");
    assert_eq!(
        broken,
        vec![
            "/2025/01/01/a/ → /nowhere/".to_string(),
            "/2025/01/01/a/ → missing.pdf".to_string()
        ]
    );
}

#[test]
fn stable_pages_of_terms_and_dates_keep_their_articles_as_new_ones_arrive() {
    let site = TestSite::new();
    site.write("config.yaml", "page_size: 10\npagination: stable\n");
    // A card that prints only what the pipeline decides.
    site.write(
        "templates/partials/article_card.html",
        "<item>{{ item.title }}</item>",
    );
    for i in 0..25 {
        site.article(
            &format!("a{i:02}.md"),
            &format!(
                "title: Story {i:02}\ndate: 2025-03-{:02}T10:{i:02}:00Z\ntags: [port]",
                1 + i % 3
            ),
            "Body.\n",
        );
    }
    site.build_ok();
    let page_one = |site: &TestSite, path: &str| {
        let html = site.page(path);
        html.split("<item>")
            .skip(1)
            .map(|rest| rest.split("</item>").next().unwrap().to_string())
            .collect::<Vec<String>>()
    };
    let tag_before = page_one(&site, "/tags/port/page/1/");
    let month_before = page_one(&site, "/2025/03/page/1/");
    assert_eq!(tag_before.len(), 10, "{tag_before:?}");
    assert!(
        tag_before.contains(&"Story 00".to_string()),
        "page 1 holds the oldest: {tag_before:?}"
    );
    // Newer articles, as an archive grows.
    for i in 25..32 {
        site.article(
            &format!("a{i:02}.md"),
            &format!("title: Story {i:02}\ndate: 2025-03-04T10:{i:02}:00Z\ntags: [port]"),
            "Body.\n",
        );
    }
    site.build_ok();
    assert_eq!(page_one(&site, "/tags/port/page/1/"), tag_before);
    assert_eq!(page_one(&site, "/2025/03/page/1/"), month_before);
    // The newest page is the listing's own URL, and its number redirects there.
    assert!(site.page("/tags/port/").contains("Story 31"));
    assert!(
        site.page("/tags/port/page/4/")
            .contains("http-equiv=\"refresh\"")
    );
}
