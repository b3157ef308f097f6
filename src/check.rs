//! `broadsheet check`: everything a build checks (front matter, templates,
//! URL clashes, every page rendered, every link of every body), writing
//! nothing; with `external`, links to other sites too.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::diagnostics::{Warning, WarningKind, Warnings};
use crate::links::check::LinkProblem;
use crate::links::external::{self, ExternalOptions};
use crate::output::Discard;
use crate::progress::Progress;
use crate::project::{BuildFailure, Project, ProjectOptions};
use crate::timings::Timings;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The site folder.
    pub site_dir: PathBuf,
    /// Check drafts and future articles too.
    pub include_drafts: bool,
    /// Check links to other sites (`http`, `https`) too.
    pub external: Option<ExternalOptions>,
    /// Where the check shows its stage and count (nothing by default).
    pub progress: Progress,
}

/// What a check found (errors end it as a [`BuildFailure`] instead).
#[derive(Debug)]
pub struct CheckReport {
    /// Articles checked.
    pub articles: usize,
    /// HTML pages rendered, articles included (as `build` counts them).
    pub pages: usize,
    /// Every warning, broken links included.
    pub warnings: Warnings,
    /// Links of bodies that lead nowhere on the site.
    pub broken_links: usize,
    /// Addresses of other sites asked, when asked to.
    pub external_checked: usize,
    /// Addresses of other sites that did not answer well.
    pub external_broken: usize,
    /// Addresses of other sites that moved permanently and answer at their
    /// new address: reported, not counted as broken.
    pub external_moved: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl CheckReport {
    /// True when nothing needs mending: no broken link of either kind.
    pub fn is_clean(&self) -> bool {
        self.broken_links == 0 && self.external_broken == 0
    }
}

/// Checks a site. Errors (in files, templates, URLs) fail it as a build
/// fails; broken links are counted in the report.
pub fn check(options: &CheckOptions) -> Result<CheckReport, BuildFailure> {
    options.progress.run(|| check_with_progress(options))
}

fn check_with_progress(options: &CheckOptions) -> Result<CheckReport, BuildFailure> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let mut project = Project::open(
        ProjectOptions {
            site_dir: options.site_dir.clone(),
            base_url: None,
            include_drafts: options.include_drafts,
            now: Some(Timestamp::now()),
            strict: false,
            progress: options.progress.clone(),
        },
        &mut timings,
    )?;
    let written = project.write(&Discard, &mut timings)?;
    let mut warnings = project.warnings();
    let articles = project.sites().map(|s| s.articles.len()).sum();
    let mut report = CheckReport {
        articles,
        pages: articles + project.planned_pages(),
        warnings: Warnings::default(),
        broken_links: written.link_warnings.len(),
        external_checked: 0,
        external_broken: 0,
        external_moved: 0,
        elapsed: Duration::ZERO,
    };
    if let Some(external_options) = options.external {
        let links = project.external_links();
        let urls: Vec<String> = links.iter().map(|(url, ..)| url.clone()).collect();
        let answers = external::check_all(&urls, external_options, &options.progress);
        report.external_checked = answers.len();
        report.external_broken = answers.values().filter(|a| !a.is_good()).count();
        report.external_moved = answers
            .values()
            .filter(|a| a.is_good() && a.moved_to().is_some())
            .count();
        for (url, file, line, column) in links {
            let address = url.split('#').next().unwrap_or(&url);
            let Some(answer) = answers.get(address) else {
                continue;
            };
            let problem = if !answer.is_good() {
                LinkProblem::External(answer.describe())
            } else if answer.moved_to().is_some() {
                LinkProblem::Moved(answer.describe())
            } else {
                continue;
            };
            warnings.push(Warning {
                kind: WarningKind::BrokenLink { problem, dest: url },
                path: file,
                line: Some(line),
                column: Some(column),
            });
        }
    }
    report.warnings = warnings;
    report.elapsed = started.elapsed();
    Ok(report)
}
