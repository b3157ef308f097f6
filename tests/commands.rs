//! End-to-end tests of the editor's commands, through the binary: `init`
//! makes a site that builds, `new` starts drafts and never overwrites,
//! `eject` copies the theme so that the site builds byte for byte the same,
//! `list` prints the archive for people and scripts, and the terminal gets
//! colour and a progress bar only when it is one.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, run_in, snapshot, stderr, stdout};

/// Today's year and month folder (`2026/11`) in a time zone.
fn month_folder(zone: &str) -> String {
    let now = jiff::tz::TimeZone::get(zone)
        .unwrap()
        .to_datetime(jiff::Timestamp::now());
    format!("{:04}/{:02}", now.year(), now.month())
}

#[test]
fn a_fresh_init_site_builds_and_init_refuses_a_folder_with_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init", "news"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("news");
    let made = stdout(&out);
    for expected in ["config.yaml", "templates", "static", "content/"] {
        assert!(made.contains(expected), "{made}");
    }
    assert!(
        std::fs::read_dir(site.join("templates"))
            .unwrap()
            .next()
            .is_none()
    );
    let config = std::fs::read_to_string(site.join("config.yaml")).unwrap();
    assert!(config.contains("# page_size: 20"), "{config}");

    let out = run_in(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Built 1 article(s)"),
        "{}",
        stdout(&out)
    );
    let listed = stdout(&run_in(&site, &["list"]));
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains("\tpublished"), "{listed}");

    // The folder holds files now: a second init changes nothing.
    let before = snapshot(&site);
    let out = run_in(dir.path(), &["init", "news"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    assert_eq!(snapshot(&site), before);
}

#[test]
fn new_starts_a_draft_in_the_site_time_zone_and_never_overwrites() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/\ntimezone: Asia/Kathmandu\n",
    );
    let headline = "Flood: 'worst in decades' & <rising>";
    let out = site.run(&[
        "new",
        headline,
        "--tags",
        "floods, Nepal",
        "--author",
        "Ana O'Neil",
        "--author",
        "Bo Li",
        "--section",
        "World",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = format!(
        "content/{}/flood-worst-in-decades-rising.md",
        month_folder("Asia/Kathmandu")
    );
    assert_eq!(stdout(&out).trim(), path);
    let text = std::fs::read_to_string(site.path().join(&path)).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .unwrap()
        .split("---\n")
        .next()
        .unwrap();
    let front: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    assert_eq!(front["title"], headline);
    assert_eq!(front["draft"], true);
    assert_eq!(front["tags"][1], "Nepal");
    assert_eq!(front["authors"][0], "Ana O'Neil");
    assert_eq!(front["section"], "World");
    assert!(
        front["date"].as_str().unwrap().ends_with("+05:45"),
        "the site's offset: {text}"
    );

    // A draft: left out, until asked for.
    let out = site.run(&["build"]);
    assert!(
        stdout(&out).contains("left out 1 draft(s)"),
        "{}",
        stdout(&out)
    );
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The same headline on the same day: an error naming the first file,
    // which is left as it was.
    let out = site.run(&["new", headline]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&path), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(site.path().join(&path)).unwrap(),
        text
    );
    assert_eq!(snapshot(&site.path().join("content")).len(), 1);
}

#[test]
fn new_on_another_day_keeps_the_slug_and_bundles_get_a_folder() {
    let site = TestSite::new();
    let out = site.run(&["new", "Budget vote", "--date", "2025-03-17"]);
    assert_eq!(stdout(&out).trim(), "content/2025/03/budget-vote.md");
    // The next day, in the same month folder: another file, the same slug.
    let out = site.run(&["new", "Budget vote", "--date", "2025-03-18T09:30:00+01:00"]);
    assert_eq!(stdout(&out).trim(), "content/2025/03/budget-vote-2.md");
    let out = site.run(&["new", "Budget vote", "--date", "2025-03-17", "--bundle"]);
    assert_eq!(out.status.code(), Some(1), "the URL is taken");
    assert!(stderr(&out).contains("content/2025/03/budget-vote.md"));
    let out = site.run(&["new", "Flood maps", "--date", "2025-03-17", "--bundle"]);
    assert_eq!(stdout(&out).trim(), "content/2025/03/flood-maps/index.md");
    let out = site.run(&["new", "?!", "--date", "2025-03-17"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--slug"), "{}", stderr(&out));
    let out = site.run(&["new", "x", "--date", "17/03/2025"]);
    assert!(
        stderr(&out).contains("--date: cannot read the date"),
        "{}",
        stderr(&out)
    );

    let out = site.run(&["list", "--all", "--format", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let urls: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "/2025/03/18/budget-vote/",
            "/2025/03/17/budget-vote/",
            "/2025/03/17/flood-maps/"
        ]
    );
}

#[test]
fn eject_then_build_gives_the_same_site_byte_for_byte() {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Ejected\nbase_url: https://example.org/\n",
    );
    for i in 1..=5 {
        site.article(
            &format!("2025/a{i}.md"),
            &format!(
                "title: Article {i}\ndate: 2025-03-0{i}\ntags: [port, tag{i}]\nauthors: [Ana]"
            ),
            "Text with a [link](/tags/port/).\n\n## Heading\n",
        );
    }
    assert!(site.run(&["build"]).status.success());
    let before = snapshot(&site.public());

    let out = site.run(&["eject"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let wrote = stdout(&out);
    for expected in [
        "wrote templates/article.html",
        "wrote templates/partials/footer.html",
        "wrote static/theme.css",
    ] {
        assert!(wrote.contains(expected), "{wrote}");
    }
    assert!(site.run(&["build"]).status.success());
    assert!(before == snapshot(&site.public()), "the output changed");

    // Nothing is overwritten: an edited template stays edited.
    site.write("templates/article.html", "mine");
    let out = site.run(&["eject", ".", "article.html"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("kept templates/article.html"),
        "{}",
        stderr(&out)
    );
    let kept = std::fs::read_to_string(site.path().join("templates/article.html"));
    assert_eq!(kept.unwrap(), "mine");

    let out = site.run(&["eject", "nope.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the theme has no file `nope.html`"));
}

#[test]
fn eject_of_named_templates_writes_only_those() {
    let site = TestSite::new();
    let out = site.run(&["eject", "footer", "article"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written: Vec<String> = snapshot(site.path()).into_keys().collect();
    assert_eq!(
        written,
        ["templates/article.html", "templates/partials/footer.html"]
    );
}

#[test]
fn list_shows_each_kind_of_article_and_every_error() {
    let site = TestSite::new();
    site.write("config.yaml", "base_url: https://example.org/news/\n");
    site.article(
        "old.md",
        "title: \"Tabs\tand\\nbreaks\"\ndate: 2020-01-02",
        "x",
    );
    site.article(
        "draft.md",
        "title: A draft\ndate: 2021-01-02\ndraft: true",
        "x",
    );
    site.article("later.md", "title: Later\ndate: 2999-01-02", "x");
    site.article("broken.md", "title: [unclosed\ndate: 2021-01-02", "x");

    let lines = |args: &[&str]| {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(1), "the broken article");
        assert!(
            stderr(&out).contains("content/broken.md:2"),
            "{}",
            stderr(&out)
        );
        stdout(&out).lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        lines(&["list"]),
        [
            "date\turl\tfile\ttitle\tstatus",
            "2020-01-02T00:00:00+00:00\thttps://example.org/news/2020/01/02/old/\tcontent/old.md\tTabs and breaks\tpublished",
        ]
    );
    assert_eq!(lines(&["list", "--drafts"]).len(), 2);
    assert!(lines(&["list", "--drafts"])[1].ends_with("\tA draft\tdraft"));
    assert!(lines(&["list", "--future"])[1].ends_with("\tLater\tfuture"));
    let all = lines(&["list", "--all"]);
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(all[1].contains("Later"), "newest first: {all:?}");

    let out = site.run(&["list", "--all", "--format", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed[1]["title"], "A draft");
    assert_eq!(listed[1]["status"], "draft");
    assert_eq!(listed[1]["file"], "content/draft.md");
    assert_eq!(
        listed[2]["title"], "Tabs\tand\nbreaks",
        "JSON keeps the text"
    );
    let out = site.run(&["list", "--drafts", "--future"]);
    assert_eq!(out.status.code(), Some(2), "one choice at a time");
}

#[test]
fn quiet_prints_only_errors() {
    let site = TestSite::new();
    site.article(
        "a.md",
        "title: A\ndate: 2025-01-01\nlayout: post",
        "[x](/nowhere/)",
    );
    let out = site.run(&["build"]);
    assert!(stderr(&out).contains("warning:"), "a site with warnings");
    let out = site.run(&["build", "--quiet"]);
    assert!(out.status.success());
    assert_eq!((stdout(&out).as_str(), stderr(&out).as_str()), ("", ""));
    let out = site.run(&["-q", "build", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: content/a.md:6:1"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("warning:"), "{}", stderr(&out));
}

/// Runs the binary under a pseudo-terminal (util-linux `script`), so that
/// its standard error is a terminal; returns what the terminal showed.
fn run_on_terminal(dir: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_broadsheet"));
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    for (key, value) in env {
        script.env(key, value);
    }
    let out = script
        .output()
        .expect("`script` (util-linux) runs commands on a terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_and_progress_only_on_a_terminal() {
    let site = TestSite::new();
    // Enough articles that even a debug build takes over half a second.
    let body = "A paragraph of text with a [link](/tags/t1/).\n\n".repeat(40);
    for i in 0..1500 {
        site.article(
            &format!("{}/a{i}.md", 2000 + i % 20),
            &format!(
                "title: Article {i}\ndate: {}-0{}-1{}\ntags: [t{}, t{}]\nlayout: post",
                2000 + i % 20,
                1 + i % 9,
                i % 10,
                i % 7,
                i % 13
            ),
            &body,
        );
    }
    let shown = run_on_terminal(site.path(), "build", &[]);
    assert!(shown.contains("writing pages and files"), "{shown}");
    assert!(shown.contains("\u{1b}["), "colour on a terminal: {shown}");
    assert!(shown.contains("Built 1500 article(s)"), "{shown}");

    let shown = run_on_terminal(site.path(), "build", &[("NO_COLOR", "1")]);
    assert!(
        shown.contains("warning: unknown front matter key"),
        "no colour inside the label: {shown}"
    );

    let shown = run_on_terminal(site.path(), "build --quiet", &[]);
    assert!(!shown.contains("writing pages"), "{shown}");

    // A pipe gets neither.
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err}");
    assert!(!err.contains("writing pages"), "{err}");
}
