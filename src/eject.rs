//! `broadsheet eject [SITE_DIR] [NAME…]`: copies built-in templates (all,
//! or the named ones) and the theme's static files into the site, to be
//! customised. A file the site already has is never overwritten; a site's
//! file replaces the built-in one of the same name, so the site builds the
//! same until the copies are edited.

use std::path::{Path, PathBuf};

use crate::assets::BUILTIN_FILES;
use crate::render::BUILTIN_TEMPLATES;
use crate::source::{STATIC_DIR, TEMPLATES_DIR};

/// What was copied, relative to the site folder.
#[derive(Debug, Default)]
pub struct Ejected {
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Files the site had already, left as they were.
    pub kept: Vec<PathBuf>,
}

/// Why nothing was copied.
#[derive(Debug, thiserror::Error)]
pub enum EjectError {
    /// The site folder is not there.
    #[error("{0} is not a folder; expected a site folder")]
    NoSite(PathBuf),
    /// A name is not one of the theme's files.
    #[error("the theme has no file `{name}`; expected one of: {}", known_names().join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Every file of the theme, as (path in the site, text).
fn theme_files() -> impl Iterator<Item = (PathBuf, &'static str)> {
    let templates = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, text)| (Path::new(TEMPLATES_DIR).join(name), *text));
    let statics = BUILTIN_FILES
        .iter()
        .map(|(name, text)| (Path::new(STATIC_DIR).join(name), *text));
    templates.chain(statics)
}

/// The names `eject` knows, for the error message.
fn known_names() -> Vec<&'static str> {
    BUILTIN_TEMPLATES
        .iter()
        .chain(BUILTIN_FILES)
        .map(|(name, _)| *name)
        .collect()
}

/// The theme file a name given on the command line means: a theme file,
/// its name without `.html`, or a partial's without `partials/`.
fn find(name: &str) -> Option<(PathBuf, &'static str)> {
    let name = name
        .trim_start_matches("./")
        .trim_start_matches("templates/")
        .trim_start_matches("static/");
    let candidates = [
        name.to_string(),
        format!("{name}.html"),
        format!("partials/{name}"),
        format!("partials/{name}.html"),
    ];
    candidates.iter().find_map(|candidate| {
        theme_files().find(|(path, _)| {
            path.strip_prefix(TEMPLATES_DIR)
                .or_else(|_| path.strip_prefix(STATIC_DIR))
                .is_ok_and(|p| p == Path::new(candidate))
        })
    })
}

/// Copies the theme's files into `site_dir`: all of them, or those named.
pub fn eject(site_dir: &Path, names: &[String]) -> Result<Ejected, EjectError> {
    if !site_dir.is_dir() {
        return Err(EjectError::NoSite(site_dir.to_path_buf()));
    }
    let files: Vec<(PathBuf, &str)> = if names.is_empty() {
        theme_files().collect()
    } else {
        names
            .iter()
            .map(|name| find(name).ok_or_else(|| EjectError::Unknown { name: name.clone() }))
            .collect::<Result<_, _>>()?
    };
    let mut ejected = Ejected::default();
    for (relative, text) in files {
        let path = site_dir.join(&relative);
        if path.exists() || ejected.written.contains(&relative) {
            ejected.kept.push(relative);
            continue;
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            })
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
        written.map_err(|source| EjectError::Io {
            path: relative.clone(),
            source,
        })?;
        ejected.written.push(relative);
    }
    Ok(ejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_with_or_without_their_folder_and_extension() {
        for (name, expected) in [
            ("article.html", "templates/article.html"),
            ("article", "templates/article.html"),
            ("footer", "templates/partials/footer.html"),
            ("partials/footer.html", "templates/partials/footer.html"),
            ("templates/base.html", "templates/base.html"),
            ("theme.css", "static/theme.css"),
        ] {
            assert_eq!(
                find(name).map(|(p, _)| p),
                Some(PathBuf::from(expected)),
                "{name}"
            );
        }
        assert!(find("nope.html").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(dir.path().join("templates/partials/footer.html"), "mine").unwrap();
        let ejected = eject(dir.path(), &["footer".into(), "article".into()]).unwrap();
        assert_eq!(
            ejected.kept,
            [PathBuf::from("templates/partials/footer.html")]
        );
        assert_eq!(ejected.written, [PathBuf::from("templates/article.html")]);
        let footer = std::fs::read_to_string(dir.path().join("templates/partials/footer.html"));
        assert_eq!(footer.unwrap(), "mine");
        match eject(dir.path(), &["nope".into()]) {
            Err(EjectError::Unknown { name }) => assert_eq!(name, "nope"),
            other => panic!("{other:?}"),
        }
    }
}
