//! Old URLs kept alive: an article's `aliases` and `redirect_from`, and the
//! config's `redirects`, become pages at the old paths and lines of
//! `_redirects`; redirects that would overwrite a page, lead nowhere or
//! loop are errors naming their file.

mod common;

use common::{TestSite, stderr};

fn migrated_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Moved\nbase_url: https://example.org/\nredirects:\n  /category/world/: /sections/world/\n  /feed/: https://feeds.example.org/world\n",
    );
    site.article(
        "2025/budget.md",
        "title: Budget passes\ndate: 2025-03-17\nsection: World\naliases: [/news/2025/budget.html, https://old.example.org/2025/03/budget]",
        "The council voted.\n",
    );
    site.article(
        "2025/ferry.md",
        "title: Ferry\ndate: 2025-03-18\nredirect_from: /ferry-story/",
        "See [the budget](/news/2025/budget.html).\n",
    );
    site
}

#[test]
fn every_old_url_resolves_to_a_redirect_to_its_article() {
    let site = migrated_site();
    let report = site.build_ok();
    assert!(
        report.warnings.is_empty(),
        "a link to an old URL is no broken link: {:?}",
        report.warnings
    );
    for (old, to) in [
        ("/news/2025/budget.html", "/2025/03/17/budget/"),
        ("/2025/03/budget/", "/2025/03/17/budget/"),
        ("/ferry-story/", "/2025/03/18/ferry/"),
        ("/category/world/", "/sections/world/"),
        ("/feed/", "https://feeds.example.org/world"),
    ] {
        let page = site.page(old);
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{old}: {page}"
        );
        let canonical = if to.starts_with("https:") {
            to.to_string()
        } else {
            format!("https://example.org{to}")
        };
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
            "{page}"
        );
        assert!(
            page.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{page}"
        );
        assert!(page.contains(&format!("<a href=\"{to}\">")), "{page}");
    }
    let redirects = std::fs::read_to_string(site.public().join("_redirects")).unwrap();
    for line in [
        "/news/2025/budget.html /2025/03/17/budget/ 301",
        "/2025/03/budget/ /2025/03/17/budget/ 301",
        "/ferry-story/ /2025/03/18/ferry/ 301",
        "/category/world/ /sections/world/ 301",
        "/feed/ https://feeds.example.org/world 301",
    ] {
        assert!(
            redirects.lines().any(|l| l == line),
            "{line} in\n{redirects}"
        );
    }
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("budget.html"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn a_site_without_old_urls_has_no_redirects_file() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-03-17", "");
    site.build_ok();
    assert!(!site.public().join("_redirects").exists());
}

#[test]
fn redirects_that_overwrite_lead_nowhere_or_loop_are_errors_naming_their_file() {
    for (config, front, expected) in [
        (
            "",
            "aliases: /2025/03/18/other/",
            "content/2025/budget.md:4: the old path /2025/03/18/other/ is the URL of `content/2025/other.md`",
        ),
        (
            "",
            "aliases: /tags/",
            "the old path /tags/ is a listing page",
        ),
        (
            "",
            "aliases: /x/?p=3",
            "content/2025/budget.md:4: `/x/?p=3` has a query",
        ),
        (
            "redirects:\n  /old/: /nowhere/\n",
            "",
            "config.yaml:1: the redirect from /old/ goes to /nowhere/, which the site does not have",
        ),
        ("redirects:\n  /a/: /b/\n  /b/: /a/\n", "", "a loop"),
    ] {
        let site = TestSite::new();
        site.write("config.yaml", format!("title: T\n{config}"));
        site.article(
            "2025/budget.md",
            &format!("title: Budget\ndate: 2025-03-17\n{front}"),
            "",
        );
        site.article("2025/other.md", "title: Other\ndate: 2025-03-18", "");
        let out = site.run(&["build"]);
        assert!(!out.status.success(), "{front}{config}");
        assert!(
            stderr(&out).contains(expected),
            "{expected} in {}",
            stderr(&out)
        );
    }
}

#[test]
fn two_articles_claiming_one_old_path_and_a_static_file_there_are_errors() {
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-03-17\naliases: /old/", "");
    site.article(
        "b.md",
        "title: B\ndate: 2025-03-18\nredirect_from: [/old]",
        "",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the old path /old/ also redirects from `content/"),
        "{}",
        stderr(&out)
    );
    let site = TestSite::new();
    site.article("a.md", "title: A\ndate: 2025-03-17\naliases: /old.html", "");
    site.write("static/old.html", "<p>old</p>");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the redirect from /old.html asked for by `content/a.md`"),
        "{}",
        stderr(&out)
    );
}
