//! End-to-end tests of bad input and of the output folder's protection:
//! every error is reported with file and line, and nothing is lost.

mod common;

use common::{TestSite, snapshot, stderr};

fn good_site() -> TestSite {
    let site = TestSite::new();
    site.article("good.md", "title: Good\ndate: 2025-01-01", "Fine.\n")
        .article(
            "other.md",
            "title: Other\ndate: 2025-01-02\ntags: [a]",
            "Also fine.\n",
        );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

#[test]
fn every_bad_file_is_reported_and_the_previous_output_survives() {
    let site = good_site();
    let before = snapshot(&site.public());
    assert!(before.len() >= 4);

    site.write(
        "content/bad-utf8.md",
        b"---\ntitle: A\ndate: 2025-01-01\n---\nCaf\xe9 au lait\n".as_slice(),
    )
    .write(
        "content/unclosed.md",
        "---\ntitle: A\ndate: 2025-01-01\nBody without a closing line\n",
    )
    .write("content/no-front-matter.md", "# Just a heading\n\nText.\n")
    .write("content/list.md", "---\n- title\n- date\n---\nBody\n")
    .write(
        "content/bad-date.md",
        "---\ntitle: A\nsubtitle: B\ndate: 17/03/2025\n---\nBody\n",
    )
    .write("content/empty.md", "")
    .write(
        "content/yaml-syntax.md",
        "---\ntitle: A\ndate: 2025-01-01\ntags: [a, b\n---\nBody\n",
    )
    .write("content/no-title.md", "---\ndate: 2025-01-01\n---\nBody\n")
    .write(
        "content/bad-tags.md",
        "---\ntitle: A\ndate: 2025-01-01\ntags: {a: 1}\n---\n",
    )
    .write("content/no-date.md", "---\ntitle: A\n---\nBody\n");

    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let expected = [
        ("content/bad-utf8.md:5:4:", "UTF-8"),
        ("content/unclosed.md:1:", "never closed"),
        ("content/no-front-matter.md:1:", "no front matter"),
        ("content/list.md:2:", "a list"),
        ("content/bad-date.md:4:", "17/03/2025"),
        ("content/empty.md:1:", "empty"),
        (
            "content/yaml-syntax.md:5:1:",
            "did not find expected ',' or ']'",
        ),
        ("content/no-title.md:1:", "missing `title`"),
        ("content/bad-tags.md:4:", "tags"),
        ("content/no-date.md:1:", "missing `date`"),
    ];
    for (location, words) in expected {
        let line = err
            .lines()
            .find(|l| l.contains(location))
            .unwrap_or_else(|| panic!("no error at {location} in:\n{err}"));
        assert!(line.contains(words), "{line}");
    }
    assert!(err.contains("10 error(s)"), "{err}");
    assert_eq!(
        snapshot(&site.public()),
        before,
        "previous output must survive byte for byte"
    );
    let stray: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("broadsheet"))
        .collect();
    assert!(stray.is_empty(), "stray folders: {stray:?}");
}

#[test]
fn a_failing_listing_page_or_feed_leaves_the_previous_output() {
    let site = good_site();
    site.article(
        "t.md",
        "title: Tagged\ndate: 2025-01-05\ntags: [port]",
        "Body.\n",
    );
    site.build_ok();
    let before = snapshot(&site.public());
    // A template that fails at run time on term pages only.
    site.write("templates/term.html", "{{ term.no_such_field }}");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("templates/term.html:1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&site.public()), before);
    std::fs::remove_file(site.path().join("templates/term.html")).unwrap();
    // A feed that cannot be written where it goes.
    site.write("static/tags/port/atom.xml", "<feed/>");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("static/tags/port/atom.xml")
            && stderr(&out).contains("feed of /tags/port/"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn yaml_errors_point_at_the_line_in_the_file() {
    let site = TestSite::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\nsummary: x\n  bad: : y\n---\n",
    );
    let failure = site.build().unwrap_err();
    let broadsheet::build::BuildError::Files(errors) = failure.error else {
        panic!("expected file errors, got {:?}", failure.error)
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, std::path::Path::new("content/a.md"));
    assert_eq!(errors[0].line, 5, "{}", errors[0]);
    assert!(errors[0].column.is_some());
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let site = TestSite::new();
    site.write(
        "content/win.md",
        "\u{feff}---\r\ntitle: Windows\r\ndate: 2025-01-01\r\n---\r\nBody text.\r\n",
    );
    site.build_ok();
    assert!(site.page("/2025/01/01/win/").contains("Body text."));
}

#[test]
fn output_at_the_site_folder_or_above_is_refused() {
    let site = good_site();
    site.write("notes.txt", "keep me");
    for output in [
        ".",
        "..",
        "content",
        "content/out",
        "templates/x",
        "static/out",
    ] {
        let out = site.run(&["build", "-o", output]);
        assert_eq!(out.status.code(), Some(1), "{output}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing"),
            "{output}: {}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read_to_string(site.path().join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(site.path().join("content/good.md").is_file());
}

#[test]
fn a_folder_broadsheet_did_not_make_is_never_replaced() {
    let site = good_site();
    site.write("mine/precious.txt", "do not delete");
    let out = site.run(&["build", "-o", "mine"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not made by broadsheet"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("mine/precious.txt")).unwrap(),
        "do not delete"
    );

    std::fs::create_dir(site.path().join("empty")).unwrap();
    let out = site.run(&["build", "-o", "empty"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.path()
            .join("empty/2025/01/01/good/index.html")
            .is_file()
    );
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleared() {
    let site = good_site();
    site.write(".public.broadsheet-staging/.broadsheet-output", "")
        .write(".public.broadsheet-staging/half-written.html", "x");
    // An interrupted swap: the previous output moved aside, the new one not yet in place.
    std::fs::rename(site.public(), site.path().join(".public.broadsheet-old")).unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.public().join("2025/01/01/good/index.html").is_file());
    let names: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".broadsheet-")),
        "{names:?}"
    );
}

#[test]
fn config_errors_name_the_key_and_file() {
    let site = good_site();
    site.write("config.yaml", "title: Site\ntitel: Typo\n");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("config.yaml:2:") && err.contains("titel"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let site = good_site();
    assert_eq!(
        site.run(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(site.run(&[]).status.code(), Some(2));
    let out = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn missing_content_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["build"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no content/ folder"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_an_error_naming_the_link_and_never_hang() {
    let site = good_site();
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop"),
    )
    .unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: content/loop:1: symbolic link loop"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_unknown_name_in_templates_is_an_error_at_its_place() {
    let site = good_site();
    site.write(
        "templates/partials/footer.html",
        "<footer>{{ site.title | nope }}\n{% include \"missing.html\" %}</footer>",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: templates/partials/footer.html:1:25: Unknown filter `nope`"),
        "{err}"
    );
    assert!(
        err.contains("error: templates/partials/footer.html:2:12: Unknown template `missing.html`"),
        "{err}"
    );
}
