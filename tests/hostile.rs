//! A corpus of hostile and careless inputs, each with its expected outcome,
//! built end to end: either the site builds with the content made safe and a
//! warning naming the file (and field), or the build fails with an error
//! naming the file, the line and the cause. Never a panic, a hang, or a
//! file written outside the output folder.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use broadsheet::build::{BuildFailure, BuildReport};
use common::{TestSite, snapshot};

/// What a case must give.
enum Expect<'a> {
    /// The build succeeds; every string is in a warning, and the given
    /// output file holds the given text (or never holds it, with `!`).
    Builds(&'a [&'a str], &'a [(&'a str, &'a str)]),
    /// The build fails; every string is in one error line.
    Fails(&'a [&'a str]),
}

use Expect::{Builds, Fails};

const FRONT: &str = "title: Ordinary\ndate: 2025-03-01";

/// A file of an article with `front` as its front matter and `body`.
fn article(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}")
}

/// Builds `site` on another thread, failing the test after a minute.
fn build_in_time(site: &TestSite) -> Result<BuildReport, BuildFailure> {
    let options = site.options();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(broadsheet::build::build(&options));
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the build ended in time, without a panic")
}

/// Every file outside the output folder, with its bytes.
fn outside_output(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    snapshot(site.path())
        .into_iter()
        .filter(|(path, _)| !path.starts_with("public/"))
        .collect()
}

fn check(name: &str, files: &[(&str, Vec<u8>)], expect: Expect<'_>) {
    let site = TestSite::new();
    site.article("ok.md", FRONT, "An ordinary article.\n");
    for (path, bytes) in files {
        site.write(path, bytes);
    }
    let before = outside_output(&site);
    let result = build_in_time(&site);
    assert_eq!(
        outside_output(&site),
        before,
        "{name}: files outside the output changed"
    );
    match (result, expect) {
        (Ok(report), Builds(warnings, outputs)) => {
            let lines = report.warnings.lines().join("\n");
            for expected in warnings {
                assert!(
                    lines.contains(expected),
                    "{name}: no warning with `{expected}` in:\n{lines}"
                );
            }
            for (path, text) in outputs {
                let page = site.page(path);
                match text.strip_prefix('!') {
                    Some(absent) => {
                        assert!(!page.contains(absent), "{name}: {path} holds `{absent}`")
                    }
                    None => assert!(page.contains(text), "{name}: {path} lacks `{text}`"),
                }
            }
        }
        (Err(failure), Fails(expected)) => {
            let errors: Vec<String> = match &failure.error {
                broadsheet::build::BuildError::Files(errors) => {
                    errors.iter().map(ToString::to_string).collect()
                }
                other => vec![other.to_string()],
            };
            assert!(
                errors
                    .iter()
                    .any(|line| expected.iter().all(|e| line.contains(e))),
                "{name}: no error with all of {expected:?} in:\n{}",
                errors.join("\n")
            );
            assert!(
                !site.public().exists(),
                "{name}: a failed build wrote an output"
            );
        }
        (Ok(report), Fails(expected)) => panic!(
            "{name}: built, but expected an error with {expected:?}; warnings:\n{}",
            report.warnings.lines().join("\n")
        ),
        (Err(failure), Builds(..)) => {
            panic!("{name}: failed, but expected a build: {:#?}", failure.error)
        }
    }
}

fn md(path: &str, text: impl Into<String>) -> (&str, Vec<u8>) {
    (path, text.into().into_bytes())
}

#[test]
fn invalid_yaml_of_several_kinds() {
    for (front, line) in [
        ("title: [unclosed\ndate: 2025-03-01", ":2"),
        ("title: A\n  date: 2025-03-01\n bad: x", ":3"),
        ("title: \"unterminated\ndate: 2025-03-01", ":4"),
        ("title: A\ndate: 2025-03-01\n- a list item", ":4"),
        ("title: A: B: C\ndate: 2025-03-01", ":2"),
    ] {
        check(
            front,
            &[md("content/bad.md", article(front, "Body.\n"))],
            Fails(&["content/bad.md", line]),
        );
    }
}

#[test]
fn tabs_and_duplicate_keys_are_errors_at_their_line() {
    check(
        "tabs",
        &[md(
            "content/bad.md",
            article("title: A\ndate: 2025-03-01\ntags:\n\t- a", ""),
        )],
        Fails(&["content/bad.md:5", "cannot start any token"]),
    );
    check(
        "duplicate keys",
        &[md(
            "content/bad.md",
            article("title: A\ndate: 2025-03-01\ntitle: B", ""),
        )],
        Fails(&["content/bad.md:4", "duplicate field `title`"]),
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
        ));
    }
    check(
        "billion laughs",
        &[md(
            "content/bomb.md",
            article(
                &format!("{FRONT}\nextra:\n  {}", bomb.replace('\n', "\n  ")),
                "",
            ),
        )],
        Fails(&["content/bomb.md", "repetition limit"]),
    );
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    check(
        "deep nesting",
        &[md(
            "content/deep.md",
            article(&format!("{FRONT}\nextra: {{x: {deep}}}"), ""),
        )],
        Fails(&["content/deep.md", "recursion limit"]),
    );
}

#[test]
fn huge_front_matter_bodies_and_lines_build() {
    let big_summary = "word ".repeat(200_000);
    check(
        "1 MB of front matter",
        &[md(
            "content/big.md",
            article(&format!("{FRONT}\nsummary: \"{big_summary}\""), "Body.\n"),
        )],
        Builds(&[], &[]),
    );
    let body = "A paragraph of an enormous article.\n\n".repeat(560_000);
    check(
        "20 MB body",
        &[md(
            "content/long.md",
            article("title: Long\ndate: 2025-03-02", &body),
        )],
        Builds(&[], &[("/2025/03/02/long/", "enormous article")]),
    );
    let line = "x".repeat(10_000_000);
    check(
        "10 MB line",
        &[md(
            "content/line.md",
            article("title: Line\ndate: 2025-03-02", &line),
        )],
        Builds(&[], &[]),
    );
}

#[test]
fn byte_order_marks_and_line_endings_build() {
    let text = article("title: Marked\ndate: 2025-03-02", "Body.\n");
    check(
        "BOM",
        &[(
            "content/bom.md",
            [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
        )],
        Builds(&[], &[("/2025/03/02/bom/", "Marked")]),
    );
    check(
        "CRLF",
        &[md("content/crlf.md", text.replace('\n', "\r\n"))],
        Builds(&[], &[("/2025/03/02/crlf/", "Marked")]),
    );
    check(
        "lone CR",
        &[md("content/cr.md", text.replace('\n', "\r"))],
        Builds(&[], &[("/2025/03/02/cr/", "Marked")]),
    );
}

#[test]
fn control_characters_and_nul_are_removed_with_a_warning() {
    check(
        "controls",
        &[md(
            "content/ctl.md",
            article(
                "title: \"Bell\\u0007 and escape\\u001b\"\ndate: 2025-03-02\ntags: [\"x\\u0000y\"]",
                "Vertical\u{b} tab and nul\u{0} in the body.\n",
            ),
        )],
        Builds(
            &[
                "content/ctl.md:2: control characters (other than tab and newline) removed from `title`",
                "removed from `tags`",
                "content/ctl.md:6: control characters (other than tab and newline) removed from `body`",
            ],
            &[
                ("/2025/03/02/ctl/", "Bell and escape"),
                ("/2025/03/02/ctl/", "Vertical tab and nul in the body"),
                ("/tags/xy/", "xy"),
            ],
        ),
    );
    check(
        "raw control bytes in the YAML",
        &[md(
            "content/raw.md",
            article("title: \"a\u{0}b\u{7}c\"\ndate: 2025-03-02", "Body.\n"),
        )],
        Builds(
            &["removed from `front matter`"],
            &[("/2025/03/02/raw/", "<h1 class=\"headline\">abc</h1>")],
        ),
    );
}

#[test]
fn unreadable_and_shapeless_files_are_errors() {
    check(
        "not UTF-8",
        &[(
            "content/latin1.md",
            b"---\ntitle: Caf\xe9\ndate: 2025-03-02\n---\n".to_vec(),
        )],
        Fails(&["content/latin1.md:2:11", "not valid UTF-8"]),
    );
    check(
        "empty",
        &[md("content/empty.md", "")],
        Fails(&["content/empty.md:1", "empty"]),
    );
    check(
        "only ---",
        &[md("content/dashes.md", "---\n")],
        Fails(&["content/dashes.md:1", "never closed"]),
    );
    check(
        "a list",
        &[md("content/list.md", article("- a\n- b", ""))],
        Fails(&["content/list.md:2", "front matter is a list"]),
    );
    check(
        "a scalar",
        &[md("content/scalar.md", article("just text", ""))],
        Fails(&["content/scalar.md:2", "front matter is a single value"]),
    );
    check(
        "no title",
        &[md("content/notitle.md", article("date: 2025-03-02", ""))],
        Fails(&["content/notitle.md:1", "missing `title`"]),
    );
    check(
        "no date",
        &[md("content/nodate.md", article("title: When?", ""))],
        Fails(&["content/nodate.md:1", "missing `date`"]),
    );
}

#[test]
fn wrong_types_are_errors_at_their_line() {
    for (field, value, expected) in [
        ("title", "[a, b]", "title: invalid type: sequence"),
        ("date", "[2025]", "date: invalid type: sequence"),
        ("tags", "{a: 1}", "tags: invalid type: map"),
        ("authors", "{a: 1}", "authors: invalid type: map"),
        ("section", "[World]", "section: invalid type: sequence"),
        ("draft", "maybe", "draft: invalid type: string"),
        ("summary", "[x]", "summary: invalid type: sequence"),
        ("slug", "{a: b}", "slug: invalid type: map"),
        ("image", "[x.png]", "image: invalid type: sequence"),
        ("extra", "text", "extra: invalid type: string"),
        ("updated", "{a: 1}", "updated: invalid type: map"),
    ] {
        let front = if field == "title" || field == "date" {
            FRONT
                .lines()
                .map(|l| {
                    if l.starts_with(field) {
                        format!("{field}: {value}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            format!("{FRONT}\n{field}: {value}")
        };
        let line = front.lines().position(|l| l.starts_with(field)).unwrap() + 2;
        check(
            field,
            &[md("content/typed.md", article(&front, ""))],
            Fails(&[&format!("content/typed.md:{line}"), expected]),
        );
    }
}

#[test]
fn dates_out_of_range_are_errors() {
    for (date, expected) in [
        ("0000-01-01", "year 0"),
        ("10000-01-01", "cannot read the date"),
        ("2025-02-30", "cannot read the date"),
        ("2025-13-01", "cannot read the date"),
    ] {
        check(
            date,
            &[md(
                "content/date.md",
                article(&format!("title: A\ndate: {date}"), ""),
            )],
            Fails(&["content/date.md:3", expected]),
        );
    }
}

#[test]
fn odd_tags_build() {
    check(
        "empty and blank tags",
        &[md(
            "content/t.md",
            article(
                "title: Tagged\ndate: 2025-03-02\ntags: [\"\", \"   \", ok]",
                "",
            ),
        )],
        Builds(&[], &[("/tags/ok/", "Tagged")]),
    );
    let many: Vec<String> = (0..10_000).map(|i| format!("t{i}")).collect();
    check(
        "10,000 tags",
        &[md(
            "content/many.md",
            article(
                &format!("title: Many\ndate: 2025-03-02\ntags: [{}]", many.join(", ")),
                "",
            ),
        )],
        Builds(
            &["content/many.md:4: 10000 tags on one article: the first 100 are kept"],
            &[("/tags/t99/", "Many")],
        ),
    );
    let long = "n".repeat(1000);
    check(
        "1,000-character tag",
        &[md(
            "content/long.md",
            article(
                &format!("title: Long tag\ndate: 2025-03-02\ntags: [{long}]"),
                "",
            ),
        )],
        Builds(
            &["content/long.md: the tag `nnnn", "is longer than 200 bytes"],
            &[],
        ),
    );
}

#[test]
fn titles_and_slugs_of_symbols_build_or_fail_clearly() {
    check(
        "emoji title",
        &[md(
            "content/2025-03-02-party.md",
            article("title: 🎉🎉", ""),
        )],
        Builds(&[], &[("/2025/03/02/party/", "🎉🎉")]),
    );
    check(
        "punctuation slug",
        &[md(
            "content/p.md",
            article("title: A\ndate: 2025-03-02\nslug: \"!!!\"", ""),
        )],
        Fails(&["content/p.md:4", "no letter or digit"]),
    );
    check(
        "emoji slug",
        &[md(
            "content/e.md",
            article("title: A\ndate: 2025-03-02\nslug: 🎉", ""),
        )],
        Builds(&[], &[("/2025/03/02/tada/", "A")]),
    );
    for (slug, used) in [
        ("../../etc/passwd", "etc-passwd"),
        ("2019/06/budget-vote", "2019-06-budget-vote"),
        ("a\\\\b", "a-b"),
        ("CON", "con-1"),
    ] {
        check(
            slug,
            &[md(
                "content/s.md",
                article(&format!("title: A\ndate: 2025-03-02\nslug: \"{slug}\""), ""),
            )],
            Builds(
                &[
                    "content/s.md:4: the slug",
                    &format!("the URL uses `{used}`"),
                ],
                &[(&format!("/2025/03/02/{used}/"), "A")],
            ),
        );
    }
    check(
        "NUL in a slug",
        &[md(
            "content/n.md",
            article("title: A\ndate: 2025-03-02\nslug: \"a\\0b\"", ""),
        )],
        Builds(&["removed from `slug`"], &[("/2025/03/02/ab/", "A")]),
    );
    check(
        "300-character slug",
        &[md(
            "content/l.md",
            article(
                &format!("title: A\ndate: 2025-03-02\nslug: {}", "word-".repeat(60)),
                "",
            ),
        )],
        Builds(&["is longer than 200 bytes"], &[]),
    );
}

#[test]
fn markup_in_every_field_is_escaped() {
    let evil = "</script><script>alert(1)</script> & \\\"q\\\" <b>";
    let front = format!(
        "title: \"{evil}\"\nsubtitle: \"{evil}\"\ndate: 2025-03-02\ntags: [\"{evil}\"]\nauthors: [\"{evil}\"]\nsection: \"{evil}\"\nsummary: \"{evil}\"\nimage_caption: \"{evil}\"\nimage: x.png\nsource: \"{evil}\"\nslug: evil"
    );
    check(
        "markup",
        &[md("content/evil.md", article(&front, "Body.\n"))],
        Builds(
            &[],
            &[
                ("/2025/03/02/evil/", "!<script>alert(1)"),
                ("/2025/03/02/evil/", "&lt;/script&gt;&lt;script&gt;alert(1)"),
                ("/", "!<script>alert(1)"),
                ("/feed.json", "!<script>"),
                ("/atom.xml", "!<script>alert"),
            ],
        ),
    );
}

#[cfg(unix)]
#[test]
fn links_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let site = TestSite::new();
    site.article("ok.md", FRONT, "An ordinary article.\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        article(FRONT, "SECRET BODY"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    symlink(outside.path(), site.path().join("static/keys")).unwrap();
    symlink(
        outside.path().join("secret.md"),
        site.path().join("content/notes.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("id_rsa"),
        site.path().join("content/key.txt"),
    )
    .unwrap();
    let report = site.build_ok();
    let lines = report.warnings.lines().join("\n");
    for link in ["static/keys", "content/notes.md", "content/key.txt"] {
        assert!(
            lines.contains(&format!("warning: {link}: symbolic link to ")),
            "{link}: {lines}"
        );
    }
    for (path, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains("SECRET BODY"),
            "{path} publishes a file from outside the site"
        );
    }
    symlink(
        site.path().join("nowhere"),
        site.path().join("content/dangling.md"),
    )
    .unwrap();
    let failure = site.build().unwrap_err();
    assert!(
        format!("{:?}", failure.error).contains("content/dangling.md"),
        "{:?}",
        failure.error
    );
}

#[test]
fn output_paths_are_claimed_once() {
    check(
        "a bundle's index.html",
        &[
            md(
                "content/2025/flood/index.md",
                article("title: Flood\ndate: 2025-03-02", ""),
            ),
            md("content/2025/flood/index.html", "<p>old page</p>"),
        ],
        Fails(&[
            "content/2025/flood/index.html",
            "the page of `content/2025/flood/index.md`",
            "2025/03/02/flood/index.html",
        ]),
    );
    check(
        "a static file at a listing page",
        &[md("static/tags/index.html", "<p>mine</p>")],
        Fails(&[
            "static/tags/index.html",
            "the page at /tags/",
            "tags/index.html",
        ]),
    );
    check(
        "a static file at a feed",
        &[md("static/atom.xml", "<feed/>")],
        Fails(&["static/atom.xml", "feed of /"]),
    );
    check(
        "a content file and a static file at one path",
        &[
            md("content/files/a.pdf", "1"),
            md("static/files/a.pdf", "2"),
        ],
        Fails(&["content/files/a.pdf", "static/files/a.pdf"]),
    );
    check(
        "the documented replacements",
        &[
            md("static/robots.txt", "User-agent: *\nDisallow: /x/\n"),
            md("static/theme.css", "body{}"),
        ],
        Builds(
            &[],
            &[("/robots.txt", "Disallow: /x/"), ("/theme.css", "body{}")],
        ),
    );
}

#[test]
fn a_file_deleted_during_the_build_is_an_error_naming_it() {
    use broadsheet::output::LiveDir;
    use broadsheet::project::Project;
    let site = TestSite::new();
    site.article("gone.md", FRONT, "Soon gone.\n");
    site.article("stays.md", "title: Stays\ndate: 2025-03-03", "Here.\n");
    let mut project = Project::open(
        site.options().project(),
        &mut broadsheet::timings::Timings::default(),
    )
    .unwrap();
    std::fs::remove_file(site.path().join("content/gone.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let live = LiveDir::open(&out.path().join("o")).unwrap();
    let failure = project
        .write(&live, &mut broadsheet::timings::Timings::default())
        .unwrap_err();
    let text = format!("{:?}", failure.error);
    assert!(
        text.contains("content/gone.md") && text.contains("cannot read"),
        "{text}"
    );
    assert!(Path::new(&site.path().join("content/stays.md")).exists());
}
