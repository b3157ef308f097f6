//! Builds killed at several points, and builds of one site at once: the
//! previous output is always intact, the next build cleans up after a dead
//! one, and a second build waits its turn with a clear message.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, snapshot, stderr};

/// A site large enough that a build takes a while.
fn large_site(articles: usize, edition: &str) -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Big\nbase_url: https://example.org/\n",
    );
    write_articles(&site, articles, edition);
    site
}

fn write_articles(site: &TestSite, articles: usize, edition: &str) {
    for i in 0..articles {
        site.article(
            &format!("{}/a{i}.md", 2000 + i % 20),
            &format!(
                "title: Story {i} ({edition})\ndate: {}-{:02}-{:02}\ntags: [t{}, t{}]",
                2000 + i % 20,
                1 + i % 12,
                1 + i % 28,
                i % 40,
                i % 7
            ),
            &format!("The {edition} edition of story {i}.\n\nMore words here.\n"),
        );
    }
}

fn spawn_build(site: &TestSite) -> Child {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("build")
        .current_dir(site.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
}

/// Files beside the output that a build leaves only while it runs.
fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".broadsheet-staging") || n.ends_with(".broadsheet-old"))
        .collect()
}

#[test]
fn a_killed_build_leaves_the_previous_output_and_the_next_cleans_up() {
    let site = large_site(1500, "first");
    site.build_ok();
    let first = snapshot(&site.public());
    write_articles(&site, 1500, "second");
    // What a build of the new sources makes whole, elsewhere: a build
    // killed after its swap leaves exactly that.
    let elsewhere = tempfile::tempdir().unwrap();
    let second_dir = elsewhere.path().join("second");
    let built = site.run(&["build", "--output", second_dir.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let second = snapshot(&second_dir);
    let mut outcomes = BTreeMap::new();
    for (signal_name, delay_ms) in [
        ("KILL", 50),
        ("INT", 150),
        ("KILL", 400),
        ("INT", 800),
        ("KILL", 1500),
        ("TERM", 2500),
    ] {
        let mut child = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(delay_ms));
        signal(&child, signal_name);
        let status = child.wait().unwrap();
        let now = snapshot(&site.public());
        if status.success() {
            // It finished before the signal: then the output is whole.
            assert!(now.len() >= first.len() - 5);
            outcomes.insert(delay_ms, "finished");
        } else if now == second {
            // Killed after the swap, while removing the previous output.
            outcomes.insert(delay_ms, "killed after its swap, new output whole");
        } else {
            assert!(
                now == first,
                "a build killed by SIG{signal_name} after {delay_ms} ms left neither the previous output nor the new one whole"
            );
            outcomes.insert(delay_ms, "killed, output intact");
        }
    }
    assert!(
        outcomes.values().any(|o| o.starts_with("killed")),
        "no build was killed while running: {outcomes:?}"
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
    assert!(site.page("/").contains("(second)"));
}

#[test]
fn a_second_build_of_one_site_waits_its_turn() {
    let site = large_site(1500, "first");
    let mut first = spawn_build(&site);
    // Wait until the first build holds the output.
    let started = Instant::now();
    while !site.path().join(".public.broadsheet-staging").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the first build never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = site.run(&["build"]);
    let finished_first = first.try_wait().unwrap().is_some();
    if !finished_first {
        assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
        assert!(
            stderr(&second).contains("another broadsheet build (process ")
                && stderr(&second).contains("is writing"),
            "{}",
            stderr(&second)
        );
    }
    assert!(first.wait().unwrap().success());
    assert!(site.page("/").contains("Story"));
    assert!(leftovers(&site).is_empty());
    // A lock file left by a killed build is no lock.
    let mut killed = spawn_build(&site);
    std::thread::sleep(Duration::from_millis(100));
    signal(&killed, "KILL");
    killed.wait().unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
