//! A site loaded into memory that outlives one build: what `broadsheet
//! build` writes once and `broadsheet serve` keeps up to date while files
//! are edited.
//!
//! [`Project::open`] reads everything (config, templates, static files, the
//! front matter of every article) and writes nothing; [`Project::check`]
//! says whether it would build; [`Project::write`] writes every output
//! through a [`Sink`]; [`Project::rebuild`] takes the paths that changed on
//! disk and brings the output up to date.
//!
//! ## How a rebuild decides what to make again
//!
//! An article is known by its file, never by its position in reading order
//! (positions move whenever an article is added before it). A rebuild
//! re-reads only the files that changed. If what decides the shape of the
//! site (dates, titles, URLs, tags, authors, sections, drafts, which files
//! exist) is unchanged, the new articles replace the old ones in place;
//! otherwise the site model (order, taxonomies, archives, related articles,
//! listing plan, feeds) is assembled again from the metadata held, which
//! takes milliseconds, and list items and cards are reused for every article
//! whose item version is unchanged.
//!
//! Every output then has a *signature*: a hash of everything its bytes are
//! made from (each page module says what that is: `render::Renderer::
//! article_signature`, `render::listings::page_signature`,
//! `feeds::FeedFormat::signature`, the sitemaps'). The signatures of what
//! was last written are kept; an output is made again when its signature
//! differs, and removed when the site no longer has it. Equal signatures mean
//! equal bytes, so the output after any sequence of rebuilds is the output of
//! a fresh build of the same files (`tests/serve.rs` checks exactly that).
//!
//! ## Languages
//!
//! A project is one *edition* (`edition.rs`) per language of the site: a site
//! in one language has one. The default language's reads the site folder;
//! the others start from copies of its inputs (the articles are shared,
//! not read again) with their own config and templates, and publish only
//! their language's articles, written under their prefix (`ru/`). Before
//! each write the project gives every edition what it needs of the others:
//! which articles translate which ([`crate::site::translations`]) and the
//! paths the others write, for links between languages.
//!
//! ## Memory in a build that is written once
//!
//! `serve` keeps everything a write made, to make less the next time; a
//! build that is written once (no [`Project::keep_written`]) lets go of each
//! part as soon as nothing later reads it, as the peak of a large archive's
//! build is what decides whether it fits the machine. Listing pages are
//! written before article pages, and the cards they join go before the
//! article pass gathers each article's search words and links; the list
//! items, listing plan and link targets go before the search index is made,
//! which needs only the site. Search words are numbers in one vocabulary
//! (`search::Vocabulary`), not strings per article.

mod changes;
mod edition;
mod inputs;
mod model;
mod outputs;
mod search_index;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use crate::diagnostics::{FileError, Warning, Warnings, key_line};
use crate::output::{OutputError, Prefixed, Sink};
use crate::progress::Progress;
use crate::site::Site;
use crate::site::translations::Translations;
use crate::source::{CONFIG_FILE, CONTENT_DIR};
use crate::timings::Timings;

pub use changes::{Changes, is_source};
use edition::Edition;
pub use outputs::Written;

/// What to load, and how.
#[derive(Debug, Clone, Default)]
pub struct ProjectOptions {
    /// The site folder, holding `content/` and optionally `config.yaml`,
    /// `templates/` and `static/`.
    pub site_dir: PathBuf,
    /// Replaces `base_url` from the config.
    pub base_url: Option<String>,
    /// Publish drafts and future articles too.
    pub include_drafts: bool,
    /// The build time, for telling future articles; the time of each build
    /// or rebuild when not set.
    pub now: Option<Timestamp>,
    /// Broken links of article bodies are errors, not warnings.
    pub strict: bool,
    /// Where builds show their stage and count (nothing by default).
    pub progress: Progress,
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

/// What [`Project::write`] or [`Project::rebuild`] did.
#[derive(Debug, Default, Clone)]
pub struct WriteReport {
    /// Files written (pages, feeds, copies).
    pub files_written: usize,
    /// Files removed because the site no longer has them.
    pub files_removed: usize,
    /// Links of article bodies that lead nowhere.
    pub link_warnings: Vec<Warning>,
}

/// A site folder loaded into memory: one edition per language, the
/// default language first (a site in one language has one). See the
/// module documentation.
#[derive(Debug)]
pub struct Project {
    editions: Vec<Edition>,
    /// Which articles translate which, in a site in several languages.
    translations: Arc<Translations>,
}

impl Project {
    /// Reads the site: config, templates, static files and the front matter
    /// of every article (once, whatever the number of languages). Fails
    /// only when there is nothing to build (no config that can be read, no
    /// `content/`); errors in files are held and reported by
    /// [`Project::check`], [`Project::write`] and [`Project::rebuild`].
    pub fn open(options: ProjectOptions, timings: &mut Timings) -> Result<Project, BuildFailure> {
        let first = Edition::open(options, timings)?;
        let mut project = Project {
            editions: vec![first],
            translations: Arc::default(),
        };
        project.open_languages();
        Ok(project)
    }

    /// Makes the editions of the languages other than the default from the
    /// default's inputs, as its config lists them.
    fn open_languages(&mut self) {
        self.editions.truncate(1);
        let count = self.editions[0].config().languages.len();
        for language in 1..count {
            let edition = self.editions[0].for_language(language);
            self.editions.push(edition);
        }
    }

    /// Keeps what is written from now on, so that [`Project::rebuild`] can
    /// write only what changed. Without it, every write writes everything.
    pub fn keep_written(&mut self) {
        self.editions.iter_mut().for_each(Edition::keep_written);
    }

    /// Leaves the search index to [`Project::write_search`], after each write.
    pub fn defer_search(&mut self) {
        self.editions.iter_mut().for_each(Edition::defer_search);
    }

    /// True when the search index of some language is behind the pages.
    pub fn search_is_stale(&self) -> bool {
        self.editions.iter().any(Edition::search_is_stale)
    }

    /// The options the project was opened with.
    pub fn options(&self) -> &ProjectOptions {
        self.editions[0].options()
    }

    /// The site folder.
    pub fn site_dir(&self) -> &Path {
        self.editions[0].site_dir()
    }

    /// The site configuration (of the default language).
    pub fn config(&self) -> &Config {
        self.editions[0].config()
    }

    /// The site model of each language, once [`Project::check`] has
    /// succeeded: the default language first.
    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.editions.iter().filter_map(Edition::site)
    }

    /// The site model of the default language, once [`Project::check`]
    /// has succeeded.
    pub fn site(&self) -> Option<&Site> {
        self.editions[0].site()
    }

    /// Number of listing, overview and redirect pages the site has.
    pub fn planned_pages(&self) -> usize {
        self.editions.iter().map(Edition::planned_pages).sum()
    }

    /// Number of feeds the site has (an Atom feed per listing with one; the
    /// site-wide feed also as RSS and JSON Feed).
    pub fn feed_count(&self) -> usize {
        self.editions.iter().map(Edition::feed_count).sum()
    }

    /// Every link to another site (`http`, `https`) in the bodies of the
    /// articles written last, with where it is: (address, file, line, column).
    pub fn external_links(&self) -> Vec<(String, PathBuf, usize, usize)> {
        self.editions
            .iter()
            .flat_map(Edition::external_links)
            .collect()
    }

    /// Every warning about the site as it is now, unsorted.
    pub fn warnings(&self) -> Warnings {
        let (first, others) = self.editions.split_first().expect("a default language");
        let mut warnings = first.warnings();
        for edition in others {
            warnings.extend(edition.own_warnings().cloned());
        }
        warnings.extend(self.translations.warnings.iter().cloned());
        warnings
    }

    /// Brings the site model of every language up to date with the inputs
    /// and checks it: every error in every file, template and URL at once,
    /// sorted.
    pub fn check(&mut self) -> Result<(), BuildFailure> {
        self.check_timed(&mut Timings::default())
    }

    fn check_timed(&mut self, timings: &mut Timings) -> Result<(), BuildFailure> {
        for edition in &mut self.editions {
            edition.check(timings)?;
        }
        Ok(())
    }

    /// Writes every output of the site (or, after an earlier write kept by
    /// [`Project::keep_written`], every output whose signature changed):
    /// each language under its prefix.
    pub fn write(
        &mut self,
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildFailure> {
        if self.editions.len() > 1 {
            self.link_languages(timings)?;
        } else if !self.translations.warnings.is_empty() {
            // The site was in several languages before config.yaml changed.
            self.translations = Arc::default();
        }
        self.write_each(sink, |edition, sink| edition.write(sink, timings))
    }

    /// Brings the output up to date after the files at `changed` (absolute
    /// paths, or relative to the site folder) changed on disk: appeared,
    /// changed, went away or were renamed.
    pub fn rebuild(
        &mut self,
        changed: &[PathBuf],
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildFailure> {
        self.each_language(|edition| edition.follow(changed, timings))?;
        self.write(sink, timings)
    }

    /// Reads everything again, keeping what was written (for when changes
    /// may have been missed).
    pub fn reload(&mut self) -> Result<(), BuildFailure> {
        self.each_language(Edition::reload)
    }

    /// Applies `step` to the default language, then to the others; when it
    /// changed the config's languages, the others are made again from the
    /// default's inputs instead.
    fn each_language(
        &mut self,
        mut step: impl FnMut(&mut Edition) -> Result<(), BuildFailure>,
    ) -> Result<(), BuildFailure> {
        let languages = self.language_codes();
        step(&mut self.editions[0])?;
        if self.language_codes() == languages {
            self.editions[1..].iter_mut().try_for_each(step)
        } else {
            self.open_languages();
            Ok(())
        }
    }

    /// Writes with `write` each language into `sink` under its prefix;
    /// returns what they wrote together.
    fn write_each(
        &mut self,
        sink: &dyn Sink,
        mut write: impl FnMut(&mut Edition, &dyn Sink) -> Result<WriteReport, BuildFailure>,
    ) -> Result<WriteReport, BuildFailure> {
        let mut report = WriteReport::default();
        for edition in &mut self.editions {
            let prefixed = Prefixed::new(sink, edition.prefix().to_string());
            let written = write(edition, &prefixed)?;
            report.files_written += written.files_written;
            report.files_removed += written.files_removed;
            report.link_warnings.extend(written.link_warnings);
        }
        Ok(report)
    }

    /// Writes the search index of every language, when it is behind.
    pub fn write_search(
        &mut self,
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildFailure> {
        self.write_each(sink, |edition, sink| edition.write_search(sink, timings))
    }

    /// Tells each language what the others publish: which of their articles
    /// translate its own, and where their pages are, for its link checks.
    fn link_languages(&mut self, timings: &mut Timings) -> Result<(), BuildFailure> {
        self.check_timed(timings)?;
        let content_dir = self.site_dir().join(CONTENT_DIR);
        let translations = Translations::new(self.sites(), &content_dir);
        if translations.version != self.translations.version
            || translations.warnings != self.translations.warnings
        {
            self.translations = Arc::new(translations);
        }
        for edition in &mut self.editions {
            edition.set_translations(&self.translations);
        }
        let paths: Vec<Vec<String>> = self.editions.iter().map(Edition::output_paths).collect();
        self.check_shared_paths(&paths)?;
        for (i, edition) in self.editions.iter_mut().enumerate() {
            edition.elsewhere = paths
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, paths)| paths.iter().cloned())
                .collect();
        }
        timings.lap("translations, paths of the languages");
        Ok(())
    }

    /// Fails when two languages would write one file: a page of one lies
    /// under another's prefix (an article of the default language at
    /// `/ru/…`).
    fn check_shared_paths(&self, paths: &[Vec<String>]) -> Result<(), BuildFailure> {
        let mut owners: HashMap<&str, usize> = HashMap::new();
        let mut errors = Vec::new();
        let languages = &self.config().languages;
        let text = std::fs::read_to_string(self.site_dir().join(CONFIG_FILE)).unwrap_or_default();
        let line = key_line(&text, "languages").unwrap_or(1);
        for (language, paths) in paths.iter().enumerate() {
            for path in paths {
                if let Some(other) = owners.insert(path, language) {
                    errors.push(FileError::at_line(
                        Path::new(CONFIG_FILE),
                        line,
                        format!(
                            "languages: `{}` and `{}` both write /{path}; expected a prefix that no page of the other language has",
                            languages[other].code, languages[language].code
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            return Ok(());
        }
        errors.truncate(20);
        Err(BuildFailure {
            error: BuildError::Files(errors),
            warnings: self.warnings(),
        })
    }

    /// The codes of the site's languages, as the config lists them now.
    fn language_codes(&self) -> Vec<String> {
        let config = self.editions[0].config();
        config.languages.iter().map(|l| l.code.clone()).collect()
    }
}
