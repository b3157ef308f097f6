//! Every listing page of the site, planned before anything is rendered:
//! the home page, each term of each taxonomy, and each year, month and day,
//! all paginated by [`paginate`], plus the overview pages.

use std::collections::HashMap;

use super::Site;
use super::archive::{day_path, month_path, year_path};
use super::pagination::{Pagination, paginate};
use super::taxonomy::{Taxonomy, TaxonomyKind, Term};
use crate::diagnostics::FileError;

/// Site path of the archive overview.
pub const ARCHIVE_PATH: &str = "/archive/";

/// Site path of the not-found page, where static hosts look for it.
pub const NOT_FOUND_PATH: &str = "/404.html";

/// What a paginated listing lists.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// Every article: the home page.
    Home,
    /// The articles of one tag, author or section.
    Term {
        /// Its taxonomy.
        taxonomy: &'a Taxonomy,
        /// The term.
        term: &'a Term,
    },
    /// A year, by position in the archive's years.
    Year {
        /// Position in `site.archive.years`.
        year: usize,
    },
    /// A month, by position.
    Month {
        /// Position in `site.archive.years`.
        year: usize,
        /// Position in that year's months.
        month: usize,
    },
    /// A day, by position.
    Day {
        /// Position in `site.archive.years`.
        year: usize,
        /// Position in that year's months.
        month: usize,
        /// Position in that month's days.
        day: usize,
    },
}

impl<'a> Listing<'a> {
    /// The articles listed, newest first, and the listing's site path.
    fn items_and_path(&self, site: &'a Site) -> (&'a [u32], String) {
        let years = &site.archive.years;
        match *self {
            Listing::Home => (&site.home, "/".to_string()),
            Listing::Term { taxonomy, term } => (&term.articles, taxonomy.term_path(term)),
            Listing::Year { year } => (&years[year].articles, year_path(years[year].year)),
            Listing::Month { year, month } => {
                let (y, m) = (&years[year], &years[year].months[month]);
                (&m.articles, month_path(y.year, m.month))
            }
            Listing::Day { year, month, day } => {
                let (y, m) = (&years[year], &years[year].months[month]);
                let d = &m.days[day];
                (&d.articles, day_path(y.year, m.month, d.day))
            }
        }
    }
}

/// What a planned page shows.
#[derive(Debug, Clone)]
pub enum PageKind {
    /// Page `page` of listing `listing` (positions in [`Plan::listings`]).
    Listing {
        /// Position of the listing.
        listing: usize,
        /// Position of the page in its pagination.
        page: usize,
    },
    /// A page that only sends the reader to another.
    Redirect {
        /// Site path to go to.
        to: String,
    },
    /// The overview of a taxonomy (`/tags/`).
    TaxonomyOverview(TaxonomyKind),
    /// Every year and month (`/archive/`).
    ArchiveOverview,
    /// The page static hosts serve for a missing URL (`/404.html`).
    NotFound,
}

/// One page to render and write.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    /// Its site path.
    pub path: String,
    /// What it shows.
    pub kind: PageKind,
}

/// Every listing with its pagination.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The listings, home first.
    pub listings: Vec<(Listing<'a>, Pagination<'a>)>,
}

impl<'a> Plan<'a> {
    /// Paginates every listing of the site.
    pub fn new(site: &'a Site) -> Plan<'a> {
        let mut listings = vec![Listing::Home];
        for taxonomy in &site.taxonomies {
            listings.extend(
                taxonomy
                    .terms
                    .iter()
                    .map(|term| Listing::Term { taxonomy, term }),
            );
        }
        for (y, year) in site.archive.years.iter().enumerate() {
            listings.push(Listing::Year { year: y });
            for (m, month) in year.months.iter().enumerate() {
                listings.push(Listing::Month { year: y, month: m });
                for d in 0..month.days.len() {
                    listings.push(Listing::Day {
                        year: y,
                        month: m,
                        day: d,
                    });
                }
            }
        }
        let config = &site.config;
        let listings = listings
            .into_iter()
            .map(|listing| {
                let (items, path) = listing.items_and_path(site);
                (
                    listing,
                    paginate(&path, items, config.page_size, config.pagination),
                )
            })
            .collect();
        Plan { listings }
    }

    /// Every page to write besides the articles: listing pages, their
    /// redirects and the overviews.
    pub fn pages(&self) -> Vec<PlannedPage> {
        let mut pages = Vec::new();
        for (l, (_, pagination)) in self.listings.iter().enumerate() {
            for (p, page) in pagination.pages.iter().enumerate() {
                pages.push(PlannedPage {
                    path: page.path.clone(),
                    kind: PageKind::Listing {
                        listing: l,
                        page: p,
                    },
                });
            }
            for redirect in &pagination.redirects {
                pages.push(PlannedPage {
                    path: redirect.clone(),
                    kind: PageKind::Redirect {
                        to: pagination.newest.clone(),
                    },
                });
            }
        }
        for kind in TaxonomyKind::ALL {
            pages.push(PlannedPage {
                path: format!("/{}/", kind.path_segment()),
                kind: PageKind::TaxonomyOverview(kind),
            });
        }
        pages.push(PlannedPage {
            path: ARCHIVE_PATH.to_string(),
            kind: PageKind::ArchiveOverview,
        });
        pages.push(PlannedPage {
            path: NOT_FOUND_PATH.to_string(),
            kind: PageKind::NotFound,
        });
        pages
    }
}

/// An article whose URL is also the path of a listing page (a slug `2025`
/// under `/:slug/`, or `tags`) would overwrite it: an error naming the file.
pub fn check_collisions(site: &Site, pages: &[PlannedPage]) -> Vec<FileError> {
    let listing_paths: HashMap<&str, &PlannedPage> =
        pages.iter().map(|p| (p.path.as_str(), p)).collect();
    let mut errors: Vec<FileError> = site
        .articles
        .iter()
        .filter(|a| listing_paths.contains_key(a.url.as_str()) || a.url == "/")
        .map(|a| {
            FileError::at_line(
                &a.shown_path,
                1,
                format!(
                    "this article's URL {} is also a listing page of the site; expected another `slug:` or permalink",
                    a.url
                ),
            )
        })
        .collect();
    errors.sort();
    errors
}
