//! The command line: `broadsheet build [SITE_DIR] [-o DIR] [--base-url URL] [--drafts]`
//! and `broadsheet serve [SITE_DIR] [--port 1111] [--bind 127.0.0.1] [--drafts] [--open]`.
//!
//! Exit codes: 0 on success, 1 on content, template, config or output
//! errors, 2 on usage errors.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{BuildError, BuildOptions, BuildReport, build};
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
        } => {
            let options = BuildOptions {
                site_dir,
                output,
                base_url,
                include_drafts: drafts,
                now: None,
                exiting_after: true,
            };
            run_build(&options, verbose, timings)
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
