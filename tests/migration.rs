//! Archives moved from Hugo and Jekyll read as they are: TOML front matter,
//! Jekyll's categories, Hugo's dates and summaries.

mod common;

use common::{TestSite, stderr};

#[test]
fn toml_front_matter_reads_like_yaml() {
    let site = TestSite::new();
    site.write(
        "content/2025/budget.md",
        "+++\n\
         title = \"Budget \\\"passes\\\" & more\"\n\
         date = 2025-03-17T09:30:00+03:00\n\
         lastmod = 2025-03-18\n\
         tags = [\"Budget\", \"Council\"]\n\
         authors = \"Ana Lima\"\n\
         section = \"City\"\n\
         aliases = [\"/news/budget.html\"]\n\
         draft = false\n\
         layout = \"post\"\n\
         [extra]\n\
         rating = 5\n\
         +++\n\
         The council voted.\n",
    );
    let report = site.build_ok();
    assert_eq!(report.articles_written, 1);
    let page = site.page("/2025/03/17/budget/");
    assert!(page.contains("Budget “passes” &amp; more"), "{page}");
    assert!(
        page.contains("datetime=\"2025-03-17T09:30:00+03:00\""),
        "{page}"
    );
    assert!(page.contains("href=\"/tags/council/\""), "{page}");
    assert!(page.contains("href=\"/authors/ana-lima/\""), "{page}");
    assert!(page.contains("href=\"/sections/city/\""), "{page}");
    assert!(site.public().join("news/budget.html").is_file());
    let warnings = report.warnings.lines().join("\n");
    assert!(
        warnings.contains("content/2025/budget.md:10") && warnings.contains("layout"),
        "unknown keys are warned with their line: {warnings}"
    );
}

#[test]
fn toml_errors_name_file_line_and_column() {
    for (front, expected) in [
        (
            "title = \"A\"\ndate = 2025-03-17\ntags = \"unclosed\n",
            "content/a.md:4:",
        ),
        (
            "title = \"A\"\ndate = 2025-03-17\ntags = { a = 1 }\n",
            "content/a.md:4: tags: invalid type: map",
        ),
        (
            "title = \"A\"\ndate = \"someday\"\n",
            "content/a.md:3: `date`",
        ),
    ] {
        let site = TestSite::new();
        site.write("content/a.md", format!("+++\n{front}+++\nBody.\n"));
        let out = site.run(&["build"]);
        assert!(!out.status.success(), "{front}");
        assert!(
            stderr(&out).contains(expected),
            "{expected} in {}",
            stderr(&out)
        );
    }
    let site = TestSite::new();
    site.write("content/a.md", "+++\ntitle = \"A\"\n---\nBody.\n");
    let out = site.run(&["build"]);
    assert!(
        stderr(&out).contains(
            "content/a.md:1: the front matter opened here is never closed: expected a line `+++`"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn jekyll_and_hugo_keys_are_read_not_dropped() {
    let site = TestSite::new();
    site.write("config.yaml", "title: T\nbase_url: https://example.org/\n");
    site.article(
        "2019-10-01-release.md",
        "title: Release\ncategories: news releases\nimage: {path: /img/r.png, alt: The release notes}\nexcerpt: What is new.",
        "Body.\n",
    );
    site.article(
        "2019/budget.md",
        "title: Budget\nsection: City\ncategories: [news, money]\ndate: 2019-06-01",
        "",
    );
    site.write(
        "content/2020/hugo.md",
        "+++\ntitle = \"Hugo post\"\npublishDate = 2020-02-02\nimages = [\"/img/h.png\", \"/img/h2.png\"]\nkeywords = [\"ports\"]\nsummary = \"Short.\"\n+++\nBody.\n",
    );
    site.write(
        "content/2020/gone.md",
        "+++\ntitle = \"Gone\"\ndate = 2020-01-01\nexpiryDate = 2021-01-01\n+++\n",
    );
    site.write("static/img/r.png", "x");
    site.write("static/img/h.png", "x");
    let report = site.build_ok();
    assert_eq!(report.articles_written, 3);
    assert_eq!(report.expired_left_out, 1, "past its expiry date");
    assert!(
        report.warnings.is_empty(),
        "no key is dropped: {}",
        report.warnings.lines().join("\n")
    );

    let release = site.page("/2019/10/01/release/");
    assert!(
        release.contains("href=\"/sections/news/\""),
        "first category: section"
    );
    assert!(
        release.contains("href=\"/tags/releases/\""),
        "other categories: tags"
    );
    assert!(
        release.contains("<img src=\"/img/r.png\" alt=\"The release notes\""),
        "{release}"
    );
    assert!(
        release.contains("<meta name=\"description\" content=\"What is new.\">"),
        "{release}"
    );
    let budget = site.page("/2019/06/01/budget/");
    assert!(budget.contains("href=\"/sections/city/\""), "section: kept");
    assert!(budget.contains("href=\"/tags/news/\"") && budget.contains("href=\"/tags/money/\""));
    let hugo = site.page("/2020/02/02/hugo/");
    assert!(
        hugo.contains("<img src=\"/img/h.png\""),
        "first of images: {hugo}"
    );
    assert!(hugo.contains("href=\"/tags/ports/\""), "keywords as tags");
    assert!(!site.public().join("2020/01/01/gone").exists());

    let out = site.run(&["build"]);
    assert!(
        common::stdout(&out).contains("0 future article(s), 1 expired"),
        "{}",
        common::stdout(&out)
    );
}

#[test]
fn file_permalinks_write_html_files_and_every_link_uses_them() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/\npermalink: /news/:year/:month/:slug.html\npage_size: 1\n",
    );
    site.article(
        "2025/budget/index.md",
        "title: Budget\ndate: 2025-03-17\ntags: [Money]\nimage: chart.svg",
        "![Chart](chart.svg) and [the ferry](/news/2025/03/ferry.html#vote).\n\n## Notes\n\n[Notes](#notes)\n",
    );
    site.write(
        "content/2025/budget/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"></svg>",
    );
    site.article(
        "2025/ferry.md",
        "title: Ferry\ndate: 2025-03-18\ntags: [Money]",
        "## Vote\n\nSee [the budget](budget.html).\n",
    );
    let report = site.build_ok();
    assert!(
        report.warnings.is_empty(),
        "{}",
        report.warnings.lines().join("\n")
    );
    let public = site.public();
    assert!(public.join("news/2025/03/budget.html").is_file());
    assert!(
        public.join("news/2025/03/chart.svg").is_file(),
        "bundle files beside the page"
    );
    let page = site.page("/news/2025/03/budget.html");
    assert!(
        page.contains("<img src=\"/news/2025/03/chart.svg\" alt=\"\" width=\"4\" height=\"3\">"),
        "{page}"
    );
    assert!(
        page.contains("href=\"https://example.org/news/2025/03/budget.html\""),
        "canonical: {page}"
    );
    let tag = site.page("/tags/money/");
    assert!(tag.contains("href=\"/news/2025/03/ferry.html\""), "{tag}");
    let day = site.page("/2025/03/17/");
    assert!(day.contains("href=\"/news/2025/03/budget.html\""), "{day}");
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(
        feed.contains("https://example.org/news/2025/03/budget.html"),
        "{feed}"
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/news/2025/03/ferry.html</loc>"),
        "{sitemap}"
    );
    let broken = broadsheet::links::check::broken_in_folder(&public, "/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn jekyll_highlight_blocks_are_code_and_raw_keeps_its_text() {
    let site = TestSite::new();
    site.article(
        "2019-10-01-release.md",
        "title: Release",
        "Install it:\n\n{% highlight ruby %}\ngem install x -v \"{{ version }}\"\n{% endhighlight %}\n\n{% raw %}{{ site.title }}{% endraw %} stays.\n",
    );
    site.article(
        "2019-10-02-other.md",
        "title: Other",
        "See {% include note.html %}.\n",
    );
    let report = site.build_ok();
    let warnings = report.warnings.lines().join("\n");
    assert!(!warnings.contains("release.md"), "{warnings}");
    assert!(
        warnings.contains("other.md"),
        "other Liquid is still warned: {warnings}"
    );
    let page = site.page("/2019/10/01/release/");
    assert!(
        page.contains(
            "<pre><code class=\"language-ruby\">gem install x -v \"{{ version }}\"\n</code></pre>"
        ),
        "{page}"
    );
    assert!(page.contains("<p>{{ site.title }} stays.</p>"), "{page}");
}

#[test]
fn links_by_source_file_lead_to_their_articles() {
    let site = TestSite::new();
    site.write("config.yaml", "title: T\nbase_url: https://example.org/\n");
    site.article(
        "2019/2019-06-01-budget.md",
        "title: Budget",
        "## Vote\n\nThe vote.\n",
    );
    site.article(
        "2019/ferry/index.md",
        "title: Ferry\ndate: 2019-07-01",
        "Ferry.\n",
    );
    site.article("2019/2019-08-01-draft.md", "title: Draft\ndraft: true", "");
    site.article(
        "2019/2019-09-01-links.md",
        "title: Links",
        "[a](2019-06-01-budget.md#vote) [b](ferry/index.md) [c](/2019/ferry/index.md)\n\n\
         [d]({% link en/news/_posts/2019-06-01-budget.md %}) [e]({% post_url 2019-06-01-budget %})\n\n\
         [g](2019-08-01-draft.md)\n",
    );
    let report = site.build_ok();
    let page = site.page("/2019/09/01/links/");
    for expected in [
        "<a href=\"/2019/06/01/budget/#vote\">a</a>",
        "<a href=\"/2019/07/01/ferry/\">b</a>",
        "<a href=\"/2019/07/01/ferry/\">c</a>",
        "<a href=\"/2019/06/01/budget/\">d</a>",
        "<a href=\"/2019/06/01/budget/\">e</a>",
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    let warnings = report.warnings.lines().join("\n");
    assert!(
        warnings.contains("2019-08-01-draft.md"),
        "a draft is no page yet: a warning: {warnings}"
    );
    assert!(
        !warnings.contains("Liquid"),
        "link and post_url are read: {warnings}"
    );
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(
        feed.contains("https://example.org/2019/06/01/budget/#vote"),
        "{feed}"
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("draft.md"),
        "with --drafts it leads to the draft"
    );
    site.article(
        "2019/2019-09-02-more.md",
        "title: More",
        "See [f](2019-06-02-missing.md).\n",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/2019/2019-09-02-more.md:4:5:")
            && stderr(&out).contains("expected the Markdown file of an article"),
        "a link to no source at all is an error at its place: {}",
        stderr(&out)
    );
}

/// Follows an old URL in the output: the page it serves, or, for a
/// redirect page, the page it sends the reader to; returns that page's path.
fn landing(site: &TestSite, old: &str) -> String {
    let page = site.page(old);
    match page
        .split("http-equiv=\"refresh\" content=\"0; url=")
        .nth(1)
    {
        Some(rest) => {
            let to = rest.split('"').next().unwrap().to_string();
            let target = site.page(&to);
            assert!(
                !target.contains("http-equiv=\"refresh\""),
                "{old} → {to} redirects again"
            );
            to
        }
        None => old.to_string(),
    }
}

#[test]
fn a_jekyll_shaped_site_builds_with_every_old_url_alive() {
    let site = TestSite::new();
    // Jekyll's default permalink, /:categories/:year/:month/:day/:title.html,
    // with one category.
    site.write(
        "config.yaml",
        "title: Jekyll news\nbase_url: https://example.org/\npermalink: /:section/:year/:month/:day/:slug.html\nredirects:\n  /feed.xml: /atom.xml\n",
    );
    site.write(
        "content/_posts/2019-09-01-preview.md",
        "---\nlayout: post\ntitle: \"Preview of 1.0\"\ncategories: [news, beta]\nauthor: Ana Lima\n---\nA preview.\n",
    );
    site.write(
        "content/_posts/2019-10-01-release.md",
        "---\nlayout: post\ntitle: 1.0 released\ndate: 2019-10-01 10:00:00 +0200\ncategories: news\nredirect_from:\n  - /releases/1.0/\n  - /news/2019/release.html\n---\n\
         After [the preview]({% post_url 2019-09-01-preview %}) and\n\
         [its notes]({% link _posts/2019-09-01-preview.md %}):\n\n\
         {% highlight ruby %}\ngem install thing\n{% endhighlight %}\n",
    );
    let report = site.build_ok();
    assert_eq!(report.articles_written, 2);
    for (old, lands) in [
        (
            "/news/2019/09/01/preview.html",
            "/news/2019/09/01/preview.html",
        ),
        (
            "/news/2019/10/01/release.html",
            "/news/2019/10/01/release.html",
        ),
        ("/releases/1.0/", "/news/2019/10/01/release.html"),
        ("/news/2019/release.html", "/news/2019/10/01/release.html"),
        ("/feed.xml", "/atom.xml"),
    ] {
        if old == "/feed.xml" {
            assert!(site.page(old).contains("url=/atom.xml"));
            continue;
        }
        assert_eq!(landing(&site, old), lands, "{old}");
    }
    let release = site.page("/news/2019/10/01/release.html");
    assert!(
        release.contains("<a href=\"/news/2019/09/01/preview.html\">the preview</a>"),
        "{release}"
    );
    assert!(release.contains("class=\"language-ruby\""), "{release}");
    let redirects = std::fs::read_to_string(site.public().join("_redirects")).unwrap();
    for line in [
        "/releases/1.0/ /news/2019/10/01/release.html 301",
        "/news/2019/release.html /news/2019/10/01/release.html 301",
        "/feed.xml /atom.xml 301",
    ] {
        assert!(
            redirects.lines().any(|l| l == line),
            "{line} in\n{redirects}"
        );
    }
    let broken = broadsheet::links::check::broken_in_folder(&site.public(), "/");
    assert!(broken.is_empty(), "{broken:?}");
    let warnings = report.warnings.lines().join("\n");
    assert!(!warnings.contains("Liquid"), "{warnings}");
}

#[test]
fn a_hugo_shaped_site_builds_with_every_old_url_alive() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Hugo blog\nbase_url: https://example.org/\npermalink: /posts/:slug/\n",
    );
    site.write("content/posts/_index.md", "+++\ntitle = \"Posts\"\n+++\n");
    site.write(
        "content/posts/first-post.md",
        "+++\ntitle = \"First post\"\ndate = 2020-01-02T10:00:00Z\nlastmod = 2020-01-05\ntags = [\"intro\"]\naliases = [\"/2020/01/first-post/\", \"/old/first.html\"]\n+++\nSee [the second](second/index.md).\n",
    );
    site.write(
        "content/posts/second/index.md",
        "+++\ntitle = \"Second post\"\npublishDate = 2020-02-01\nimages = [\"chart.svg\"]\nkeywords = [\"charts\"]\n+++\nBack to [the first](../first-post.md).\n",
    );
    site.write(
        "content/posts/second/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 4\"></svg>",
    );
    let report = site.build_ok();
    assert_eq!(report.articles_written, 2);
    for (old, lands) in [
        ("/posts/first-post/", "/posts/first-post/"),
        ("/posts/second/", "/posts/second/"),
        ("/2020/01/first-post/", "/posts/first-post/"),
        ("/old/first.html", "/posts/first-post/"),
    ] {
        assert_eq!(landing(&site, old), lands, "{old}");
    }
    let second = site.page("/posts/second/");
    assert!(
        second.contains("<a href=\"/posts/first-post/\">the first</a>"),
        "{second}"
    );
    assert!(second.contains("width=\"8\" height=\"4\""), "{second}");
    assert!(second.contains("href=\"/tags/charts/\""), "{second}");
    let broken = broadsheet::links::check::broken_in_folder(&site.public(), "/");
    assert!(broken.is_empty(), "{broken:?}");
}
