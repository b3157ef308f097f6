//! End-to-end tests of link checking: `check` finds exactly the broken links
//! of a site (with file, line and column) and writes nothing; `build` warns
//! of them and `build --strict` fails; `check --external` asks a local
//! server that answers 200, 404, 301 and slowly.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::{TestSite, stderr, stdout};

/// A site whose article `a.md` links to every kind of target, and misses four.
fn linked_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "config.yaml",
        "title: Linked\nbase_url: https://example.org/\n",
    );
    site.write("static/img/logo.png", "png");
    site.article(
        "2025/b.md",
        "title: B\ndate: 2025-03-02\ntags: [port]",
        "Text.\n\n## Part two\n\nMore.\n",
    );
    site.article(
        "2025/flood/index.md",
        "title: Flood\ndate: 2025-03-03",
        "See [the map](map.svg).\n",
    );
    site.write("content/2025/flood/map.svg", "<svg/>");
    site.article(
        "2025/a.md",
        "title: A\ndate: 2025-03-04",
        "Good: [an article](/2025/03/02/b/), [a tag](/tags/port/), [a month](/2025/03/),\n\
         [the feed](/atom.xml), [a bundle file](/2025/03/03/flood/map.svg),\n\
         ![the logo](/img/logo.png), [a heading](#background) and [another](/2025/03/02/b/#part-two).\n\
         \n\
         ## Background\n\
         \n\
         Broken: [gone](/2019/01/01/gone/), [up](../nope/),\n\
         [no anchor](/2025/03/02/b/#missing) and ![no image](missing.png).\n",
    );
    site
}

#[test]
fn check_reports_exactly_the_broken_links_and_writes_nothing() {
    let site = linked_site();
    let out = site.run(&["check", "--verbose"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let reported: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("content/2025/a.md"))
        .collect();
    assert_eq!(reported.len(), 4, "{err}");
    for expected in [
        "warning: content/2025/a.md:11:9: link to `/2019/01/01/gone/` goes nowhere",
        "warning: content/2025/a.md:11:36: link to `../nope/` goes nowhere",
        "warning: content/2025/a.md:12:1: link to `/2025/03/02/b/#missing`: the page has no such anchor",
        "warning: content/2025/a.md:12:41: image `missing.png` does not exist",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(
        stdout(&out).contains("4 internal link(s) lead nowhere"),
        "{}",
        stdout(&out)
    );
    assert!(!site.public().exists(), "check wrote an output");
    // Mended, it passes.
    site.article(
        "2025/a.md",
        "title: A\ndate: 2025-03-04",
        "Fine [link](/tags/port/).\n",
    );
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("every internal link leads somewhere"));
}

#[test]
fn build_warns_of_broken_links_in_one_line_and_strict_fails() {
    let site = linked_site();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: internal links that go nowhere in 2 places in 1 files (e.g. content/2025/a.md:11:36: link to `../nope/` goes nowhere; --verbose lists all)"),
        "{err}"
    );
    assert!(err.contains("the page has no such anchor"), "{err}");
    assert!(err.contains("image `missing.png` does not exist"), "{err}");
    let before = common::snapshot(&site.public());
    let out = site.run(&["build", "--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("error: content/2025/a.md:11:9: link to `/2019/01/01/gone/` goes nowhere"),
        "{}",
        stderr(&out)
    );
    assert_eq!(common::snapshot(&site.public()), before);
    site.write(
        "config.yaml",
        "title: Linked\nbase_url: https://example.org/\nstrict: true\n",
    );
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
}

/// A server on 127.0.0.1 that answers by path: /ok 200, /missing 404,
/// /moved 301 to /ok, /slow after three seconds.
fn local_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                reader.read_line(&mut request).unwrap_or(0);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/");
                let response = match path {
                    "/ok" => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_string(),
                    "/moved" => "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
                    }
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                };
                let _ = stream.write_all(response.as_bytes());
            });
        }
    });
    port
}

#[test]
fn external_links_are_asked_once_each_and_reported_with_their_answer() {
    let port = local_server();
    let site = TestSite::new();
    site.article(
        "a.md",
        "title: A\ndate: 2025-03-04",
        &format!(
            "[ok](http://127.0.0.1:{port}/ok) [ok again](http://127.0.0.1:{port}/ok#x)\n\
             [missing](http://127.0.0.1:{port}/missing)\n\
             [moved](http://127.0.0.1:{port}/moved)\n\
             [slow](http://127.0.0.1:{port}/slow)\n"
        ),
    );
    // Without --external nothing is asked.
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.run(&["check", "--external", "--timeout", "1", "--verbose"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "content/a.md:6:1: link to `http://127.0.0.1:{port}/missing`: answered 404 Not Found"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "content/a.md:8:1: link to `http://127.0.0.1:{port}/slow`: no answer"
        )),
        "{err}"
    );
    assert!(!err.contains("/ok`"), "{err}");
    assert!(
        err.contains(&format!(
            "content/a.md:7:1: link to `http://127.0.0.1:{port}/moved`: moved permanently (301) to http://127.0.0.1:{port}/ok"
        )),
        "a permanent move is worth updating: {err}"
    );
    assert!(
        stdout(&out)
            .contains("2 of 4 external address(es) did not answer well, 1 moved permanently"),
        "{}",
        stdout(&out)
    );
    // A move alone is reported, and is no failure.
    site.article(
        "a.md",
        "title: A\ndate: 2025-03-04",
        &format!("[moved](http://127.0.0.1:{port}/moved)\n"),
    );
    let out = site.run(&["check", "--external"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("moved permanently"),
        "{}",
        stderr(&out)
    );
}
