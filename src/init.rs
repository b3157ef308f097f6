//! `broadsheet init [DIR]`: a new site folder, ready to build: a
//! `config.yaml` with every key commented with its default, one example
//! article, and empty `templates/` and `static/`. It refuses a folder that
//! already holds files (hidden ones, such as `.git`, aside).

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::Config;
use crate::content::date::ArticleDate;
use crate::source::{CONFIG_FILE, CONTENT_DIR, DEFAULT_OUTPUT_DIR, STATIC_DIR, TEMPLATES_DIR};

/// The commented `config.yaml` of a new site.
pub const CONFIG_TEXT: &str = include_str!("init/config.yaml");

/// The example article of a new site; `{date}` is replaced by its date.
const EXAMPLE_TEXT: &str = include_str!("init/example.md");

/// The example article's name.
const EXAMPLE_NAME: &str = "this-archive-has-its-first-article.md";

/// Why no site was made.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder holds files already.
    #[error(
        "{dir} is not empty (it holds {first}); expected a new or empty folder, so that nothing in it is overwritten"
    )]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// One of the entries found.
        first: String,
    },
    /// A file or folder could not be made.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Makes a new site in `dir` (created if missing), with its example article
/// dated `now`. Returns the files and folders made, relative to `dir`.
pub fn init(dir: &Path, now: Timestamp) -> Result<Vec<PathBuf>, InitError> {
    let io = |action, path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io {
            action,
            path,
            source,
        }
    };
    if dir.exists() {
        let entries = std::fs::read_dir(dir).map_err(io("read", dir))?;
        for entry in entries {
            let entry = entry.map_err(io("read", dir))?;
            let name = entry.file_name();
            if !name.to_string_lossy().starts_with('.') {
                return Err(InitError::NotEmpty {
                    dir: dir.to_path_buf(),
                    first: name.to_string_lossy().into_owned(),
                });
            }
        }
    }
    let zone = Config::default().timezone;
    let date = ArticleDate {
        timestamp: Timestamp::from_second(now.as_second()).expect("a second of a timestamp"),
        offset: zone.to_offset(now),
    };
    let article = PathBuf::from(CONTENT_DIR)
        .join(format!("{:04}", date.date().year()))
        .join(format!("{:02}", date.date().month()))
        .join(EXAMPLE_NAME);
    let files: [(PathBuf, String); 3] = [
        (PathBuf::from(CONFIG_FILE), CONFIG_TEXT.to_string()),
        (article, EXAMPLE_TEXT.replace("{date}", &date.rfc3339())),
        (
            PathBuf::from(".gitignore"),
            format!(
                "# The built site: `broadsheet build` makes it again.\n/{DEFAULT_OUTPUT_DIR}/\n"
            ),
        ),
    ];
    let mut made = Vec::new();
    for folder in [TEMPLATES_DIR, STATIC_DIR] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(io("create", &path))?;
        made.push(PathBuf::from(folder));
    }
    for (name, text) in files {
        let path = dir.join(&name);
        if name == Path::new(".gitignore") && path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
            .map_err(io("write", &path))?;
        made.push(name);
    }
    made.sort();
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template with every `# key: value` line made a setting.
    fn uncommented(text: &str) -> String {
        text.lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| {
                line.split_once(':').is_some_and(|(key, _)| {
                    !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
            })
            .map(|line| format!("{line}\n"))
            .collect()
    }

    #[test]
    fn the_config_template_sets_every_key_to_its_default() {
        let settings = uncommented(CONFIG_TEXT);
        let written: serde_yaml::Value = serde_yaml::from_str(&settings).unwrap();
        assert_eq!(
            written,
            crate::config::default_settings(),
            "config.yaml of `init` and the defaults differ:\n{settings}"
        );
        // And as a config, it reads.
        Config::parse(&settings, Path::new("config.yaml")).unwrap();
    }

    #[test]
    fn only_a_new_or_empty_folder_is_made_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("news");
        std::fs::create_dir_all(site.join(".git")).unwrap();
        let now: Timestamp = "2026-11-29T23:30:00Z".parse().unwrap();
        let made = init(&site, now).unwrap();
        assert!(made.contains(&PathBuf::from(
            "content/2026/11/this-archive-has-its-first-article.md"
        )));
        assert!(site.join("templates").is_dir() && site.join("static").is_dir());
        match init(&site, now) {
            Err(InitError::NotEmpty { first, .. }) => assert!(
                ["config.yaml", "content", "static", "templates"].contains(&first.as_str()),
                "{first}"
            ),
            other => panic!("expected NotEmpty, got {other:?}"),
        }
    }
}
