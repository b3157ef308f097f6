//! `broadsheet list`: one line per article (date, URL, file, title, status),
//! so that editors find what is held back and scripts can read the archive.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::config::Config;
use crate::content::{self, Article};
use crate::diagnostics::{FileError, Warning};
use crate::site::{LeftOut, Selection, newest_first};
use crate::source::{CONTENT_DIR, slash_path};

/// Which articles to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Which {
    /// Those a build publishes.
    #[default]
    Published,
    /// Drafts only.
    Drafts,
    /// Articles dated after now (drafts aside).
    Future,
    /// Every article.
    All,
}

/// How to print the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// Tab-separated values, with a header line.
    #[default]
    Tsv,
    /// A JSON array of objects.
    Json,
}

/// Whether an article is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A build publishes it.
    Published,
    /// `draft: true`.
    Draft,
    /// Dated after now.
    Future,
    /// Past its `expiryDate`.
    Expired,
}

/// One article of the list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Publication date, RFC 3339 with the author's offset.
    pub date: String,
    /// Address of its page: absolute when the base URL is.
    pub url: String,
    /// Its file, relative to the site folder, with `/` between parts.
    pub file: String,
    /// Headline.
    pub title: String,
    /// Published, draft or future.
    pub status: Status,
}

/// The articles of a site, and what could not be read.
#[derive(Debug, Default)]
pub struct Listing {
    /// The articles asked for, newest first.
    pub articles: Vec<Listed>,
    /// Files that could not be read as articles, or listed.
    pub errors: Vec<FileError>,
    /// Warnings found while reading.
    pub warnings: Vec<Warning>,
}

/// Why nothing could be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The site has no `content/` folder.
    #[error("{0} has no content/ folder; expected a site folder")]
    NoContent(PathBuf),
    /// `config.yaml` cannot be read.
    #[error("{0}")]
    Config(FileError),
}

/// Reads every article's front matter and lists those asked for.
pub fn list(site_dir: &Path, which: Which, now: Timestamp) -> Result<Listing, ListError> {
    let content_dir = site_dir.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(ListError::NoContent(site_dir.to_path_buf()));
    }
    let config = Config::load(site_dir).map_err(ListError::Config)?;
    let loaded = content::load(site_dir, &content_dir, &config);
    let mut listing = Listing {
        errors: loaded.errors,
        warnings: loaded.warnings,
        ..Listing::default()
    };
    let mut articles: Vec<Article> = Vec::new();
    for (_, read) in loaded.articles {
        match read {
            Ok((article, warnings)) => {
                articles.push(article);
                listing.warnings.extend(warnings);
            }
            Err(errors) => listing.errors.extend(errors),
        }
    }
    articles.sort_by(newest_first);
    let selection = Selection {
        include_drafts: false,
        now,
        language: None,
    };
    listing.articles = articles
        .iter()
        .filter_map(|article| {
            let status = match selection.left_out(article) {
                // Every language is listed.
                None | Some(LeftOut::OtherLanguage) => Status::Published,
                Some(LeftOut::Draft) => Status::Draft,
                Some(LeftOut::Future) => Status::Future,
                Some(LeftOut::Expired) => Status::Expired,
            };
            let wanted = match which {
                Which::Published => status == Status::Published,
                Which::Drafts => status == Status::Draft,
                Which::Future => status == Status::Future,
                Which::All => true,
            };
            wanted.then(|| Listed {
                date: article.date.rfc3339(),
                url: config.article_url(article),
                file: slash_path(Path::new(""), &article.shown_path),
                title: article.front.title.clone(),
                status,
            })
        })
        .collect();
    listing.errors.sort();
    Ok(listing)
}

impl Listing {
    /// The list as text in a format: TSV (tabs and line breaks inside
    /// fields made spaces) or JSON.
    pub fn to_text(&self, format: ListFormat) -> String {
        match format {
            ListFormat::Json => {
                let mut json =
                    serde_json::to_string_pretty(&self.articles).expect("the list is plain data");
                json.push('\n');
                json
            }
            ListFormat::Tsv => {
                let field = |text: &str| text.replace(['\t', '\n', '\r'], " ");
                let mut out = String::from("date\turl\tfile\ttitle\tstatus\n");
                for a in &self.articles {
                    let status = match a.status {
                        Status::Published => "published",
                        Status::Draft => "draft",
                        Status::Future => "future",
                        Status::Expired => "expired",
                    };
                    out.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{status}\n",
                        a.date,
                        field(&a.url),
                        field(&a.file),
                        field(&a.title),
                    ));
                }
                out
            }
        }
    }
}
