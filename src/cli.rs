//! The command line: `build`, `check`, `serve`, `new`, `init`, `eject` and
//! `list` (`broadsheet help COMMAND` says more of each).
//!
//! Exit codes: 0 on success, 1 on content, template, config or output
//! errors (and, for `check`, broken links), 2 on usage errors.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiff::Timestamp;

use crate::build::{BuildError, BuildFailure, BuildOptions, BuildReport, build};
use crate::check::{CheckOptions, check};
use crate::diagnostics::Warnings;
use crate::eject::{EjectError, eject};
use crate::init::init;
use crate::links::external::ExternalOptions;
use crate::list::{ListFormat, Which, list};
use crate::new::{NewOptions, new_article};
use crate::serve::{self, ServeError, ServeOptions};
use crate::terminal::Terminal;

/// broadsheet: a static site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// List every warning instead of one line per kind.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
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
        /// Print the time taken by each stage of each build.
        #[arg(long)]
        timings: bool,
    },
    /// Start an article: a draft at content/YYYY/MM/SLUG.md dated now, with
    /// its front matter filled in. Never overwrites.
    New(NewOptions),
    /// Make a new site: a commented config.yaml, an example article, and
    /// empty templates/ and static/. Refuses a folder that holds files.
    Init {
        /// The folder to make the site in (made if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Copy built-in templates and the theme's stylesheet into the site to
    /// customise them. Never overwrites.
    Eject {
        /// The site folder, then the templates to copy (article.html,
        /// partials/footer.html, theme.css…); all when none are named.
        #[arg(value_name = "SITE_DIR] [NAME")]
        args: Vec<String>,
    },
    /// List the articles: date, URL, file, title and status, newest first.
    List {
        /// The site folder.
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Only drafts.
        #[arg(long, group = "which")]
        drafts: bool,
        /// Only articles dated in the future.
        #[arg(long, group = "which")]
        future: bool,
        /// Every article: published, drafts and future.
        #[arg(long, group = "which")]
        all: bool,
        /// Tab-separated values or JSON.
        #[arg(long, value_enum, default_value_t = ListFormat::Tsv)]
        format: ListFormat,
    },
}

/// Exit code for content, template, config and output errors.
const EXIT_BUILD_FAILED: u8 = 1;
/// Exit code for usage errors (clap uses it too).
const EXIT_USAGE: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let terminal = Terminal::detect(cli.verbose, cli.quiet);
    match cli.command {
        Command::Build {
            site_dir,
            output,
            base_url,
            drafts,
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
                progress: terminal.progress(),
                exiting_after: true,
            };
            run_build(&options, &terminal, timings)
        }
        Command::Check {
            site_dir,
            external,
            timeout,
            drafts,
        } => {
            let options = CheckOptions {
                site_dir,
                include_drafts: drafts,
                external: external.then(|| ExternalOptions {
                    timeout: std::time::Duration::from_secs(timeout.max(1)),
                    ..Default::default()
                }),
                progress: terminal.progress(),
            };
            run_check(&options, &terminal)
        }
        Command::Serve {
            site_dir,
            port,
            bind,
            drafts,
            open,
            timings,
        } => {
            let options = ServeOptions {
                site_dir,
                port,
                bind,
                include_drafts: drafts,
                open,
                terminal,
                timings,
            };
            match serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    terminal.error(&error);
                    if matches!(error, ServeError::Build(_)) {
                        ExitCode::from(EXIT_USAGE)
                    } else {
                        ExitCode::from(EXIT_BUILD_FAILED)
                    }
                }
            }
        }
        Command::New(options) => match new_article(&options) {
            Ok(article) => {
                terminal.warnings(&Warnings::from(article.warnings));
                terminal.say(article.path.display());
                ExitCode::SUCCESS
            }
            Err(error) => failed(&terminal, error),
        },
        Command::Init { dir } => match init(&dir, Timestamp::now()) {
            Ok(made) => {
                for path in &made {
                    terminal.say(format_args!("made {}", dir.join(path).display()));
                }
                terminal.say(format_args!(
                    "A new site is in {}: `broadsheet serve {}` shows it.",
                    dir.display(),
                    dir.display()
                ));
                ExitCode::SUCCESS
            }
            Err(error) => failed(&terminal, error),
        },
        Command::Eject { args } => {
            let (site_dir, names) = eject_arguments(args);
            match eject(&site_dir, &names) {
                Ok(ejected) => {
                    let shown = |path: &PathBuf| match site_dir.as_os_str() == "." {
                        true => path.display().to_string(),
                        false => site_dir.join(path).display().to_string(),
                    };
                    for path in &ejected.written {
                        terminal.say(format_args!("wrote {}", shown(path)));
                    }
                    for path in &ejected.kept {
                        terminal.remark(format_args!(
                            "kept {}: the site has it already",
                            shown(path)
                        ));
                    }
                    ExitCode::SUCCESS
                }
                Err(error @ EjectError::Unknown { .. }) => {
                    terminal.error(&error);
                    ExitCode::from(EXIT_USAGE)
                }
                Err(error) => failed(&terminal, error),
            }
        }
        Command::List {
            site_dir,
            drafts,
            future,
            all,
            format,
        } => {
            let which = match (drafts, future, all) {
                (true, _, _) => Which::Drafts,
                (_, true, _) => Which::Future,
                (_, _, true) => Which::All,
                _ => Which::Published,
            };
            match list(&site_dir, which, Timestamp::now()) {
                Ok(listing) => {
                    terminal.warnings(&Warnings::from(listing.warnings.clone()));
                    for error in &listing.errors {
                        terminal.error(error);
                    }
                    print!("{}", listing.to_text(format));
                    if listing.errors.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(EXIT_BUILD_FAILED)
                    }
                }
                Err(error) => failed(&terminal, error),
            }
        }
    }
}

/// `eject`'s arguments: the site folder, when the first one is a folder
/// (`broadsheet eject article.html` means this folder), then the names.
fn eject_arguments(mut args: Vec<String>) -> (PathBuf, Vec<String>) {
    let first_is_site = args
        .first()
        .is_some_and(|first| std::path::Path::new(first).is_dir());
    if first_is_site {
        let site = args.remove(0);
        (PathBuf::from(site), args)
    } else {
        (PathBuf::from("."), args)
    }
}

/// Prints an error; exit code 1.
fn failed(terminal: &Terminal, error: impl std::fmt::Display) -> ExitCode {
    terminal.error(error);
    ExitCode::from(EXIT_BUILD_FAILED)
}

/// Runs `broadsheet check` and reports: exit 1 on errors and broken links.
fn run_check(options: &CheckOptions, terminal: &Terminal) -> ExitCode {
    match check(options) {
        Ok(report) => {
            terminal.warnings(&report.warnings);
            let mut line = format!(
                "Checked {} article(s), {} page(s) in {:.2} s: ",
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
                if report.external_moved > 0 {
                    line.push_str(&format!(", {} moved permanently", report.external_moved));
                }
            }
            terminal.say(line);
            if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_BUILD_FAILED)
            }
        }
        Err(failure) => report_failure(&failure, terminal, "check failed"),
    }
}

/// Runs `broadsheet build` and reports.
fn run_build(options: &BuildOptions, terminal: &Terminal, timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            terminal.warnings(&report.warnings);
            if timings {
                crate::timings::print(&report.timings);
            }
            terminal.say(summary_line(&report));
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(
            &failure,
            terminal,
            "build failed; the previous output was left untouched",
        ),
    }
}

/// Prints a failed build's (or check's) warnings and errors, closing with
/// `closing` and the count; the exit code.
fn report_failure(failure: &BuildFailure, terminal: &Terminal, closing: &str) -> ExitCode {
    terminal.warnings(&failure.warnings);
    match &failure.error {
        BuildError::Files(errors) => {
            for error in errors {
                terminal.error(error);
            }
            eprintln!("{closing}: {} error(s)", errors.len());
        }
        other => terminal.error(other),
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
    if report.drafts_left_out + report.future_left_out + report.expired_left_out > 0 {
        let expired = if report.expired_left_out > 0 {
            format!(", {} expired", report.expired_left_out)
        } else {
            String::new()
        };
        line.push_str(&format!(
            "; left out {} draft(s) and {} future article(s){expired} (--drafts includes them)",
            report.drafts_left_out, report.future_left_out
        ));
    }
    line
}
