//! Redirects from old URLs, for archives moved from another system: each
//! article's `aliases` (Hugo) and `redirect_from` (Jekyll), and the
//! config's `redirects` (pages that are gone, listings that moved). Each
//! becomes a small page at the old path that sends the reader on, and a
//! line of `_redirects` for hosts that answer with a real 301.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::Site;
use super::listing::{PageKind, PlannedPage};
use crate::diagnostics::FileError;
use crate::links::{LinkKind, classify, percent_decode};
use crate::source::CONFIG_FILE;

/// The name of the redirects file Netlify and Cloudflare Pages read.
pub const REDIRECTS_FILE: &str = "_redirects";

/// Where a redirect was asked for, for errors.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RedirectSource {
    /// The file that asked: the article, or `config.yaml`.
    pub file: PathBuf,
    /// The line of the key.
    pub line: usize,
}

/// The site path (relative to the base path) of an old URL as written:
/// `https://old.example.org/2019/06/budget.html`, `/2019/06/budget/`,
/// `2019/06/budget`. A last segment with an extension and no final `/` is a
/// file (`budget.html`); any other path is a folder (`budget/`, `1.0/`), as
/// static hosts serve it. An error says what was expected.
pub fn old_site_path(written: &str, base_path: &str) -> Result<String, String> {
    let path = match classify(written) {
        LinkKind::External => {
            let after_scheme = written.split_once("//").map_or(written, |(_, rest)| rest);
            match after_scheme.find('/') {
                Some(at) => &after_scheme[at..],
                None => "/",
            }
        }
        _ => written,
    };
    if path.contains(['?', '#']) {
        return Err(format!(
            "`{written}` has a query or a fragment; expected a path such as /2019/06/old-url/"
        ));
    }
    let decoded = percent_decode(path).ok_or_else(|| format!("`{written}` has a bad %-escape"))?;
    let rooted = format!("/{}", decoded.trim_start_matches('/'));
    let inside = if base_path == "/" {
        rooted.as_str()
    } else {
        match rooted.strip_prefix(base_path.trim_end_matches('/')) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => {
                return Err(format!(
                    "`{written}` is outside the site's base path {base_path}"
                ));
            }
        }
    };
    let segments: Vec<&str> = inside.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.contains('\\'))
    {
        return Err(format!(
            "`{written}` has `.`, `..` or `\\` in it; expected a plain path"
        ));
    }
    let mut site_path = format!("/{}", segments.join("/"));
    // `budget.html` is a file; `budget/`, `budget` and `1.0` are folders.
    let is_file = !inside.ends_with('/')
        && segments.last().is_some_and(|last| {
            last.rsplit_once('.').is_some_and(|(_, extension)| {
                (1..=5).contains(&extension.len())
                    && extension.chars().all(|c| c.is_ascii_alphanumeric())
                    && extension.chars().any(|c| c.is_ascii_alphabetic())
            })
        });
    if !is_file && !site_path.ends_with('/') {
        site_path.push('/');
    }
    Ok(site_path)
}

/// The redirect pages of the site: one per old path of an article and per
/// `redirects` entry of the config. `exists` says whether a site path is
/// served by something else than these (an article, a listing, a static
/// or bundle file), for targets that must lead somewhere.
pub fn redirect_pages(
    site: &Site,
    pages: &[PlannedPage],
    exists: &dyn Fn(&str) -> bool,
) -> (Vec<PlannedPage>, Vec<FileError>) {
    let config = &site.config;
    let base_path = config.base_url.path();
    let mut errors = Vec::new();
    let mut wanted: Vec<(String, String, RedirectSource)> = Vec::new();
    for article in &site.articles {
        for (written, line) in &article.front.more().aliases {
            let source = RedirectSource {
                file: article.shown_path.clone(),
                line: *line,
            };
            match old_site_path(written, base_path) {
                Ok(from) => wanted.push((from, article.url.clone(), source)),
                Err(message) => errors.push(at(&source, message)),
            }
        }
    }
    // The config's redirects are the whole site's: the default language's
    // to write.
    let site_redirects = config.redirects.iter().filter(|_| config.edition == 0);
    for (written, target) in site_redirects {
        let source = RedirectSource {
            file: PathBuf::from(CONFIG_FILE),
            line: 1,
        };
        let to = match classify(target) {
            LinkKind::External => Ok(target.clone()),
            _ => old_site_path(target, base_path),
        };
        match (old_site_path(written, base_path), to) {
            (Ok(from), Ok(to)) => wanted.push((from, to, source)),
            (Err(message), _) | (_, Err(message)) => {
                errors.push(at(&source, format!("in `redirects`: {message}")))
            }
        }
    }

    let articles: HashMap<&str, &PathBuf> = site
        .articles
        .iter()
        .map(|a| (a.url.as_str(), &a.shown_path))
        .collect();
    let listings: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let mut claimed: HashMap<&str, &RedirectSource> = HashMap::new();
    for (from, _, source) in &wanted {
        if let Some(file) = articles.get(from.as_str()) {
            errors.push(at(
                source,
                format!(
                    "the old path {from} is the URL of `{}`; expected a path no page has",
                    file.display()
                ),
            ));
        } else if listings.contains(from.as_str()) {
            errors.push(at(
                source,
                format!(
                    "the old path {from} is a listing page of the site; expected a path no page has"
                ),
            ));
        } else if let Some(first) = claimed.insert(from, source)
            && first != source
        {
            errors.push(at(
                source,
                format!(
                    "the old path {from} also redirects from `{}`; expected one redirect per path",
                    first.file.display()
                ),
            ));
        }
    }
    let redirect_targets: HashMap<&str, &str> = wanted
        .iter()
        .map(|(from, to, _)| (from.as_str(), to.as_str()))
        .collect();
    for (from, to, source) in &wanted {
        if classify(to) == LinkKind::External {
            continue;
        }
        // Follow the chain: it must end at a page, not loop.
        let mut seen = vec![from.as_str()];
        let mut at_path = to.as_str();
        while let Some(next) = redirect_targets.get(at_path) {
            if seen.contains(&at_path) {
                break;
            }
            seen.push(at_path);
            at_path = next;
        }
        if seen.contains(&at_path) {
            errors.push(at(
                source,
                format!("the redirect from {from} to {to} comes back to {at_path}: a loop"),
            ));
        } else if !articles.contains_key(at_path) && !listings.contains(at_path) && !exists(at_path)
        {
            errors.push(at(
                source,
                format!("the redirect from {from} goes to {to}, which the site does not have"),
            ));
        }
    }
    errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    errors.dedup();
    let pages = wanted
        .into_iter()
        .map(|(from, to, source)| PlannedPage {
            path: from,
            kind: PageKind::Redirect {
                to,
                source: Some(source.file),
            },
        })
        .collect();
    (pages, errors)
}

fn at(source: &RedirectSource, message: String) -> FileError {
    FileError::at_line(&source.file, source.line, message)
}

/// The `_redirects` file of Netlify and Cloudflare Pages: a line
/// `old new 301` per redirect page, links under the base path.
pub fn redirects_file(site: &Site, pages: &[PlannedPage]) -> String {
    let base = &site.config.base_url;
    let mut text = String::new();
    for page in pages {
        if let PageKind::Redirect { to, .. } = &page.kind {
            let to = match classify(to) {
                LinkKind::External => to.clone(),
                _ => base.link(to),
            };
            text.push_str(&format!("{} {} 301\n", base.link(&page.path), to));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_urls_become_site_paths_as_static_hosts_serve_them() {
        let path = |w: &str| old_site_path(w, "/");
        assert_eq!(path("/2019/06/budget/").unwrap(), "/2019/06/budget/");
        assert_eq!(path("2019/06/budget").unwrap(), "/2019/06/budget/");
        assert_eq!(
            path("/news/2019/budget.html").unwrap(),
            "/news/2019/budget.html"
        );
        assert_eq!(
            path("https://old.example.org/2019//caf%C3%A9/").unwrap(),
            "/2019/café/"
        );
        assert_eq!(path("https://old.example.org").unwrap(), "/");
        for bad in ["/a/?p=12", "/a/#top", "/a/../../etc/", "/a/%zz/"] {
            assert!(path(bad).is_err(), "{bad}");
        }
        let under = |w: &str| old_site_path(w, "/archive/");
        assert_eq!(under("/archive/2019/x/").unwrap(), "/2019/x/");
        assert!(under("/2019/x/").is_err(), "outside the base path");
        assert!(under("/archived/x/").is_err());
    }
}
