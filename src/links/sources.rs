//! Links by source file: a body may link to another article by its
//! Markdown file (`[the vote](2019-06-01-budget.md#vote)`, relative to the
//! linking file or from `content/`), as an archive's files link to each
//! other wherever it is published. Jekyll's `{% link path %}` and
//! `{% post_url name %}` come here too, with paths from the old site's
//! root: a path that matches no file is found by its file name when exactly
//! one source has that name.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::percent_decode;
use crate::content::Article;
use crate::source::{CONTENT_DIR, slash_path};

/// The published articles by source file, for links by source file.
#[derive(Debug, Default)]
pub struct SourceIndex {
    /// Site path of each article by its file under `content/` (`2019/a.md`).
    by_path: HashMap<String, String>,
    /// Site path by file name, when one article alone has the name.
    by_name: HashMap<String, Option<String>>,
    /// File names of the articles a build leaves out (drafts, future).
    unpublished: HashSet<String>,
}

impl SourceIndex {
    /// The index of the published articles, each with the path of its page
    /// on the whole site (under its language's prefix in a site in
    /// several); `unpublished` are the files of the others.
    pub fn new<'a>(
        published: impl IntoIterator<Item = (&'a Article, String)>,
        unpublished: impl IntoIterator<Item = &'a Path>,
    ) -> SourceIndex {
        let mut index = SourceIndex::default();
        for (article, site_path) in published {
            let relative = source_path(article);
            let name = relative.rsplit('/').next().unwrap_or(&relative).to_string();
            index
                .by_name
                .entry(name)
                .and_modify(|url| *url = None)
                .or_insert_with(|| Some(site_path.clone()));
            index.by_path.insert(relative, site_path);
        }
        index.unpublished = unpublished
            .into_iter()
            .filter_map(|file| Some(file.file_name()?.to_str()?.to_string()))
            .collect();
        index
    }

    /// The site path of the published article of a file under `content/`
    /// (`2019/a.md`), if the index has it.
    pub fn site_path_of(&self, relative: &str) -> Option<&str> {
        self.by_path.get(relative).map(String::as_str)
    }

    /// True when a link to a source that leads nowhere names a file a build
    /// leaves out (a draft, an article dated later): a warning, where a link
    /// to no file at all is an error.
    pub fn names_unpublished(&self, dest: &str) -> bool {
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let name = path.rsplit('/').next().unwrap_or(path);
        percent_decode(name).is_some_and(|name| self.unpublished.contains(&name))
    }

    /// The site path, anchor kept, of the article that `dest` names when
    /// written in the file `from` (its path under `content/`).
    pub fn resolve(&self, from: &str, dest: &str) -> Option<String> {
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest, None),
        };
        let path = percent_decode(path.split('?').next().unwrap_or(""))?;
        let folder = from.rfind('/').map_or("", |end| &from[..=end]);
        let candidates = match path.strip_prefix('/') {
            Some(rooted) => vec![normalise(rooted)],
            None => vec![normalise(&format!("{folder}{path}")), normalise(&path)],
        };
        let url = candidates
            .iter()
            .flatten()
            .find_map(|candidate| self.by_path.get(candidate))
            .or_else(|| {
                let name = path.rsplit('/').next()?;
                self.by_name.get(name)?.as_ref()
            })?;
        Some(match anchor {
            Some(anchor) => format!("{url}#{anchor}"),
            None => url.clone(),
        })
    }
}

/// The path of an article's file under `content/` (`2019/a.md`).
pub fn source_path(article: &Article) -> String {
    source_path_of(&article.shown_path, Path::new(""))
}

/// The path under `content/` (`2019/a.md`) of a file of the site folder
/// `site_dir`, whether or not it holds an article now.
pub fn source_path_of(file: &Path, site_dir: &Path) -> String {
    let shown = file.strip_prefix(site_dir).unwrap_or(file);
    slash_path(
        Path::new(""),
        shown.strip_prefix(CONTENT_DIR).unwrap_or(shown),
    )
}

/// A path under `content/` with `.` and `..` resolved; `None` when it
/// climbs out.
fn normalise(path: &str) -> Option<String> {
    Some(super::segments(path)?.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SourceIndex {
        let mut index = SourceIndex::default();
        for (path, url) in [
            ("2019/2019-06-01-budget.md", "/2019/06/01/budget/"),
            ("2019/ferry/index.md", "/2019/07/01/ferry/"),
            ("2020/index.md", "/2020/01/01/x/"),
        ] {
            index.by_path.insert(path.into(), url.into());
            let name = path.rsplit('/').next().unwrap().to_string();
            index
                .by_name
                .entry(name)
                .and_modify(|u| *u = None)
                .or_insert_with(|| Some(url.into()));
        }
        index
    }

    #[test]
    fn sources_resolve_relative_from_the_root_and_by_a_unique_name() {
        let index = index();
        let from = "2019/2019-07-02-other.md";
        for (dest, url) in [
            ("2019-06-01-budget.md#vote", "/2019/06/01/budget/#vote"),
            ("./ferry/index.md", "/2019/07/01/ferry/"),
            ("../2019/ferry/index.md", "/2019/07/01/ferry/"),
            ("/2019/2019-06-01-budget.md", "/2019/06/01/budget/"),
            ("2019/ferry/index.md", "/2019/07/01/ferry/"),
            ("en/news/_posts/2019-06-01-budget.md", "/2019/06/01/budget/"),
        ] {
            assert_eq!(index.resolve(from, dest).as_deref(), Some(url), "{dest}");
        }
        // Two files named index.md: a bare name is ambiguous.
        assert_eq!(index.resolve(from, "old/index.md"), None);
        assert_eq!(index.resolve(from, "missing.md"), None);
        assert_eq!(index.resolve(from, "../../../x.md"), None);
    }
}
