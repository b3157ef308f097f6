//! The repository is itself a site: it must build, and every article must
//! appear at its permalink.

mod common;

use broadsheet::build::{BuildOptions, build};
use std::path::Path;

#[test]
fn the_bundled_site_builds_and_every_article_has_its_page() {
    let site_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let report = build(&BuildOptions {
        site_dir: site_dir.to_path_buf(),
        output: Some(output.clone()),
        now: Some("2026-06-01T00:00:00Z".parse().unwrap()),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{:#?}", f.error));
    assert!(
        report.warnings.is_empty(),
        "{:?}",
        report.warnings.grouped_lines()
    );
    assert!(report.articles_written >= 30);

    let pages = common::snapshot(&output);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site_dir.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if text.contains("\ndraft: true") {
            continue;
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .expect("every sample article has a title line");
        let heading = format!(
            "<h1 class=\"headline\">{}</h1>",
            broadsheet::markdown::smart_punctuation(title)
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        );
        let found = pages
            .iter()
            .filter(|(path, _)| path.ends_with("/index.html") && path.matches('/').count() == 4)
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(&heading));
        assert!(
            found,
            "no page with {heading} for {}",
            entry.path().display()
        );
        checked += 1;
    }
    assert_eq!(checked, report.articles_written);
    assert!(pages.contains_key("2024/11/20/ferry-fleet-goes-electric/ridership.svg"));
    assert!(pages.contains_key("favicon.svg"));
    let broken = common::links::broken_links(&output, "/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}
