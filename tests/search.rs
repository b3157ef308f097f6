//! Full-text search: the files `broadsheet build` writes for it, the search
//! page in headless Chromium (tests/browser/search.mjs types, picks filters
//! and reads what a reader sees), the browser's words against the index's,
//! and the index catching up after the pages while serving.
//!
//! The browser tests need Chromium and the npm packages of `tests/browser/`,
//! so they are ignored by a bare `cargo test` and run by `scripts/test.sh`.

mod common;

use std::path::Path;
use std::process::Command;

use broadsheet::output::LiveDir;
use broadsheet::timings::Timings;
use common::TestSite;
use common::browser::{browser_dir, drive_search};
use serde_json::Value;

/// A small archive with what ranking, folding and filters are tested on.
fn sample_site() -> TestSite {
    let site = TestSite::new();
    site.write("config.yaml", "title: Test Gazette\nlanguage: en-GB\n");
    site.article(
        "2024-01-05-bridge.md",
        "title: Harbour bridge closes for repairs\ndate: 2024-01-05\nsection: City\ntags: [transport]\nauthors: [Ana Abara]",
        "Engineers found cracks. Ferries will carry commuters until spring.\n",
    );
    site.article(
        "2024-02-10-ferry.md",
        "title: Ferry timetable changes\ndate: 2024-02-10\nsection: City\ntags: [transport, ferries]",
        "The timetable changes while the bridge is shut, the operator said.\n",
    );
    site.article(
        "2023-06-01-festival.md",
        "title: Festival brings São Paulo musicians to the quay\ndate: 2023-06-01\nsection: Culture\ntags: [music]",
        "Bands from the city played until late. A zeppelinworks float opened the parade.\n",
    );
    site.article(
        "2025-03-03-vote.md",
        "title: Council sets the date of the elections\ndate: 2025-03-03\nsection: Politics\ntags: [council]",
        "Voters will choose a new council in May.\n",
    );
    site.article(
        "2025-04-04-hostile.md",
        "title: '<script>alert(1)</script> & \"quotes\" in a headline'\ndate: 2025-04-04\nsection: World",
        "The headline of this article is made of markup, which must show as text.\n",
    );
    site.article(
        "2025-05-05-tokyo.md",
        "title: 東京都の予算が成立\ndate: 2025-05-05\nsection: World",
        "東京都議会は予算案を可決した。\n",
    );
    site
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn titles(seen: &Value) -> Vec<&str> {
    seen["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}

#[test]
fn a_build_writes_the_index_the_page_and_a_result_per_article() {
    let site = sample_site();
    site.build_ok();
    let public = site.public();
    let manifest = read_json(&public.join("search/index.json"));
    assert_eq!(manifest["docs"], 6);
    let shards = manifest["shards"].as_array().unwrap();
    assert!(!shards.is_empty());
    for shard in shards {
        let name = shard[1].as_str().unwrap();
        assert!(public.join(format!("search/shard/{name}.bin")).is_file());
    }
    let sections: Vec<&str> = manifest["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["City", "Culture", "Politics", "World"]);
    // Numbered oldest first: the 2023 festival is 0, the newest is 5.
    let oldest = read_json(&public.join("search/doc/0/0.json"));
    assert_eq!(
        oldest["title"],
        "Festival brings São Paulo musicians to the quay"
    );
    assert!(oldest["text"].as_str().unwrap().contains("zeppelinworks"));
    let hostile = std::fs::read_to_string(public.join("search/doc/0/4.json")).unwrap();
    assert!(!hostile.contains('<'), "{hostile}");
    assert!(hostile.contains("\\u003cscript\\u003e"), "{hostile}");
    let page = site.page("/search/");
    assert!(page.contains("class=\"wrap search-page\""));
    assert!(page.contains("search.js?v="));
    assert!(page.contains("<noscript>"));
    assert!(site.page("/").contains("role=\"search\""));
    assert!(site.page("/404.html").contains("role=\"search\""));
    assert!(public.join("search.js").is_file());
}

#[test]
fn search_false_leaves_out_the_index_the_page_and_the_box() {
    let site = sample_site();
    site.write("config.yaml", "title: Test Gazette\nsearch: false\n");
    site.build_ok();
    let public = site.public();
    assert!(!public.join("search").exists());
    assert!(!public.join("search.js").exists());
    assert!(!site.page("/").contains("role=\"search\""));
    assert!(!site.page("/404.html").contains("role=\"search\""));
}

#[test]
fn serve_shows_pages_first_and_brings_the_index_up_to_date_after() {
    let site = sample_site();
    let out = tempfile::tempdir().unwrap();
    let live = LiveDir::open(out.path()).unwrap();
    let mut timings = Timings::default();
    let mut project = site.project();
    project.keep_written();
    project.defer_search();
    project.write(&live, &mut timings).unwrap();
    assert!(project.search_is_stale(), "no index written yet");
    assert!(!out.path().join("search/index.json").exists());
    project.write_search(&live, &mut timings).unwrap();
    assert!(!project.search_is_stale());
    let before = read_json(&out.path().join("search/index.json"));

    site.article(
        "2025-06-06-new.md",
        "title: Lighthouse keeper retires\ndate: 2025-06-06",
        "After forty years the quartzlamp goes dark.\n",
    );
    let changed = [site.path().join("content/2025-06-06-new.md")];
    project.rebuild(&changed, &live, &mut timings).unwrap();
    assert!(out.path().join("2025/06/06/new/index.html").is_file());
    assert!(project.search_is_stale(), "pages first, index after");
    assert_eq!(
        read_json(&out.path().join("search/index.json"))["docs"],
        before["docs"]
    );
    project.write_search(&live, &mut timings).unwrap();
    assert!(!project.search_is_stale());
    let after = read_json(&out.path().join("search/index.json"));
    assert_eq!(after["docs"], 7);
    // Shards the new index does not use are gone.
    let used: Vec<String> = after["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}.bin", s[1].as_str().unwrap()))
        .collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(out.path().join("search/shard"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut used_sorted = used.clone();
    used_sorted.sort();
    assert_eq!(on_disk, used_sorted);
    // An edit that changes no words leaves the index as it is.
    project.rebuild(&[], &live, &mut timings).unwrap();
    assert!(!project.search_is_stale());

    // The oldest article becomes the newest: every other one's number
    // changes, while no other page does. Their result files follow with
    // the index, and then the folder is what a fresh build writes.
    site.article(
        "2023-06-01-festival.md",
        "title: Festival brings São Paulo musicians to the quay\ndate: 2025-12-01\nsection: Culture\ntags: [music]",
        "Bands from the city played until late. A zeppelinworks float opened the parade.\n",
    );
    let changed = [site.path().join("content/2023-06-01-festival.md")];
    project.rebuild(&changed, &live, &mut timings).unwrap();
    assert!(project.search_is_stale());
    project.write_search(&live, &mut timings).unwrap();
    site.build_ok();
    let fresh = common::snapshot(&site.public().join("search"));
    let served = common::snapshot(&out.path().join("search"));
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    assert!(served == fresh, "search files differ from a fresh build");
}

#[test]
#[ignore = "needs Chromium and node packages: run scripts/test.sh"]
fn the_search_page_finds_ranks_filters_and_passes_axe_in_chromium() {
    let site = sample_site();
    site.build_ok();
    let seen = drive_search(
        &site.public(),
        r#"[
            {"open": "/search/"},
            {"type": "zeppelinworks"},
            {"type": "qqxxzzy"},
            {"open": "/search/?q=bridge"},
            {"open": "/search/?q=sao+paulo"},
            {"open": "/search/?q=election"},
            {"open": "/search/?q=%E6%9D%B1%E4%BA%AC"},
            {"open": "/search/?q=headline"},
            {"open": "/search/?q=the"},
            {"select": ["section", "culture"]},
            {"open": "/search/?q=transport"},
            {"click": ".search-result .chips button"},
            {"axe": true}
        ]"#,
    );
    // 0: the page alone shows nothing and asks for nothing.
    assert!(titles(&seen[0]).is_empty());
    // 1: typed, a word in one body finds that article first.
    assert_eq!(
        titles(&seen[1]),
        ["Festival brings São Paulo musicians to the quay"]
    );
    assert_eq!(seen[1]["url"], "/search/?q=zeppelinworks");
    assert!(
        seen[1]["marked"]
            .as_array()
            .unwrap()
            .contains(&Value::from("zeppelinworks"))
    );
    // 2: a word found nowhere says so.
    assert!(titles(&seen[2]).is_empty());
    assert!(
        seen[2]["status"]
            .as_str()
            .unwrap()
            .starts_with("No articles found"),
        "{}",
        seen[2]
    );
    // 3: `?q=` runs the query; the headline match comes before the body match.
    assert_eq!(
        titles(&seen[3]),
        [
            "Harbour bridge closes for repairs",
            "Ferry timetable changes"
        ]
    );
    // 4: accents folded.
    assert_eq!(
        titles(&seen[4]),
        ["Festival brings São Paulo musicians to the quay"]
    );
    // 5: English stemming: "election" finds "elections".
    assert_eq!(titles(&seen[5]), ["Council sets the date of the elections"]);
    // 6: Japanese, without spaces.
    assert_eq!(titles(&seen[6]), ["東京都の予算が成立"]);
    // 7: a headline made of markup shows as text.
    assert_eq!(
        titles(&seen[7]),
        ["<script>alert(1)</script> & “quotes” in a headline"]
    );
    // 8, 9: a section narrows the results.
    let all = titles(&seen[8]).len();
    assert!(all >= 4, "{}", seen[8]);
    assert_eq!(
        titles(&seen[9]),
        ["Festival brings São Paulo musicians to the quay"]
    );
    assert_eq!(seen[9]["url"], "/search/?q=the&section=culture");
    // 10, 11: a tag chip narrows to its tag.
    assert_eq!(titles(&seen[10]).len(), 2);
    assert_eq!(seen[11]["url"], "/search/?q=transport&tag=transport");
    assert_eq!(titles(&seen[11]).len(), 2);
    // Accessibility, light and dark; no console errors.
    assert_eq!(seen[12]["axe"], Value::Array(vec![]), "{}", seen[12]);
    assert_eq!(seen[13]["errors"], Value::Array(vec![]), "{}", seen[13]);
}

#[test]
#[ignore = "needs node: run scripts/test.sh"]
fn the_browser_cuts_words_as_the_index_does() {
    let mut samples: Vec<String> = [
        "São Paulo's MAYOR",
        "Ærø Straße Łódź",
        "ﬁnance ＡＢＣ",
        "don’t stop",
        "ΟΔΥΣΣΕΥΣ",
        "naïve café-bar",
        "O'Brien’s rock'n'roll 'quoted'",
        "東京都の予算が成立",
        "iPhone東京タワー",
        "ภาษาไทย ง่าย",
        "Привет, Ёлка!",
        "İstanbul ılık",
        "मुंबई में बारिश",
        "القاهرة الجديدة",
        "x\u{0301}y e\u{0301}",
        "2024-03-17 COVID-19",
        "a''b",
        "한국어 문장",
        "½ ² ⅷ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Random strings over characters where rules could differ.
    let alphabet: Vec<char> = "aZé'’ -.東京ภาษา\u{0301}ΣςßİıØ2½ﬁＡ한ёЁ\u{094D}क"
        .chars()
        .collect();
    let mut rng = common::Rng(7);
    for _ in 0..400 {
        let n = 1 + rng.below(12);
        samples.push(
            (0..n)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect(),
        );
    }
    samples.push("w".repeat(47) + " " + &"w".repeat(49));
    let script = browser_dir().join("../../src/theme/static/search.js");
    let output = Command::new("node")
        .arg("-e")
        .arg(format!(
            "const {{ tokens }} = require({:?}); const samples = JSON.parse(require('fs').readFileSync(0, 'utf8')); console.log(JSON.stringify(samples.map(tokens)));",
            script.canonicalize().unwrap()
        ))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(serde_json::to_string(&samples).unwrap().as_bytes())?;
            child.wait_with_output()
        })
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let browser: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    for (sample, seen) in samples.iter().zip(browser) {
        assert_eq!(
            broadsheet::search::tokens::words(sample),
            seen,
            "words of {sample:?}"
        );
    }
}
