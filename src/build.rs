//! `broadsheet build`: load the site, write it into a staging folder beside
//! the output, and swap it in. On any error the previous output is left as
//! it was.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::diagnostics::Warnings;
use crate::output::Staging;
use crate::progress::Progress;
pub use crate::project::{BuildError, BuildFailure};
use crate::project::{Project, ProjectOptions};
use crate::source::DEFAULT_OUTPUT_DIR;
pub use crate::timings::Timings;

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
    /// Broken links of article bodies are errors (`--strict`).
    pub strict: bool,
    /// Where the build shows its stage and count (nothing by default).
    pub progress: Progress,
    /// The process exits right after the build (the command line): the
    /// site model is then left for the system to reclaim instead of being
    /// freed piece by piece. Leave it false in a process that goes on.
    pub exiting_after: bool,
}

impl BuildOptions {
    /// The options of the project to load.
    pub fn project(&self) -> ProjectOptions {
        ProjectOptions {
            site_dir: self.site_dir.clone(),
            base_url: self.base_url.clone(),
            include_drafts: self.include_drafts,
            now: Some(self.now.unwrap_or_else(Timestamp::now)),
            strict: self.strict,
            progress: self.progress.clone(),
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.site_dir.join(DEFAULT_OUTPUT_DIR))
    }
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
    /// Expired articles left out.
    pub expired_left_out: usize,
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Warnings, to be shown to the user.
    pub warnings: Warnings,
    /// Time taken by each stage.
    pub timings: Timings,
}

/// Builds a site. On any error the previous output folder is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    options.progress.run(|| build_with_progress(options))
}

fn build_with_progress(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let mut project = Project::open(options.project(), &mut timings)?;
    let staging =
        Staging::begin(&options.site_dir, &options.output_dir()).map_err(|e| BuildFailure {
            error: e.into(),
            warnings: project.warnings(),
        })?;
    project.write(&staging, &mut timings)?;
    options.progress.stage("swapping the output in", None);
    let output = staging.commit().map_err(|e| BuildFailure {
        error: e.into(),
        warnings: project.warnings(),
    })?;
    timings.lap("swap output in");
    let sites: Vec<&crate::site::Site> = project.sites().collect();
    let total = |count: fn(&crate::site::Site) -> usize| sites.iter().map(|s| count(s)).sum();
    let articles_written = total(|s| s.articles.len());
    let report = BuildReport {
        articles_written,
        pages_written: articles_written + project.planned_pages(),
        feeds_written: project.feed_count(),
        drafts_left_out: total(|s| s.drafts_left_out),
        future_left_out: total(|s| s.future_left_out),
        expired_left_out: total(|s| s.expired_left_out),
        output,
        elapsed: started.elapsed(),
        warnings: project.warnings(),
        timings,
    };
    if options.exiting_after {
        // Freeing millions of small allocations one by one takes a
        // noticeable part of a large build; the process ends right after.
        std::mem::forget(project);
    }
    Ok(report)
}
