//! Errors and warnings about input files, located to a file and line, and
//! the grouping that keeps a migrated archive's warnings readable.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in one input file, located to a line and, when known, a column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileError {
    /// The file, as shown to the user (relative to the site folder when possible).
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, when the parser gave one.
    pub column: Option<usize>,
    /// What was expected, in words.
    pub message: String,
}

impl FileError {
    /// An error at a line of a file, with no column.
    pub fn at_line(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        FileError {
            path: path.into(),
            line,
            column: None,
            message: message.into(),
        }
    }

    /// An error at a line and column of a file.
    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        FileError {
            path: path.into(),
            line,
            column: Some(column),
            message: message.into(),
        }
    }

    /// Turns a serde_yaml error into a located error, shifting its line by the
    /// number of lines that precede the YAML text in the file.
    pub fn from_yaml(path: &Path, err: &serde_yaml::Error, line_offset: usize) -> Self {
        let message = shift_yaml_positions(&err.to_string(), line_offset);
        match err.location() {
            Some(loc) => FileError::at(path, loc.line() + line_offset, loc.column(), message),
            None => FileError::at_line(path, line_offset.max(1), message),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(col) => write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                col,
                self.message
            ),
            None => write!(f, "{}:{}: {}", self.path.display(), self.line, self.message),
        }
    }
}

/// serde_yaml appends " at line L column C" to its messages, and sometimes
/// names another position inside them. The last one is printed in front
/// instead; the others are shifted to the real line in the file.
fn shift_yaml_positions(message: &str, line_offset: usize) -> String {
    const AT_LINE: &str = " at line ";
    let body = match message.rfind(AT_LINE) {
        Some(i) if message[i + AT_LINE.len()..].starts_with(|c: char| c.is_ascii_digit()) => {
            &message[..i]
        }
        _ => message,
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(AT_LINE) {
        let after = &rest[i + AT_LINE.len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        out.push_str(&rest[..i + AT_LINE.len()]);
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&(line + line_offset).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// What a warning is about. Warnings of the same kind are grouped when shown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A front matter key broadsheet does not know; it is ignored.
    UnknownKey(String),
    /// Template syntax of another generator (Liquid `{% %}`, Hugo shortcodes)
    /// found in an article body; it is kept as plain text.
    ForeignTemplateSyntax(&'static str),
    /// A symbolic link whose target (given) is outside the site folder; not
    /// followed, so nothing outside the site is published.
    ExternalSymlink(PathBuf),
    /// Something that is not a regular file or folder (a pipe, a socket).
    NotAFile,
    /// A file that is no source (hidden, an editor's backup, ignored by the
    /// config): shown with `--verbose` only.
    Skipped(crate::source::Skip),
    /// A Hugo `_index.md` (a section's list-page settings): not an article,
    /// skipped; broadsheet makes section pages itself.
    HugoSectionIndex,
    /// `base_url` has no scheme and host, so feeds and sitemaps cannot carry
    /// the absolute URLs their readers need.
    RelativeBaseUrl,
    /// A link or image of a body that leads nowhere the site has (or, with
    /// `check --external`, to an address that does not answer well).
    BrokenLink {
        /// What is wrong.
        problem: crate::links::check::LinkProblem,
        /// The link as written.
        dest: String,
    },
    /// A slug that had to change beyond its spelling to be safe.
    SlugChanged {
        /// Where it came from: `slug`, `file name`, `title`, or a taxonomy.
        from: &'static str,
        /// What was wrong with it.
        why: &'static str,
        /// What was written (its first 80 characters).
        written: String,
        /// The slug used.
        used: String,
    },
    /// More tags (or authors) on one article than any keeps: the first are kept.
    TooManyTerms {
        /// `tags` or `authors`.
        field: &'static str,
        /// How many were written.
        written: usize,
    },
    /// Control characters (other than tab and newline) removed from a field
    /// (`title`, `body`…): pages and feeds may not carry them.
    ControlCharacters(&'static str),
    /// Two different term names with the same slug; the second got another URL.
    SlugCollision {
        /// `tags`, `authors` or `sections`.
        taxonomy: &'static str,
        /// The name that kept the slug, with its URL.
        first: String,
        /// The name that was given another URL, with it.
        second: String,
    },
    /// Two articles of one language with one translation key: the other
    /// one (given) is linked to the translations, this one is not.
    TranslationTwice {
        /// The translation key (`2025/budget`).
        key: String,
        /// The language's code.
        language: String,
        /// The article linked instead.
        linked: PathBuf,
    },
}

impl WarningKind {
    /// True for notes shown only with `--verbose`.
    pub fn verbose_only(&self) -> bool {
        matches!(self, WarningKind::Skipped(_))
    }

    /// One warning of this kind, in words: what an error made of it says.
    pub fn summary_of_one(&self) -> String {
        self.describe()
    }

    /// What warnings of one group have in common: they are shown as one
    /// line. Most kinds are their own group; broken links group by problem.
    pub fn summary(&self) -> String {
        match self {
            WarningKind::BrokenLink { problem, .. } => problem.summary().to_string(),
            other => other.describe(),
        }
    }

    fn describe(&self) -> String {
        match self {
            WarningKind::UnknownKey(key) => format!("unknown front matter key `{key}` ignored"),
            WarningKind::ForeignTemplateSyntax(what) => {
                format!("{what} in an article body, kept as plain text")
            }
            WarningKind::ExternalSymlink(target) => format!(
                "symbolic link to {}, outside the site folder: not followed (set `follow_external_symlinks: true` to publish it)",
                target.display()
            ),
            WarningKind::NotAFile => "not a regular file or folder: skipped".to_string(),
            WarningKind::Skipped(skip) => format!("skipped: {}", skip.describe()),
            WarningKind::BrokenLink { problem, dest } => problem.describe(dest),
            WarningKind::SlugChanged {
                from,
                why,
                written,
                used,
            } => format!(
                "the {from} `{}` {why}: the URL uses `{used}`",
                written.escape_debug()
            ),
            WarningKind::TooManyTerms { field, written } => format!(
                "{written} {field} on one article: the first {} are kept",
                crate::content::MAX_TERMS_PER_ARTICLE
            ),
            WarningKind::ControlCharacters(field) => format!(
                "control characters (other than tab and newline) removed from `{field}`"
            ),
            WarningKind::HugoSectionIndex => {
                "Hugo section file `_index.md` is not an article: skipped (broadsheet makes section pages itself)".to_string()
            }
            WarningKind::RelativeBaseUrl => "base_url has no scheme and host (such as https://example.org/): links in feeds and sitemaps are not absolute, and feed readers and search engines need them to be".to_string(),
            WarningKind::SlugCollision {
                taxonomy,
                first,
                second,
            } => format!("{taxonomy} with one slug were given distinct URLs: {first}, {second}"),
            WarningKind::TranslationTwice {
                key,
                language,
                linked,
            } => format!(
                "{} is also the `{language}` article of translation key `{key}`: only it is linked to the translations (give one of them another `translation_key:`)",
                linked.display()
            ),
        }
    }
}

/// One warning about one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// The file it was found in.
    pub path: PathBuf,
    /// The line, when known.
    pub line: Option<usize>,
    /// The column, when known.
    pub column: Option<usize>,
}

impl Warning {
    fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.path.display()),
            (Some(line), None) => format!("{}:{line}", self.path.display()),
            _ => self.path.display().to_string(),
        }
    }
}

/// All warnings of a build.
#[derive(Debug, Default, Clone)]
pub struct Warnings {
    items: Vec<Warning>,
}

impl Warnings {
    /// Adds a warning.
    pub fn push(&mut self, warning: Warning) {
        self.items.push(warning);
    }

    /// Adds every warning of another collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Warning>) {
        self.items.extend(other);
    }

    /// Number of warnings.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every warning, one line each, sorted by kind and file.
    pub fn lines(&self) -> Vec<String> {
        let mut items = self.items.clone();
        items.sort();
        items
            .iter()
            .map(|w| {
                let label = if w.kind.verbose_only() {
                    "note"
                } else {
                    "warning"
                };
                format!("{label}: {}: {}", w.location(), w.kind.describe())
            })
            .collect()
    }

    /// One line per kind, with a count and the first file as an example, so
    /// that a thousand migrated posts carrying `layout:` give one line.
    pub fn grouped_lines(&self) -> Vec<String> {
        let mut groups: BTreeMap<String, Vec<&Warning>> = BTreeMap::new();
        for w in self.items.iter().filter(|w| !w.kind.verbose_only()) {
            groups.entry(w.kind.summary()).or_default().push(w);
        }
        groups
            .into_iter()
            .map(|(summary, mut ws)| {
                ws.sort();
                if ws.len() == 1 {
                    format!("warning: {}: {}", ws[0].location(), ws[0].kind.describe())
                } else {
                    let files = ws
                        .iter()
                        .map(|w| &w.path)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len();
                    let count = if files == ws.len() {
                        format!("{files} files")
                    } else {
                        format!("{} places in {files} files", ws.len())
                    };
                    let example = ws[0].kind.describe();
                    let example = if example == summary {
                        ws[0].location()
                    } else {
                        format!("{}: {example}", ws[0].location())
                    };
                    format!("warning: {summary} in {count} (e.g. {example}; --verbose lists all)")
                }
            })
            .collect()
    }
}

impl From<Vec<Warning>> for Warnings {
    fn from(items: Vec<Warning>) -> Self {
        Warnings { items }
    }
}

impl IntoIterator for Warnings {
    type Item = Warning;
    type IntoIter = std::vec::IntoIter<Warning>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The 1-based line of a top-level `key:` in YAML (or `key =` in TOML), if it is there:
/// serde only says what is wrong with a value, this finds where it was written.
pub fn key_line(yaml: &str, key: &str) -> Option<usize> {
    fn quoted<'l>(line: &'l str, key: &str, quote: char) -> Option<&'l str> {
        line.strip_prefix(quote)?
            .strip_prefix(key)?
            .strip_prefix(quote)
    }
    yaml.lines()
        .position(|line| {
            let rest = line
                .strip_prefix(key)
                .or_else(|| quoted(line, key, '"'))
                .or_else(|| quoted(line, key, '\''));
            // `key:` in YAML, `key =` in TOML.
            rest.is_some_and(|r| r.trim_start().starts_with([':', '=']))
        })
        .map(|i| i + 1)
}

/// 1-based line and column of a byte offset in a text.
pub fn line_col(text: &str, byte_offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..byte_offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_path_line_and_column() {
        let e = FileError::at("content/a.md", 3, 7, "expected a string");
        assert_eq!(e.to_string(), "content/a.md:3:7: expected a string");
        let e = FileError::at_line("content/a.md", 1, "no front matter");
        assert_eq!(e.to_string(), "content/a.md:1: no front matter");
    }

    #[test]
    fn moves_yaml_positions_to_the_file() {
        assert_eq!(
            shift_yaml_positions(
                "title: invalid type: sequence, expected a string at line 1 column 8",
                1
            ),
            "title: invalid type: sequence, expected a string"
        );
        assert_eq!(
            shift_yaml_positions(
                "did not find expected ',' or ']' at line 4 column 1, while parsing a flow sequence at line 3 column 7",
                1
            ),
            "did not find expected ',' or ']' at line 5 column 1, while parsing a flow sequence"
        );
    }

    #[test]
    fn groups_warnings_of_one_kind() {
        let mut ws = Warnings::default();
        for i in 0..5 {
            ws.push(Warning {
                kind: WarningKind::UnknownKey("layout".into()),
                path: PathBuf::from(format!("content/{i}.md")),
                line: Some(2),
                column: None,
            });
        }
        ws.push(Warning {
            kind: WarningKind::UnknownKey("permalink".into()),
            path: PathBuf::from("content/x.md"),
            line: Some(4),
            column: None,
        });
        let grouped = ws.grouped_lines();
        assert_eq!(grouped.len(), 2);
        assert_eq!(
            grouped[0],
            "warning: unknown front matter key `layout` ignored in 5 files (e.g. content/0.md:2; --verbose lists all)"
        );
        assert_eq!(
            grouped[1],
            "warning: content/x.md:4: unknown front matter key `permalink` ignored"
        );
        assert_eq!(ws.lines().len(), 6);
    }

    #[test]
    fn finds_line_and_column_of_an_offset() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 8), (3, 1));
    }
}
