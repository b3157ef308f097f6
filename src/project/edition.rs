//! One language of a project: a site model over the project's inputs,
//! with what it last wrote. A site in one language is one edition; a site
//! in several has one per language, each under its prefix.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::FxBuildHasher;

use super::changes::Changes;
use super::inputs::Inputs;
use super::model::{Model, recount_left_out};
use super::outputs::{self, OutputPlan, Written};
use super::search_index;
use super::{BuildError, BuildFailure, ProjectOptions, WriteReport};
use crate::config::Config;
use crate::content::Article;
use crate::diagnostics::{FileError, Warning, WarningKind, Warnings};
use crate::links::check::PageLinks;
use crate::output::Sink;
use crate::render::views;
use crate::site::{Selection, Site};
use crate::source::CONFIG_FILE;
use crate::timings::Timings;

/// The site in one of its languages. See the module documentation.
pub struct Edition {
    pub(super) options: ProjectOptions,
    pub(super) inputs: Inputs,
    pub(super) model: Option<Model>,
    /// The inputs changed in a way the model does not follow yet.
    pub(super) model_stale: bool,
    /// `config.yaml` changed and could not be read: everything is read again
    /// before the next rebuild.
    pub(super) reload_pending: bool,
    /// Feed bodies (links made absolute) by article file, with the hash of
    /// what they were made from.
    pub(super) feed_bodies: HashMap<PathBuf, (u64, Arc<str>), FxBuildHasher>,
    /// What was last written, when the project writes more than once.
    pub(super) written: Option<Written>,
    /// Every output of the site as it is, until its shape changes.
    pub(super) outputs: Option<OutputPlan>,
    /// The links and ids of each article page, by article file.
    pub(super) page_links: HashMap<PathBuf, PageLinks, FxBuildHasher>,
    /// Links that led nowhere at the last write.
    pub(super) link_warnings: Vec<Warning>,
    /// The words of each article for the search index, by article file.
    pub(super) search_terms: search_index::SearchTerms,
    /// The search index files last written.
    pub(super) search_written: search_index::SearchWritten,
    /// The search index is written by [`Edition::write_search`] alone, not
    /// by every write (serve writes it after the pages are shown).
    pub(super) defer_search: bool,
    /// In a site in several languages, the output paths of the others,
    /// under their prefixes: links may lead there.
    pub(super) elsewhere: HashSet<String, FxBuildHasher>,
}

impl std::fmt::Debug for Edition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Edition")
            .field("site_dir", &self.options.site_dir)
            .field("articles", &self.inputs.articles.len())
            .finish()
    }
}

impl Edition {
    /// Reads the site: config, templates, static files and the front matter
    /// of every article. Fails only when there is nothing to build (no
    /// config that can be read, no `content/`); errors in files are held and
    /// reported by [`Edition::check`], [`Edition::write`] and
    /// [`Project::rebuild`](super::Project::rebuild).
    pub fn open(options: ProjectOptions, timings: &mut Timings) -> Result<Edition, BuildFailure> {
        let inputs = Inputs::load(&options, 0, timings).map_err(|error| BuildFailure {
            error,
            warnings: Warnings::default(),
        })?;
        Ok(Edition::over(options, inputs))
    }

    /// The edition of another of the site's languages, over the same files.
    pub fn for_language(&self, language: usize) -> Edition {
        let inputs = self.inputs.for_language(language, &self.options.site_dir);
        let mut edition = Edition::over(self.options.clone(), inputs);
        edition.defer_search = self.defer_search;
        if self.written.is_some() {
            edition.keep_written();
        }
        edition
    }

    fn over(options: ProjectOptions, inputs: Inputs) -> Edition {
        Edition {
            options,
            inputs,
            model: None,
            model_stale: true,
            reload_pending: false,
            feed_bodies: HashMap::default(),
            written: None,
            outputs: None,
            page_links: HashMap::default(),
            link_warnings: Vec::new(),
            search_terms: search_index::SearchTerms::default(),
            search_written: search_index::SearchWritten::default(),
            defer_search: false,
            elsewhere: HashSet::default(),
        }
    }

    /// Which of the config's languages the edition publishes; `None` (all)
    /// in a site in one language.
    fn language(&self) -> Option<u16> {
        let config = &self.inputs.config;
        config.is_multilingual().then_some(config.edition as u16)
    }

    /// Gives the site model the translations of its articles.
    pub fn set_translations(
        &mut self,
        translations: &Arc<crate::site::translations::Translations>,
    ) {
        if let Some(model) = &mut self.model {
            model.site.translations = translations.clone();
        }
    }

    /// The paths of every output planned at the last check or write, under
    /// the edition's prefix.
    pub fn output_paths(&self) -> Vec<String> {
        let prefix = self.prefix();
        self.outputs
            .iter()
            .flat_map(|plan| plan.paths())
            .map(|path| format!("{prefix}{path}"))
            .collect()
    }

    /// Where the edition's pages are under the output folder: empty for
    /// the default language, `ru/` for `/ru/`.
    pub fn prefix(&self) -> &str {
        self.inputs.config.prefix()
    }

    /// Keeps what is written from now on, so that
    /// [`Project::rebuild`](super::Project::rebuild) can write only what
    /// changed. Without it, every write writes everything.
    pub fn keep_written(&mut self) {
        self.written.get_or_insert_with(Written::default);
    }

    /// The options the project was opened with.
    pub fn options(&self) -> &ProjectOptions {
        &self.options
    }

    /// The site folder.
    pub fn site_dir(&self) -> &Path {
        &self.options.site_dir
    }

    /// The site configuration.
    pub fn config(&self) -> &Config {
        &self.inputs.config
    }

    /// The site model, once [`Edition::check`] has succeeded.
    pub fn site(&self) -> Option<&Site> {
        self.model.as_ref().map(|m| &m.site)
    }

    /// Number of listing, overview and redirect pages the site has.
    pub fn planned_pages(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.pages.len())
    }

    /// Number of feeds the site has (an Atom feed per listing with one; the
    /// site-wide feed also as RSS and JSON Feed).
    pub fn feed_count(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.feeds.len())
    }

    /// Every link to another site (`http`, `https`) in the bodies of the
    /// articles written last, with where it is: (address, file, line, column).
    pub fn external_links(&self) -> Vec<(String, PathBuf, usize, usize)> {
        let Some(model) = &self.model else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for article in &model.site.articles {
            let Some(page) = self.page_links.get(&article.file) else {
                continue;
            };
            for link in page
                .links
                .iter()
                .filter(|l| crate::links::external::is_checked(&l.dest))
            {
                found.push((
                    link.dest.clone(),
                    article.shown_path.clone(),
                    article.body_line + link.line - 1,
                    link.column,
                ));
            }
        }
        found
    }

    /// The warnings of this language alone: about its site model and the
    /// links of its articles (the others are every edition's).
    pub fn own_warnings(&self) -> impl Iterator<Item = &Warning> {
        let model = self.model.as_ref().map(|m| &m.site.warnings[..]);
        model.unwrap_or_default().iter().chain(&self.link_warnings)
    }

    /// Every warning about the site as it is now, unsorted.
    pub fn warnings(&self) -> Warnings {
        let inputs = &self.inputs;
        let mut warnings = Warnings::default();
        warnings.extend(inputs.content_warnings.iter().cloned());
        warnings.extend(inputs.template_warnings.iter().cloned());
        warnings.extend(inputs.asset_warnings.iter().cloned());
        warnings.extend(inputs.inventory.warnings(&self.options.site_dir));
        for (_, file_warnings) in inputs.articles.values().filter_map(|e| e.as_ref().ok()) {
            warnings.extend(file_warnings.iter().cloned());
        }
        warnings.extend(self.own_warnings().cloned());
        for &field in &inputs.config.cleaned {
            warnings.push(Warning {
                kind: WarningKind::ControlCharacters(field),
                path: PathBuf::from(CONFIG_FILE),
                line: None,
                column: None,
            });
        }
        if !inputs.config.base_url.is_absolute() {
            warnings.push(Warning {
                kind: WarningKind::RelativeBaseUrl,
                path: PathBuf::from(CONFIG_FILE),
                line: None,
                column: None,
            });
        }
        warnings
    }

    /// Brings the site model up to date with the inputs and checks it:
    /// every error in every file, template and URL at once, sorted.
    pub fn check(&mut self, timings: &mut Timings) -> Result<(), BuildFailure> {
        self.prepare(self.now(), timings)
    }

    /// The build time of this check or write: the one the options give, or now.
    pub(super) fn now(&self) -> Timestamp {
        self.options.now.unwrap_or_else(Timestamp::now)
    }

    /// Brings the model up to date and plans every output, checking that no
    /// output path is claimed twice.
    fn prepare(&mut self, now: Timestamp, timings: &mut Timings) -> Result<(), BuildFailure> {
        self.refresh_model(now, timings)
            .map_err(|errors| self.failure(BuildError::Files(errors)))?;
        let model = self.model.as_ref().expect("refreshed above");
        let with_news = OutputPlan::news_at(&model.site, now);
        let plan = match self.outputs.take() {
            Some(plan) if plan.fits(with_news) => plan,
            stale => {
                drop_elsewhere(stale);
                self.run(now, false).plan(with_news)
            }
        };
        timings.lap("plan outputs");
        let conflicts = plan.conflicts.clone();
        self.outputs = Some(plan);
        if conflicts.is_empty() {
            Ok(())
        } else {
            Err(self.failure(BuildError::Files(conflicts)))
        }
    }

    /// A write of the outputs at `now`; `keep` keeps feed bodies for the
    /// next rebuild.
    pub(super) fn run(&mut self, now: Timestamp, keep: bool) -> outputs::Run<'_> {
        let model = self.model.as_ref().expect("a model");
        outputs::Run {
            site_dir: &self.options.site_dir,
            model,
            renderer: self.inputs.renderer.as_ref().expect("checked"),
            inputs: &self.inputs,
            now,
            feed_bodies: &mut self.feed_bodies,
            keep_feed_bodies: keep,
            defer_search_docs: self.defer_search,
            page_links: &mut self.page_links,
            search_terms: &mut self.search_terms,
            strict: self.options.strict || self.inputs.config.strict,
            progress: &self.options.progress,
            elsewhere: &self.elsewhere,
        }
    }

    pub(super) fn failure(&self, error: BuildError) -> BuildFailure {
        BuildFailure {
            error,
            warnings: self.warnings(),
        }
    }

    /// Every error held in the inputs.
    fn input_errors(&self) -> Vec<FileError> {
        let inputs = &self.inputs;
        let mut errors: Vec<FileError> = inputs.content_errors.clone();
        errors.extend(inputs.asset_errors.iter().cloned());
        for entry in inputs.articles.values() {
            if let Err(file_errors) = entry {
                errors.extend(file_errors.iter().cloned());
            }
        }
        if let Err(template_errors) = &inputs.renderer {
            errors.extend(template_errors.iter().cloned());
        }
        errors
    }

    /// Makes the model follow the inputs: in place when only what articles
    /// show changed, else assembled again.
    fn refresh_model(
        &mut self,
        now: Timestamp,
        timings: &mut Timings,
    ) -> Result<(), Vec<FileError>> {
        let mut errors = self.input_errors();
        if !errors.is_empty() {
            errors.sort();
            self.model_stale = true;
            return Err(errors);
        }
        let selection = Selection {
            include_drafts: self.options.include_drafts,
            now,
            language: self.language(),
        };
        if !self.model_stale
            && let Some(model) = &mut self.model
            && model.follows_selection(&self.inputs, selection)
        {
            recount_left_out(&mut model.site, &self.inputs, selection);
            return Ok(());
        }
        let previous = self.model.take();
        self.outputs = None;
        match Model::assemble(&self.inputs, selection, previous.as_ref(), timings) {
            Ok(model) => {
                self.model = Some(model);
                self.model_stale = false;
                drop_elsewhere(previous);
                Ok(())
            }
            Err(mut errors) => {
                errors.sort();
                self.model = previous;
                self.model_stale = true;
                Err(errors)
            }
        }
    }

    /// Applies re-read articles to the model in place when none of them
    /// changes the shape of the site; otherwise marks the model stale.
    fn patch_articles(&mut self, changed: &[(PathBuf, Option<Arc<Article>>)]) {
        let language = self.language();
        // Another language's article (or one left out) is not on this
        // language's pages, but their bodies link to it by its file.
        if changed
            .iter()
            .any(|(file, new)| !self.same_source(file, new.as_deref()))
        {
            self.model_stale = true;
        }
        let Some(model) = self.model.as_mut().filter(|_| !self.model_stale) else {
            return;
        };
        let Ok(renderer) = &self.inputs.renderer else {
            self.model_stale = true;
            return;
        };
        let selection = Selection {
            include_drafts: self.options.include_drafts,
            now: self.options.now.unwrap_or_else(Timestamp::now),
            language,
        };
        let mut in_place = Vec::new();
        for (file, new) in changed {
            let position = model.positions.get(file).copied();
            let published = new.as_ref().filter(|a| selection.left_out(a).is_none());
            match (position, published) {
                (None, None) => {}
                (Some(position), Some(new))
                    if same_shape(&model.site.articles[position as usize], new) =>
                {
                    in_place.push((position, new.clone()));
                }
                _ => {
                    self.model_stale = true;
                    return;
                }
            }
        }
        for (position, article) in &in_place {
            model.site.articles[*position as usize] = article.clone();
        }
        let mut failed = false;
        for (position, _) in in_place {
            let i = position as usize;
            let version = views::item_version(&model.site, renderer.version(), i);
            if version == model.item_versions[i] {
                continue;
            }
            let item = views::article_value(&model.site, &model.items.shared, i, None);
            match renderer.card(item.clone()) {
                Ok(card) => {
                    model.items.replace(i, card, item);
                    model.item_versions[i] = version;
                }
                Err(_) => failed = true,
            }
        }
        if failed {
            self.model_stale = true;
        }
    }

    /// True when the model's links by source file still lead where `new`,
    /// the article now in `file` (if any), is published.
    fn same_source(&self, file: &Path, new: Option<&Article>) -> bool {
        let Some(model) = &self.model else {
            return true;
        };
        let config = &self.inputs.config;
        let everywhere = Selection {
            include_drafts: self.options.include_drafts,
            now: self.options.now.unwrap_or_else(Timestamp::now),
            language: None,
        };
        let now = new
            .filter(|a| everywhere.left_out(a).is_none())
            .map(|a| config.site_path_of(a));
        let relative = crate::links::sources::source_path_of(file, &self.options.site_dir);
        model.sources.site_path_of(&relative) == now.as_deref()
    }

    /// Writes every output of the site (or, after an earlier write kept by
    /// [`Edition::keep_written`], every output whose signature changed).
    pub fn write(
        &mut self,
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildFailure> {
        let now = self.now();
        self.prepare(now, timings)?;
        let mut plan = self.outputs.take().expect("prepared above");
        let mut written_record = self.written.take();
        let keep = written_record.is_some();
        let written = self
            .run(now, keep)
            .write(sink, &mut plan, written_record.as_mut(), timings);
        self.written = written_record;
        if keep {
            self.outputs = Some(plan);
        } else {
            drop(plan);
            if let Some(model) = &mut self.model {
                model.shed_pages();
                // Made again, whole, should this edition write again.
                self.model_stale = true;
            }
        }
        let mut written = written.map_err(|error| self.failure(error))?;
        self.link_warnings = written.link_warnings.clone();
        if !self.defer_search {
            let search = self.write_search(sink, timings)?;
            written.files_written += search.files_written;
            written.files_removed += search.files_removed;
        }
        Ok(written)
    }

    /// Follows the files at `changed` (absolute paths, or relative to the
    /// site folder) that changed on disk: appeared, changed, went away or
    /// were renamed. [`Edition::write`] then brings the output up to date.
    pub fn follow(
        &mut self,
        changed: &[PathBuf],
        timings: &mut Timings,
    ) -> Result<(), BuildFailure> {
        let inputs = &self.inputs;
        let known = |dir: &Path| -> Vec<PathBuf> {
            let content = inputs
                .content_files
                .range(dir.to_path_buf()..)
                .take_while(|f| f.starts_with(dir));
            let assets = inputs.assets.site_files().filter(|f| f.starts_with(dir));
            content
                .chain(assets)
                .filter(|f| *f != dir)
                .cloned()
                .collect()
        };
        let changes = Changes::classify(&self.options.site_dir, changed, &known, &inputs.rules);
        if changes.config || self.reload_pending {
            self.reload()?;
        } else {
            self.apply(&changes);
        }
        timings.lap("read changed files");
        Ok(())
    }

    /// Reads everything again, keeping what was written (for when changes
    /// may have been missed).
    pub fn reload(&mut self) -> Result<(), BuildFailure> {
        match Inputs::load(
            &self.options,
            self.inputs.config.edition,
            &mut Timings::default(),
        ) {
            Ok(inputs) => {
                self.inputs = inputs;
                self.model_stale = true;
                self.outputs = None;
                self.reload_pending = false;
                Ok(())
            }
            Err(error) => {
                self.reload_pending = true;
                Err(self.failure(error))
            }
        }
    }

    /// Applies changed templates, static files and content to the inputs.
    fn apply(&mut self, changes: &Changes) {
        let site_dir = self.options.site_dir.clone();
        for file in &changes.static_files {
            self.inputs.assets.refresh(&site_dir, file);
            self.outputs = None;
        }
        if changes.templates || changes.stylesheet() {
            self.inputs.load_renderer(&site_dir);
            self.model_stale = true;
        }
        if !changes.content.is_empty() {
            let changed = self.inputs.apply_content(&site_dir, &changes.content);
            if changed.files_changed {
                // Loose and bundle files are copied to other places.
                self.outputs = None;
            }
            self.patch_articles(&changed.articles);
        }
    }
}

/// Lets a large value go on another thread: freeing a site model's many
/// small allocations would otherwise add to the time a rebuild takes.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// True when two versions of an article put it in the same place in the
/// site: same file, date, title, URL and terms as written, draft flag and
/// old URLs.
fn same_shape(old: &Article, new: &Article) -> bool {
    old.file == new.file
        && old.date == new.date
        && old.front.title == new.front.title
        && old.url == new.url
        && old.front.tags == new.front.tags
        && old.front.authors == new.front.authors
        && old.front.section == new.front.section
        && old.front.draft == new.front.draft
        && old.front.more().aliases == new.front.more().aliases
        && old.is_bundle == new.is_bundle
}
