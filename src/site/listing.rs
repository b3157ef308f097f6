//! Every listing page of the site, planned before anything is rendered:
//! the home page, each term of each taxonomy, and each year, month and day,
//! all paginated by [`paginate`], plus the overview pages.

use std::collections::HashSet;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::Site;
use super::archive::{day_path, month_path, year_path};
use super::initials::{InitialGroup, group_terms};
use super::pagination::{Pagination, paginate};
use super::taxonomy::TaxonomyKind;
use crate::diagnostics::FileError;

/// Site path of the archive overview.
pub const ARCHIVE_PATH: &str = "/archive/";

/// Site path of the not-found page, where static hosts look for it.
pub const NOT_FOUND_PATH: &str = "/404.html";

/// What a paginated listing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    /// Every article: the home page.
    Home,
    /// The articles of one tag, author or section.
    Term {
        /// Its taxonomy.
        taxonomy: TaxonomyKind,
        /// Position of the term in the taxonomy's terms.
        term: usize,
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

impl Listing {
    /// The articles listed, newest first.
    pub fn items<'s>(&self, site: &'s Site) -> &'s [u32] {
        let years = &site.archive.years;
        match *self {
            Listing::Home => &site.home,
            Listing::Term { taxonomy, term } => &site.taxonomy(taxonomy).terms[term].articles,
            Listing::Year { year } => &years[year].articles,
            Listing::Month { year, month } => &years[year].months[month].articles,
            Listing::Day { year, month, day } => &years[year].months[month].days[day].articles,
        }
    }

    /// The listing's site path (`/`, `/tags/russia/`, `/2025/03/`).
    pub fn path(&self, site: &Site) -> String {
        let years = &site.archive.years;
        match *self {
            Listing::Home => "/".to_string(),
            Listing::Term { taxonomy, term } => {
                let taxonomy = site.taxonomy(taxonomy);
                taxonomy.term_path(&taxonomy.terms[term])
            }
            Listing::Year { year } => year_path(years[year].year),
            Listing::Month { year, month } => {
                month_path(years[year].year, years[year].months[month].month)
            }
            Listing::Day { year, month, day } => {
                let (y, m) = (&years[year], &years[year].months[month]);
                day_path(y.year, m.month, m.days[day].day)
            }
        }
    }
}

/// What a planned page shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
        /// Site path (or URL) to go to.
        to: String,
        /// The file that asked for it (an article's `aliases`, or
        /// `config.yaml`); none for the redirects of paginations.
        source: Option<std::path::PathBuf>,
    },
    /// The overview of a taxonomy (`/tags/`).
    TaxonomyOverview(TaxonomyKind),
    /// The terms of a taxonomy under one initial (`/tags/by-letter/a/`),
    /// for a taxonomy too large for one overview page.
    TaxonomyInitial {
        /// The taxonomy.
        kind: TaxonomyKind,
        /// Position of the group in [`Plan::initials`].
        group: usize,
    },
    /// Every year and month (`/archive/`).
    ArchiveOverview,
    /// The page static hosts serve for a missing URL (`/404.html`).
    NotFound,
    /// The search page (`/search/`), when the site has search.
    Search,
}

/// One page to render and write.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    /// Its site path.
    pub path: String,
    /// What it shows.
    pub kind: PageKind,
}

/// Where a year starts in a long listing, for links from its pages: a
/// reader of a tag's 81 pages goes straight to 2019.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct YearStart {
    /// The year.
    pub year: i16,
    /// Position (in reading order) of the page holding the year's newest
    /// article.
    pub page: usize,
    /// Articles of that year in the listing.
    pub count: usize,
}

/// Every listing with its pagination. It refers to the site by positions,
/// so it is valid for the [`Site`] it was made from.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The listings, home first.
    pub listings: Vec<(Listing, Pagination)>,
    /// For each listing of a tag, author or section of several pages,
    /// where each of its years starts, newest first (empty for others).
    pub year_starts: Vec<Vec<YearStart>>,
    /// The terms of each taxonomy (in [`TaxonomyKind::ALL`] order) filed
    /// under their initials, for the overviews.
    pub initials: Vec<Vec<InitialGroup>>,
}

/// Above this many terms, a taxonomy's overview lists the most used and
/// links to a page per initial instead of listing every term.
pub const PAGES_PER_INITIAL_FROM: usize = 300;

/// Site path of the page of one initial of a taxonomy.
pub fn initial_path(kind: TaxonomyKind, slug: &str) -> String {
    format!("/{}/by-letter/{slug}/", kind.path_segment())
}

impl Plan {
    /// True when the taxonomy's overview is split into pages per initial.
    pub fn has_initial_pages(&self, site: &Site, kind: TaxonomyKind) -> bool {
        site.taxonomy(kind).terms.len() > PAGES_PER_INITIAL_FROM
    }

    /// The initials of a taxonomy.
    pub fn initials_of(&self, kind: TaxonomyKind) -> &[InitialGroup] {
        let position = TaxonomyKind::ALL
            .iter()
            .position(|k| *k == kind)
            .expect("every kind");
        &self.initials[position]
    }
}

impl Plan {
    /// Paginates every listing of the site.
    pub fn new(site: &Site) -> Plan {
        let mut listings = vec![Listing::Home];
        for taxonomy in &site.taxonomies {
            listings.extend((0..taxonomy.terms.len()).map(|term| Listing::Term {
                taxonomy: taxonomy.kind,
                term,
            }));
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
            .into_par_iter()
            .map(|listing| {
                let pagination = paginate(
                    &listing.path(site),
                    listing.items(site).len(),
                    config.page_size,
                    config.pagination,
                );
                (listing, pagination)
            })
            .collect::<Vec<_>>();
        let year_starts = listings
            .par_iter()
            .map(|(listing, pagination)| match listing {
                // On a single page every year is in view already.
                Listing::Term { .. } if pagination.pages.len() > 1 => {
                    year_starts(site, listing.items(site), pagination)
                }
                _ => Vec::new(),
            })
            .collect();
        let initials = TaxonomyKind::ALL
            .par_iter()
            .map(|&kind| group_terms(site.taxonomy(kind), &config.author_sort))
            .collect();
        Plan {
            listings,
            year_starts,
            initials,
        }
    }

    /// Every page to write besides the articles: listing pages, their
    /// redirects and the overviews.
    pub fn pages(&self, site: &Site) -> Vec<PlannedPage> {
        let mut pages: Vec<PlannedPage> = self
            .listings
            .par_iter()
            .enumerate()
            .flat_map_iter(|(l, (_, pagination))| {
                let listed =
                    pagination
                        .pages
                        .iter()
                        .enumerate()
                        .map(move |(p, page)| PlannedPage {
                            path: page.path.clone(),
                            kind: PageKind::Listing {
                                listing: l,
                                page: p,
                            },
                        });
                let redirects = pagination.redirects.iter().map(|redirect| PlannedPage {
                    path: redirect.clone(),
                    kind: PageKind::Redirect {
                        to: pagination.newest().to_string(),
                        source: None,
                    },
                });
                listed.chain(redirects)
            })
            .collect();
        for kind in TaxonomyKind::ALL {
            pages.push(PlannedPage {
                path: format!("/{}/", kind.path_segment()),
                kind: PageKind::TaxonomyOverview(kind),
            });
            if self.has_initial_pages(site, kind) {
                for (group, initial) in self.initials_of(kind).iter().enumerate() {
                    pages.push(PlannedPage {
                        path: initial_path(kind, &initial.slug),
                        kind: PageKind::TaxonomyInitial { kind, group },
                    });
                }
            }
        }
        pages.push(PlannedPage {
            path: ARCHIVE_PATH.to_string(),
            kind: PageKind::ArchiveOverview,
        });
        if site.config.edition == 0 {
            // One for the whole site, served by the host at its root.
            pages.push(PlannedPage {
                path: NOT_FOUND_PATH.to_string(),
                kind: PageKind::NotFound,
            });
        }
        if site.config.search {
            pages.push(PlannedPage {
                path: crate::search::SEARCH_PAGE_PATH.to_string(),
                kind: PageKind::Search,
            });
        }
        pages
    }
}

/// Where each year starts in a listing (items newest first): the page of
/// its newest article, and its count. Years come newest first; an article
/// filed out of order (a date written in another offset) counts in its year
/// without moving where the year starts.
fn year_starts(site: &Site, items: &[u32], pagination: &Pagination) -> Vec<YearStart> {
    let mut starts: Vec<YearStart> = Vec::new();
    let mut page = 0;
    for (k, &i) in items.iter().enumerate() {
        while !pagination.pages[page].items.contains(&k) {
            page += 1;
        }
        let year = site.articles[i as usize].date.date().year();
        match starts.iter_mut().find(|s| s.year == year) {
            Some(start) => start.count += 1,
            None => starts.push(YearStart {
                year,
                page,
                count: 1,
            }),
        }
    }
    starts
}

/// An article whose URL is also the path of a listing page (a slug `2025`
/// under `/:slug/`, or `tags`) would overwrite it: an error naming the file.
pub fn check_collisions(site: &Site, pages: &[PlannedPage]) -> Vec<FileError> {
    let listing_paths: HashSet<&str, FxBuildHasher> =
        pages.iter().map(|p| p.path.as_str()).collect();
    let mut errors: Vec<FileError> = site
        .articles
        .iter()
        .filter(|a| listing_paths.contains(a.url.as_str()) || a.url == "/")
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
