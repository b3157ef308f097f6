//! The site model: the published articles with their URLs, in reading
//! order, and the indexes over them: taxonomies ([`taxonomy`]), date
//! archives ([`archive`]) and the pagination they share ([`pagination`]).
//!
//! It holds metadata only; listing pages refer to articles by index.
//! Pages are made from it by [`crate::render`] and written by [`crate::build`].

pub mod archive;
pub mod listing;
pub mod pagination;
pub mod related;
pub mod taxonomy;

use std::cmp::Ordering;
use std::collections::HashMap;

use jiff::Timestamp;

use crate::config::Config;
use crate::content::Article;
use crate::diagnostics::{FileError, Warning};
use archive::DateArchive;
use taxonomy::{Taxonomy, TaxonomyKind};

/// The articles that will be published, and what was left out.
#[derive(Debug)]
pub struct Site {
    /// The site configuration.
    pub config: Config,
    /// Published articles, newest first, ties broken by title then file.
    pub articles: Vec<Article>,
    /// Drafts not published (no `--drafts`).
    pub drafts_left_out: usize,
    /// Articles dated after the build time, not published (no `--drafts`).
    pub future_left_out: usize,
    /// The home page's listing: every article's index, newest first.
    pub home: Vec<u32>,
    /// Tags, authors and sections, in [`TaxonomyKind::ALL`] order.
    pub taxonomies: Vec<Taxonomy>,
    /// Years, months and days with articles.
    pub archive: DateArchive,
    /// Warnings found while building the indexes.
    pub warnings: Vec<Warning>,
}

/// Which articles to publish.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Publish drafts and future articles too.
    pub include_drafts: bool,
    /// The build time: articles dated later are future articles.
    pub now: Timestamp,
}

impl Site {
    /// Selects the articles to publish, gives each its URL and sorts them.
    /// Two articles on one URL is an error naming both files.
    pub fn assemble(
        config: Config,
        articles: Vec<Article>,
        selection: Selection,
    ) -> Result<Site, Vec<FileError>> {
        let mut drafts_left_out = 0;
        let mut future_left_out = 0;
        let mut published: Vec<Article> = articles
            .into_iter()
            .filter(|a| {
                if selection.include_drafts {
                    true
                } else if a.front.draft {
                    drafts_left_out += 1;
                    false
                } else if a.date.timestamp > selection.now {
                    future_left_out += 1;
                    false
                } else {
                    true
                }
            })
            .collect();

        published.sort_by(newest_first);

        let mut errors = Vec::new();
        let mut owners: HashMap<&str, &Article> = HashMap::with_capacity(published.len());
        for article in &published {
            if let Some(first) = owners.insert(&article.url, article) {
                // Report on the later file of the two, naming the earlier one.
                let (a, b) = if first.shown_path < article.shown_path {
                    (first, article)
                } else {
                    (article, first)
                };
                errors.push(FileError::at_line(
                    &b.shown_path,
                    1,
                    format!(
                        "this article and {} both land on {}; expected distinct URLs (give one of them another `slug:`)",
                        a.shown_path.display(),
                        article.url
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            errors.sort();
            return Err(errors);
        }
        let mut warnings = Vec::new();
        let taxonomies = TaxonomyKind::ALL
            .iter()
            .map(|&kind| Taxonomy::build(kind, &published, &mut warnings))
            .collect();
        let archive = DateArchive::build(&published);
        Ok(Site {
            config,
            home: (0..published.len() as u32).collect(),
            articles: published,
            drafts_left_out,
            future_left_out,
            taxonomies,
            archive,
            warnings,
        })
    }

    /// One taxonomy.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        self.taxonomies
            .iter()
            .find(|t| t.kind == kind)
            .expect("every taxonomy is built")
    }
}

/// Newest first; equal dates by title, then by file, so that two builds of
/// one site list articles in the same order.
pub fn newest_first(a: &Article, b: &Article) -> Ordering {
    b.date
        .timestamp
        .cmp(&a.date.timestamp)
        .then_with(|| a.front.title.cmp(&b.front.title))
        .then_with(|| a.shown_path.cmp(&b.shown_path))
}
