//! How the command line talks to a person: warnings and errors on standard
//! error, coloured only on a terminal and never when `NO_COLOR` is set;
//! nothing but errors with `--quiet`; a progress bar on long builds.

use std::ffi::OsString;
use std::fmt::Display;
use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

use crate::diagnostics::Warnings;
use crate::progress::Progress;

/// What the command line prints, and how.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    /// List every warning instead of one line per kind.
    pub verbose: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Colour the `error:` and `warning:` labels.
    pub colour: bool,
}

const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const WARNING: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const NOTE: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

impl Terminal {
    /// The terminal of this process: colour when standard error is a
    /// terminal and `NO_COLOR` is not set (<https://no-color.org>).
    pub fn detect(verbose: bool, quiet: bool) -> Terminal {
        Terminal {
            verbose,
            quiet,
            colour: colour_wanted(
                std::io::stderr().is_terminal(),
                std::env::var_os("NO_COLOR"),
                std::env::var_os("TERM"),
            ),
        }
    }

    /// The progress bar for a build: on a terminal, unless quiet.
    pub fn progress(&self) -> Progress {
        if self.quiet {
            Progress::default()
        } else {
            Progress::on_terminal()
        }
    }

    /// Prints an error on standard error; errors are printed even when quiet.
    pub fn error(&self, message: impl Display) {
        eprintln!("{} {message}", self.paint(ERROR, "error:"));
    }

    /// Prints a warning on standard error, unless quiet.
    pub fn warning(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{} {message}", self.paint(WARNING, "warning:"));
        }
    }

    /// Prints warnings: one line per kind, or each one when verbose.
    pub fn warnings(&self, warnings: &Warnings) {
        if self.quiet {
            return;
        }
        let lines = if self.verbose {
            warnings.lines()
        } else {
            warnings.grouped_lines()
        };
        for line in lines {
            eprintln!("{}", self.label(&line));
        }
    }

    /// Prints what a command did, on standard output, unless quiet.
    pub fn say(&self, line: impl Display) {
        if !self.quiet {
            println!("{line}");
        }
    }

    /// Prints a remark on standard error (a port taken, a browser that
    /// could not be opened), unless quiet.
    pub fn remark(&self, line: impl Display) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// A line whose `warning:`, `note:` or `error:` label is coloured.
    fn label(&self, line: &str) -> String {
        for (label, style) in [("warning:", WARNING), ("note:", NOTE), ("error:", ERROR)] {
            if let Some(rest) = line.strip_prefix(label) {
                return format!("{}{rest}", self.paint(style, label));
            }
        }
        line.to_string()
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.colour {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

/// Whether to colour: only on a terminal that is not `dumb`, and never
/// when `NO_COLOR` is set to anything but the empty string.
fn colour_wanted(is_terminal: bool, no_color: Option<OsString>, term: Option<OsString>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_terminal_and_no_color() {
        let set = |v: &str| Some(OsString::from(v));
        assert!(colour_wanted(true, None, set("xterm-256color")));
        assert!(
            colour_wanted(true, set(""), None),
            "empty NO_COLOR is unset"
        );
        assert!(!colour_wanted(true, set("1"), set("xterm")));
        assert!(!colour_wanted(false, None, set("xterm")), "a pipe");
        assert!(!colour_wanted(true, None, set("dumb")));
    }

    #[test]
    fn labels_are_coloured_only_when_wanted() {
        let plain = Terminal::default();
        assert_eq!(plain.label("warning: x"), "warning: x");
        let coloured = Terminal {
            colour: true,
            ..Terminal::default()
        };
        let line = coloured.label("warning: 3 files");
        assert!(line.starts_with("\u{1b}["), "{line:?}");
        assert!(line.ends_with("warning:\u{1b}[0m 3 files"), "{line:?}");
        assert_eq!(coloured.label("Built 3 articles"), "Built 3 articles");
    }
}
