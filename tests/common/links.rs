//! A link walker for built sites: finds every `href` and `src` in the HTML
//! output and checks that each internal one resolves to a file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use broadsheet::links::{LinkKind, classify, percent_decode};

/// Every `href="…"` and `src="…"` value in a page, HTML entities decoded.
pub fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            // Only attributes: the character before must be a space.
            let before = rest[..start].chars().next_back();
            rest = &rest[start + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            if before.is_some_and(char::is_whitespace) {
                found.push(decode_entities(&rest[..end]));
            }
            rest = &rest[end..];
        }
    }
    found
}

fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// True for links that leave the site or stay on the page.
fn is_external(link: &str) -> bool {
    matches!(
        classify(link),
        LinkKind::External | LinkKind::Fragment | LinkKind::Empty
    )
}

/// The output file a site path (under `base_path`) is served from, if any.
pub fn resolve(output: &Path, base_path: &str, site_path: &str) -> Option<PathBuf> {
    let inside = if site_path.trim_end_matches('/') == base_path.trim_end_matches('/') {
        ""
    } else {
        site_path.strip_prefix(base_path)?
    };
    let mut file = output.to_path_buf();
    for segment in inside.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." {
            file.pop();
        } else if segment != "." {
            file.push(segment);
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The site path of an HTML file in the output (`2025/index.html` → `/base/2025/`).
pub fn site_path_of(output: &Path, base_path: &str, file: &Path) -> String {
    let relative = file
        .strip_prefix(output)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    match relative.strip_suffix("index.html") {
        Some(dir) => format!("{base_path}{dir}"),
        None => format!("{base_path}{relative}"),
    }
}

/// Every internal link of every HTML page that does not resolve to a file,
/// as `page → link`. `base_path` is where the site is served (`/` or `/sub/`).
pub fn broken_links(output: &Path, base_path: &str) -> Vec<String> {
    let mut broken = BTreeSet::new();
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = site_path_of(output, base_path, entry.path());
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for link in links(&html) {
            if is_external(&link) {
                continue;
            }
            let without_fragment = link.split(['#', '?']).next().unwrap_or("");
            let path =
                percent_decode(without_fragment).unwrap_or_else(|| without_fragment.to_string());
            let absolute = if path.starts_with('/') {
                path
            } else {
                let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
                format!("{dir}{path}")
            };
            if resolve(output, base_path, &absolute).is_none() {
                broken.insert(format!("{page} → {link}"));
            }
        }
    }
    broken.into_iter().collect()
}
