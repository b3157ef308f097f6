//! Loading content: walking `content/`, reading each article's front matter
//! and keeping only its metadata. Bodies are read again, one at a time, when
//! pages are written (see [`crate::build`](mod@crate::build)), so an archive of 100,000
//! articles never sits in memory.

pub mod date;
pub mod front_matter;
pub mod slug;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::config::Config;
use crate::diagnostics::{FileError, Warning, WarningKind, key_line, line_col};
use crate::escape::without_controls;
use crate::hash::Signature;
use crate::markdown::{self, BodyScan, Summary};
use crate::source::{self, shown};
use date::ArticleDate;
use front_matter::{FrontMatter, Split};

pub use crate::source::CONTENT_DIR;

/// Hugo's list-page front matter file: not an article, and migrated Hugo
/// sites have one per section.
const HUGO_SECTION_INDEX: &str = "_index.md";

/// Most tags, and most authors, one article keeps. Each is a listing page
/// that shows the article's card, and the card shows each: thousands of tags
/// on one article would write thousands of pages of thousands of chips.
pub const MAX_TERMS_PER_ARTICLE: usize = 100;

/// Name of an article's file when the article is a folder with its own files.
pub const BUNDLE_INDEX: &str = "index.md";

/// What the site model keeps of one article: its front matter and what is
/// derived from it, never its body. An article is known by its file: that
/// is what stays the same while it is edited, renamed by a slug or re-dated.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Where to read the article again; its identity.
    pub file: PathBuf,
    /// The file as shown in messages, relative to the site folder.
    pub shown_path: PathBuf,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// A hash of the body, to tell whether the page must be made again.
    pub body_hash: u64,
    /// A hash of everything below, to tell whether what listings, feeds and
    /// related boxes show of the article changed.
    pub meta_hash: u64,
    /// The validated front matter.
    pub front: FrontMatter,
    /// Publication date, from the front matter or the file name.
    pub date: ArticleDate,
    /// Normalised slug.
    pub slug: String,
    /// Summary from the front matter, `<!-- more -->` or the first paragraph.
    pub summary: Summary,
    /// Number of words in the body, each character of a script written
    /// without spaces (Chinese, Japanese, Thai) counted as one.
    pub word_count: usize,
    /// How many of those words are such characters.
    pub unspaced_chars: usize,
    /// True for a bundle: an `index.md` in a folder of its own, whose other
    /// files are copied next to its page.
    pub is_bundle: bool,
    /// Path of the article's page on the site (`/2025/03/17/slug/`), from
    /// the permalink pattern; under its language's prefix in a site in
    /// several languages.
    pub url: String,
    /// Which of the config's `languages` it is in (0, the default, in a
    /// site in one language).
    pub language: u16,
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

    /// The folder of a bundle article, holding its other files.
    pub fn bundle_dir(&self) -> Option<&Path> {
        self.file.parent().filter(|_| self.is_bundle)
    }

    /// The hash of what pages show of the article besides its body.
    fn compute_meta_hash(&self) -> u64 {
        let front = &self.front;
        let mut hash = Signature::new("article metadata");
        hash.add((
            &front.title,
            &front.subtitle,
            &front.summary,
            &front.authors,
            &front.tags,
            &front.section,
            &front.slug,
            front.draft,
            &front.date,
            &front.updated,
        ))
        .add((
            &front.more().image,
            &front.more().image_caption,
            &front.more().source,
            &front.more().source_url,
            &front.more().lang,
        ))
        // serde_yaml hashes maps regardless of key order, but templates see
        // the order as written.
        .add(
            front
                .more()
                .extra
                .as_ref()
                .map(|extra| serde_json::to_string(extra).unwrap_or_default()),
        )
        .add((
            &self.shown_path,
            &self.date,
            &self.slug,
            &self.summary.html,
            self.word_count,
            self.unspaced_chars,
            self.is_bundle,
            &self.url,
            self.language,
        ));
        hash.finish()
    }
}

/// An article for unit tests: `file` names it, `date` is RFC 3339 or a day.
#[cfg(test)]
pub(crate) fn test_article(file: &str, title: &str, date: &str, tags: &[&str]) -> Article {
    let date = ArticleDate::parse(date, &TimeZone::UTC).expect("a test date");
    let mut article = Article {
        file: PathBuf::from(file),
        shown_path: PathBuf::from("content").join(file),
        body_offset: 0,
        body_line: 1,
        body_hash: 0,
        meta_hash: 0,
        front: FrontMatter {
            title: title.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        },
        date,
        slug: file.trim_end_matches(".md").to_string(),
        summary: Summary::default(),
        word_count: 0,
        unspaced_chars: 0,
        is_bundle: false,
        url: format!("/{}/", file.trim_end_matches(".md")),
        language: 0,
    };
    article.meta_hash = article.compute_meta_hash();
    article
}

/// The files under `content/`, sorted into articles, the files of bundles
/// and loose files.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Markdown files: one article each.
    pub articles: Vec<PathBuf>,
    /// Each bundle's folder with its other files, relative to the folder.
    pub bundles: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Files outside any bundle, relative to `content/`, copied as they are.
    pub loose_files: Vec<PathBuf>,
    /// Hugo `_index.md` files, skipped.
    pub hugo_section_indexes: Vec<PathBuf>,
}

impl Inventory {
    /// Sorts every file found under `content_dir`.
    /// In a site in several languages, `index.ru.md` is the Russian
    /// version of a bundle (as Hugo has it).
    pub fn classify<'a>(
        content_dir: &Path,
        files: impl IntoIterator<Item = &'a PathBuf>,
        config: &Config,
    ) -> Self {
        let mut inventory = Inventory::default();
        let mut other_files = Vec::new();
        for file in files {
            if file.file_name().is_some_and(|n| n == HUGO_SECTION_INDEX) {
                inventory.hugo_section_indexes.push(file.clone());
            } else if is_markdown(file) {
                inventory.articles.push(file.clone());
            } else {
                other_files.push(file);
            }
        }
        let bundle_dirs: HashSet<&Path> = inventory
            .articles
            .iter()
            .filter(|p| is_bundle_index(content_dir, p, config))
            .filter_map(|p| p.parent())
            .collect();
        let mut bundles: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
        for file in other_files {
            let bundle = file
                .ancestors()
                .skip(1)
                .take_while(|dir| *dir != content_dir)
                .find(|dir| bundle_dirs.contains(dir));
            match bundle {
                Some(dir) => {
                    let relative = file.strip_prefix(dir).unwrap_or(file).to_path_buf();
                    bundles.entry(dir.to_path_buf()).or_default().push(relative);
                }
                None => inventory
                    .loose_files
                    .push(file.strip_prefix(content_dir).unwrap_or(file).to_path_buf()),
            }
        }
        inventory.bundles = bundles;
        // In path order, so that callers may search it.
        inventory.articles.sort();
        inventory
    }

    /// The other files of a bundle article, relative to its folder.
    pub fn bundle_files(&self, article: &Article) -> &[PathBuf] {
        article
            .bundle_dir()
            .and_then(|dir| self.bundles.get(dir))
            .map_or(&[], Vec::as_slice)
    }

    /// One warning per Hugo section file skipped.
    pub fn warnings(&self, site_dir: &Path) -> Vec<Warning> {
        self.hugo_section_indexes
            .iter()
            .map(|file| Warning {
                kind: WarningKind::HugoSectionIndex,
                path: shown(site_dir, file),
                line: None,
                column: None,
            })
            .collect()
    }
}

/// What reading one article file gave: the article and its warnings, or
/// every error found in it.
pub type ArticleRead = Result<(Article, Vec<Warning>), Vec<FileError>>;

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every file, sorted into articles, bundle files and loose files.
    pub inventory: Inventory,
    /// Each article file, with what reading it gave, in file order.
    pub articles: Vec<(PathBuf, ArticleRead)>,
    /// Files and folders that could not be listed.
    pub errors: Vec<FileError>,
    /// Warnings found while listing: symbolic link loops. (Those about
    /// skipped files are [`Inventory::warnings`].)
    pub warnings: Vec<Warning>,
}

/// Walks `content_dir` and reads every article in parallel. Paths in
/// messages are shown relative to `site_dir`.
pub fn load(site_dir: &Path, content_dir: &Path, config: &Config) -> Loaded {
    let found = source::walk(site_dir, content_dir, &config.source_rules(site_dir));
    let inventory = Inventory::classify(content_dir, &found.files, config);
    let articles = read_articles(site_dir, content_dir, &inventory.articles, config);
    Loaded {
        inventory,
        articles,
        errors: found.errors,
        warnings: found.warnings,
    }
}

/// Reads article files in parallel.
pub fn read_articles(
    site_dir: &Path,
    content_dir: &Path,
    files: &[PathBuf],
    config: &Config,
) -> Vec<(PathBuf, ArticleRead)> {
    files
        .par_iter()
        .map(|file| {
            let read = read_article(site_dir, content_dir, file, config);
            (file.clone(), read)
        })
        .collect()
}

fn is_bundle_index(content_dir: &Path, file: &Path, config: &Config) -> bool {
    bundle_language(file, config).is_some() && file.parent().is_some_and(|dir| dir != content_dir)
}

/// For a bundle's `index.md`, `Some("")`; for a language's version of it
/// (`index.ru.md`, in a site with that language), `Some("ru")` as written.
fn bundle_language<'a>(file: &'a Path, config: &Config) -> Option<&'a str> {
    let name = file.file_name()?.to_str()?;
    if name == BUNDLE_INDEX {
        return Some("");
    }
    let code = name.strip_prefix("index.")?.strip_suffix(".md")?;
    config.language_index(code).map(|_| code)
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
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
    Ok(match lone_cr_as_newlines(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(text) => text,
    })
}

/// Lines ended by a carriage return alone (old Mac files) are lines too.
fn lone_cr_as_newlines(text: &str) -> Cow<'_, str> {
    // A newline is found at once in nearly every file; a search for `\r`
    // would read all of it.
    if !text.contains('\n') && text.contains('\r') {
        Cow::Owned(text.replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Reads one article's metadata.
pub fn read_article(
    site_dir: &Path,
    content_dir: &Path,
    file: &Path,
    config: &Config,
) -> ArticleRead {
    let shown_path = shown(site_dir, file);
    let text = read_text(file, &shown_path).map_err(|e| vec![e])?;
    article_from_text(&text, file, content_dir, shown_path, config)
}

/// Reads an article's metadata from the text of its file (read by
/// [`read_article`], with any byte order mark removed). Paths name the file
/// for its identity and messages; nothing is read from disk.
pub fn article_from_text(
    text: &str,
    file: &Path,
    content_dir: &Path,
    shown_path: PathBuf,
    config: &Config,
) -> ArticleRead {
    let text = lone_cr_as_newlines(text);
    let split = front_matter::split(&text, &shown_path).map_err(|e| vec![e])?;
    // YAML refuses control characters anywhere in its text; removed, they
    // leave the lines where they were.
    let clean_yaml = without_controls(split.yaml);
    let parsed = Split {
        yaml: &clean_yaml,
        ..split
    };
    let mut front = front_matter::parse(&parsed, &shown_path, &config.timezone)?;
    let mut cleaned_fields = front.remove_controls();
    front.smarten();
    if matches!(clean_yaml, Cow::Owned(_)) {
        cleaned_fields.insert(0, "front matter");
    }
    let mut too_many = Vec::new();
    for (field, names) in [("tags", &mut front.tags), ("authors", &mut front.authors)] {
        if names.len() > MAX_TERMS_PER_ARTICLE {
            too_many.push((field, names.len()));
            names.truncate(MAX_TERMS_PER_ARTICLE);
        }
    }
    let name = article_name(file, config);
    let (language, name) = config.language_of(&name, front.more().lang.as_deref());
    if let Some(lang) = front.more().lang.as_deref()
        && let Some(said) = config.language_index(lang)
        && said != language
    {
        return Err(vec![FileError::at_line(
            &shown_path,
            key_line(split.yaml, "lang").map_or(1, |l| l + split.yaml_line_offset),
            format!(
                "`lang: {lang}` is not the language of the file name (`.{}.md`); expected one language",
                config.languages[language].code
            ),
        )]);
    }
    let name_date = date::split_file_name_date(name);
    let date = resolve_date(&front, name_date, &config.timezone, &shown_path)?;
    let slug_base = name_date.map_or(name, |(_, rest)| rest);
    let mut slug_warnings = Vec::new();
    let slug = resolve_slug(&front, slug_base, &split, &shown_path, &mut slug_warnings)?;
    let section_slug = front
        .section
        .as_deref()
        .map(|section| slug::term_slug(section).0)
        .unwrap_or_default();
    let url = config.permalink.expand(date.date(), &slug, &section_slug);
    let raw_body = &text[split.body_offset..];
    let clean_body = without_controls(raw_body);
    let had_controls = matches!(clean_body, Cow::Owned(_));
    let body = markdown::jekyll_blocks(&clean_body);
    let scanned = markdown::scan(&body);
    let prefix = config
        .languages
        .get(language)
        .map_or("", |l| l.prefix.as_str());
    let summary = summarise(&front, &body, &scanned, config, prefix, &url);
    let mut warnings = file_warnings(&front, &body, &scanned, &split, &shown_path);
    warnings.extend(slug_warnings);
    let key_line = |key: &str| key_line(split.yaml, key).map_or(1, |l| l + split.yaml_line_offset);
    for field in cleaned_fields {
        warnings.push(Warning {
            kind: WarningKind::ControlCharacters(field),
            path: shown_path.clone(),
            line: Some(key_line(field)),
            column: None,
        });
    }
    for (field, written) in too_many {
        warnings.push(Warning {
            kind: WarningKind::TooManyTerms { field, written },
            path: shown_path.clone(),
            line: Some(key_line(field)),
            column: None,
        });
    }
    if had_controls {
        warnings.push(Warning {
            kind: WarningKind::ControlCharacters("body"),
            path: shown_path.clone(),
            line: Some(split.body_line),
            column: None,
        });
    }
    let mut article = Article {
        file: file.to_path_buf(),
        shown_path,
        body_offset: split.body_offset,
        body_line: split.body_line,
        body_hash: xxh3_64(raw_body.as_bytes()),
        meta_hash: 0,
        word_count: scanned.words + scanned.unspaced,
        unspaced_chars: scanned.unspaced,
        front,
        date,
        slug,
        summary,
        is_bundle: is_bundle_index(content_dir, file, config),
        url,
        language: language as u16,
    };
    article.meta_hash = article.compute_meta_hash();
    Ok((article, warnings))
}

/// An article's name, for its slug, date and language: a bundle is named
/// by its folder (with the language of `index.ru.md`), a plain article by
/// its file.
fn article_name(file: &Path, config: &Config) -> String {
    let name = |path: Option<&Path>| {
        path.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    match bundle_language(file, config) {
        Some("") => name(file.parent()),
        Some(code) => format!("{}.{code}", name(file.parent())),
        None => file
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The date from the front matter, else from a Jekyll file name.
fn resolve_date(
    front: &FrontMatter,
    name_date: Option<(jiff::civil::Date, &str)>,
    zone: &TimeZone,
    shown_path: &Path,
) -> Result<ArticleDate, Vec<FileError>> {
    match (front.date, name_date) {
        (Some(date), _) => Ok(date),
        (None, Some((day, _))) => ArticleDate::start_of_day(day, zone).ok_or_else(|| {
            vec![FileError::at_line(
                shown_path,
                1,
                "the date in the file name does not exist in the configured time zone",
            )]
        }),
        (None, None) => Err(vec![FileError::at_line(
            shown_path,
            1,
            "missing `date`: expected `date: 2025-03-17` in the front matter, or a file name that starts with the date (2025-03-17-title.md)",
        )]),
    }
}

/// The slug: the one written in the front matter, else the file name's
/// (without its date), else the title's. A written slug that had to change
/// beyond its spelling to be safe gets a warning naming both.
fn resolve_slug(
    front: &FrontMatter,
    name: &str,
    split: &Split,
    shown_path: &Path,
    warnings: &mut Vec<Warning>,
) -> Result<String, Vec<FileError>> {
    // Found only for a message: most articles have none.
    let line = || key_line(split.yaml, "slug").map_or(1, |l| l + split.yaml_line_offset);
    let (slug, from, written, changes) = match &front.slug {
        Some(written) => {
            let (slug, changes) = slug::slugify_written(written);
            if slug.is_empty() {
                return Err(vec![FileError::at_line(
                    shown_path,
                    line(),
                    format!(
                        "`slug: {}` has no letter or digit to make a URL from",
                        written.escape_debug()
                    ),
                )]);
            }
            (slug, "slug", written.as_str(), changes)
        }
        None => {
            let (from, text) = if slug::slugify(name).is_empty() {
                ("title", front.title.as_str())
            } else {
                ("file name", name)
            };
            let (slug, changes) = slug::slugify_written(text);
            // A file name or title is no path: only their length and
            // reserved names are news.
            let changes = changes
                .into_iter()
                .filter(|c| *c != slug::SlugChange::PathSyntax)
                .collect();
            (slug, from, text, changes)
        }
    };
    if slug.is_empty() {
        return Err(vec![FileError::at_line(
            shown_path,
            1,
            "cannot make a URL slug from the file name or the title; expected a `slug:` line",
        )]);
    }
    for change in changes {
        warnings.push(Warning {
            kind: WarningKind::SlugChanged {
                from,
                why: change.describe(),
                written: written.chars().take(80).collect(),
                used: slug.clone(),
            },
            path: shown_path.to_path_buf(),
            line: Some(if from == "slug" { line() } else { 1 }),
            column: None,
        });
    }
    Ok(slug)
}

/// The summary written in the front matter, else the one made from the body.
fn summarise(
    front: &FrontMatter,
    body: &str,
    scanned: &BodyScan,
    config: &Config,
    language_prefix: &str,
    url: &str,
) -> Summary {
    match &front.summary {
        Some(written) => Summary::from_plain(written),
        None => {
            let link = format!(
                "{}{language_prefix}{}",
                config.root_url.path(),
                url.trim_start_matches('/')
            );
            let links = markdown::LinkBase {
                base_path: config.root_url.path(),
                article_link: Some(&link),
            };
            markdown::summary(body, scanned.more, links).unwrap_or_default()
        }
    }
}

/// Unknown front matter keys, and other generators' syntax in the body.
fn file_warnings(
    front: &FrontMatter,
    body: &str,
    scanned: &BodyScan,
    split: &Split,
    shown_path: &Path,
) -> Vec<Warning> {
    let mut warnings: Vec<Warning> = front
        .more()
        .unknown_keys
        .iter()
        .map(|(key, line)| Warning {
            kind: WarningKind::UnknownKey(key.clone()),
            path: shown_path.to_path_buf(),
            line: Some(*line),
            column: None,
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
                path: shown_path.to_path_buf(),
                line: Some(line),
                column: None,
            });
        }
    }
    warnings
}
