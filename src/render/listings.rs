//! Template contexts of listing pages: the `paginator` every listing shares,
//! and what each kind of listing adds (`term`, `archive`, `taxonomy`).

use tera::{Context, Value};

use super::views::{TermView, map, value};
use super::{ListItems, dates};
use crate::hash::Signature;
use crate::site::Site;
use crate::site::archive::Year;
use crate::site::initials::InitialGroup;
use crate::site::listing::{Listing, PageKind, Plan, PlannedPage, YearStart, initial_path};
use crate::site::pagination::Pagination;
use crate::site::taxonomy::{Taxonomy, TaxonomyKind, Term};

/// How many terms the "most used" part of a taxonomy overview shows.
const MOST_USED: usize = 20;
/// How many when the overview links to a page per initial instead of
/// listing every term.
const MOST_USED_PAGED: usize = 60;

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
            let years = &plan.year_starts[*listing];
            let (listing, pagination) = &plan.listings[*listing];
            let listed = listing.items(site);
            context.insert_value(
                "paginator",
                paginator(site, items, listed, pagination, *page),
            );
            if !years.is_empty() {
                context.insert_value("years", year_links(site, years, pagination));
            }
            listing_context(site, items, listing, &mut context)
        }
        PageKind::Redirect { to, .. } => {
            let (link, canonical) = match crate::links::classify(to) {
                crate::links::LinkKind::External => (to.clone(), to.clone()),
                _ => (config.base_url.link(to), config.base_url.absolute(to)),
            };
            context.insert("redirect_to", &link);
            context.insert("canonical", &canonical);
            "redirect.html"
        }
        PageKind::TaxonomyOverview(kind) => {
            let overview = taxonomy_overview(site, items, plan, site.taxonomy(*kind));
            context.insert_value("taxonomy", overview);
            "taxonomy.html"
        }
        PageKind::TaxonomyInitial { kind, group } => {
            initial_page(site, plan, site.taxonomy(*kind), *group, &mut context);
            "taxonomy_initial.html"
        }
        PageKind::ArchiveOverview => {
            context.insert_value("archive", dates::archive_overview(site));
            "archive.html"
        }
        PageKind::NotFound => "404.html",
        PageKind::Search => "search.html",
    };
    context.insert("page_url", &config.base_url.link(&page.path));
    if !matches!(
        page.kind,
        PageKind::Redirect { .. } | PageKind::NotFound | PageKind::Search
    ) {
        context.insert("canonical", &config.base_url.absolute(&page.path));
        context.insert_value("sidebar", items.sidebar.clone());
    }
    (template, context)
}

/// `sidebar` on listing and overview pages: the sections (by name) and
/// the years, newest first, and `html`, the sidebar partial rendered once
/// with them (none while it is being rendered). It changes only when a
/// section or a year appears or goes, so a new article does not make every
/// page again.
pub(crate) fn sidebar(site: &Site, html: Value) -> Value {
    let config = &site.config;
    let sections = site.taxonomy(TaxonomyKind::Sections);
    let mut by_name: Vec<&Term> = sections.terms.iter().collect();
    by_name.sort_by_cached_key(|t| (t.name.to_lowercase(), t.slug.clone()));
    map([
        (
            "sections",
            Value::from(
                by_name
                    .into_iter()
                    .map(|t| {
                        map([
                            ("name", Value::from(t.name.as_str())),
                            (
                                "url",
                                Value::from(config.base_url.link(&sections.term_path(t))),
                            ),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "years",
            Value::from(
                site.archive
                    .years
                    .iter()
                    .rev()
                    .map(|y| map(dates::year_fields(config, y.year)))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("html", html),
    ])
}

/// What [`sidebar`] shows, for signatures.
fn add_sidebar(signature: &mut Signature, site: &Site) {
    for term in &site.taxonomy(TaxonomyKind::Sections).terms {
        signature.add((&term.name, &term.slug));
    }
    for year in &site.archive.years {
        signature.add(year.year);
    }
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
    if !matches!(
        page.kind,
        PageKind::Redirect { .. } | PageKind::NotFound | PageKind::Search
    ) {
        add_sidebar(&mut signature, site);
    }
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
            signature.add(&plan.year_starts[*listing]);
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
                    signature.add(dates::DayNeighbours::of(site, year, month, day));
                }
            }
        }
        PageKind::Redirect { to, .. } => {
            signature.add(to);
        }
        PageKind::TaxonomyOverview(kind) | PageKind::TaxonomyInitial { kind, .. } => {
            let taxonomy = site.taxonomy(*kind);
            let groups = plan.initials_of(*kind);
            for group in groups {
                signature.add((&group.label, &group.slug, group.terms.len()));
            }
            let shown: Vec<usize> = match page.kind {
                PageKind::TaxonomyInitial { group, .. } => groups[group].terms.clone(),
                _ => groups
                    .iter()
                    .flat_map(|g| g.terms.iter().copied())
                    .collect(),
            };
            for t in shown {
                let term = &taxonomy.terms[t];
                signature.add((&term.name, &term.slug, term.articles.len()));
            }
            if matches!(
                page.kind,
                PageKind::TaxonomyOverview(TaxonomyKind::Sections)
            ) {
                for term in &taxonomy.terms {
                    for &i in term.articles.iter().take(FRONT_HEADLINES) {
                        signature.add(versions[i as usize]);
                    }
                }
            }
        }
        PageKind::ArchiveOverview => {
            signature.add(site.articles.len());
            for y in years {
                add_year(&mut signature, Some(y));
            }
        }
        PageKind::NotFound | PageKind::Search => {}
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
    let listed = &listed[page.items.clone()];
    let pick = |item: &dyn Fn(usize) -> Value| -> Value {
        Value::from(listed.iter().map(|&i| item(i as usize)).collect::<Vec<_>>())
    };
    // A page's items are made for it (see `ListItems`), and only when a
    // template can read them.
    let listed_items = if items.paginated_items {
        pick(&|i| items.item(site, i))
    } else {
        Value::from(Vec::<Value>::new())
    };
    map([
        ("items", listed_items),
        ("cards", {
            let cards = items.cards();
            pick(&|i| cards[i].clone())
        }),
        ("current", Value::from(page.number)),
        ("total_pages", Value::from(pagination.pages.len())),
        ("total_items", Value::from(pagination.total_items)),
        ("url", Value::from(base.link(&page.path))),
        ("first", Value::from(base.link(pagination.newest()))),
        ("last", Value::from(base.link(pagination.oldest()))),
        ("previous", link(pagination.newer(position))),
        ("next", link(pagination.older(position))),
        ("window", page_window(site, pagination, position)),
    ])
}

/// How many pages either side of the current one the numbered links show.
const WINDOW: usize = 2;

/// `paginator.window`: numbered links to the first and last pages and to
/// those around the current one, in reading order, with a gap where pages
/// are left out: `1 … 5 6 [7] 8 9 … 81`.
fn page_window(site: &Site, pagination: &Pagination, position: usize) -> Value {
    let base = &site.config.base_url;
    let window = window_positions(pagination.pages.len(), position)
        .into_iter()
        .map(|shown| match shown {
            Some(p) => map([
                ("number", Value::from(pagination.pages[p].number)),
                ("url", Value::from(base.link(&pagination.pages[p].path))),
                ("current", Value::from(p == position)),
            ]),
            None => map([("gap", Value::from(true))]),
        })
        .collect::<Vec<_>>();
    Value::from(window)
}

/// The positions `paginator.window` shows, in order, `None` for a gap:
/// the first and last and those within [`WINDOW`] of `position`. At most
/// nine, whatever the number of pages: a listing's every page costs the
/// same, however long the listing.
fn window_positions(pages: usize, position: usize) -> Vec<Option<usize>> {
    let last = pages - 1;
    let mut shown: Vec<usize> = [0, last]
        .into_iter()
        .chain(position.saturating_sub(WINDOW)..=(position + WINDOW).min(last))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut window = Vec::with_capacity(shown.len() + 2);
    for (i, &p) in shown.iter().enumerate() {
        if i > 0 && p > shown[i - 1] + 1 {
            window.push(None);
        }
        window.push(Some(p));
    }
    window
}

/// `years` on tag, author and section pages: each year of the listing,
/// newest first, with its count and the page where it starts.
fn year_links(site: &Site, years: &[YearStart], pagination: &Pagination) -> Value {
    let base = &site.config.base_url;
    Value::from(
        years
            .iter()
            .map(|start| {
                map([
                    ("year", Value::from(format!("{:04}", start.year))),
                    ("count", Value::from(start.count)),
                    (
                        "url",
                        Value::from(base.link(&pagination.pages[start.page].path)),
                    ),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// Adds what the listing is about, and returns its template.
fn listing_context(
    site: &Site,
    items: &ListItems,
    listing: &Listing,
    context: &mut Context,
) -> &'static str {
    let config = &site.config;
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
            context.insert_value("archive", dates::year_archive(site, year));
            "year.html"
        }
        Listing::Month { year, month } => {
            let archive = dates::month_archive(site, &items.archive, year, month);
            context.insert_value("archive", archive);
            "month.html"
        }
        Listing::Day { year, month, day } => {
            let archive = dates::day_archive(site, &items.archive, year, month, day);
            context.insert_value("archive", archive);
            "day.html"
        }
    }
}

/// `taxonomy` on term pages: which taxonomy, and its overview's link.
fn taxonomy_header(site: &Site, taxonomy: &Taxonomy) -> Value {
    map(taxonomy_fields(site, taxonomy))
}

fn taxonomy_fields(site: &Site, taxonomy: &Taxonomy) -> Vec<(&'static str, Value)> {
    vec![
        ("name", Value::from(taxonomy.kind.path_segment())),
        (
            "title",
            Value::from(site.config.locale.text(taxonomy.kind.path_segment())),
        ),
        ("singular", Value::from(taxonomy.kind.singular())),
        (
            "url",
            Value::from(site.config.base_url.link(&taxonomy.path())),
        ),
    ]
}

/// `taxonomy` on overview pages: the most used terms, the bar of
/// initials, and either every term filed under its initial or, for a
/// large taxonomy, links to a page per initial. Sections also get their
/// latest headlines (a section front).
fn taxonomy_overview(site: &Site, items: &ListItems, plan: &Plan, taxonomy: &Taxonomy) -> Value {
    let config = &site.config;
    let paged = plan.has_initial_pages(site, taxonomy.kind);
    let view = |t: &Term| value(&TermView::new(config, taxonomy, t));
    let mut most_used: Vec<&Term> = taxonomy.terms.iter().collect();
    most_used.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    most_used.truncate(if paged { MOST_USED_PAGED } else { MOST_USED });
    let groups: Vec<Value> = if paged {
        Vec::new()
    } else {
        plan.initials_of(taxonomy.kind)
            .iter()
            .map(|group| {
                map([
                    ("label", Value::from(group.label.as_str())),
                    ("slug", Value::from(group.slug.as_str())),
                    (
                        "terms",
                        Value::from(
                            group
                                .terms
                                .iter()
                                .map(|&t| view(&taxonomy.terms[t]))
                                .collect::<Vec<_>>(),
                        ),
                    ),
                ])
            })
            .collect()
    };
    let all_terms: Vec<Value> = if paged {
        Vec::new()
    } else {
        plan.initials_of(taxonomy.kind)
            .iter()
            .flat_map(|group| group.terms.iter().map(|&t| view(&taxonomy.terms[t])))
            .collect()
    };
    let mut fields = taxonomy_fields(site, taxonomy);
    fields.extend([
        ("count", Value::from(taxonomy.terms.len())),
        ("paged", Value::from(paged)),
        ("terms", Value::from(all_terms)),
        ("initials", initial_links(site, plan, taxonomy)),
        ("groups", Value::from(groups)),
        (
            "most_used",
            Value::from(most_used.into_iter().map(view).collect::<Vec<_>>()),
        ),
    ]);
    if taxonomy.kind == TaxonomyKind::Sections {
        fields.push(("fronts", section_fronts(site, items, taxonomy)));
    }
    map(fields)
}

/// How many headlines a section front shows of each section.
pub const FRONT_HEADLINES: usize = 5;

/// Each section, largest first, with its latest headlines.
fn section_fronts(site: &Site, items: &ListItems, taxonomy: &Taxonomy) -> Value {
    let mut sections: Vec<&Term> = taxonomy.terms.iter().collect();
    sections.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    Value::from(
        sections
            .into_iter()
            .map(|term| {
                let latest: Vec<Value> = term
                    .articles
                    .iter()
                    .take(FRONT_HEADLINES)
                    .map(|&i| items.item(site, i as usize))
                    .collect();
                map([
                    ("term", value(&TermView::new(&site.config, taxonomy, term))),
                    ("latest", Value::from(latest)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// `taxonomy.initials`: the bar of initials, each with its number of terms
/// and its link: its page, or its part of the overview.
fn initial_links(site: &Site, plan: &Plan, taxonomy: &Taxonomy) -> Value {
    let paged = plan.has_initial_pages(site, taxonomy.kind);
    let groups = plan.initials_of(taxonomy.kind);
    Value::from(
        groups
            .iter()
            .enumerate()
            .map(|(g, group)| {
                // The first initial of another script is introduced by its name.
                let script_start = group
                    .script
                    .filter(|s| g == 0 || groups[g - 1].script != Some(*s));
                let url = if paged {
                    site.config
                        .base_url
                        .link(&initial_path(taxonomy.kind, &group.slug))
                } else {
                    format!("#initial-{}", group.slug)
                };
                map([
                    ("label", Value::from(group.label.as_str())),
                    ("slug", Value::from(group.slug.as_str())),
                    ("count", Value::from(group.terms.len())),
                    ("url", Value::from(url)),
                    ("script", script_start.map_or_else(Value::none, Value::from)),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

/// `taxonomy` and `initial` on the page of one initial: its terms in
/// reading order, and the initials before and after it.
fn initial_page(
    site: &Site,
    plan: &Plan,
    taxonomy: &Taxonomy,
    group: usize,
    context: &mut Context,
) {
    let config = &site.config;
    let groups = plan.initials_of(taxonomy.kind);
    let link = |g: Option<&InitialGroup>| {
        g.map_or_else(Value::none, |g| {
            map([
                ("label", Value::from(g.label.as_str())),
                (
                    "url",
                    Value::from(config.base_url.link(&initial_path(taxonomy.kind, &g.slug))),
                ),
            ])
        })
    };
    let shown = &groups[group];
    let terms: Vec<Value> = shown
        .terms
        .iter()
        .map(|&t| value(&TermView::new(config, taxonomy, &taxonomy.terms[t])))
        .collect();
    let mut fields = taxonomy_fields(site, taxonomy);
    fields.extend([
        ("count", Value::from(taxonomy.terms.len())),
        ("initials", initial_links(site, plan, taxonomy)),
    ]);
    context.insert_value("taxonomy", map(fields));
    context.insert_value(
        "initial",
        map([
            ("label", Value::from(shown.label.as_str())),
            ("slug", Value::from(shown.slug.as_str())),
            ("count", Value::from(shown.terms.len())),
            ("terms", Value::from(terms)),
            ("previous", link(group.checked_sub(1).map(|g| &groups[g]))),
            ("next", link(groups.get(group + 1))),
        ]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window as first written: every page tested, which made each
    /// page of a listing cost time in proportion to the listing's length.
    fn window_by_every_page(pages: usize, position: usize) -> Vec<Option<usize>> {
        let last = pages - 1;
        let shown = |p: usize| p == 0 || p == last || p.abs_diff(position) <= WINDOW;
        let mut window = Vec::new();
        for p in 0..pages {
            if shown(p) {
                window.push(Some(p));
            } else if shown(p - 1) {
                window.push(None);
            }
        }
        window
    }

    #[test]
    fn the_page_window_is_the_same_for_every_listing_length_and_page() {
        for pages in 1..40 {
            for position in 0..pages {
                assert_eq!(
                    window_positions(pages, position),
                    window_by_every_page(pages, position),
                    "{pages} pages, at {position}"
                );
            }
        }
        assert_eq!(
            window_positions(50_000, 25_000),
            [
                Some(0),
                None,
                Some(24_998),
                Some(24_999),
                Some(25_000),
                Some(25_001),
                Some(25_002),
                None,
                Some(49_999)
            ]
        );
    }
}
