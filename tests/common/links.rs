//! Links of built sites, for the tests: the link checker is the library's
//! (`broadsheet::links::check`); this adds finding the file a URL is served
//! from.

use std::path::{Path, PathBuf};

/// Every `href` and `src` of a page: the library's.
pub fn links(html: &str) -> Vec<String> {
    broadsheet::links::check::links_of(html)
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

/// Every internal link of every built page that leads nowhere, as
/// `page → link`: the library's checker.
pub fn broken_links(output: &Path, base_path: &str) -> Vec<String> {
    broadsheet::links::check::broken_in_folder(output, base_path)
}
