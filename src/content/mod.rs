//! Loading content: walking `content/`, reading each article's front matter
//! and keeping only its metadata. Bodies are read again, one at a time, when
//! pages are written (see [`crate::build`]), so an archive of 100,000
//! articles never sits in memory.

pub mod date;
pub mod front_matter;
pub mod slug;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{FileError, Warning, WarningKind, Warnings, line_col};
use crate::markdown::{self, Summary};
use date::ArticleDate;
use front_matter::FrontMatter;

/// Name of the content folder inside the site folder.
pub const CONTENT_DIR: &str = "content";

/// Hugo's list-page front matter file: not an article, and migrated Hugo
/// sites have one per section.
const HUGO_SECTION_INDEX: &str = "_index.md";

/// Name of an article's file when the article is a folder with its own files.
const BUNDLE_INDEX: &str = "index.md";

/// What the site model keeps of one article: its front matter and what is
/// derived from it, never its body.
#[derive(Debug, Clone)]
pub struct Article {
    /// Where to read the article again.
    pub file: PathBuf,
    /// The file as shown in messages, relative to the site folder.
    pub shown_path: PathBuf,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The validated front matter.
    pub front: FrontMatter,
    /// Publication date, from the front matter or the file name.
    pub date: ArticleDate,
    /// Normalised slug.
    pub slug: String,
    /// Summary from the front matter, `<!-- more -->` or the first paragraph.
    pub summary: Summary,
    /// Number of words in the body.
    pub word_count: usize,
    /// Files next to a bundle's `index.md`, relative to its folder.
    pub assets: Vec<PathBuf>,
    /// Path of the article's page on the site (`/2025/03/17/slug/`), from
    /// the permalink pattern.
    pub url: String,
}

impl Article {
    /// Reads the body again from disk.
    pub fn read_body(&self) -> Result<String, FileError> {
        let text = read_text(&self.file, &self.shown_path)?;
        text.get(self.body_offset..)
            .map(str::to_string)
            .ok_or_else(|| {
                FileError::at_line(&self.shown_path, 1, "the file changed during the build")
            })
    }

    /// When the article last changed: its `updated` date, or its date when
    /// it has none (or an earlier one).
    pub fn last_change(&self) -> ArticleDate {
        self.front.updated.unwrap_or(self.date).max(self.date)
    }

    /// The folder of a bundle article, holding its assets.
    pub fn bundle_dir(&self) -> Option<&Path> {
        if self.assets.is_empty() {
            None
        } else {
            self.file.parent()
        }
    }
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Articles that were read without error.
    pub articles: Vec<Article>,
    /// Files outside any article bundle (relative to `content/`), copied as is.
    pub loose_files: Vec<PathBuf>,
    /// Every error found, sorted by file.
    pub errors: Vec<FileError>,
    /// Warnings, to be shown grouped.
    pub warnings: Warnings,
}

/// Walks `content_dir` and reads every article in parallel. Paths in
/// messages are shown relative to `site_dir`.
pub fn load(site_dir: &Path, content_dir: &Path, config: &Config) -> Loaded {
    let mut loaded = Loaded::default();
    let mut markdown_files = Vec::new();
    let mut other_files = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if entry.file_name() == HUGO_SECTION_INDEX {
                    loaded.warnings.push(Warning {
                        kind: WarningKind::HugoSectionIndex,
                        path: shown(site_dir, entry.path()),
                        line: None,
                    });
                } else if is_markdown(entry.path()) {
                    markdown_files.push(entry.into_path());
                } else {
                    other_files.push(entry.into_path());
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| shown(site_dir, p)).unwrap_or_default();
                if err.loop_ancestor().is_some() {
                    loaded.warnings.push(Warning {
                        kind: WarningKind::SymlinkLoop,
                        path,
                        line: None,
                    });
                } else {
                    loaded
                        .errors
                        .push(FileError::at_line(path, 1, format!("cannot read: {err}")));
                }
            }
        }
    }

    let bundle_dirs: HashSet<PathBuf> = markdown_files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == BUNDLE_INDEX))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .filter(|dir| dir != content_dir)
        .collect();
    let mut assets: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in other_files {
        let bundle = file
            .ancestors()
            .skip(1)
            .take_while(|dir| *dir != content_dir)
            .find(|dir| bundle_dirs.contains(*dir));
        match bundle {
            Some(dir) => {
                let relative = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
                assets.entry(dir.to_path_buf()).or_default().push(relative);
            }
            None => loaded.loose_files.push(
                file.strip_prefix(content_dir)
                    .unwrap_or(&file)
                    .to_path_buf(),
            ),
        }
    }

    let results: Vec<_> = markdown_files
        .par_iter()
        .map(|file| read_article(site_dir, file, config))
        .collect();
    for result in results {
        match result {
            Ok((mut article, warnings)) => {
                let is_bundle = article.file.file_name().is_some_and(|n| n == BUNDLE_INDEX);
                if let (true, Some(dir)) = (is_bundle, article.file.parent()) {
                    article.assets = assets.remove(dir).unwrap_or_default();
                }
                loaded.warnings.extend(warnings);
                loaded.articles.push(article);
            }
            Err(errors) => loaded.errors.extend(errors),
        }
    }
    loaded.errors.sort();
    loaded
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// A path relative to the site folder, for messages.
pub fn shown(site_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site_dir).unwrap_or(path).to_path_buf()
}

/// Reads a file as UTF-8 text without a byte order mark.
fn read_text(file: &Path, shown_path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(file)
        .map_err(|e| FileError::at_line(shown_path, 1, format!("cannot read: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, col) = line_col(&prefix, valid);
        FileError::at(
            shown_path,
            line,
            col,
            "the file is not valid UTF-8: expected UTF-8 text (re-save it as UTF-8)",
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Reads one article's metadata.
fn read_article(
    site_dir: &Path,
    file: &Path,
    config: &Config,
) -> Result<(Article, Vec<Warning>), Vec<FileError>> {
    let zone = &config.timezone;
    let shown_path = shown(site_dir, file);
    let text = read_text(file, &shown_path).map_err(|e| vec![e])?;
    let split = front_matter::split(&text, &shown_path).map_err(|e| vec![e])?;
    let front = front_matter::parse(&split, &shown_path, zone)?;
    let key_line = |key: &str| {
        front_matter::key_line(split.yaml, key).map_or(1, |l| l + split.yaml_line_offset)
    };

    // A bundle is named by its folder, a plain article by its file.
    let name = if file.file_name().is_some_and(|n| n == BUNDLE_INDEX) {
        file.parent().and_then(Path::file_name)
    } else {
        file.file_stem()
    }
    .map(|n| n.to_string_lossy().into_owned())
    .unwrap_or_default();
    let name_date = date::split_file_name_date(&name);

    let date = match (front.date, name_date) {
        (Some(date), _) => date,
        (None, Some((day, _))) => ArticleDate::start_of_day(day, zone).ok_or_else(|| {
            vec![FileError::at_line(
                &shown_path,
                1,
                "the date in the file name does not exist in the configured time zone",
            )]
        })?,
        (None, None) => {
            return Err(vec![FileError::at_line(
                &shown_path,
                1,
                "missing `date`: expected `date: 2025-03-17` in the front matter, or a file name that starts with the date (2025-03-17-title.md)",
            )]);
        }
    };

    let slug = match &front.slug {
        Some(written) => {
            let slug = slug::slugify(written);
            if slug.is_empty() {
                return Err(vec![FileError::at_line(
                    &shown_path,
                    key_line("slug"),
                    format!("`slug: {written}` has no letter or digit to make a URL from"),
                )]);
            }
            slug
        }
        None => {
            let base = name_date.map_or(name.as_str(), |(_, rest)| rest);
            let slug = slug::slugify(base);
            if slug.is_empty() {
                slug::slugify(&front.title)
            } else {
                slug
            }
        }
    };
    if slug.is_empty() {
        return Err(vec![FileError::at_line(
            &shown_path,
            1,
            "cannot make a URL slug from the file name or the title; expected a `slug:` line",
        )]);
    }

    let section_slug = front
        .section
        .as_deref()
        .map(slug::slugify)
        .unwrap_or_default();
    let url = config.permalink.expand(date.date(), &slug, &section_slug);
    let body = &text[split.body_offset..];
    let scanned = markdown::scan(body);
    let summary = match &front.summary {
        Some(written) => Summary::from_plain(written),
        None => {
            let link = config.base_url.link(&url);
            let links = markdown::LinkBase {
                base_path: config.base_url.path(),
                article_link: Some(&link),
            };
            markdown::summary(body, scanned.more, links).unwrap_or_default()
        }
    };
    let mut warnings: Vec<Warning> = front
        .unknown_keys
        .iter()
        .map(|(key, line)| Warning {
            kind: WarningKind::UnknownKey(key.clone()),
            path: shown_path.clone(),
            line: Some(*line),
        })
        .collect();
    for (found, what) in [
        (scanned.liquid, "Liquid tag `{% … %}`"),
        (scanned.shortcode, "Hugo shortcode `{{< … >}}`"),
    ] {
        if let Some(at) = found {
            let line = split.body_line + body[..at].matches('\n').count();
            warnings.push(Warning {
                kind: WarningKind::ForeignTemplateSyntax(what),
                path: shown_path.clone(),
                line: Some(line),
            });
        }
    }

    let article = Article {
        file: file.to_path_buf(),
        shown_path,
        body_offset: split.body_offset,
        word_count: scanned.words,
        front,
        date,
        slug,
        summary,
        assets: Vec::new(),
        url,
    };
    Ok((article, warnings))
}
