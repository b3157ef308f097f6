//! The command line: `broadsheet build [SITE_DIR] [-o DIR] [--base-url URL] [--drafts]`
//! and `broadsheet serve [SITE_DIR] [--port 1111] [--bind 127.0.0.1] [--drafts] [--open]`.
//!
//! Exit codes: 0 on success, 1 on content, template, config or output
//! errors, 2 on usage errors.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{BuildError, BuildFailure, BuildOptions, BuildReport, build};
use crate::check::{CheckOptions, check};
use crate::links::external::ExternalOptions;
use crate::serve::{self, ServeError, ServeOptions};

/// broadsheet: a static site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder of static files.
    Build {
        /// The site folder, holding content/ (and optionally config.yaml,
        /// templates/, static/).
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Output folder [default: SITE_DIR/public].
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Base URL to use instead of config.yaml's base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include drafts and articles dated in the future.
        #[arg(long)]
        drafts: bool,
        /// List every warning instead of one line per kind.
        #[arg(short, long)]
        verbose: bool,
        /// Print the time taken by each stage of the build.
        #[arg(long)]
        timings: bool,
        /// Make broken links of article bodies errors.
        #[arg(long)]
        strict: bool,
    },
    /// Check the site without writing anything: front matter, templates,
    /// URLs, every page, and every link of every article.
    Check {
        /// The site folder.
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Also check links to other sites (http, https).
        #[arg(long)]
        external: bool,
        /// Seconds an external link may take to answer.
        #[arg(long, default_value_t = 10, value_name = "SECONDS")]
        timeout: u64,
        /// Include drafts and articles dated in the future.
        #[arg(long)]
        drafts: bool,
        /// List every warning instead of one line per kind.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Build the site, serve it on this machine, and rebuild and reload
    /// the open pages after every save.
    Serve {
        /// The site folder.
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Port to listen on; the next free one is used when it is taken.
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; other than 127.0.0.1, other machines can
        /// read the site.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Include drafts and articles dated in the future.
        #[arg(long)]
        drafts: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// List every warning instead of one line per kind.
        #[arg(short, long)]
        verbose: bool,
        /// Print the time taken by each stage of each build.
        #[arg(long)]
        timings: bool,
    },
}

/// Exit code for content, template, config and output errors.
const EXIT_BUILD_FAILED: u8 = 1;
/// Exit code for usage errors (clap uses it too).
const EXIT_USAGE: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site_dir,
            output,
            base_url,
            drafts,
            verbose,
            timings,
            strict,
        } => {
            let options = BuildOptions {
                site_dir,
                output,
                base_url,
                include_drafts: drafts,
                now: None,
                strict,
                exiting_after: true,
            };
            run_build(&options, verbose, timings)
        }
        Command::Check {
            site_dir,
            external,
            timeout,
            drafts,
            verbose,
        } => {
            let options = CheckOptions {
                site_dir,
                include_drafts: drafts,
                external: external.then(|| ExternalOptions {
                    timeout: std::time::Duration::from_secs(timeout.max(1)),
                    ..Default::default()
                }),
            };
            run_check(&options, verbose)
        }
        Command::Serve {
            site_dir,
            port,
            bind,
            drafts,
            open,
            verbose,
            timings,
        } => {
            let options = ServeOptions {
                site_dir,
                port,
                bind,
                include_drafts: drafts,
                open,
                verbose,
                timings,
            };
            match serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    if matches!(error, ServeError::Build(_)) {
                        ExitCode::from(EXIT_USAGE)
                    } else {
                        ExitCode::from(EXIT_BUILD_FAILED)
                    }
                }
            }
        }
    }
}

/// Runs `broadsheet check` and reports: exit 1 on errors and broken links.
fn run_check(options: &CheckOptions, verbose: bool) -> ExitCode {
    match check(options) {
        Ok(report) => {
            report.warnings.print(verbose);
            let mut line = format!(
                "Checked {} article(s) and {} page(s) in {:.2} s: ",
                report.articles,
                report.pages,
                report.elapsed.as_secs_f64()
            );
            if report.broken_links == 0 {
                line.push_str("every internal link leads somewhere");
            } else {
                line.push_str(&format!(
                    "{} internal link(s) lead nowhere",
                    report.broken_links
                ));
            }
            if options.external.is_some() {
                line.push_str(&format!(
                    "; {} of {} external address(es) did not answer well",
                    report.external_broken, report.external_checked
                ));
            }
            println!("{line}");
            if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_BUILD_FAILED)
            }
        }
        Err(failure) => report_failure(&failure, verbose, "check"),
    }
}

/// Runs `broadsheet build` and reports.
fn run_build(options: &BuildOptions, verbose: bool, timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            report.warnings.print(verbose);
            if timings {
                for (stage, took, memory) in &report.timings.stages {
                    let memory = memory.map_or(String::new(), |m| format!("{:>6} MiB", m >> 20));
                    eprintln!("{:>8.3} s {memory}  {stage}", took.as_secs_f64());
                }
            }
            println!("{}", summary_line(&report));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            failure.warnings.print(verbose);
            match &failure.error {
                BuildError::Files(errors) => {
                    for error in errors {
                        eprintln!("error: {error}");
                    }
                    eprintln!(
                        "build failed: {} error(s); the previous output was left untouched",
                        errors.len()
                    );
                }
                other => eprintln!("error: {other}"),
            }
            if matches!(failure.error, BuildError::InvalidOption(_)) {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::from(EXIT_BUILD_FAILED)
            }
        }
    }
}

/// Prints a failed build's (or check's) warnings and errors; the exit code.
fn report_failure(failure: &BuildFailure, verbose: bool, what: &str) -> ExitCode {
    failure.warnings.print(verbose);
    match &failure.error {
        BuildError::Files(errors) => {
            for error in errors {
                eprintln!("error: {error}");
            }
            eprintln!("{what} failed: {} error(s)", errors.len());
        }
        other => eprintln!("error: {other}"),
    }
    if matches!(failure.error, BuildError::InvalidOption(_)) {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::from(EXIT_BUILD_FAILED)
    }
}

/// The closing line of a build.
pub fn summary_line(report: &BuildReport) -> String {
    let mut line = format!(
        "Built {} article(s), {} page(s), {} feed(s) in {:.2} s into {}",
        report.articles_written,
        report.pages_written,
        report.feeds_written,
        report.elapsed.as_secs_f64(),
        report.output.display()
    );
    if report.drafts_left_out + report.future_left_out > 0 {
        line.push_str(&format!(
            "; left out {} draft(s) and {} future article(s) (--drafts includes them)",
            report.drafts_left_out, report.future_left_out
        ));
    }
    line
}
