//! End-to-end tests of `broadsheet serve`: the binary serves a site on a
//! free port; the tests fetch pages, edit files on disk and watch the pages
//! change and reload events arrive, break and mend front matter, and send
//! requests that must never reach a file outside the output.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::server::{PATIENCE, Server, free_port, request, without_reload_script};
use common::{TestSite, snapshot};

/// A site of a few articles, two of them in 2025 on one tag.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write("config.yaml", "title: Served Gazette\npage_size: 2\n");
    for (file, title, date, tags) in [
        ("2025/harbour.md", "Harbour reopens", "2025-03-01", "[Port]"),
        (
            "2025/ferry.md",
            "Ferry strike ends",
            "2025-03-02",
            "[Port, Labour]",
        ),
        ("2024/budget.md", "Budget passes", "2024-11-20", "[Council]"),
    ] {
        site.article(
            file,
            &format!("title: {title}\ndate: {date}\ntags: {tags}"),
            &format!("The first paragraph of {title}.\n\nMore text.\n"),
        );
    }
    site
}

fn start(site: &TestSite, temp: &tempfile::TempDir) -> Server {
    Server::start(site.path(), None, &[], temp.path())
}

/// Waits until `check` passes on the page at `path`.
fn wait_for_page(server: &Server, path: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let response = server.get(path);
        if check(&response.body) {
            return response.body;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never changed as expected; it is:\n{}",
            response.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_and_reloads_them_after_an_edit() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Ferry strike ends"), "{}", home.body);
    assert!(
        home.body
            .contains("new EventSource(\"/__broadsheet/events\")")
    );
    // Links are to where it is served.
    let article = server.get("/2025/03/02/ferry/");
    assert_eq!(article.status, 200);
    assert!(
        article
            .body
            .contains(&format!("{}2025/03/02/ferry/", server.url))
    );

    let mut events = server.events();
    let first = events.next("hello");
    site.article(
        "2025/ferry.md",
        "title: Ferry strike ends after <ten> days & nights\ndate: 2025-03-02\ntags: [Port, Labour]",
        "The first paragraph of the story.\n\nMore text.\n",
    );
    let reload = events.next("reload");
    assert_ne!(reload, first);
    let page = server.get("/2025/03/02/ferry/");
    assert!(
        page.body
            .contains("Ferry strike ends after &lt;ten&gt; days &amp; nights"),
        "{}",
        page.body
    );
    let tag = server.get("/tags/port/");
    assert!(tag.body.contains("Ferry strike ends after &lt;ten&gt;"));
}

#[test]
fn new_and_deleted_articles_change_the_listings() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let mut events = server.events();
    events.next("hello");
    site.article(
        "2025/tram.md",
        "title: Tram line approved\ndate: 2025-04-09\ntags: [Transport]",
        "A new tram line.\n",
    );
    events.next("reload");
    let home = server.get("/");
    assert!(home.body.contains("Tram line approved"), "{}", home.body);
    assert_eq!(server.get("/tags/transport/").status, 200);
    assert_eq!(server.get("/2025/04/09/tram/").status, 200);
    // Page 2 of the home page now holds the oldest article.
    assert!(server.get("/page/2/").body.contains("Harbour reopens"));

    std::fs::remove_file(site.path().join("content/2025/tram.md")).unwrap();
    events.next("reload");
    assert!(!server.get("/").body.contains("Tram line approved"));
    let gone = server.get("/2025/04/09/tram/");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("Page not found"), "{}", gone.body);
    assert_eq!(server.get("/tags/transport/").status, 404);
}

#[test]
fn the_search_index_follows_an_edit_after_the_reload() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let docs = |server: &Server| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&server.get("/search/index.json").body).unwrap()
            ["docs"]
            .clone()
    };
    assert_eq!(
        docs(&server),
        3,
        "the first index comes with the first build"
    );
    let mut events = server.events();
    events.next("hello");
    site.article(
        "2025/tram.md",
        "title: Tram line approved\ndate: 2025-04-09",
        "A new tram line.\n",
    );
    // Pages first, then the index, with an event for the search page.
    events.next("reload");
    events.next("search");
    assert_eq!(docs(&server), 4);
    assert!(server.get("/search/").body.contains("searchStale:false"));
}

#[test]
fn errors_show_in_the_browser_and_the_next_good_save_recovers() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let mut server = start(&site, &temp);
    let mut events = server.events();
    events.next("hello");
    site.write(
        "content/2025/ferry.md",
        "---\ntitle: [Ferry\ndate: 2025-03-02\n---\nBody\n",
    );
    events.next("reload");
    let home = server.get("/");
    assert_eq!(home.status, 200, "the last good build is still served");
    assert!(
        home.body.contains("id=\"broadsheet-error\""),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("content/2025/ferry.md:"),
        "the error names the file: {}",
        home.body
    );
    server.wait_for_line(|l| l.contains("error: content/2025/ferry.md:"));

    site.article(
        "2025/ferry.md",
        "title: Ferry strike is over\ndate: 2025-03-02",
        "Body.\n",
    );
    events.next("reload");
    let home = server.get("/");
    assert!(!home.body.contains("broadsheet-error"), "{}", home.body);
    assert!(home.body.contains("Ferry strike is over"));
}

#[test]
fn a_site_that_cannot_build_at_first_is_served_once_mended() {
    let site = site();
    site.write("content/2025/bad.md", "no front matter\n");
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let home = server.get("/");
    assert_eq!(home.status, 500);
    assert!(home.body.contains("content/2025/bad.md:1"), "{}", home.body);
    assert!(
        home.body.contains("EventSource"),
        "the error page reloads too"
    );
    std::fs::remove_file(site.path().join("content/2025/bad.md")).unwrap();
    wait_for_page(&server, "/", |page| page.contains("Ferry strike ends"));
}

#[test]
fn requests_outside_the_output_are_refused() {
    let site = site();
    site.write("secret.txt", "TOP SECRET");
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    // The served folder is made in `temp`: put secrets beside it, and
    // above that.
    std::fs::write(temp.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::write(
        temp.path().parent().unwrap().join("secret.txt"),
        "TOP SECRET",
    )
    .ok();
    let long = format!("/{}", "a/".repeat(5000));
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/2025/..%2f..%2fsecret.txt",
        "/%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%00",
        "//secret.txt",
        "/secret.txt",
        "/content/2025/ferry.md",
        "/config.yaml",
        "/.broadsheet-output",
        long.as_str(),
    ] {
        let response = server.get(target);
        assert!(
            [400, 404].contains(&response.status),
            "{target}: {}",
            response.status
        );
        assert!(!response.body.contains("TOP SECRET"), "{target}");
    }
    // An absolute-form request line, and a backslash path.
    for raw in [
        format!(
            "GET http://127.0.0.1:{}/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            server.port
        ),
        "GET /..\\secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_string(),
    ] {
        let response = request(server.port, &raw);
        assert!(!response.body.contains("TOP SECRET"), "{raw}");
        assert_ne!(response.status, 200, "{raw}");
    }
    assert_eq!(server.get("/").status, 200, "still serving");
}

#[test]
fn slow_and_many_clients_do_not_stop_it() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    // Clients that send half a request and wait.
    let slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0").unwrap();
            stream
        })
        .collect();
    // Many at once.
    let handles: Vec<_> = (0..40)
        .map(|_| {
            let port = server.port;
            std::thread::spawn(move || {
                request(
                    port,
                    "GET /2025/03/02/ferry/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                )
                .status
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 200);
    }
    let started = Instant::now();
    assert_eq!(server.get("/").status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(slow);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut server = Server::start(site.path(), Some(port), &[], temp.path());
    assert_ne!(server.port, port);
    assert!(server.port > port);
    let said = format!("Port {port} is in use");
    if !server.printed.iter().any(|l| l.contains(&said)) {
        server.wait_for_line(|l| l.contains(&said));
    }
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_nothing_behind() {
    let site = site();
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let mut events = server.events();
    events.next("hello");
    assert_eq!(
        std::fs::read_dir(temp.path()).unwrap().count(),
        1,
        "the served folder is in the temporary folder"
    );
    let (success, printed) = server.interrupt();
    assert!(success, "{printed:?}");
    assert!(printed.iter().any(|l| l == "Stopped."), "{printed:?}");
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
    assert!(
        !site.path().join("public").exists(),
        "serve never writes public/"
    );
}

#[test]
fn ctrl_c_as_soon_as_it_serves_still_stops_cleanly() {
    // The handler must be installed before the server says where it serves,
    // not when the server first gets round to waiting for it.
    let site = site();
    for _ in 0..5 {
        let temp = tempfile::tempdir().unwrap();
        let server = start(&site, &temp);
        let (success, printed) = server.interrupt();
        assert!(success, "{printed:?}");
        assert!(printed.iter().any(|l| l == "Stopped."), "{printed:?}");
        assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0);
    }
}

#[test]
fn served_files_are_a_fresh_build_less_the_reload_script() {
    let site = site();
    site.write("static/css/extra.css", "p{}");
    let temp = tempfile::tempdir().unwrap();
    let server = start(&site, &temp);
    let fresh = tempfile::tempdir().unwrap();
    let out = site.run(&[
        "build",
        "--base-url",
        &server.url,
        "-o",
        fresh.path().join("out").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let files = snapshot(&fresh.path().join("out"));
    assert!(files.len() > 20);
    for (path, bytes) in files {
        if path == ".broadsheet-output" {
            continue;
        }
        let url_path = format!("/{}", path.trim_end_matches("index.html"));
        let response = server.get(&url_path);
        assert_eq!(response.status, 200, "{url_path}");
        let expected = String::from_utf8_lossy(&bytes);
        // The news sitemap depends on the moment of the build.
        if path != "news-sitemap.xml" {
            assert_eq!(
                without_reload_script(&response.body),
                expected,
                "{url_path}"
            );
        }
    }
}

#[test]
fn the_free_port_helper_finds_one() {
    assert_ne!(free_port(), 0);
}
