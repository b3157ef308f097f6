//! What a project reads from the site folder, and how it follows changes
//! on disk: the config, templates, static files, and every article file as
//! last read.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BuildError, ProjectOptions};
use crate::assets::Assets;
use crate::config::Config;
use crate::content::{self, Article, ArticleRead, Inventory};
use crate::diagnostics::{FileError, Warning};
use crate::hash::hash_of;
use crate::render::Renderer;
use crate::source::{CONFIG_FILE, CONTENT_DIR, SourceRules, Stamp};
use crate::timings::Timings;

/// An article file as last read: the article and its warnings, or its errors.
pub(super) type ArticleEntry = Result<(Arc<Article>, Vec<Warning>), Vec<FileError>>;

/// Everything read from the site folder.
pub(super) struct Inputs {
    pub(super) config: Arc<Config>,
    /// Which files of the site folder are sources.
    pub(super) rules: SourceRules,
    /// A hash of the config file and the options that change it.
    pub(super) config_version: u64,
    pub(super) renderer: Result<Renderer, Vec<FileError>>,
    pub(super) template_warnings: Vec<Warning>,
    pub(super) assets: Assets,
    pub(super) asset_warnings: Vec<Warning>,
    pub(super) asset_errors: Vec<FileError>,
    /// Every file under `content/`.
    pub(super) content_files: BTreeSet<PathBuf>,
    pub(super) inventory: Inventory,
    /// Stamps of the content files that are copied as they are.
    pub(super) stamps: HashMap<PathBuf, Stamp>,
    /// What listing `content/` found: symbolic link loops.
    pub(super) content_warnings: Vec<Warning>,
    /// What listing `content/` could not read.
    pub(super) content_errors: Vec<FileError>,
    pub(super) articles: BTreeMap<PathBuf, ArticleEntry>,
}

/// What applying content changes did.
pub(super) struct ContentChanged {
    /// Each re-read article file, with its article when it reads well.
    pub(super) articles: Vec<(PathBuf, Option<Arc<Article>>)>,
    /// Files appeared or went away, or a file copied as it is changed: the
    /// output plan, which holds their stamps, is made again.
    pub(super) files_changed: bool,
}

impl Inputs {
    /// Reads config, templates, static files and content, for language
    /// `language` of the site (0, the default, for a site in one).
    pub(super) fn load(
        options: &ProjectOptions,
        language: usize,
        timings: &mut Timings,
    ) -> Result<Inputs, BuildError> {
        let site_dir = options.site_dir.as_path();
        let (mut config, config_version) = load_config(options)?;
        if config.is_multilingual() {
            config = config.edition(language.min(config.languages.len() - 1));
        }
        let content_dir = site_dir.join(CONTENT_DIR);
        if !content_dir.is_dir() {
            return Err(BuildError::NoContent(site_dir.to_path_buf()));
        }
        timings.lap("config");
        options.progress.stage("reading articles", None);
        let loaded = content::load(site_dir, &content_dir, &config);
        timings.lap("read front matter");
        let rules = config.source_rules(site_dir);
        let assets = Assets::load(site_dir, &rules);
        let mut inputs = Inputs {
            config: Arc::new(config),
            rules,
            config_version,
            renderer: Err(Vec::new()),
            template_warnings: Vec::new(),
            assets: assets.assets,
            asset_warnings: assets.warnings,
            asset_errors: assets.errors,
            content_files: BTreeSet::new(),
            inventory: loaded.inventory,
            stamps: HashMap::new(),
            content_warnings: loaded.warnings,
            content_errors: loaded.errors,
            articles: loaded
                .articles
                .into_iter()
                .map(|(file, read)| (file, entry(read)))
                .collect(),
        };
        inputs.content_files = inputs
            .articles
            .keys()
            .cloned()
            .chain(inputs.inventory.hugo_section_indexes.iter().cloned())
            .collect();
        inputs.refresh_stamps(&content_dir);
        inputs.load_renderer(site_dir);
        Ok(inputs)
    }

    /// The same inputs for another of the site's languages: its config and
    /// templates, the same files and articles (read once for all).
    pub(super) fn for_language(&self, language: usize, site_dir: &Path) -> Inputs {
        let mut inputs = Inputs {
            config: Arc::new(self.config.edition(language)),
            rules: self.rules.clone(),
            config_version: self.config_version,
            renderer: Err(Vec::new()),
            template_warnings: Vec::new(),
            assets: self.assets.clone(),
            asset_warnings: self.asset_warnings.clone(),
            asset_errors: self.asset_errors.clone(),
            content_files: self.content_files.clone(),
            inventory: self.inventory.clone(),
            stamps: self.stamps.clone(),
            content_warnings: self.content_warnings.clone(),
            content_errors: self.content_errors.clone(),
            articles: self.articles.clone(),
        };
        inputs.load_renderer(site_dir);
        inputs
    }

    /// Compiles the templates again.
    pub(super) fn load_renderer(&mut self, site_dir: &Path) {
        self.template_warnings.clear();
        self.renderer = Renderer::new(
            site_dir,
            &self.config,
            &self.assets.stylesheet_text(),
            &mut self.template_warnings,
        );
    }

    /// Stamps of every copied content file, and the list of every content file.
    fn refresh_stamps(&mut self, content_dir: &Path) {
        let copied = self
            .inventory
            .loose_files
            .iter()
            .map(|f| content_dir.join(f))
            .chain(
                self.inventory
                    .bundles
                    .iter()
                    .flat_map(|(dir, files)| files.iter().map(move |f| dir.join(f))),
            )
            .collect::<Vec<_>>();
        for file in copied {
            self.content_files.insert(file.clone());
            let stamp = Stamp::of(&file).unwrap_or_default();
            self.stamps.insert(file, stamp);
        }
    }

    /// Applies changed content files: re-reads changed articles, updates
    /// the list of files and, when files appeared or went away, sorts them
    /// into bundles again.
    pub(super) fn apply_content(&mut self, site_dir: &Path, changed: &[PathBuf]) -> ContentChanged {
        let content_dir = site_dir.join(CONTENT_DIR);
        let mut files_changed = false;
        for file in changed {
            let exists = file.is_file();
            if exists != self.content_files.contains(file) {
                files_changed = true;
            }
            if exists {
                self.content_files.insert(file.clone());
            } else {
                self.content_files.remove(file);
                self.stamps.remove(file);
            }
        }
        // A folder that could not be listed may be readable now: list
        // everything again.
        let relist = !self.content_errors.is_empty() || !self.content_warnings.is_empty();
        if relist {
            let found = crate::source::walk(site_dir, &content_dir, &self.rules);
            self.content_errors = found.errors;
            self.content_warnings = found.warnings;
            self.content_files = found.files.into_iter().collect();
            files_changed = true;
        }
        if files_changed {
            self.inventory = Inventory::classify(&content_dir, &self.content_files, &self.config);
        }
        let inventory = &self.inventory;
        let is_article = |file: &PathBuf| inventory.articles.binary_search(file).is_ok();
        let mut articles: Vec<(PathBuf, Option<Arc<Article>>)> = Vec::new();
        let gone: Vec<PathBuf> = if relist {
            self.articles
                .keys()
                .filter(|f| !is_article(f))
                .cloned()
                .collect()
        } else {
            changed
                .iter()
                .filter(|f| self.articles.contains_key(*f) && !is_article(f))
                .cloned()
                .collect()
        };
        for file in gone {
            self.articles.remove(&file);
            articles.push((file, None));
        }
        let to_read: Vec<PathBuf> = changed.iter().filter(|f| is_article(f)).cloned().collect();
        let copied: Vec<PathBuf> = changed
            .iter()
            .filter(|f| !is_article(f) && self.content_files.contains(*f))
            .cloned()
            .collect();
        for (file, read) in content::read_articles(site_dir, &content_dir, &to_read, &self.config) {
            let entry = entry(read);
            let article = entry.as_ref().ok().map(|(a, _)| a.clone());
            self.articles.insert(file.clone(), entry);
            articles.push((file, article));
        }
        files_changed |= !copied.is_empty();
        for file in copied {
            let stamp = Stamp::of(&file).unwrap_or_default();
            self.stamps.insert(file, stamp);
        }
        if relist {
            self.refresh_stamps(&content_dir);
        }
        ContentChanged {
            articles,
            files_changed,
        }
    }
}

fn entry(read: ArticleRead) -> ArticleEntry {
    read.map(|(article, warnings)| (Arc::new(article), warnings))
}

/// Reads `config.yaml` and applies the options; returns it with a hash of
/// what it was made from.
fn load_config(options: &ProjectOptions) -> Result<(Config, u64), BuildError> {
    let site_dir = &options.site_dir;
    let mut config = Config::load(site_dir).map_err(BuildError::Config)?;
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|m| BuildError::InvalidOption(format!("--base-url: {m}")))?;
    }
    let text = std::fs::read(site_dir.join(CONFIG_FILE)).ok();
    Ok((config, hash_of((text, &options.base_url))))
}
