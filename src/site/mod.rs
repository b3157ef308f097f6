//! The site model: the published articles with their URLs, in reading
//! order, and the indexes over them: taxonomies ([`taxonomy`]), date
//! archives ([`archive`]) and the pagination they share ([`pagination`]).
//!
//! It holds metadata only; listings refer to articles by their position in
//! reading order, which is recomputed whenever the site is assembled again.
//! Pages are made from it by [`crate::render`] and written by [`crate::project`].

pub mod archive;
pub mod initials;
pub mod listing;
pub mod pagination;
pub mod redirects;
pub mod related;
pub mod taxonomy;
pub mod translations;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use translations::Translations;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

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
    pub config: Arc<Config>,
    /// Published articles, newest first, ties broken by title then file.
    pub articles: Vec<Arc<Article>>,
    /// Drafts not published (no `--drafts`).
    pub drafts_left_out: usize,
    /// Articles dated after the build time, not published (no `--drafts`).
    pub future_left_out: usize,
    /// Articles past their expiry date, not published (no `--drafts`).
    pub expired_left_out: usize,
    /// The home page's listing: every article's index, newest first.
    pub home: Vec<u32>,
    /// Tags, authors and sections, in [`TaxonomyKind::ALL`] order.
    pub taxonomies: Vec<Taxonomy>,
    /// Years, months and days with articles.
    pub archive: DateArchive,
    /// For each article, the articles related to it, best first.
    pub related: Vec<Vec<u32>>,
    /// Warnings found while building the indexes.
    pub warnings: Vec<Warning>,
    /// The translations of its articles into the site's other languages
    /// (none in a site in one language).
    pub translations: Arc<Translations>,
}

/// Which articles to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Publish drafts and future articles too.
    pub include_drafts: bool,
    /// The build time: articles dated later are future articles.
    pub now: Timestamp,
    /// In a site in several languages, the one whose articles are
    /// published (an index into the config's `languages`); all when `None`.
    pub language: Option<u16>,
}

impl Site {
    /// Selects the articles to publish, gives each its URL and sorts them.
    /// Two articles on one URL is an error naming both files.
    /// `previous`, the site assembled before from mostly the same articles,
    /// lets the work that depends on few articles be carried over.
    pub fn assemble(
        config: Arc<Config>,
        articles: impl IntoIterator<Item = Arc<Article>>,
        selection: Selection,
        previous: Option<&Site>,
    ) -> Result<Site, Vec<FileError>> {
        let mut drafts_left_out = 0;
        let mut future_left_out = 0;
        let mut expired_left_out = 0;
        let mut published: Vec<Arc<Article>> = articles
            .into_iter()
            .filter(|a| match selection.left_out(a) {
                Some(LeftOut::Draft) => {
                    drafts_left_out += 1;
                    false
                }
                Some(LeftOut::Future) => {
                    future_left_out += 1;
                    false
                }
                Some(LeftOut::Expired) => {
                    expired_left_out += 1;
                    false
                }
                Some(LeftOut::OtherLanguage) => false,
                None => true,
            })
            .collect();

        published.sort_by(|a, b| newest_first(a, b));

        let mut errors = Vec::new();
        let mut owners: HashMap<&str, &Arc<Article>, FxBuildHasher> =
            HashMap::with_capacity_and_hasher(published.len(), FxBuildHasher);
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
        let built: Vec<(Taxonomy, Vec<Warning>)> = TaxonomyKind::ALL
            .par_iter()
            .map(|&kind| {
                let mut warnings = Vec::new();
                let taxonomy = Taxonomy::build(kind, &published, &mut warnings);
                (taxonomy, warnings)
            })
            .collect();
        let taxonomies = built
            .into_iter()
            .map(|(taxonomy, found)| {
                warnings.extend(found);
                taxonomy
            })
            .collect();
        let archive = DateArchive::build(&published);
        let mut site = Site {
            config,
            home: (0..published.len() as u32).collect(),
            articles: published,
            drafts_left_out,
            future_left_out,
            expired_left_out,
            taxonomies,
            archive,
            related: Vec::new(),
            warnings,
            translations: Arc::default(),
        };
        site.related = site.find_all_related(previous);
        Ok(site)
    }

    /// One taxonomy.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        self.taxonomies
            .iter()
            .find(|t| t.kind == kind)
            .expect("every taxonomy is built")
    }
}

/// Why an article is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// A draft, without `--drafts`.
    Draft,
    /// Dated after the build time, without `--drafts`.
    Future,
    /// Past its `expiryDate`, without `--drafts`.
    Expired,
    /// In another language than the one being built: published there, and
    /// not counted as left out.
    OtherLanguage,
}

impl Selection {
    /// Why an article is left out, or `None` when it is published.
    pub fn left_out(&self, article: &Article) -> Option<LeftOut> {
        if self.language.is_some_and(|l| l != article.language) {
            Some(LeftOut::OtherLanguage)
        } else if self.include_drafts {
            None
        } else if article.front.draft {
            Some(LeftOut::Draft)
        } else if article.date.timestamp > self.now {
            Some(LeftOut::Future)
        } else if article
            .front
            .more()
            .expires
            .as_ref()
            .is_some_and(|expires| expires.timestamp <= self.now)
        {
            Some(LeftOut::Expired)
        } else {
            None
        }
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
