//! Template contexts of listing pages: the `paginator` every listing shares,
//! and what each kind of listing adds (`term`, `archive`, `taxonomy`).

use tera::{Context, Value};

use super::ListItems;
use super::views::{DateLink, TermView, map, value};
use crate::site::Site;
use crate::site::archive::{month_name, month_path, year_path};
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
            context.insert_value("paginator", paginator(site, items, pagination, *page));
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

/// `paginator`: the page's items and the links between pages.
fn paginator(site: &Site, items: &ListItems, pagination: &Pagination, position: usize) -> Value {
    let link = |path: &Option<String>| match path {
        Some(p) => Value::from(site.config.base_url.link(p)),
        None => Value::none(),
    };
    let page = &pagination.pages[position];
    let pick = |all: &[Value]| -> Value {
        Value::from(
            page.items
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
        ("url", Value::from(site.config.base_url.link(&page.path))),
        (
            "first",
            Value::from(site.config.base_url.link(&pagination.newest)),
        ),
        (
            "last",
            Value::from(site.config.base_url.link(&pagination.oldest)),
        ),
        ("previous", link(&page.newer)),
        ("next", link(&page.older)),
    ])
}

/// Adds what the listing is about, and returns its template.
fn listing_context(site: &Site, listing: &Listing, context: &mut Context) -> &'static str {
    let config = &site.config;
    let years = &site.archive.years;
    match *listing {
        Listing::Home => "index.html",
        Listing::Term { taxonomy, term } => {
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
