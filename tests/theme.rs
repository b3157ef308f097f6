//! Checks of the built-in theme with real tools: every page of the bundled
//! site passes the Nu HTML Checker, and headless Chromium loads key pages
//! with no console error, no failed or outside request, and no serious or
//! critical axe-core violation. Each check is also shown to fail on a
//! deliberately broken page.
//!
//! They need Java, Chromium and the npm packages of `tests/browser/`, which
//! `scripts/test.sh` installs; so they are ignored by a bare `cargo test`
//! and run by `scripts/test.sh` (and CI) with `--include-ignored`.

mod common;

use common::browser::{browser_dir, node, text};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vnu(target: &Path) -> Output {
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "{} missing: run scripts/test.sh",
        jar.display()
    );
    Command::new("java")
        .args(["-jar"])
        .arg(jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(target)
        .output()
        .expect("java runs")
}

fn browser_check(site: &Path, screenshots: &Path, pages: &[&str]) -> Output {
    let mut args = vec![site.as_os_str(), screenshots.as_os_str()];
    args.extend(pages.iter().map(std::ffi::OsStr::new));
    node("check.mjs", &args)
}

/// The bundled example site, built into a temporary folder.
fn bundled_site() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    broadsheet::build(&broadsheet::BuildOptions {
        site_dir: env!("CARGO_MANIFEST_DIR").into(),
        output: Some(public.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{:#?}", f.error));
    (out, public)
}

/// A generated archive of a few thousand articles and several hundred tags
/// (enough for letter pages, long paginations and full calendars), built.
fn generated_archive() -> (common::TestSite, PathBuf) {
    let site = common::TestSite::new();
    common::archive::write_archive(
        site.path(),
        &common::archive::ArchiveShape {
            articles: 3_000,
            tags: 400,
            first_year: 2012,
            seed: 7,
        },
    );
    site.build_ok();
    let public = site.public();
    (site, public)
}

/// The first link in `page` (a root-relative URL) to a page whose URL is
/// `page` followed by `shape`, where `#` stands for a digit and `*` for any
/// run of characters but `/`.
fn first_link(public: &Path, page: &str, shape: &str) -> String {
    fn fits(rest: &str, shape: &str) -> bool {
        match (shape.chars().next(), rest.chars().next()) {
            (None, None) => true,
            (Some('*'), _) => {
                let after = &shape[1..];
                rest.char_indices()
                    .take_while(|(_, c)| *c != '/')
                    .map(|(i, c)| i + c.len_utf8())
                    .any(|end| fits(&rest[end..], after))
            }
            (Some('#'), Some(c)) if c.is_ascii_digit() => fits(&rest[1..], &shape[1..]),
            (Some(s), Some(c)) if s == c => fits(&rest[c.len_utf8()..], &shape[s.len_utf8()..]),
            _ => false,
        }
    }
    let file = public.join(page.trim_start_matches('/')).join("index.html");
    let html = std::fs::read_to_string(&file).unwrap();
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| {
            href.strip_prefix(page)
                .is_some_and(|rest| fits(rest, shape))
        })
        .unwrap_or_else(|| panic!("no link to {page}{shape} in {page}"))
        .to_string()
}

/// One page of each kind in the generated archive, found by following its
/// links as a reader would.
fn pages_of_each_kind(public: &Path) -> Vec<String> {
    let tag = first_link(public, "/tags/", "*/");
    let letter = first_link(public, "/tags/", "by-letter/*/");
    let year = first_link(public, "/", "####/");
    let month = first_link(public, &year, "##/");
    let day = first_link(public, &month, "##/");
    let article = first_link(public, &day, "*/");
    let author = first_link(public, "/authors/", "*/");
    vec![
        "/".into(),
        article,
        "/tags/".into(),
        letter,
        tag.clone(),
        format!("{tag}page/2/"),
        "/archive/".into(),
        year,
        month,
        day,
        "/authors/".into(),
        author,
        "/sections/".into(),
        "/404.html".into(),
    ]
}

const BROKEN_PAGE: &str = "<!DOCTYPE html><html><head><title>Broken</title></head><body>\
    <p><div>block in a paragraph</p></div><img src=\"missing.png\">\
    <p style=\"color:#eee;background:#fff\">faint text</p>\
    <script>console.error('deliberate failure')</script></body></html>";

#[test]
#[ignore = "needs Java and vnu.jar: run scripts/test.sh"]
fn every_page_of_the_bundled_site_is_valid_html() {
    let (_dir, public) = bundled_site();
    let output = vnu(&public);
    assert!(
        output.status.success(),
        "Nu HTML Checker errors:\n{}",
        text(&output)
    );
}

#[test]
#[ignore = "needs Java and vnu.jar: run scripts/test.sh"]
fn every_listing_of_a_generated_archive_and_some_articles_are_valid_html() {
    let (_site, public) = generated_archive();
    // Every page but most articles: listings are where the theme's new
    // furniture is, and 3,000 articles of one template add only time.
    let pages = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&public).unwrap();
        let is_article = relative.components().count() == 5;
        if entry.path().extension().is_none_or(|x| x != "html") || (is_article && copied % 50 != 0)
        {
            copied += usize::from(is_article);
            continue;
        }
        copied += usize::from(is_article);
        let name = relative.to_string_lossy().replace('/', "_");
        std::fs::copy(entry.path(), pages.path().join(name)).unwrap();
    }
    let output = vnu(pages.path());
    assert!(
        output.status.success(),
        "Nu HTML Checker errors:\n{}",
        text(&output)
    );
}

#[test]
#[ignore = "needs Java and vnu.jar: run scripts/test.sh"]
fn the_html_checker_rejects_a_broken_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(&page, BROKEN_PAGE).unwrap();
    let output = vnu(&page);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("error"), "{}", text(&output));
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn key_pages_load_cleanly_and_accessibly_in_chromium() {
    let (_dir, public) = bundled_site();
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let pages = [
        "/",
        "/2025/03/17/kremlin-invites-maduro-to-victory-day-parade/",
        "/2024/11/20/ferry-fleet-goes-electric/",
        "/tags/transport/",
        "/2025/03/",
        "/archive/",
        "/2024/",
        "/tags/",
        "/404.html",
    ];
    let output = browser_check(&public, &screenshots, &pages);
    assert!(output.status.success(), "{}", text(&output));
    assert!(screenshots.join("home-390.png").is_file());
    assert!(screenshots.join("archive-1280.png").is_file());
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn pages_of_a_generated_archive_load_cleanly_and_accessibly_in_chromium() {
    let (_site, public) = generated_archive();
    let screenshots =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/generated-archive");
    let pages = pages_of_each_kind(&public);
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let output = browser_check(&public, &screenshots, &pages);
    assert!(output.status.success(), "{}", text(&output));
    for shot in ["home-390.png", "tags-1280.png", "archive-390.png"] {
        assert!(screenshots.join(shot).is_file(), "{shot}");
    }
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn the_browser_check_fails_on_a_broken_page() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), BROKEN_PAGE).unwrap();
    std::fs::write(
        site.path().join("404.html"),
        "<!DOCTYPE html><title>404</title>",
    )
    .unwrap();
    let shots = tempfile::tempdir().unwrap();
    let output = browser_check(site.path(), shots.path(), &["/"]);
    let report = text(&output);
    assert!(!output.status.success(), "{report}");
    assert!(
        report.contains("console error: deliberate failure"),
        "{report}"
    );
    assert!(report.contains("404 for"), "{report}");
    assert!(report.contains("axe critical: image-alt"), "{report}");
    assert!(report.contains("color-contrast"), "{report}");
}
