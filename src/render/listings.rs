//! Template contexts of listing pages: the `paginator` every listing shares,
//! and what each kind of listing adds (`term`, `archive`, `taxonomy`).

use tera::{Context, Value};

use super::ListItems;
use super::views::{DateLink, TermView, map, value};
use crate::hash::Signature;
use crate::site::Site;
use crate::site::archive::{Year, month_name, month_path, year_path};
use crate::site::listing::{ARCHIVE_PATH, Listing, PageKind, Plan, PlannedPage};
use crate::site::pagination::Pagination;
use crate::site::taxonomy::{Taxonomy, Term};

/// How many terms the "most used" part of a taxonomy overview shows.
const MOST_USED: usize = 20;

/// The template and context of a planned page.
pub fn page_context(
    site: &Site,
    items: &ListItems,
    plan: &Plan,
    page: &PlannedPage,
) -> (&'static str, Context) {
    let mut context = Context::new();
    let config = &site.config;
    let template = match &page.kind {
        PageKind::Listing { listing, page } => {
            let (listing, pagination) = &plan.listings[*listing];
            let listed = listing.items(site);
            context.insert_value(
                "paginator",
                paginator(site, items, listed, pagination, *page),
            );
            listing_context(site, listing, &mut context)
        }
        PageKind::Redirect { to } => {
            context.insert("redirect_to", &config.base_url.link(to));
            "redirect.html"
        }
        PageKind::TaxonomyOverview(kind) => {
            context.insert_value("taxonomy", taxonomy_overview(site, site.taxonomy(*kind)));
            "taxonomy.html"
        }
        PageKind::ArchiveOverview => {
            context.insert_value("archive", archive_overview(site));
            "archive.html"
        }
        PageKind::NotFound => "404.html",
    };
    context.insert("page_url", &config.base_url.link(&page.path));
    if !matches!(page.kind, PageKind::Redirect { .. } | PageKind::NotFound) {
        context.insert("canonical", &config.base_url.absolute(&page.path));
    }
    (template, context)
}

/// The signature of a planned page (see [`crate::project`]): everything
/// [`page_context`] reads, with articles as their item versions (`versions`,
/// by position), and the renderer's version. Where a context reads a
/// neighbour (the previous month), the signature takes a little more (the
/// months of the years around it): it may change when the page does not,
/// never the other way.
pub fn page_signature(
    site: &Site,
    plan: &Plan,
    page: &PlannedPage,
    versions: &[u64],
    renderer_version: u64,
) -> u64 {
    // The page's own path is where its signature is kept: not hashed.
    let mut signature = Signature::new("planned page");
    signature.add(renderer_version);
    let years = &site.archive.years;
    let add_year = |signature: &mut Signature, year: Option<&Year>| {
        if let Some(y) = year {
            signature.add((y.year, y.articles.len()));
            for m in &y.months {
                signature.add((m.month, m.articles.len()));
            }
        }
    };
    match &page.kind {
        PageKind::Listing { listing, page } => {
            let (listing, pagination) = &plan.listings[*listing];
            let shown = &pagination.pages[*page];
            signature
                .add((shown.number, &shown.path, pagination.pages.len()))
                .add((
                    pagination.total_items,
                    pagination.newest(),
                    pagination.oldest(),
                ))
                .add((pagination.newer(*page), pagination.older(*page)));
            for &i in &listing.items(site)[shown.items.clone()] {
                signature.add(versions[i as usize]);
            }
            match *listing {
                Listing::Home => {}
                Listing::Term { taxonomy, term } => {
                    let term = &site.taxonomy(taxonomy).terms[term];
                    signature.add((taxonomy, &term.name, &term.slug, term.articles.len()));
                }
                Listing::Year { year } | Listing::Month { year, .. } => {
                    for y in year.saturating_sub(1)..=year + 1 {
                        add_year(&mut signature, years.get(y));
                    }
                    if let Listing::Month { month, .. } = *listing {
                        for d in &years[year].months[month].days {
                            signature.add((d.day, d.articles.len()));
                        }
                    }
                }
                Listing::Day { year, month, day } => {
                    let (y, m) = (&years[year], &years[year].months[month]);
                    let d = &m.days[day];
                    signature.add((y.year, m.month, d.day, d.articles.len()));
                }
            }
        }
        PageKind::Redirect { to } => {
            signature.add(to);
        }
        PageKind::TaxonomyOverview(kind) => {
            for term in &site.taxonomy(*kind).terms {
                signature.add((&term.name, &term.slug, term.articles.len()));
            }
        }
        PageKind::ArchiveOverview => {
            signature.add(site.articles.len());
            for y in years {
                add_year(&mut signature, Some(y));
            }
        }
        PageKind::NotFound => {}
    }
    signature.finish()
}

/// `paginator`: the page's items and the links between pages.
fn paginator(
    site: &Site,
    items: &ListItems,
    listed: &[u32],
    pagination: &Pagination,
    position: usize,
) -> Value {
    let base = &site.config.base_url;
    let link = |path: Option<&str>| path.map_or_else(Value::none, |p| Value::from(base.link(p)));
    let page = &pagination.pages[position];
    let pick = |all: &[Value]| -> Value {
        Value::from(
            listed[page.items.clone()]
                .iter()
                .map(|&i| all[i as usize].clone())
                .collect::<Vec<Value>>(),
        )
    };
    map([
        ("items", pick(&items.values)),
        ("cards", pick(&items.cards)),
        ("current", Value::from(page.number)),
        ("total_pages", Value::from(pagination.pages.len())),
        ("total_items", Value::from(pagination.total_items)),
        ("url", Value::from(base.link(&page.path))),
        ("first", Value::from(base.link(pagination.newest()))),
        ("last", Value::from(base.link(pagination.oldest()))),
        ("previous", link(pagination.newer(position))),
        ("next", link(pagination.older(position))),
    ])
}

/// Adds what the listing is about, and returns its template.
fn listing_context(site: &Site, listing: &Listing, context: &mut Context) -> &'static str {
    let config = &site.config;
    let years = &site.archive.years;
    match *listing {
        Listing::Home => "index.html",
        Listing::Term { taxonomy, term } => {
            let taxonomy = site.taxonomy(taxonomy);
            let term = &taxonomy.terms[term];
            context.insert_value("taxonomy", taxonomy_header(site, taxonomy));
            context.insert("term", &TermView::new(config, taxonomy, term));
            let feed = format!("{}atom.xml", taxonomy.term_path(term));
            context.insert("feed_url", &config.base_url.link(&feed));
            "term.html"
        }
        Listing::Year { year } => {
            let y = &years[year];
            let months: Vec<DateLink> = y
                .months
                .iter()
                .map(|m| DateLink::month(config, y.year, m.month, m.articles.len()))
                .collect();
            let previous = year
                .checked_sub(1)
                .map(|p| DateLink::year(config, years[p].year, years[p].articles.len()));
            let next = years
                .get(year + 1)
                .map(|n| DateLink::year(config, n.year, n.articles.len()));
            let chart = super::chart::months_chart(
                config,
                std::slice::from_ref(y),
                &format!("Articles per month in {}", y.year),
                true,
            );
            context.insert_value(
                "archive",
                map([
                    ("year", Value::from(format!("{:04}", y.year))),
                    ("count", Value::from(y.articles.len())),
                    ("chart", Value::safe_string(&chart)),
                    ("months", value(&months)),
                    ("previous", value(&previous)),
                    ("next", value(&next)),
                ]),
            );
            "year.html"
        }
        Listing::Month { year, month } => {
            let (y, m) = (&years[year], &years[year].months[month]);
            let days: Vec<DateLink> = m
                .days
                .iter()
                .map(|d| DateLink::day(config, y.year, m.month, d.day, d.articles.len()))
                .collect();
            // Neighbours are the nearest months that have articles, across years.
            let previous = if month > 0 {
                let p = &y.months[month - 1];
                Some(DateLink::month(config, y.year, p.month, p.articles.len()))
            } else {
                year.checked_sub(1).and_then(|py| {
                    let py = &years[py];
                    py.months
                        .last()
                        .map(|p| DateLink::month(config, py.year, p.month, p.articles.len()))
                })
            };
            let next = if let Some(n) = y.months.get(month + 1) {
                Some(DateLink::month(config, y.year, n.month, n.articles.len()))
            } else {
                years.get(year + 1).and_then(|ny| {
                    ny.months
                        .first()
                        .map(|n| DateLink::month(config, ny.year, n.month, n.articles.len()))
                })
            };
            let mut fields = month_fields(site, y.year, m.month);
            fields.extend([
                ("count", Value::from(m.articles.len())),
                ("days", value(&days)),
                ("previous", value(&previous)),
                ("next", value(&next)),
            ]);
            context.insert_value("archive", map(fields));
            "month.html"
        }
        Listing::Day { year, month, day } => {
            let (y, m) = (&years[year], &years[year].months[month]);
            let d = &m.days[day];
            let mut fields = month_fields(site, y.year, m.month);
            fields.extend([
                (
                    "month_url",
                    Value::from(config.base_url.link(&month_path(y.year, m.month))),
                ),
                ("day", Value::from(format!("{:02}", d.day))),
                ("day_number", Value::from(d.day)),
                ("count", Value::from(d.articles.len())),
            ]);
            context.insert_value("archive", map(fields));
            "day.html"
        }
    }
}

/// What month and day pages say of their month.
fn month_fields(site: &Site, year: i16, month: i8) -> Vec<(&'static str, Value)> {
    vec![
        ("year", Value::from(format!("{year:04}"))),
        (
            "year_url",
            Value::from(site.config.base_url.link(&year_path(year))),
        ),
        ("month", Value::from(format!("{month:02}"))),
        ("month_name", Value::from(month_name(month))),
    ]
}

/// `taxonomy` on term pages: which taxonomy, and its overview's link.
fn taxonomy_header(site: &Site, taxonomy: &Taxonomy) -> Value {
    map(taxonomy_fields(site, taxonomy))
}

fn taxonomy_fields(site: &Site, taxonomy: &Taxonomy) -> Vec<(&'static str, Value)> {
    vec![
        ("name", Value::from(taxonomy.kind.path_segment())),
        ("title", Value::from(taxonomy.kind.title())),
        ("singular", Value::from(taxonomy.kind.singular())),
        (
            "url",
            Value::from(site.config.base_url.link(&taxonomy.path())),
        ),
    ]
}

/// `taxonomy` on overview pages: every term with its count, grouped by first
/// letter, and the most used first.
fn taxonomy_overview(site: &Site, taxonomy: &Taxonomy) -> Value {
    let config = &site.config;
    let mut by_name: Vec<&Term> = taxonomy.terms.iter().collect();
    by_name.sort_by_cached_key(|t| (sort_key(&t.name), t.slug.clone()));
    let mut letters: Vec<(String, Vec<Value>)> = Vec::new();
    for term in &by_name {
        let letter = initial(&term.name);
        if letters.last().is_none_or(|(l, _)| *l != letter) {
            letters.push((letter, Vec::new()));
        }
        let term_value = value(&TermView::new(config, taxonomy, term));
        letters.last_mut().expect("pushed above").1.push(term_value);
    }
    let mut most_used: Vec<&Term> = taxonomy.terms.iter().collect();
    most_used.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    most_used.truncate(MOST_USED);
    let most_used: Vec<TermView> = most_used
        .into_iter()
        .map(|t| TermView::new(config, taxonomy, t))
        .collect();
    let letters: Vec<Value> = letters
        .into_iter()
        .map(|(letter, terms)| {
            map([
                ("letter", Value::from(letter)),
                ("terms", Value::from(terms)),
            ])
        })
        .collect();
    let mut fields = taxonomy_fields(site, taxonomy);
    fields.extend([
        ("count", Value::from(taxonomy.terms.len())),
        ("letters", Value::from(letters)),
        ("most_used", value(&most_used)),
    ]);
    map(fields)
}

/// Names sort by their ASCII transliteration, case-insensitively.
fn sort_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}

/// The letter a name is filed under: its first letter, transliterated, or `#`.
fn initial(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .filter(char::is_ascii_alphabetic)
        .map_or_else(|| "#".to_string(), |c| c.to_ascii_uppercase().to_string())
}

/// `archive` on the archive overview: every year, newest first, with its months.
fn archive_overview(site: &Site) -> Value {
    let config = &site.config;
    let years: Vec<Value> = site
        .archive
        .years
        .iter()
        .rev()
        .map(|y| {
            let months: Vec<DateLink> = y
                .months
                .iter()
                .map(|m| DateLink::month(config, y.year, m.month, m.articles.len()))
                .collect();
            map([
                ("year", Value::from(format!("{:04}", y.year))),
                ("url", Value::from(config.base_url.link(&year_path(y.year)))),
                ("count", Value::from(y.articles.len())),
                ("months", value(&months)),
            ])
        })
        .collect();
    let chart =
        super::chart::months_chart(config, &site.archive.years, "Articles per month", false);
    map([
        ("years", Value::from(years)),
        ("chart", Value::safe_string(&chart)),
        ("count", Value::from(site.articles.len())),
        ("url", Value::from(config.base_url.link(ARCHIVE_PATH))),
    ])
}
