//! The HTTP side of `broadsheet serve`: files of the served folder, with a
//! live-reload script (and, after a failed rebuild, the errors) put into
//! every HTML page as it is sent; server-sent events that tell open pages
//! to reload. Nothing outside the served folder is ever sent.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use super::Shared;
use crate::links::percent_decode;
use crate::output::MARKER_FILE;

/// Where pages listen for reload events. Outside any path a site can have:
/// its first segment starts with two underscores and no output is named so.
pub const EVENTS_PATH: &str = "/__broadsheet/events";

/// Longest request path served; longer ones are refused.
const MAX_PATH: usize = 2048;

/// Serves `listener` until `shutdown` resolves.
pub async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(get(file))
        .with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// What a request path names in the served folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file to send.
    File(PathBuf),
    /// A folder asked for without its final `/`: send the reader there.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that could only leave the folder, or cannot be read as one.
    BadRequest,
}

/// Resolves a request's path (as sent, percent-encoded) in `root`. Every
/// segment is decoded on its own, so an encoded `/` (`%2F`) can never join
/// two, and `.`, `..`, backslashes and NUL are refused outright.
pub fn resolve(root: &Path, request_path: &str) -> Target {
    if request_path.len() > MAX_PATH || !request_path.starts_with('/') {
        return Target::BadRequest;
    }
    let mut file = root.to_path_buf();
    let mut segments = Vec::new();
    for raw in request_path.split('/').filter(|s| !s.is_empty()) {
        let Some(segment) = percent_decode(raw) else {
            return Target::BadRequest;
        };
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Target::BadRequest;
        }
        if segment == MARKER_FILE || segment.ends_with(".broadsheet-tmp") {
            return Target::NotFound;
        }
        segments.push(segment);
    }
    for segment in &segments {
        file.push(segment);
    }
    // A symbolic link may not lead out of the folder.
    let inside = |path: &Path| match (path.canonicalize(), root.canonicalize()) {
        (Ok(path), Ok(root)) => path.starts_with(root),
        _ => false,
    };
    if file.is_dir() {
        if !request_path.ends_with('/') {
            return Target::Redirect(format!("{request_path}/"));
        }
        file.push("index.html");
    }
    if file.is_file() && inside(&file) {
        Target::File(file)
    } else {
        Target::NotFound
    }
}

/// Sends a file of the served folder.
async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    match resolve(&shared.root, uri.path()) {
        Target::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => send(&shared, &path, bytes, StatusCode::OK),
            Err(_) => not_found(&shared).await,
        },
        Target::Redirect(to) => {
            let location = match uri.query() {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Target::NotFound => not_found(&shared).await,
        Target::BadRequest => (StatusCode::BAD_REQUEST, "bad request\n").into_response(),
    }
}

/// The site's 404 page with a 404 status; the errors while there are some
/// (the site may not have been built at all yet).
async fn not_found(shared: &Shared) -> Response {
    let page = shared.root.join("404.html");
    if shared.errors().is_empty()
        && let Ok(bytes) = tokio::fs::read(&page).await
    {
        return send(shared, &page, bytes, StatusCode::NOT_FOUND);
    }
    if shared.errors().is_empty() {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let html = b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>".to_vec();
    send(
        shared,
        Path::new("error.html"),
        html,
        StatusCode::INTERNAL_SERVER_ERROR,
    )
}

/// A response with the file's type; HTML gets the reload script, and the
/// errors of a failed rebuild.
fn send(shared: &Shared, path: &Path, bytes: Vec<u8>, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || is_html {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        inject(bytes, &shared.injection())
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must show the last save, never a cached copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Puts `snippet` before the page's last `</body>`, or at its end.
pub fn inject(mut html: Vec<u8>, snippet: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
    html
}

/// What is put into every HTML page: the reload script for the build it was
/// served from, whether the search index is older than the pages (for the
/// search page), and, while the last rebuild failed, its errors.
pub fn injection(generation: u64, errors: &[String], search_stale: bool) -> String {
    let mut snippet = String::new();
    if !errors.is_empty() {
        snippet.push_str(
            "<div id=\"broadsheet-error\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#3b0a0a;color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647;border-top:4px solid #e5484d\"><strong>broadsheet: the site did not build; the page shows the last good build.</strong>\n",
        );
        for line in errors {
            let mut escaped = String::with_capacity(line.len());
            pulldown_cmark_escape::escape_html(&mut escaped, line)
                .expect("writing to a String cannot fail");
            snippet.push_str(&escaped);
            snippet.push('\n');
        }
        snippet.push_str("</div>");
    }
    snippet.push_str(&format!(
        "<script>/* broadsheet serve: live reload */(()=>{{const built={generation};window.broadsheetServe={{searchStale:{search_stale}}};const events=new EventSource(\"{EVENTS_PATH}\");events.addEventListener(\"hello\",e=>{{if(Number(e.data)!==built)location.reload()}});events.addEventListener(\"reload\",()=>location.reload());events.addEventListener(\"search\",()=>{{window.broadsheetServe.searchStale=false;window.dispatchEvent(new Event(\"broadsheet:search-updated\"))}});}})();</script>"
    ));
    snippet
}

/// Server-sent events: `hello` with the current build on connecting, then
/// `reload` after every rebuild and `search` when the search index has
/// caught up with the pages, until the server stops.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let generation = shared.generation.subscribe();
    let search = shared.search_generation.subscribe();
    let shutdown = shared.shutdown.subscribe();
    let stream = futures_util::stream::unfold(
        (generation, search, shutdown, true),
        |(mut generation, mut search, mut shutdown, first)| async move {
            if first {
                let n = *generation.borrow_and_update();
                search.borrow_and_update();
                let hello = Event::default().event("hello").data(n.to_string());
                return Some((Ok(hello), (generation, search, shutdown, false)));
            }
            tokio::select! {
                changed = generation.changed() => {
                    changed.ok()?;
                    let n = *generation.borrow_and_update();
                    let reload = Event::default().event("reload").data(n.to_string());
                    Some((Ok(reload), (generation, search, shutdown, false)))
                }
                changed = search.changed() => {
                    changed.ok()?;
                    let n = *search.borrow_and_update();
                    let caught_up = Event::default().event("search").data(n.to_string());
                    Some((Ok(caught_up), (generation, search, shutdown, false)))
                }
                _ = shutdown.changed() => None,
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_never_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("2025/03")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("2025/03/index.html"), "march").unwrap();
        std::fs::write(root.join("a b.txt"), "x").unwrap();
        std::fs::write(root.join(MARKER_FILE), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/2025/03/"),
            Target::File(root.join("2025/03/index.html"))
        );
        assert_eq!(
            resolve(&root, "/2025/03"),
            Target::Redirect("/2025/03/".into())
        );
        assert_eq!(
            resolve(&root, "/a%20b.txt"),
            Target::File(root.join("a b.txt"))
        );
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/2025/..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/a%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(resolve(&root, bad), Target::BadRequest, "{bad}");
        }
        assert_eq!(
            resolve(&root, &format!("/{}", "a".repeat(5000))),
            Target::BadRequest
        );
        assert_eq!(resolve(&root, "//secret.txt"), Target::NotFound);
        assert_eq!(resolve(&root, &format!("/{MARKER_FILE}")), Target::NotFound);
        assert_eq!(resolve(&root, "/missing/"), Target::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_may_not_lead_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script></script></BODY></html>");
        let out = inject(b"no body".to_vec(), "<s>");
        assert_eq!(out, b"no body<s>");
    }

    #[test]
    fn errors_are_escaped_in_the_overlay() {
        let snippet = injection(3, &["content/a.md:2:8: title: <script>".to_string()], false);
        assert!(snippet.contains("content/a.md:2:8: title: &lt;script&gt;"));
        assert!(snippet.contains("const built=3;"));
        assert!(!injection(1, &[], false).contains("broadsheet-error"));
        assert!(injection(1, &[], true).contains("searchStale:true"));
    }
}
