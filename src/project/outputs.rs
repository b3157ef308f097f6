//! Every output file of a site, what makes it and its signature, and the
//! writing of them, stage by stage: copies, article pages, bundle files,
//! listing pages, feeds, sitemaps.
//!
//! Outputs are listed in that order; when two claim one path, the later one
//! is the file (a generated page over a file of `static/`, a bundle's file
//! over its article's page), in a first build and in every rebuild alike.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use xxhash_rust::xxh3::xxh3_64;

use super::inputs::Inputs;
use super::model::Model;
use super::{BuildError, WriteReport};
use crate::assets::AssetSource;
use crate::diagnostics::FileError;
use crate::diagnostics::{Warning, WarningKind};
use crate::feeds::{self, FeedFormat};
use crate::hash::{Signature, hash_of};
use crate::images::{self, SourceFiles};
use crate::links::check::{self, PageLinks, Targets};
use crate::links::sources::source_path;
use crate::markdown;
use crate::output::{OutputError, Sink, page_file};
use crate::progress::Progress;
use crate::render::{Renderer, listings};
use crate::search::{self, DocTerms};
use crate::site::listing::PageKind;
use crate::site::redirects::{REDIRECTS_FILE, redirects_file};
use crate::sitemap;
use crate::source::{CONTENT_DIR, Stamp, slash_path};
use crate::timings::Timings;

/// Joins a template error to the page it broke.
const RENDERING_NOTE: &str = " (while rendering ";

/// The signatures of the outputs last written, by output path.
#[derive(Debug, Default)]
pub struct Written {
    records: HashMap<String, Record, FxBuildHasher>,
}

#[derive(Debug)]
struct Record {
    /// `None` while the output is being written: a write that fails half
    /// way leaves it unknown, so the next rebuild makes it again (or removes
    /// it, if the site no longer has it).
    signature: Option<u64>,
    /// Further files the output made (the parts of a split sitemap).
    also: Vec<String>,
}

impl Written {
    /// Number of outputs written.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True before anything was written.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// What makes one output.
#[derive(Debug, Clone)]
enum Job {
    /// A file of the built-in theme.
    Builtin(&'static str),
    /// A file copied as it is: from `static/`, a loose content file.
    Copy(Box<Source>),
    /// The page of the article at a position.
    Article(u32),
    /// The search result file of the article at a position.
    SearchDoc(u32),
    /// A file of a bundle, copied next to its article's page.
    BundleFile(Box<Source>),
    /// A listing, overview, redirect or not-found page (index into the plan's pages).
    Page(usize),
    /// A feed in one form (index into the feeds).
    Feed(usize, FeedFormat),
    /// `sitemap.xml`, and its parts when it is split.
    Sitemaps,
    /// The Google News sitemap.
    NewsSitemap,
    /// `robots.txt`.
    Robots,
    /// `_redirects`, for hosts that answer old URLs with a real 301.
    Redirects,
}

/// A file copied into the output, with its stamp when it was last looked at.
#[derive(Debug, Clone)]
struct Source {
    file: PathBuf,
    stamp: Option<Stamp>,
}

impl Source {
    fn new(file: PathBuf, stamp: Option<Stamp>) -> Box<Source> {
        Box::new(Source { file, stamp })
    }
}

/// The source of every file copied into the output, by output path: where
/// the images that pages show come from, for their sizes.
struct CopiedFiles<'p> {
    files: HashMap<&'p str, &'p Source, FxBuildHasher>,
    /// In a language other than the default, the files of `static/`, which
    /// the default language writes at the root and its pages show too.
    at_root: Option<&'p crate::assets::Assets>,
}

impl<'p> CopiedFiles<'p> {
    fn new(outputs: &'p [Output], at_root: Option<&'p crate::assets::Assets>) -> Self {
        // Later outputs win a path, as they do when written.
        let files = outputs.iter().filter_map(|output| match &output.job {
            Job::Copy(source) | Job::BundleFile(source) => Some((&*output.path, &**source)),
            _ => None,
        });
        CopiedFiles {
            files: files.collect(),
            at_root,
        }
    }
}

impl SourceFiles for CopiedFiles<'_> {
    fn source(&self, output_path: &str) -> Option<(&Path, Option<Stamp>)> {
        match self.files.get(output_path) {
            Some(source) => Some((source.file.as_path(), source.stamp)),
            None => self
                .at_root?
                .site_file(output_path)
                .map(|(file, stamp)| (file, Some(stamp))),
        }
    }
}

/// The files of `static/` when another language writes them: those of the
/// inputs of a language other than the default.
fn static_files_elsewhere<'i>(
    model: &Model,
    inputs: &'i Inputs,
) -> Option<&'i crate::assets::Assets> {
    (model.site.config.edition != 0).then_some(&inputs.assets)
}

/// One output: its path (relative to the output folder) and what makes it.
/// Small, since a large archive has hundreds of thousands.
#[derive(Debug)]
struct Output {
    path: Box<str>,
    job: Job,
}

/// Every output of the site in stage order, and which one is the file at
/// each path. It changes only when the site's shape does, so a rebuild that
/// only changed what articles say reuses it.
pub(super) struct OutputPlan {
    outputs: Vec<Output>,
    /// Paths claimed twice, as errors naming both sources.
    pub(super) conflicts: Vec<FileError>,
    /// Whether a news sitemap is among the outputs.
    with_news: bool,
    /// Not written yet: outputs the site had before may be gone.
    fresh: bool,
}

impl OutputPlan {
    /// Every output path of the plan.
    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        self.outputs.iter().map(|o| &*o.path)
    }

    /// True when the plan still fits a site with (or without) recent news.
    pub(super) fn fits(&self, with_news: bool) -> bool {
        self.with_news == with_news
    }

    /// Whether a news sitemap should be planned at `now`.
    pub(super) fn news_at(site: &crate::site::Site, now: Timestamp) -> bool {
        !sitemap::news_articles(site, now).is_empty()
    }
}

/// One write of a project's outputs.
pub(super) struct Run<'a> {
    pub site_dir: &'a Path,
    pub model: &'a Model,
    pub renderer: &'a Renderer,
    pub inputs: &'a Inputs,
    pub now: Timestamp,
    pub feed_bodies: &'a mut HashMap<PathBuf, (u64, Arc<str>), FxBuildHasher>,
    /// The links and ids of every article page, by article file, kept from
    /// the write that last made each page.
    pub page_links: &'a mut HashMap<PathBuf, PageLinks, FxBuildHasher>,
    /// The words of each article for the search index, by article file,
    /// with the [`search::terms_key`] they were made for.
    pub search_terms: &'a mut super::search_index::SearchTerms,
    /// Broken links are errors, not warnings.
    pub strict: bool,
    /// Where the stage and count are shown.
    pub progress: &'a Progress,
    /// Keep feed bodies for the next rebuild.
    pub keep_feed_bodies: bool,
    /// Leave the search results of articles whose pages are not made (their
    /// number changed) to [`Run::write_stale_search_docs`], after the pages
    /// are shown.
    pub defer_search_docs: bool,
    /// In a site in several languages, the output paths of the other
    /// languages (under their prefixes), which links may lead to.
    pub elsewhere: &'a HashSet<String, FxBuildHasher>,
}

/// Outputs to write, by stage.
#[derive(Default)]
struct Stages<'o> {
    copies: Vec<&'o Output>,
    articles: Vec<&'o Output>,
    search_docs: Vec<&'o Output>,
    bundle_files: Vec<&'o Output>,
    pages: Vec<&'o Output>,
    feeds: Vec<&'o Output>,
    last: Vec<&'o Output>,
}

impl Stages<'_> {
    /// The search results to make, split by whether their article's page
    /// is made too (its pass gives the text: by position, true) or not
    /// (the body is read again: positions).
    fn search_docs_by_page(&self, articles: usize) -> (Vec<bool>, Vec<usize>) {
        let mut page_made = vec![false; articles];
        for output in &self.articles {
            if let Job::Article(i) = output.job {
                page_made[i as usize] = true;
            }
        }
        let mut with_pages = vec![false; articles];
        let mut alone = Vec::new();
        for output in &self.search_docs {
            if let Job::SearchDoc(i) = output.job {
                if page_made[i as usize] {
                    with_pages[i as usize] = true;
                } else {
                    alone.push(i as usize);
                }
            }
        }
        (with_pages, alone)
    }
}

impl Run<'_> {
    /// Plans every output of the site, and checks that no path is claimed
    /// twice (a file of `static/` or a bundle where a page is made, two
    /// files copied to one place).
    pub(super) fn plan(&self, with_news: bool) -> OutputPlan {
        let outputs = self.outputs(with_news);
        let conflicts = conflicts(&outputs)
            .into_iter()
            .map(|(path, claims)| self.conflict_error(&outputs, path, &claims))
            .collect();
        OutputPlan {
            outputs,
            conflicts,
            with_news,
            fresh: true,
        }
    }

    /// The error for a path claimed by several outputs, located at the
    /// first one that comes from a file of the site.
    fn conflict_error(&self, outputs: &[Output], path: &str, claims: &[usize]) -> FileError {
        let described: Vec<(Option<PathBuf>, String)> = claims
            .iter()
            .map(|&i| self.describe(&outputs[i].job))
            .collect();
        let at = described
            .iter()
            .find_map(|(file, _)| file.clone())
            .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
        let names: Vec<&str> = described.iter().map(|(_, what)| what.as_str()).collect();
        FileError::at_line(
            at,
            1,
            format!(
                "{} all write `{path}` in the output; expected one (rename or move the file)",
                names.join(" and ")
            ),
        )
    }

    /// What makes an output, in words, and the site file it comes from.
    fn describe(&self, job: &Job) -> (Option<PathBuf>, String) {
        let site = &self.model.site;
        let shown = |file: &Path| crate::source::shown(self.site_dir, file);
        match job {
            Job::Builtin(_) => (None, "the built-in theme's file".into()),
            Job::Copy(source) | Job::BundleFile(source) => {
                let file = shown(&source.file);
                (Some(file.clone()), format!("`{}`", file.display()))
            }
            Job::Article(i) => {
                let file = site.articles[*i as usize].shown_path.clone();
                let what = format!("the page of `{}`", file.display());
                (Some(file), what)
            }
            Job::SearchDoc(i) => {
                let file = site.articles[*i as usize].shown_path.clone();
                let what = format!("the search result of `{}`", file.display());
                (Some(file), what)
            }
            Job::Page(i) => {
                let page = &self.model.pages[*i];
                match &page.kind {
                    PageKind::Redirect {
                        source: Some(file), ..
                    } => (
                        Some(file.clone()),
                        format!(
                            "the redirect from {} asked for by `{}`",
                            page.path,
                            file.display()
                        ),
                    ),
                    _ => (None, format!("the page at {}", page.path)),
                }
            }
            Job::Feed(i, format) => (
                None,
                format!(
                    "the {format:?} feed of {}",
                    self.model.feeds[*i].listing_path
                ),
            ),
            Job::Sitemaps => (None, "the sitemap".into()),
            Job::NewsSitemap => (None, "the news sitemap".into()),
            Job::Robots => (None, "the generated robots.txt".into()),
            Job::Redirects => (None, "the generated _redirects".into()),
        }
    }

    /// Every output of the site, in stage order.
    fn outputs(&self, recent_news: bool) -> Vec<Output> {
        let site = &self.model.site;
        let inventory = &self.inputs.inventory;
        let mut outputs = Vec::with_capacity(site.articles.len() * 3 + self.model.pages.len());
        let searched = site.config.search;
        // The files at the root of the site are the default language's to
        // write; the others' pages link to them there.
        let root = site.config.edition == 0;
        let assets = self.inputs.assets.iter().filter(|_| root);
        for (name, source) in assets {
            if !searched && name == crate::assets::SEARCH_SCRIPT {
                continue;
            }
            let job = match source {
                AssetSource::Builtin(text) => Job::Builtin(text),
                AssetSource::File(path, stamp) => {
                    Job::Copy(Source::new(path.clone(), Some(*stamp)))
                }
            };
            outputs.push(Output {
                path: name.into(),
                job,
            });
        }
        let content_dir = self.site_dir.join(CONTENT_DIR);
        let stamped = |file: PathBuf| {
            let stamp = self.inputs.stamps.get(&file).copied();
            (file, stamp)
        };
        for file in inventory.loose_files.iter().filter(|_| root) {
            let (from, stamp) = stamped(content_dir.join(file));
            outputs.push(Output {
                path: slash_path(Path::new(""), file).into(),
                job: Job::Copy(Source::new(from, stamp)),
            });
        }
        outputs.par_extend(
            site.articles
                .par_iter()
                .enumerate()
                .map(|(i, article)| Output {
                    path: page_file(&article.url).into(),
                    job: Job::Article(i as u32),
                }),
        );
        if searched {
            outputs.par_extend((0..site.articles.len()).into_par_iter().map(|i| Output {
                path: search::doc_path(search::doc_id(site, i)).into(),
                job: Job::SearchDoc(i as u32),
            }));
        }
        for article in &site.articles {
            if let Some(dir) = article.bundle_dir() {
                for file in inventory.bundle_files(article) {
                    let (from, stamp) = stamped(dir.join(file));
                    outputs.push(Output {
                        path: format!(
                            "{}{}",
                            check::folder_of(&article.url).trim_start_matches('/'),
                            slash_path(Path::new(""), file)
                        )
                        .into(),
                        job: Job::BundleFile(Source::new(from, stamp)),
                    });
                }
            }
        }
        outputs.par_extend(
            self.model
                .pages
                .par_iter()
                .enumerate()
                .map(|(i, page)| Output {
                    path: page_file(&page.path).into(),
                    job: Job::Page(i),
                }),
        );
        for (i, feed) in self.model.feeds.iter().enumerate() {
            for &format in FeedFormat::of(feed) {
                outputs.push(Output {
                    path: format.path(feed).trim_start_matches('/').into(),
                    job: Job::Feed(i, format),
                });
            }
        }
        let top = |path: &str| path.trim_start_matches('/').into();
        outputs.push(Output {
            path: top(sitemap::SITEMAP_PATH),
            job: Job::Sitemaps,
        });
        if recent_news {
            outputs.push(Output {
                path: top(sitemap::NEWS_SITEMAP_PATH),
                job: Job::NewsSitemap,
            });
        }
        if root
            && !self
                .inputs
                .assets
                .site_has(sitemap::ROBOTS_PATH.trim_start_matches('/'))
        {
            outputs.push(Output {
                path: top(sitemap::ROBOTS_PATH),
                job: Job::Robots,
            });
        }
        // Only for sites that keep old URLs, and never over the site's own.
        let keeps_old_urls = self.model.pages.iter().any(|page| {
            matches!(
                page.kind,
                PageKind::Redirect {
                    source: Some(_),
                    ..
                }
            )
        });
        if root && keeps_old_urls && !self.inputs.assets.site_has(REDIRECTS_FILE) {
            outputs.push(Output {
                path: REDIRECTS_FILE.into(),
                job: Job::Redirects,
            });
        }
        outputs
    }

    /// The signature of an output (see [`crate::project`]); `news` are the
    /// metadata hashes of the articles in the news sitemap.
    fn signature(&self, job: &Job, news: &[u64], copied: &CopiedFiles) -> u64 {
        let model = self.model;
        let site = &model.site;
        let versions = &model.item_versions;
        let config_version = self.inputs.config_version;
        match job {
            Job::Builtin(text) => Signature::new("built-in file").add(text).finish(),
            Job::Copy(source) | Job::BundleFile(source) => Signature::new("copy")
                .add((&source.file, &source.stamp))
                .finish(),
            Job::Article(i) => {
                let page = Renderer::article_signature(site, versions, *i as usize);
                let Some(links) = self.page_links.get(&site.articles[*i as usize].file) else {
                    return page;
                };
                if links.images.is_empty() && links.sources.is_empty() {
                    return page;
                }
                // The page carries its images' sizes and the URLs of the
                // articles it links to by source: a change of either
                // changes it.
                let mut signature = Signature::new("article page with images");
                signature.add(page);
                for path in &links.images {
                    signature.add((path, copied.source(path).map(|(_, stamp)| stamp)));
                }
                signature.add(self.source_urls(*i as usize, &links.sources));
                signature.finish()
            }
            Job::SearchDoc(i) => Signature::new("search result")
                .add((search::terms_key(site, *i as usize), config_version))
                .finish(),
            Job::Page(i) => listings::page_signature(
                site,
                &model.plan,
                &model.pages[*i],
                versions,
                self.renderer.version(),
            ),
            Job::Feed(i, format) => format.signature(site, &model.feeds[*i], config_version),
            Job::Sitemaps => {
                sitemap::sitemaps_signature(site, &model.plan, &model.pages, config_version)
            }
            Job::NewsSitemap => Signature::new("news").add((config_version, news)).finish(),
            Job::Robots => Signature::new("robots")
                .add((config_version, !news.is_empty()))
                .finish(),
            Job::Redirects => {
                let mut signature = Signature::new("redirects");
                signature.add(config_version);
                for page in &model.pages {
                    if let PageKind::Redirect { to, .. } = &page.kind {
                        signature.add((&page.path, to));
                    }
                }
                signature.finish()
            }
        }
    }

    /// Writes the outputs of `plan`: all of them, or with `written`, those
    /// whose signature differs from what was last written, removing the
    /// ones the site no longer has.
    pub fn write(
        &mut self,
        sink: &dyn Sink,
        plan: &mut OutputPlan,
        written: Option<&mut Written>,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildError> {
        let model = self.model;
        let site = &model.site;
        let recent = sitemap::news_articles(site, self.now);
        let news: Vec<u64> = recent.iter().map(|a| a.meta_hash).collect();
        let first_write = written.as_ref().is_none_or(|w| w.is_empty());
        let recording = written.is_some();
        let all = &plan.outputs;
        let copied = CopiedFiles::new(all, static_files_elsewhere(self.model, self.inputs));

        // The outputs to make now.
        let mut chosen: Vec<(&Output, u64)> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        match written.as_deref() {
            None => chosen = all.iter().map(|o| (o, 0)).collect(),
            Some(written) => {
                let signed: Vec<(u32, u64)> = (0..all.len() as u32)
                    .into_par_iter()
                    .map(|i| (i, self.signature(&all[i as usize].job, &news, &copied)))
                    .collect();
                for (i, signature) in signed {
                    let output = &all[i as usize];
                    let same = written
                        .records
                        .get(&*output.path)
                        .is_some_and(|r| r.signature == Some(signature));
                    if !same {
                        chosen.push((output, signature));
                    }
                }
                if plan.fresh {
                    let claimed: std::collections::HashSet<&str, FxBuildHasher> =
                        all.iter().map(|o| &*o.path).collect();
                    removed = written
                        .records
                        .keys()
                        .filter(|path| !claimed.contains(path.as_str()))
                        .cloned()
                        .collect();
                    removed.sort();
                }
            }
        }
        timings.lap("signatures");

        if first_write {
            let page_dirs = site.articles.iter().map(|a| check::folder_of(&a.url));
            let doc_dirs: Vec<String> = if site.config.search {
                search::doc_folders(site.articles.len()).collect()
            } else {
                Vec::new()
            };
            let page_dirs = page_dirs.chain(doc_dirs.iter().map(String::as_str));
            let listing_dirs = model
                .pages
                .iter()
                .map(|p| p.path.as_str())
                .filter(|p| p.ends_with('/'));
            let feed_dirs = model.feeds.iter().map(|f| f.listing_path.as_str());
            sink.create_dirs(&mut page_dirs.chain(listing_dirs).chain(feed_dirs))?;
        }

        let mut stages = Stages::default();
        for (output, _) in &chosen {
            let stage = match output.job {
                Job::Builtin(_) | Job::Copy(..) => &mut stages.copies,
                Job::Article(_) => &mut stages.articles,
                Job::SearchDoc(_) => &mut stages.search_docs,
                Job::BundleFile(..) => &mut stages.bundle_files,
                Job::Page(_) => &mut stages.pages,
                Job::Feed(..) => &mut stages.feeds,
                Job::Sitemaps | Job::NewsSitemap | Job::Robots | Job::Redirects => &mut stages.last,
            };
            stage.push(output);
        }
        let mut report = WriteReport::default();
        let mut errors: Vec<FileError> = Vec::new();
        let mut also: HashMap<String, Vec<String>> = HashMap::new();
        let mut written = written;
        if let Some(written) = written.as_deref_mut() {
            for (output, _) in &chosen {
                written
                    .records
                    .entry(output.path.to_string())
                    .or_insert_with(|| Record {
                        signature: None,
                        also: Vec::new(),
                    })
                    .signature = None;
            }
        }

        let progress = self.progress;
        progress.stage(
            "writing pages and files",
            Some(
                [
                    &stages.copies,
                    &stages.articles,
                    &stages.bundle_files,
                    &stages.pages,
                ]
                .iter()
                .map(|s| s.len() as u64)
                .sum(),
            ),
        );
        self.copy_files(sink, &stages.copies)?;
        timings.lap("copy static files");
        let wanted = self.wanted_feed_bodies(&stages.feeds);
        let (docs_with_pages, mut docs_alone) = stages.search_docs_by_page(site.articles.len());
        let mut deferred = vec![false; site.articles.len()];
        if self.defer_search_docs {
            for i in docs_alone.drain(..) {
                deferred[i] = true;
            }
        }
        let pages = || {
            // Listing pages first: a write that is not kept then lets go of
            // the cards before the article pages gather words and links.
            let page_errors = self.write_pages(sink, &stages.pages);
            if !recording {
                model.items.release_cards();
            }
            let (mut errors, bodies) =
                self.write_articles(sink, &stages.articles, &wanted, &docs_with_pages, &copied);
            let (doc_errors, alone) = self.write_search_docs(sink, &docs_alone);
            errors.extend(doc_errors);
            let bodies = (bodies, alone);
            let copies = self.copy_files(sink, &stages.bundle_files);
            errors.extend(page_errors);
            ((errors, bodies), copies)
        };
        let last = || {
            stages
                .last
                .iter()
                .map(|output| (*output, self.make_last(output, &recent)))
                .collect::<Vec<_>>()
        };
        // Sitemaps need no page. While serving they are made while pages
        // are, for a shorter rebuild; a whole build makes them after, so
        // the two never take memory at once.
        let ((rendered, copies), made_last) = if recording {
            rayon::join(pages, last)
        } else {
            let rendered = pages();
            (rendered, last())
        };
        let (page_errors, (articles, alone)) = rendered;
        copies?;
        errors.extend(page_errors);
        for (i, written) in articles {
            let file = model.site.articles[i].file.clone();
            if let Some(body) = written.feed_body {
                let key = self.feed_body_key(i);
                self.feed_bodies.insert(file.clone(), (key, body));
            }
            if let Some(terms) = written.terms {
                self.search_terms.by_file.insert(file.clone(), terms);
            }
            self.page_links.insert(file, written.links);
        }
        for (i, terms) in alone {
            let file = model.site.articles[i].file.clone();
            self.search_terms.by_file.insert(file, terms);
        }
        timings.lap("articles and listing pages");
        progress.stage("checking links", None);
        if !errors.is_empty() {
            return Err(BuildError::Files(dedup_template_errors(errors)));
        }
        report.link_warnings = self.check_links(&plan.outputs);
        let missing_sources: Vec<FileError> = report
            .link_warnings
            .iter()
            .filter(|w| match &w.kind {
                WarningKind::BrokenLink { dest, .. } => {
                    markdown::is_source_link(dest) && !self.model.sources.names_unpublished(dest)
                }
                _ => false,
            })
            .map(|w| FileError {
                path: w.path.clone(),
                line: w.line.unwrap_or(1),
                column: w.column,
                message: format!(
                    "{}; expected the Markdown file of an article",
                    w.kind.summary_of_one()
                ),
            })
            .collect();
        if !missing_sources.is_empty() {
            return Err(BuildError::Files(missing_sources));
        }
        if self.strict && !report.link_warnings.is_empty() {
            let errors = report
                .link_warnings
                .iter()
                .map(|w| FileError {
                    path: w.path.clone(),
                    line: w.line.unwrap_or(1),
                    column: w.column,
                    message: w.kind.summary_of_one(),
                })
                .collect();
            return Err(BuildError::Files(errors));
        }
        timings.lap("links");
        progress.stage("writing feeds", Some(stages.feeds.len() as u64));
        let bodies = self.feed_bodies_for(&wanted)?;
        stages
            .feeds
            .par_iter()
            .try_for_each(|output| -> Result<(), OutputError> {
                let Job::Feed(i, format) = output.job else {
                    unreachable!("feed stage")
                };
                let text = format.render(site, &model.feeds[i], &bodies);
                progress.advance();
                sink.write(&output.path, text.as_bytes())
            })?;
        drop(bodies);
        self.keep_or_drop_feed_bodies();
        timings.lap("feeds");
        progress.stage("writing sitemaps", None);
        for (output, made) in made_last {
            let paths: Vec<String> = made
                .iter()
                .map(|(path, _)| path.trim_start_matches('/').to_string())
                .filter(|path| **path != *output.path)
                .collect();
            if let Some(record) = written
                .as_deref_mut()
                .and_then(|w| w.records.get_mut(&*output.path))
            {
                // Known before they are written, so a failure cannot lose them.
                record.also.extend(paths.iter().cloned());
            }
            for (path, text) in &made {
                sink.write(path.trim_start_matches('/'), text.as_bytes())?;
            }
            also.insert(output.path.to_string(), paths);
        }
        timings.lap("sitemaps");

        report.files_written = chosen.len() - deferred.iter().filter(|d| **d).count();
        plan.fresh = false;
        if let Some(written) = written {
            for path in &removed {
                if let Some(record) = written.records.remove(path) {
                    for file in record.also.iter().chain(std::iter::once(path)) {
                        sink.remove(file)?;
                        report.files_removed += 1;
                    }
                }
            }
            for (output, signature) in chosen {
                // An article page's signature covers the images it was
                // found to show only now that it has been made.
                let signature = match output.job {
                    Job::Article(_) => self.signature(&output.job, &news, &copied),
                    // Not made yet: its record stays unknown.
                    Job::SearchDoc(i) if deferred[i as usize] => continue,
                    _ => signature,
                };
                let now_also = also.remove(&*output.path).unwrap_or_default();
                if let Some(old) = written.records.get(&*output.path) {
                    for stale in old.also.iter().filter(|p| !now_also.contains(p)) {
                        sink.remove(stale)?;
                        report.files_removed += 1;
                    }
                }
                written.records.insert(
                    output.path.to_string(),
                    Record {
                        signature: Some(signature),
                        also: now_also,
                    },
                );
            }
        }
        Ok(report)
    }

    /// Copies files: built-in theme files, `static/`, loose and bundle files.
    fn copy_files(&self, sink: &dyn Sink, outputs: &[&Output]) -> Result<(), OutputError> {
        outputs.par_iter().try_for_each(|output| {
            self.progress.advance();
            match &output.job {
                Job::Builtin(text) => sink.write(&output.path, text.as_bytes()),
                Job::Copy(source) | Job::BundleFile(source) => {
                    sink.copy(&source.file, &output.path)
                }
                _ => unreachable!("copy stage"),
            }
        })
    }

    /// Every link of every article body that leads nowhere, as warnings
    /// located in the article's file.
    fn check_links(&mut self, outputs: &[Output]) -> Vec<Warning> {
        let site = &self.model.site;
        // Links are checked in the paths of the whole site: a language's
        // pages are under its prefix, and its articles link to the
        // others' and to the files at the root.
        let prefix = site.config.prefix();
        let output_paths: Vec<Cow<'_, str>> = outputs
            .iter()
            .map(|o| under_prefix(prefix, &o.path))
            .collect();
        // Each article page's path, by position: its output's.
        let mut page_paths: Vec<Option<&str>> = vec![None; site.articles.len()];
        for (output, path) in outputs.iter().zip(&output_paths) {
            if let Job::Article(i) = output.job {
                page_paths[i as usize] = Some(path);
            }
        }
        let page_urls: Vec<Cow<'_, str>> = site
            .articles
            .iter()
            .map(|a| {
                if prefix.is_empty() {
                    Cow::Borrowed(a.url.as_str())
                } else {
                    Cow::Owned(format!("/{prefix}{}", a.url.trim_start_matches('/')))
                }
            })
            .collect();
        let mut targets = Targets::default();
        targets.files.extend(output_paths.iter().map(|p| &**p));
        targets
            .files
            .extend(self.elsewhere.iter().map(String::as_str));
        for (article, path) in site.articles.iter().zip(page_paths) {
            if let (Some(path), Some(page)) = (path, self.page_links.get(&article.file)) {
                targets.ids.insert(path, &page.ids);
            }
        }
        let mut warnings: Vec<Warning> = site
            .articles
            .par_iter()
            .zip(&page_urls)
            .flat_map_iter(|(article, page_url)| {
                let links = self
                    .page_links
                    .get(&article.file)
                    .map_or(&[][..], |page| &page.links);
                targets
                    .check(page_url, links)
                    .into_iter()
                    .map(|broken| Warning {
                        kind: WarningKind::BrokenLink {
                            problem: broken.problem,
                            dest: broken.link.dest,
                        },
                        path: article.shown_path.clone(),
                        line: Some(article.body_line + broken.link.line - 1),
                        column: Some(broken.link.column),
                    })
            })
            .collect();
        warnings.sort();
        warnings
    }

    /// Which articles (by position) feeds about to be written show in full.
    fn wanted_feed_bodies(&self, feeds: &[&Output]) -> Vec<bool> {
        let mut wanted = vec![false; self.model.site.articles.len()];
        for output in feeds {
            if let Job::Feed(i, _) = output.job {
                let feed = &self.model.feeds[i];
                if feed.is_full() {
                    for &i in &feed.items {
                        wanted[i as usize] = true;
                    }
                }
            }
        }
        wanted
    }

    /// What a feed body of an article is made from.
    fn feed_body_key(&self, position: usize) -> u64 {
        let article = &self.model.site.articles[position];
        let linked = self
            .page_links
            .get(&article.file)
            .map(|links| self.source_urls(position, &links.sources));
        hash_of((
            article.body_hash,
            &article.url,
            self.inputs.config_version,
            linked,
        ))
    }

    /// Where the links by source file of article `position` lead now.
    fn source_urls(&self, position: usize, dests: &[String]) -> Vec<Option<String>> {
        let from = source_path(&self.model.site.articles[position]);
        dests
            .iter()
            .map(|dest| self.model.sources.resolve(&from, dest))
            .collect()
    }

    /// Writes article pages in parallel; returns their errors, and for each
    /// page written its links and ids and the feed body wanted, by position.
    #[allow(clippy::type_complexity)]
    fn write_articles(
        &self,
        sink: &dyn Sink,
        outputs: &[&Output],
        wanted: &[bool],
        docs: &[bool],
        copied: &CopiedFiles,
    ) -> (Vec<FileError>, Vec<(usize, ArticleWritten)>) {
        let results: Vec<(usize, Result<ArticleWritten, FileError>)> = outputs
            .par_iter()
            .map(|output| {
                let Job::Article(i) = output.job else {
                    unreachable!("article stage")
                };
                let i = i as usize;
                self.progress.advance();
                (
                    i,
                    self.write_article(sink, &output.path, i, wanted[i], docs[i], copied),
                )
            })
            .collect();
        let mut errors = Vec::new();
        let mut written = Vec::new();
        for (i, result) in results {
            match result {
                Ok(page) => written.push((i, page)),
                Err(e) => errors.push(e),
            }
        }
        (errors, written)
    }

    /// The files of a sitemap, news sitemap or `robots.txt` output, as
    /// (site path, text).
    fn make_last(
        &self,
        output: &Output,
        recent: &[&crate::content::Article],
    ) -> Vec<(String, String)> {
        let model = self.model;
        let site = &model.site;
        match output.job {
            Job::Sitemaps => {
                let entries = sitemap::entries(site, &model.plan, &model.pages);
                sitemap::sitemaps(site, &entries, site.config.sitemap_max_urls)
            }
            Job::NewsSitemap => sitemap::news_sitemap(site, recent)
                .map(|xml| vec![(sitemap::NEWS_SITEMAP_PATH.to_string(), xml)])
                .unwrap_or_default(),
            Job::Robots => vec![(
                sitemap::ROBOTS_PATH.to_string(),
                sitemap::robots(site, !recent.is_empty()),
            )],
            Job::Redirects => vec![(
                REDIRECTS_FILE.to_string(),
                redirects_file(site, &model.pages),
            )],
            _ => unreachable!("last stage"),
        }
    }

    /// Writes the search results left by writes that deferred them (see
    /// [`Run::defer_search_docs`]), and records them; returns how many.
    pub(super) fn write_stale_search_docs(
        &mut self,
        sink: &dyn Sink,
        plan: &OutputPlan,
        written: &mut Written,
    ) -> Result<usize, BuildError> {
        let copied = CopiedFiles::new(
            &plan.outputs,
            static_files_elsewhere(self.model, self.inputs),
        );
        let stale: Vec<(usize, &str, u64)> = plan
            .outputs
            .par_iter()
            .filter_map(|output| {
                let Job::SearchDoc(i) = output.job else {
                    return None;
                };
                let signature = self.signature(&output.job, &[], &copied);
                let current = written
                    .records
                    .get(&*output.path)
                    .is_some_and(|r| r.signature == Some(signature));
                (!current).then_some((i as usize, &*output.path, signature))
            })
            .collect();
        let positions: Vec<usize> = stale.iter().map(|(i, _, _)| *i).collect();
        let (errors, made) = self.write_search_docs(sink, &positions);
        if !errors.is_empty() {
            return Err(BuildError::Files(errors));
        }
        for (i, terms) in made {
            let file = self.model.site.articles[i].file.clone();
            self.search_terms.by_file.insert(file, terms);
        }
        for (_, path, signature) in &stale {
            written.records.insert(
                path.to_string(),
                Record {
                    signature: Some(*signature),
                    also: Vec::new(),
                },
            );
        }
        Ok(stale.len())
    }

    /// Writes the search results of articles whose pages are not being
    /// made: their bodies are read again for the text. Returns the errors,
    /// and the words of each article, by position.
    #[allow(clippy::type_complexity)]
    fn write_search_docs(
        &self,
        sink: &dyn Sink,
        positions: &[usize],
    ) -> (Vec<FileError>, Vec<(usize, (u64, DocTerms))>) {
        let site = &self.model.site;
        let results: Vec<Result<Option<(usize, (u64, DocTerms))>, FileError>> = positions
            .par_iter()
            .map(|&i| {
                let article = &site.articles[i];
                let text = markdown::PlainText::of(&read_body(article)?);
                self.write_search_doc(sink, i, &text)
                    .map_err(|e| FileError::at_line(&article.shown_path, 1, e.to_string()))?;
                let key = search::terms_key(site, i);
                Ok(self.doc_terms(i, key, &text).map(|terms| (i, terms)))
            })
            .collect();
        let mut errors = Vec::new();
        let mut made = Vec::new();
        for result in results {
            match result {
                Ok(terms) => made.extend(terms),
                Err(e) => errors.push(e),
            }
        }
        (errors, made)
    }

    /// Writes the search result file of the article at `position`.
    fn write_search_doc(
        &self,
        sink: &dyn Sink,
        position: usize,
        text: &str,
    ) -> Result<(), OutputError> {
        let site = &self.model.site;
        let path = search::doc_path(search::doc_id(site, position));
        sink.write(&path, search::doc_file(site, position, text).as_bytes())
    }

    /// The words of the article at `position` for the index, with the key
    /// they are made for (its [`search::terms_key`]); `None` when those
    /// held are current.
    fn doc_terms(&self, position: usize, key: u64, text: &str) -> Option<(u64, DocTerms)> {
        let site = &self.model.site;
        (!self.terms_current(position, key)).then(|| {
            (
                key,
                DocTerms::new(site, position, text, &self.search_terms.vocabulary),
            )
        })
    }

    /// True when the words held for the article at `position` were made
    /// for `key`.
    fn terms_current(&self, position: usize, key: u64) -> bool {
        self.search_terms
            .by_file
            .get(&self.model.site.articles[position].file)
            .is_some_and(|(made_for, _)| *made_for == key)
    }

    /// Reads an article's body again, renders its page and writes it; for
    /// an article shown in full in a feed, returns its feed body. With
    /// search, gathers the body's text while rendering it, for the
    /// article's words and, with `search_doc`, its search result file.
    fn write_article(
        &self,
        sink: &dyn Sink,
        path: &str,
        index: usize,
        feed_body: bool,
        search_doc: bool,
        copied: &CopiedFiles,
    ) -> Result<ArticleWritten, FileError> {
        let site = &self.model.site;
        let article = &site.articles[index];
        let body = read_body(article)?;
        let base = markdown::LinkBase {
            base_path: site.config.root_url.path(),
            article_link: None,
        };
        let images = std::cell::RefCell::new(Vec::new());
        let image_size = |dest: &str| {
            let site_path = check::site_path_of(&article.url, dest)??;
            let output_path = site_path.trim_start_matches('/').to_string();
            let size = copied
                .source(&output_path)
                .and_then(|(file, _)| images::read_size(file));
            images.borrow_mut().push(output_path);
            size
        };
        let lead_image = article.front.more().image.as_deref().and_then(image_size);
        let from = source_path(article);
        let sources = std::cell::RefCell::new(Vec::new());
        let source_link = |dest: &str| {
            sources.borrow_mut().push(dest.to_string());
            self.model.sources.resolve(&from, dest)
        };
        // The text is gathered only when something is made of it.
        let terms_key = if site.config.search {
            search::terms_key(site, index)
        } else {
            0
        };
        let wants_text =
            site.config.search && (search_doc || !self.terms_current(index, terms_key));
        let mut text = wants_text.then(markdown::PlainText::default);
        let (body_html, links) =
            markdown::render_with_links(&body, base, &image_size, &source_link, text.as_mut());
        let feed_body = feed_body.then(|| {
            let source_link = |dest: &str| self.model.sources.resolve(&from, dest);
            Arc::from(feeds::body_html(&site.config, article, &body, &source_link))
        });
        drop(body);
        let page = self
            .renderer
            .article_page(site, &self.model.items, index, &body_html, lead_image)
            .map_err(|e| FileError {
                message: format!(
                    "{}{RENDERING_NOTE}{})",
                    e.message,
                    article.shown_path.display()
                ),
                ..e
            })?;
        sink.write(path, page.as_bytes())
            .map_err(|e| FileError::at_line(&article.shown_path, 1, e.to_string()))?;
        let terms = match text {
            Some(text) => {
                if search_doc {
                    self.write_search_doc(sink, index, &text.text)
                        .map_err(|e| FileError::at_line(&article.shown_path, 1, e.to_string()))?;
                }
                self.doc_terms(index, terms_key, &text.text)
            }
            None => None,
        };
        Ok(ArticleWritten {
            feed_body,
            terms,
            links: PageLinks {
                links,
                ids: check::ids_of(&page),
                images: images.into_inner(),
                sources: sources.into_inner(),
            },
        })
    }

    /// Renders and writes listing, overview and redirect pages in parallel.
    fn write_pages(&self, sink: &dyn Sink, outputs: &[&Output]) -> Vec<FileError> {
        let model = self.model;
        outputs
            .par_iter()
            .filter_map(|output| {
                let Job::Page(i) = output.job else {
                    unreachable!("page stage")
                };
                let page = &model.pages[i];
                self.progress.advance();
                self.renderer
                    .planned_page(&model.site, &model.items, &model.plan, page)
                    .and_then(|html| {
                        sink.write(&output.path, html.as_bytes())
                            .map_err(|e| FileError::at_line(&page.path, 1, e.to_string()))
                    })
                    .err()
            })
            .collect()
    }

    /// The feed bodies of the wanted articles, by position: kept ones where
    /// they are current, the others made now.
    fn feed_bodies_for(&mut self, wanted: &[bool]) -> Result<Vec<Option<Arc<str>>>, BuildError> {
        let site = &self.model.site;
        let missing: Vec<usize> = (0..wanted.len())
            .filter(|&i| wanted[i])
            .filter(|&i| {
                self.feed_bodies
                    .get(&site.articles[i].file)
                    .is_none_or(|(key, _)| *key != self.feed_body_key(i))
            })
            .collect();
        let made: Vec<(usize, Result<Arc<str>, FileError>)> = missing
            .par_iter()
            .map(|&i| {
                let article = &site.articles[i];
                let from = source_path(article);
                let source_link = |dest: &str| self.model.sources.resolve(&from, dest);
                let body = read_body(article).map(|body| {
                    Arc::from(feeds::body_html(&site.config, article, &body, &source_link))
                });
                (i, body)
            })
            .collect();
        let mut errors = Vec::new();
        for (i, body) in made {
            match body {
                Ok(body) => {
                    let key = self.feed_body_key(i);
                    self.feed_bodies
                        .insert(site.articles[i].file.clone(), (key, body));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(BuildError::Files(errors));
        }
        Ok((0..wanted.len())
            .map(|i| {
                wanted[i]
                    .then(|| self.feed_bodies.get(&site.articles[i].file))
                    .flatten()
                    .map(|(_, body)| body.clone())
            })
            .collect())
    }

    /// Keeps the feed bodies of articles shown in full in a feed, for the
    /// next rebuild; or, after a one-off build, lets them all go.
    fn keep_or_drop_feed_bodies(&mut self) {
        if !self.keep_feed_bodies {
            self.feed_bodies.clear();
            return;
        }
        let site = &self.model.site;
        let in_feeds = feeds::articles_in_full_feeds(site, &self.model.feeds);
        let keep: std::collections::HashSet<&PathBuf> = in_feeds
            .iter()
            .enumerate()
            .filter(|(_, wanted)| **wanted)
            .map(|(i, _)| &site.articles[i].file)
            .collect();
        self.feed_bodies.retain(|file, _| keep.contains(file));
    }
}

/// Every path claimed by more than one output, with the outputs claiming
/// it. Generated outputs (pages, feeds, sitemaps) never share a path with
/// each other, so only paths a copied file claims are looked at: a few
/// lookups in a small map instead of a map of every output.
fn conflicts(outputs: &[Output]) -> Vec<(&str, Vec<usize>)> {
    let is_copy = |job: &Job| matches!(job, Job::Builtin(_) | Job::Copy(..) | Job::BundleFile(..));
    let mut claims: HashMap<&str, Vec<usize>, FxBuildHasher> = HashMap::default();
    for (i, output) in outputs.iter().enumerate() {
        if is_copy(&output.job) {
            claims.entry(&output.path).or_default().push(i);
        }
    }
    debug_assert!(
        {
            let mut generated: Vec<&str> = outputs
                .iter()
                .filter(|o| !is_copy(&o.job))
                .map(|o| &*o.path)
                .collect();
            let all = generated.len();
            generated.sort_unstable();
            generated.dedup();
            all == generated.len()
        },
        "two generated outputs claim one path"
    );
    if !claims.is_empty() {
        for (i, output) in outputs.iter().enumerate() {
            if !is_copy(&output.job)
                && let Some(claimed) = claims.get_mut(&*output.path)
            {
                claimed.push(i);
            }
        }
    }
    let mut conflicts: Vec<(&str, Vec<usize>)> =
        claims.into_iter().filter(|(_, c)| c.len() > 1).collect();
    conflicts.sort();
    conflicts
}

/// What writing an article page gives back.
struct ArticleWritten {
    /// Its body for feeds, when a feed about to be written shows it whole.
    feed_body: Option<Arc<str>>,
    /// Its links and ids, for the link checker.
    links: PageLinks,
    /// Its words for the search index, with their key.
    terms: Option<(u64, DocTerms)>,
}

/// Reads an article's body, checking that it is the one its metadata was
/// read from (the file may have been saved again since), without the
/// control characters pages may not carry.
pub(super) fn read_body(article: &crate::content::Article) -> Result<String, FileError> {
    let body = article.read_body()?;
    if xxh3_64(body.as_bytes()) != article.body_hash {
        return Err(FileError::at_line(
            &article.shown_path,
            1,
            "the file changed during the build; build again",
        ));
    }
    // As the first read made it (see `content::article_from_text`).
    let clean = match crate::escape::without_controls(&body) {
        std::borrow::Cow::Borrowed(_) => body,
        std::borrow::Cow::Owned(clean) => clean,
    };
    Ok(match markdown::jekyll_blocks(&clean) {
        std::borrow::Cow::Borrowed(_) => clean,
        std::borrow::Cow::Owned(converted) => converted,
    })
}

/// One template mistake breaks every page that uses it: show it once, with
/// the first page it broke and how many more.
fn dedup_template_errors(errors: Vec<FileError>) -> Vec<FileError> {
    let mut groups: BTreeMap<FileError, (FileError, usize)> = BTreeMap::new();
    for error in errors {
        let base = error
            .message
            .split(RENDERING_NOTE)
            .next()
            .unwrap_or("")
            .to_string();
        let key = FileError {
            message: base,
            ..error.clone()
        };
        groups
            .entry(key)
            .and_modify(|(first, more)| {
                *more += 1;
                if error.message < first.message {
                    first.message = error.message.clone();
                }
            })
            .or_insert((error, 0));
    }
    groups
        .into_values()
        .map(|(mut error, more)| {
            if more > 0 {
                error.message.push_str(&format!(" and {more} more page(s)"));
            }
            error
        })
        .collect()
}

/// An output path under a language's prefix (`ru/`, or none).
fn under_prefix<'p>(prefix: &str, path: &'p str) -> Cow<'p, str> {
    if prefix.is_empty() {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{prefix}{path}"))
    }
}
