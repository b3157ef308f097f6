//! The link checker: every link and image of every article body resolved
//! against what the build makes (article pages, listing pages, feeds, static
//! and bundle files) and, for `#anchors` on article pages, the ids those
//! pages carry.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rustc_hash::FxBuildHasher;

use super::{LinkKind, classify, percent_decode};
use crate::markdown::BodyLink;

/// What is wrong with a link.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkProblem {
    /// No page or file of the site is at its path.
    NoPage,
    /// An image whose file the site does not have.
    NoImage,
    /// The page is there, without an element of that id.
    NoAnchor,
    /// An address of another site that answered badly (`check --external`),
    /// with what it answered.
    External(String),
    /// An address of another site that moved permanently but answers at its
    /// new address (`check --external`), with the move in words: worth
    /// updating, not broken.
    Moved(String),
}

impl LinkProblem {
    /// One link with this problem, in words.
    pub fn describe(&self, dest: &str) -> String {
        match self {
            LinkProblem::NoPage => format!("link to `{dest}` goes nowhere"),
            LinkProblem::NoImage => format!("image `{dest}` does not exist"),
            LinkProblem::NoAnchor => format!("link to `{dest}`: the page has no such anchor"),
            LinkProblem::External(answer) | LinkProblem::Moved(answer) => {
                format!("link to `{dest}`: {answer}")
            }
        }
    }

    /// Links with this problem, in words: one line for all of them.
    pub fn summary(&self) -> &'static str {
        match self {
            LinkProblem::NoPage => "internal links that go nowhere",
            LinkProblem::NoImage => "images that do not exist",
            LinkProblem::NoAnchor => "links to anchors that are not on their page",
            LinkProblem::External(_) => "external links that do not answer well",
            LinkProblem::Moved(_) => "external links to addresses that moved permanently",
        }
    }
}

/// What links may lead to: every file the build writes, and the ids of
/// the article pages.
#[derive(Debug, Default)]
pub struct Targets<'a> {
    /// Output paths (`2025/03/17/x/index.html`, `atom.xml`, `img/a.png`).
    pub files: HashSet<&'a str, FxBuildHasher>,
    /// The ids of each article page, by its output path.
    pub ids: HashMap<&'a str, &'a [String], FxBuildHasher>,
}

/// What the link checker keeps of an article page: the links and images of
/// its body, and the ids its page carries.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Links and images of the body, with their place in it.
    pub links: Vec<BodyLink>,
    /// Ids of the elements of the rendered page.
    pub ids: Vec<String>,
    /// Output paths of the site's own images the page shows (lead image
    /// included), whether or not they exist: their sizes are on the page.
    pub images: Vec<String>,
    /// Links of the body to Markdown sources, as written: the page shows
    /// where their articles are.
    pub sources: Vec<String>,
}

/// A link of an article that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The link as written, with its place in the body.
    pub link: BodyLink,
    /// What is wrong.
    pub problem: LinkProblem,
}

impl Targets<'_> {
    /// The links of the article at `page_url` (a site path such as
    /// `/2025/03/17/x/`) that lead nowhere.
    pub fn check(&self, page_url: &str, links: &[BodyLink]) -> Vec<Broken> {
        links
            .iter()
            .filter_map(|link| {
                let problem = self.problem(page_url, &link.dest, link.image)?;
                Some(Broken {
                    link: link.clone(),
                    problem,
                })
            })
            .collect()
    }

    /// What is wrong with one link, if anything.
    fn problem(&self, page_url: &str, dest: &str, image: bool) -> Option<LinkProblem> {
        let missing = if image {
            LinkProblem::NoImage
        } else {
            LinkProblem::NoPage
        };
        let fragment = dest.split_once('#').map(|(_, fragment)| fragment);
        let site_path = match site_path_of(page_url, dest)? {
            Some(site_path) => site_path,
            None => return Some(missing),
        };
        let Some(file) = self.file_of(&site_path) else {
            return Some(missing);
        };
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let ids = self.ids.get(file)?;
        let fragment = percent_decode(fragment).unwrap_or_else(|| fragment.to_string());
        (!ids.contains(&fragment)).then_some(LinkProblem::NoAnchor)
    }

    /// The output file a site path is served from: the file itself, or the
    /// `index.html` of the folder (static hosts add the final `/`).
    fn file_of<'s>(&'s self, site_path: &str) -> Option<&'s str> {
        let path = site_path.trim_start_matches('/');
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html")]
        };
        candidates
            .iter()
            .find_map(|candidate| self.files.get(candidate.as_str()).copied())
    }
}

/// The site path (`/2025/03/17/x/map.png`) a link or image destination
/// written in the page at `page_url` leads to, query and fragment aside:
/// `None` for an external or empty link, `Some(None)` for one that cannot
/// lead anywhere in the site (bad escapes, climbing out of it).
pub fn site_path_of(page_url: &str, dest: &str) -> Option<Option<String>> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let site_path = match classify(dest) {
        LinkKind::Empty | LinkKind::External => return None,
        LinkKind::Fragment => page_url.to_string(),
        LinkKind::RootRelative => path.to_string(),
        LinkKind::Relative if path.is_empty() => page_url.to_string(),
        LinkKind::Relative => format!("{}{path}", folder_of(page_url)),
    };
    Some(percent_decode(&site_path).and_then(|p| normalise(&p)))
}

/// The folder a page's relative links start from: the page's URL when it
/// is a folder (`/2025/03/17/x/`), else the folder holding the file
/// (`/2025/03/17/` for `/2025/03/17/x.html`).
pub fn folder_of(page_url: &str) -> &str {
    page_url.rfind('/').map_or("/", |end| &page_url[..=end])
}

/// A site path with `.` and `..` resolved; `None` when it climbs out of
/// the site.
fn normalise(path: &str) -> Option<String> {
    let mut normal = format!("/{}", super::segments(path)?.join("/"));
    if path.ends_with('/') && normal != "/" {
        normal.push('/');
    }
    Some(normal)
}

/// Every `href` and `src` of an HTML page, entities decoded.
pub fn links_of(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let value = &html[at + attribute.len()..];
            if let Some(end) = value.find('"') {
                found.push(unescape(&value[..end]));
            }
        }
    }
    found
}

/// Every internal link of every HTML page of a built site (the folder the
/// site is written to, served under `base_path`) that leads nowhere, as
/// `page → link`: for checking templates and whole outputs, where
/// [`Targets::check`] checks the links of article bodies as written.
pub fn broken_in_folder(output: &Path, base_path: &str) -> Vec<String> {
    let files: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| crate::source::slash_path(output, e.path()))
        .collect();
    let pages: Vec<(&String, String)> = files
        .iter()
        .filter(|f| f.ends_with(".html"))
        .filter_map(|f| Some((f, std::fs::read_to_string(output.join(f)).ok()?)))
        .collect();
    let ids: Vec<Vec<String>> = pages.iter().map(|(_, html)| ids_of(html)).collect();
    let mut targets = Targets::default();
    targets.files.extend(files.iter().map(String::as_str));
    for ((file, _), page_ids) in pages.iter().zip(&ids) {
        targets.ids.insert(file.as_str(), page_ids);
    }
    let base = base_path.trim_end_matches('/');
    let mut broken = std::collections::BTreeSet::new();
    for (file, html) in &pages {
        let page_url = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
        for link in links_of(html) {
            // Links on built pages carry the base path; body links do not.
            let dest = match classify(&link) {
                LinkKind::RootRelative => match link.strip_prefix(base) {
                    Some(rest) if rest.starts_with('/') => rest.to_string(),
                    _ => {
                        broken.insert(format!("{base}{page_url} → {link}"));
                        continue;
                    }
                },
                _ => link.clone(),
            };
            if targets.problem(&page_url, &dest, false).is_some() {
                broken.insert(format!("{base}{page_url} → {link}"));
            }
        }
    }
    broken.into_iter().collect()
}

/// The ids of the elements of an HTML page (`id="…"` attributes).
pub fn ids_of(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    // memmem: every page of a build is searched, and std's `match_indices`
    // measured a tenth of the time of writing the article pages.
    for at in memchr::memmem::find_iter(html.as_bytes(), b" id=\"") {
        let value = &html[at + 5..];
        if let Some(end) = value.find('"') {
            ids.push(unescape(&value[..end]));
        }
    }
    ids
}

/// The text of an HTML attribute value, with the entities HTML writers use.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(dest: &str, image: bool) -> BodyLink {
        BodyLink {
            dest: dest.into(),
            line: 1,
            column: 1,
            image,
        }
    }

    #[test]
    fn resolves_every_kind_of_link() {
        let ids = vec!["notes".to_string(), "part-2".to_string()];
        let mut targets = Targets::default();
        for file in [
            "2025/03/17/a/index.html",
            "2025/03/17/a/map.svg",
            "2025/03/18/b/index.html",
            "tags/port/index.html",
            "2025/03/index.html",
            "atom.xml",
            "img/logo.png",
        ] {
            targets.files.insert(file);
        }
        targets.ids.insert("2025/03/18/b/index.html", &ids);
        let page = "/2025/03/17/a/";
        let good = [
            ("/2025/03/18/b/", false),
            ("/2025/03/18/b", false),
            ("../../18/b/#notes", false),
            ("/2025/03/18/b/#part-2", false),
            ("map.svg", true),
            ("./map.svg?v=2", true),
            ("/tags/port/", false),
            ("/2025/03/", false),
            ("/atom.xml", false),
            ("/img/logo.png", true),
            ("https://example.org/x", false),
            ("mailto:desk@example.org", false),
            ("/tags/port/#anything", false),
        ];
        for (dest, image) in good {
            assert_eq!(targets.problem(page, dest, image), None, "{dest}");
        }
        let bad = [
            ("/2019/01/01/gone/", false, LinkProblem::NoPage),
            ("missing.png", true, LinkProblem::NoImage),
            ("/2025/03/18/b/#nope", false, LinkProblem::NoAnchor),
            ("../../../../../../etc/passwd", false, LinkProblem::NoPage),
            ("/tags/nope/", false, LinkProblem::NoPage),
        ];
        for (dest, image, problem) in bad {
            assert_eq!(targets.problem(page, dest, image), Some(problem), "{dest}");
        }
        let broken = targets.check(page, &[link("/x/", false), link("map.svg", true)]);
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].link.dest, "/x/");
    }

    #[test]
    fn checks_a_built_folder_under_a_base_path() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        write(
            "index.html",
            r##"<a href="/sub/a/">a</a> <a href="/sub/a/#x">x</a> <a href="/a/">no base</a> <img src="/sub/gone.png">"##,
        );
        write(
            "a/index.html",
            r##"<h2 id="x">X</h2><a href="../">up</a><a href="b.txt">b</a><a href="#y">y</a>"##,
        );
        write("a/b.txt", "b");
        let broken = broken_in_folder(dir.path(), "/sub/");
        assert_eq!(
            broken,
            vec![
                "/sub/ → /a/".to_string(),
                "/sub/ → /sub/gone.png".to_string(),
                "/sub/a/ → #y".to_string(),
            ]
        );
    }

    #[test]
    fn finds_ids_in_pages() {
        let html =
            r#"<h2 id="background">B</h2><div data-id="x" id="a&amp;b"></div><main id="main">"#;
        assert_eq!(ids_of(html), vec!["background", "a&b", "main"]);
    }
}
