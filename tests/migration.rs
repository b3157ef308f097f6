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
