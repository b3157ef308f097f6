//! The site model a project makes from its inputs, with what its pages are
//! made from: the listing plan, feeds, list items and their versions.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::inputs::Inputs;
use crate::diagnostics::FileError;
use crate::feeds::{self, FeedSpec};
use crate::links::sources::SourceIndex;
use crate::render::{ListItems, views};
use crate::site::listing::{Plan, PlannedPage, check_collisions};
use crate::site::redirects::redirect_pages;
use crate::site::{LeftOut, Selection, Site};
use crate::sitemap;
use crate::timings::Timings;

/// The site model made from the inputs, with what pages are made from.
pub(super) struct Model {
    pub(super) site: Site,
    pub(super) plan: Plan,
    pub(super) pages: Vec<PlannedPage>,
    pub(super) feeds: Vec<FeedSpec>,
    pub(super) items: ListItems,
    /// Item version of each article, by position.
    pub(super) item_versions: Vec<u64>,
    /// Position of each published article, by file.
    pub(super) positions: HashMap<PathBuf, u32, FxBuildHasher>,
    /// The published articles by source file, for links by source file.
    pub(super) sources: SourceIndex,
}

impl Model {
    /// Assembles the site model, reusing the list items of `previous`
    /// for articles whose item version is unchanged.
    pub(super) fn assemble(
        inputs: &Inputs,
        selection: Selection,
        previous: Option<&Model>,
        timings: &mut Timings,
    ) -> Result<Model, Vec<FileError>> {
        let renderer = inputs.renderer.as_ref().map_err(Clone::clone)?;
        let published = inputs
            .articles
            .values()
            .filter_map(|entry| entry.as_ref().ok())
            .map(|(article, _)| article.clone());
        let site = Site::assemble(
            inputs.config.clone(),
            published,
            selection,
            previous.map(|p| &p.site),
        )?;
        timings.lap("site model");
        let plan = Plan::new(&site);
        let mut pages = plan.pages(&site);
        let mut collisions = check_collisions(&site, &pages);
        let feeds = feeds::plan(&site);
        let feed_paths: std::collections::HashSet<String> = feeds
            .iter()
            .flat_map(|feed| feeds::FeedFormat::of(feed).iter().map(|f| f.path(feed)))
            .collect();
        // What else a redirect may lead to: files of `static/`, feeds and
        // the site's other generated files.
        let made_elsewhere = |path: &str| {
            inputs.assets.site_has(path.trim_start_matches('/'))
                || feed_paths.contains(path)
                || [sitemap::SITEMAP_PATH, sitemap::ROBOTS_PATH].contains(&path)
        };
        let (redirects, redirect_errors) = redirect_pages(&site, &pages, &made_elsewhere);
        collisions.extend(redirect_errors);
        if !collisions.is_empty() {
            return Err(collisions);
        }
        pages.extend(redirects);
        timings.lap("listing plan");
        let item_versions: Vec<u64> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| views::item_version(&site, renderer.version(), i))
            .collect();
        let reusable: HashMap<u64, usize, FxBuildHasher> = previous
            .map(|p| {
                p.item_versions
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| (v, i))
                    .collect()
            })
            .unwrap_or_default();
        let items = ListItems::new(&site, renderer, &item_versions, |version| {
            let (p, &i) = previous.zip(reusable.get(&version))?;
            p.items.cards().get(i).cloned()
        })?;
        timings.lap("list items");
        let positions: HashMap<PathBuf, u32, FxBuildHasher> = site
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.file.clone(), i as u32))
            .collect();
        // Bodies link to articles of every language by their files.
        let everywhere = Selection {
            language: None,
            ..selection
        };
        let (published, unpublished): (Vec<_>, Vec<_>) = inputs
            .articles
            .iter()
            .map(|(file, entry)| (file, entry.as_ref().ok().map(|(a, _)| a)))
            .partition(|(_, article)| article.is_some_and(|a| everywhere.left_out(a).is_none()));
        let config = &inputs.config;
        let sources = SourceIndex::new(
            published.into_iter().filter_map(|(_, article)| {
                let article = article?;
                Some((&**article, config.site_path_of(article)))
            }),
            unpublished.into_iter().map(|(file, _)| file.as_path()),
        );
        Ok(Model {
            site,
            plan,
            pages,
            feeds,
            items,
            item_versions,
            positions,
            sources,
        })
    }

    /// Lets go of what only pages are made from (list items, the listing
    /// plan, the articles by file and by source file) once a write that is
    /// not kept has made them: the search index, made next, needs only the
    /// site, and a large archive's cards are the biggest part of its model.
    /// The page and feed lists stay, for the counts reported.
    pub(super) fn shed_pages(&mut self) {
        self.items = ListItems::default();
        self.item_versions = Vec::new();
        self.plan = Plan::default();
        self.positions = HashMap::default();
        self.sources = SourceIndex::default();
    }

    /// True when `selection` publishes exactly the articles the model holds
    /// (the build time moves while serving, and future articles come due).
    pub(super) fn follows_selection(&self, inputs: &Inputs, selection: Selection) -> bool {
        let published = inputs
            .articles
            .values()
            .filter_map(|e| e.as_ref().ok())
            .filter(|(a, _)| selection.left_out(a).is_none())
            .count();
        published == self.positions.len()
            && inputs
                .articles
                .values()
                .filter_map(|e| e.as_ref().ok())
                .all(|(a, _)| {
                    (selection.left_out(a).is_none()) == self.positions.contains_key(&a.file)
                })
    }
}

/// Recounts the drafts, future and expired articles a site leaves out.
pub(super) fn recount_left_out(site: &mut Site, inputs: &Inputs, selection: Selection) {
    let (mut drafts, mut future, mut expired) = (0, 0, 0);
    for (article, _) in inputs.articles.values().filter_map(|e| e.as_ref().ok()) {
        match selection.left_out(article) {
            Some(LeftOut::Draft) => drafts += 1,
            Some(LeftOut::Future) => future += 1,
            Some(LeftOut::Expired) => expired += 1,
            Some(LeftOut::OtherLanguage) | None => {}
        }
    }
    site.drafts_left_out = drafts;
    site.future_left_out = future;
    site.expired_left_out = expired;
}
