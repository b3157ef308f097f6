//! The build pipeline: config → content → site model → pages → output.
//!
//! Metadata of every article is read first (in parallel); then each article
//! is read again, rendered, written and dropped, so memory holds metadata only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{FileError, Warning, WarningKind, Warnings};
use crate::feeds::{self, FeedSpec};
use crate::markdown;
use crate::output::{OutputError, Staging};
use crate::render::{BUILTIN_STATIC, ListItems, Renderer};
use crate::site::listing::{Plan, PlannedPage, check_collisions};
use crate::site::{Selection, Site};
use crate::sitemap;

/// Joins a template error to the article whose page it broke.
const RENDERING_NOTE: &str = " (while rendering ";

/// Name of the static files folder inside the site folder.
pub const STATIC_DIR: &str = "static";

/// Name of the default output folder inside the site folder.
pub const DEFAULT_OUTPUT_DIR: &str = "public";

/// What to build, and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder, holding `content/` and optionally `config.yaml`,
    /// `templates/` and `static/`.
    pub site_dir: PathBuf,
    /// The output folder; `SITE_DIR/public` when not set.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from the config.
    pub base_url: Option<String>,
    /// Publish drafts and future articles too.
    pub include_drafts: bool,
    /// The build time, for telling future articles; now when not set.
    pub now: Option<Timestamp>,
    /// The process exits right after the build (the command line): the
    /// site model is then left for the system to reclaim instead of being
    /// freed piece by piece. Leave it false in a process that goes on.
    pub exiting_after: bool,
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    /// Article pages written.
    pub articles_written: usize,
    /// All HTML pages written, articles included.
    pub pages_written: usize,
    /// Feeds written (an Atom feed per listing; RSS and JSON Feed for the site).
    pub feeds_written: usize,
    /// Drafts left out.
    pub drafts_left_out: usize,
    /// Future articles left out.
    pub future_left_out: usize,
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Warnings, to be shown to the user.
    pub warnings: Warnings,
    /// Time taken by each stage.
    pub timings: Timings,
}

/// Wall time of each stage of a build, for `--timings` and profiling.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Stage names with their durations and the resident memory (bytes, when
    /// the system tells) at their end, in order.
    pub stages: Vec<(&'static str, Duration, Option<u64>)>,
    last: Instant,
}

impl Timings {
    fn new() -> Self {
        Timings {
            stages: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Ends the current stage, naming it.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages
            .push((stage, now - self.last, resident_memory()));
        self.last = now;
    }
}

/// Resident memory of this process, from `/proc/self/statm` where there is one.
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Why a build failed. The previous output is left untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// `config.yaml` cannot be read.
    #[error("{0}")]
    Config(FileError),
    /// An option given on the command line is invalid.
    #[error("{0}")]
    InvalidOption(String),
    /// The site folder has no `content/` folder.
    #[error("no {CONTENT_DIR}/ folder in {0}: nothing to build")]
    NoContent(PathBuf),
    /// Content or template files have errors; every one found is listed.
    #[error("{} error(s) in content or templates", .0.len())]
    Files(Vec<FileError>),
    /// The output folder cannot be prepared or written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A failed build, with the warnings found before it stopped.
#[derive(Debug)]
pub struct BuildFailure {
    /// What went wrong.
    pub error: BuildError,
    /// Warnings found so far.
    pub warnings: Warnings,
}

/// Builds a site. On any error the previous output folder is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut warnings = Warnings::default();
    let mut timings = Timings::new();
    match run(options, &mut warnings, &mut timings) {
        Ok(written) => Ok(BuildReport {
            articles_written: written.articles,
            pages_written: written.pages,
            feeds_written: written.feeds,
            drafts_left_out: written.drafts_left_out,
            future_left_out: written.future_left_out,
            output: written.output,
            elapsed: started.elapsed(),
            warnings,
            timings,
        }),
        Err(error) => Err(BuildFailure { error, warnings }),
    }
}

/// What [`run`] wrote.
struct Written {
    articles: usize,
    pages: usize,
    feeds: usize,
    drafts_left_out: usize,
    future_left_out: usize,
    output: PathBuf,
}

/// The pipeline; warnings are gathered as it goes, even when it fails.
fn run(
    options: &BuildOptions,
    warnings: &mut Warnings,
    timings: &mut Timings,
) -> Result<Written, BuildError> {
    let site_dir = options.site_dir.as_path();
    let mut config = Config::load(site_dir).map_err(BuildError::Config)?;
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|m| BuildError::InvalidOption(format!("--base-url: {m}")))?;
    }
    let content_dir = site_dir.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(BuildError::NoContent(site_dir.to_path_buf()));
    }
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| site_dir.join(DEFAULT_OUTPUT_DIR));
    let staging = Staging::begin(site_dir, &output)?;
    timings.lap("config and output folder");

    // Load: every bad file, template and URL clash is reported at once.
    let loaded = content::load(site_dir, &content_dir, &config);
    timings.lap("read front matter");
    warnings.extend(loaded.warnings);
    let mut errors = loaded.errors;
    let renderer = Renderer::new(site_dir, &config).map_err(|e| errors.extend(e));
    let selection = Selection {
        include_drafts: options.include_drafts,
        now: options.now.unwrap_or_else(Timestamp::now),
    };
    let site = Site::assemble(config, loaded.articles, selection).map_err(|e| errors.extend(e));
    let (Ok(renderer), Ok(site), true) = (renderer, site, errors.is_empty()) else {
        errors.sort();
        return Err(BuildError::Files(errors));
    };
    warnings.extend(site.warnings.iter().cloned());
    timings.lap("templates; site model");
    let plan = Plan::new(&site);
    let feed_specs = feeds::plan(&site);
    let pages = plan.pages();
    let collisions = check_collisions(&site, &pages);
    if !collisions.is_empty() {
        return Err(BuildError::Files(collisions));
    }

    // Write: static files, then articles, then listings, all into staging.
    let page_dirs = site.articles.iter().map(|a| a.url.as_str());
    let listing_dirs = pages
        .iter()
        .map(|p| p.path.as_str())
        .filter(|p| p.ends_with('/'));
    let feed_dirs = feed_specs.iter().map(|f| f.listing_path.as_str());
    staging.create_dirs(page_dirs.chain(listing_dirs).chain(feed_dirs))?;
    timings.lap("plan listings; make folders");
    copy_static(site_dir, &staging)?;
    for file in &loaded.loose_files {
        staging.copy(&content_dir.join(file), file)?;
    }
    timings.lap("copy static files");
    let in_feeds = feeds::articles_in_feeds(&site, &feed_specs);
    let items = renderer.list_items(&site).map_err(BuildError::Files)?;
    timings.lap("list items");
    let bodies = write_articles(&site, &renderer, &staging, &items, &in_feeds)?;
    timings.lap("articles: read, render, write");
    let page_errors: Vec<FileError> = pages
        .par_iter()
        .filter_map(|page| {
            write_planned_page(&site, &renderer, &staging, &items, &plan, page).err()
        })
        .collect();
    if !page_errors.is_empty() {
        return Err(BuildError::Files(dedup_template_errors(page_errors)));
    }
    timings.lap("listing pages");
    feed_specs
        .par_iter()
        .try_for_each(|feed| write_feed(&site, &staging, feed, &bodies))?;
    drop(bodies);
    let now = selection.now;
    timings.lap("feeds");
    write_sitemaps(site_dir, &site, &staging, &plan, &pages, now)?;
    timings.lap("sitemaps");
    if !site.config.base_url.is_absolute() {
        warnings.push(Warning {
            kind: WarningKind::RelativeBaseUrl,
            path: PathBuf::from(crate::config::CONFIG_FILE),
            line: None,
        });
    }

    let output = staging.commit()?;
    timings.lap("swap output in");
    let written = Written {
        articles: site.articles.len(),
        pages: site.articles.len() + pages.len(),
        feeds: feed_specs.len(),
        drafts_left_out: site.drafts_left_out,
        future_left_out: site.future_left_out,
        output,
    };
    if options.exiting_after {
        // Freeing millions of small allocations one by one takes a
        // noticeable part of a large build; the process ends right after.
        std::mem::forget(items);
        std::mem::forget(pages);
        std::mem::forget(feed_specs);
        std::mem::forget(plan);
        std::mem::forget(site);
    }
    Ok(written)
}

/// Writes every article page in parallel; returns, for the articles shown in
/// full in a feed, their bodies with absolute links.
fn write_articles(
    site: &Site,
    renderer: &Renderer,
    staging: &Staging,
    items: &ListItems,
    in_feeds: &[bool],
) -> Result<Vec<Option<Arc<str>>>, BuildError> {
    let written: Vec<Result<Option<Arc<str>>, FileError>> = (0..site.articles.len())
        .into_par_iter()
        .map(|i| write_article(site, renderer, staging, items, i, in_feeds[i]))
        .collect();
    let mut errors = Vec::new();
    let bodies = written
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                None
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(BuildError::Files(dedup_template_errors(errors)))
    }
}

/// Writes one feed: Atom, and for the site-wide feed RSS and JSON Feed too.
fn write_feed(
    site: &Site,
    staging: &Staging,
    feed: &FeedSpec,
    bodies: &feeds::Bodies,
) -> Result<(), OutputError> {
    let write = |path: &str, text: String| staging.write(&staging.file(path)?, text.as_bytes());
    write(&feed.atom_path(), feeds::atom(site, feed, bodies))?;
    if feed.site_wide {
        write(feeds::RSS_PATH, feeds::rss(site, feed, bodies))?;
        write(feeds::JSON_FEED_PATH, feeds::json_feed(site, feed, bodies))?;
    }
    Ok(())
}

/// Writes the sitemap (or sitemap index and its parts), the news sitemap
/// when articles are recent enough, and `robots.txt` unless `static/` has one.
fn write_sitemaps(
    site_dir: &Path,
    site: &Site,
    staging: &Staging,
    plan: &Plan,
    pages: &[PlannedPage],
    now: Timestamp,
) -> Result<(), OutputError> {
    let entries = sitemap::entries(site, plan, pages);
    for (path, xml) in sitemap::sitemaps(site, &entries, site.config.sitemap_max_urls) {
        staging.write(&staging.file(&path)?, xml.as_bytes())?;
    }
    let news = sitemap::news_sitemap(site, now);
    if let Some(xml) = &news {
        staging.write(&staging.file(sitemap::NEWS_SITEMAP_PATH)?, xml.as_bytes())?;
    }
    if !site_dir.join(STATIC_DIR).join("robots.txt").exists() {
        let robots = sitemap::robots(site, news.is_some());
        staging.write(&staging.file("/robots.txt")?, robots.as_bytes())?;
    }
    Ok(())
}

/// Renders and writes one listing, overview or redirect page.
fn write_planned_page(
    site: &Site,
    renderer: &Renderer,
    staging: &Staging,
    items: &ListItems,
    plan: &Plan,
    page: &PlannedPage,
) -> Result<(), FileError> {
    let html = renderer.planned_page(site, items, plan, page)?;
    let file = if page.path.ends_with(".html") {
        staging.file(&page.path)
    } else {
        staging.page_file(&page.path)
    };
    file.and_then(|file| staging.write(&file, html.as_bytes()))
        .map_err(|e| FileError::at_line(&page.path, 1, e.to_string()))
}

/// Reads an article's body again, renders its page, writes it with the
/// bundle's files, and lets it all go, except, for an article shown in a
/// feed, its body with absolute links for feed readers.
fn write_article(
    site: &Site,
    renderer: &Renderer,
    staging: &Staging,
    items: &ListItems,
    index: usize,
    in_feed: bool,
) -> Result<Option<Arc<str>>, FileError> {
    let article = &site.articles[index];
    let body = article.read_body()?;
    let base = &site.config.base_url;
    let links = markdown::LinkBase {
        base_path: base.path(),
        article_link: None,
    };
    let body_html = markdown::render_html(&body, links);
    let feed_body = in_feed.then(|| {
        let permalink = base.absolute(&article.url);
        let absolute = markdown::LinkBase {
            base_path: base.as_str(),
            article_link: Some(&permalink),
        };
        Arc::from(markdown::render_html(&body, absolute))
    });
    drop(body);
    let page = renderer
        .article_page(site, items, index, &body_html)
        .map_err(|e| FileError {
            message: format!(
                "{} (while rendering {})",
                e.message,
                article.shown_path.display()
            ),
            ..e
        })?;
    let output_error = |e: OutputError| FileError::at_line(&article.shown_path, 1, e.to_string());
    let file = staging.page_file(&article.url).map_err(output_error)?;
    staging
        .write(&file, page.as_bytes())
        .map_err(output_error)?;
    if let Some(dir) = article.bundle_dir() {
        let url_dir = Path::new(article.url.trim_start_matches('/'));
        for asset in &article.assets {
            staging
                .copy(&dir.join(asset), &url_dir.join(asset))
                .map_err(output_error)?;
        }
    }
    Ok(feed_body)
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

/// Copies the built-in theme's static files, then the site's `static/`
/// folder as is (a site file of the same name wins).
fn copy_static(site_dir: &Path, staging: &Staging) -> Result<(), BuildError> {
    for (name, text) in BUILTIN_STATIC {
        let file = staging.file(name)?;
        staging.write(&file, text.as_bytes())?;
    }
    let static_dir = site_dir.join(STATIC_DIR);
    if !static_dir.is_dir() {
        return Ok(());
    }
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(&static_dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry
                    .path()
                    .strip_prefix(&static_dir)
                    .unwrap_or(entry.path());
                staging.copy(entry.path(), relative)?;
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| content::shown(site_dir, p))
                    .unwrap_or_default();
                errors.push(FileError::at_line(path, 1, format!("cannot read: {e}")));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Files(errors))
    }
}
