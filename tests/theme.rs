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

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

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
    Command::new("node")
        .arg(browser_dir().join("check.mjs"))
        .arg(site)
        .arg(screenshots)
        .args(pages)
        .output()
        .expect("node runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
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
