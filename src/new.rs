//! `broadsheet new "Headline"`: starts an article as a draft at
//! `content/YYYY/MM/slug.md` (or `slug/index.md`, a bundle), with its front
//! matter filled in. It never overwrites: an article already on the URL the
//! new one would have is an error naming its file.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;
use crate::content::date::ArticleDate;
use crate::content::{self, Article, BUNDLE_INDEX, slug};
use crate::diagnostics::{FileError, Warning};
use crate::source::{self, CONTENT_DIR};

/// The article to start (also the arguments of `broadsheet new`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NewOptions {
    /// The headline.
    pub headline: String,
    /// The section.
    #[arg(short, long)]
    pub section: Option<String>,
    /// Tags, separated by commas.
    #[arg(short, long, value_delimiter = ',', value_name = "TAG,TAG")]
    pub tags: Vec<String>,
    /// A byline; give it again for more authors.
    #[arg(short, long = "author", value_name = "NAME")]
    pub authors: Vec<String>,
    /// Make a bundle (content/YYYY/MM/SLUG/index.md): a folder of its own,
    /// for images and files beside the article.
    #[arg(long)]
    pub bundle: bool,
    /// The date instead of now (2025-03-17 or 2025-03-17T09:30:00+01:00),
    /// read in the site's time zone.
    #[arg(long)]
    pub date: Option<String>,
    /// The slug instead of one made from the headline.
    #[arg(long)]
    pub slug: Option<String>,
    /// The site folder.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub site_dir: PathBuf,
    /// The time taken as now; the clock's when not set (tests set it).
    #[arg(skip)]
    pub now: Option<Timestamp>,
}

/// The article written.
#[derive(Debug)]
pub struct NewArticle {
    /// Its file, relative to the site folder.
    pub path: PathBuf,
    /// Its URL path on the site, once published.
    pub url: String,
    /// What reading it back said (a shortened slug, a cleaned headline).
    pub warnings: Vec<Warning>,
}

/// Why no article was written.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The site has no `content/` folder.
    #[error("{0} has no content/ folder; expected a site folder (make one with `broadsheet init`)")]
    NoContent(PathBuf),
    /// `config.yaml` cannot be read.
    #[error("{0}")]
    Config(FileError),
    /// `--date` cannot be read.
    #[error("--date: {0}")]
    Date(String),
    /// Neither headline nor `--slug` gives a slug.
    #[error("cannot make a slug of `{0}`: it has no letter or digit; give one with --slug")]
    NoSlug(String),
    /// Another article is on the URL the new one would have.
    #[error(
        "{existing} is already on {url} (the same slug on the same day); expected a new headline, --slug or --date"
    )]
    SameUrl {
        /// The article already there.
        existing: PathBuf,
        /// The URL.
        url: String,
    },
    /// The new article would not read back (a headline too odd to be a
    /// title): the errors a build would give.
    #[error("the article would not build: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FileError>),
    /// The file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The front matter written, in this order.
#[derive(Serialize)]
struct FrontMatterText<'a> {
    title: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    draft: bool,
}

/// Writes a new draft article; see the module documentation.
pub fn new_article(options: &NewOptions) -> Result<NewArticle, NewError> {
    let options = &tidied(options);
    let site_dir = options.site_dir.as_path();
    let content_dir = site_dir.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(NewError::NoContent(site_dir.to_path_buf()));
    }
    let config = Config::load(site_dir).map_err(NewError::Config)?;
    let date = match &options.date {
        Some(text) => ArticleDate::parse(text, &config.timezone).map_err(NewError::Date)?,
        None => {
            let now = options.now.unwrap_or_else(Timestamp::now);
            let now = Timestamp::from_second(now.as_second()).expect("a second of a timestamp");
            ArticleDate {
                timestamp: now,
                offset: config.timezone.to_offset(now),
            }
        }
    };
    let slug = match &options.slug {
        Some(written) => slug::slugify_written(written).0,
        None => slug::slugify_written(&options.headline).0,
    };
    if slug.is_empty() {
        return Err(NewError::NoSlug(
            options.slug.clone().unwrap_or(options.headline.clone()),
        ));
    }

    let existing = content::load(site_dir, &content_dir, &config);
    let taken: Vec<Article> = existing
        .articles
        .into_iter()
        .filter_map(|(_, read)| read.ok().map(|(article, _)| article))
        .collect();
    let folder = content_dir
        .join(format!("{:04}", date.date().year()))
        .join(format!("{:02}", date.date().month()));
    // The first name free on disk; a later one keeps the slug in its
    // front matter, so that its URL is the one asked for.
    let (file, text) = (1..)
        .map(|n| {
            let name = if n == 1 {
                slug.clone()
            } else {
                format!("{slug}-{n}")
            };
            let file = if options.bundle {
                folder.join(&name).join(BUNDLE_INDEX)
            } else {
                folder.join(format!("{name}.md"))
            };
            let keep_slug = (n > 1 || options.slug.is_some()).then_some(slug.as_str());
            (file, front_matter_text(options, &date, keep_slug))
        })
        .find(|(file, _)| !taken_on_disk(file))
        .expect("some name is free");

    let shown = source::shown(site_dir, &file);
    let (article, warnings) =
        content::article_from_text(&text, &file, &content_dir, shown.clone(), &config)
            .map_err(NewError::Invalid)?;
    if let Some(other) = taken.iter().find(|a| a.url == article.url) {
        return Err(NewError::SameUrl {
            existing: other.shown_path.clone(),
            url: article.url.clone(),
        });
    }
    write_new(&file, &text).map_err(|source| NewError::Io {
        path: shown.clone(),
        source,
    })?;
    Ok(NewArticle {
        path: shown,
        url: article.url,
        warnings,
    })
}

/// The options with names made one line each, without control characters
/// (a headline pasted from elsewhere), and without empty tags and bylines.
fn tidied(options: &NewOptions) -> NewOptions {
    let tidy = |text: &str| {
        crate::escape::without_controls(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let names = |names: &[String]| {
        names
            .iter()
            .map(|n| tidy(n))
            .filter(|n| !n.is_empty())
            .collect()
    };
    NewOptions {
        headline: tidy(&options.headline),
        section: options
            .section
            .as_deref()
            .map(tidy)
            .filter(|s| !s.is_empty()),
        tags: names(&options.tags),
        authors: names(&options.authors),
        ..options.clone()
    }
}

/// True when the article file, or its other form (`slug.md` beside
/// `slug/index.md`), is there.
fn taken_on_disk(file: &Path) -> bool {
    let other = if file.file_name().is_some_and(|n| n == BUNDLE_INDEX) {
        file.parent().map(|dir| dir.with_extension("md"))
    } else {
        Some(file.with_extension("").join(BUNDLE_INDEX))
    };
    file.exists() || other.is_some_and(|o| o.exists())
}

/// The text of the new article: front matter and an empty body.
fn front_matter_text(options: &NewOptions, date: &ArticleDate, slug: Option<&str>) -> String {
    let front = FrontMatterText {
        title: &options.headline,
        date: date.rfc3339(),
        slug,
        authors: &options.authors,
        tags: &options.tags,
        section: options.section.as_deref(),
        draft: true,
    };
    let yaml = serde_yaml::to_string(&front).expect("front matter is plain data");
    format!("---\n{yaml}---\n\n")
}

/// Writes a file that must not exist yet, making its folders.
fn write_new(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)?;
    out.write_all(text.as_bytes())?;
    out.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tidied() {
        let options = tidied(&NewOptions {
            headline: "  Two\nlines\u{7} and\ttabs ".into(),
            tags: vec!["a".into(), " ".into(), "b c".into()],
            section: Some(" ".into()),
            ..NewOptions::default()
        });
        assert_eq!(options.headline, "Two lines and tabs");
        assert_eq!(options.tags, ["a", "b c"]);
        assert_eq!(options.section, None);
    }

    #[test]
    fn front_matter_quotes_what_yaml_would_misread() {
        let options = NewOptions {
            headline: "Strike: 'all out' #1 & more".into(),
            tags: vec!["yes".into(), "C++".into()],
            authors: vec!["Ana O'Neil".into()],
            section: Some("World".into()),
            ..NewOptions::default()
        };
        let date =
            ArticleDate::parse("2025-03-17T09:30:00+01:00", &jiff::tz::TimeZone::UTC).unwrap();
        let text = front_matter_text(&options, &date, None);
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|t| t.strip_suffix("---\n\n"))
            .unwrap();
        let read: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(read["title"], "Strike: 'all out' #1 & more");
        assert_eq!(read["tags"][0], "yes", "not the boolean");
        assert_eq!(read["date"], "2025-03-17T09:30:00+01:00");
        assert_eq!(read["draft"], true);
        assert!(read.get("slug").is_none());
    }
}
