//! Static files: the built-in theme's (`theme.css`) and the site's `static/`
//! folder, merged. A site file replaces the built-in one of the same name, and
//! `static/robots.txt` replaces the generated one; this is the one place that
//! knows either.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{FileError, Warning};
use crate::source::{self, STATIC_DIR, SourceRules, Stamp};

/// Static files of the built-in theme, compiled into the binary.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (STYLESHEET, include_str!("theme/static/theme.css")),
    (SEARCH_SCRIPT, include_str!("theme/static/search.js")),
];

/// The theme's stylesheet, linked from every page with a fingerprint.
pub const STYLESHEET: &str = "theme.css";

/// The search page's script (left out when search is off).
pub const SEARCH_SCRIPT: &str = "search.js";

/// Where a static file comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AssetSource {
    /// A file of the built-in theme, with its text.
    Builtin(&'static str),
    /// A file of the site's `static/` folder, as it was when listed.
    File(PathBuf, Stamp),
}

/// Every static file of the site, by output path (`theme.css`, `img/logo.svg`).
#[derive(Debug, Clone, Default)]
pub struct Assets {
    files: BTreeMap<String, AssetSource>,
}

/// The static files, and what was found while listing them.
#[derive(Debug, Default)]
pub struct LoadedAssets {
    /// The files.
    pub assets: Assets,
    /// Symbolic link loops, skipped.
    pub warnings: Vec<Warning>,
    /// Files that could not be read.
    pub errors: Vec<FileError>,
}

impl Assets {
    /// Lists the built-in files and the site's `static/` folder.
    pub fn load(site_dir: &Path, rules: &SourceRules) -> LoadedAssets {
        let static_dir = site_dir.join(STATIC_DIR);
        let found = source::walk(site_dir, &static_dir, rules);
        let mut assets = Assets::default();
        for (name, text) in BUILTIN_FILES {
            assets
                .files
                .insert(name.to_string(), AssetSource::Builtin(text));
        }
        for file in found.files {
            assets.insert_file(&static_dir, file);
        }
        LoadedAssets {
            assets,
            warnings: found.warnings,
            errors: found.errors,
        }
    }

    /// The output path of a file of `static/`.
    fn insert_file(&mut self, static_dir: &Path, file: PathBuf) {
        let stamp = Stamp::of(&file).unwrap_or_default();
        let name = source::slash_path(static_dir, &file);
        self.files.insert(name, AssetSource::File(file, stamp));
    }

    /// Brings one file of `static/` up to date after it changed on disk
    /// (appeared, changed or went away).
    pub fn refresh(&mut self, site_dir: &Path, file: &Path) {
        let static_dir = site_dir.join(STATIC_DIR);
        let name = source::slash_path(&static_dir, file);
        if file.is_file() {
            self.insert_file(&static_dir, file.to_path_buf());
        } else if let Some(text) = BUILTIN_FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t)
        {
            self.files.insert(name, AssetSource::Builtin(text));
        } else {
            self.files.remove(&name);
        }
    }

    /// Every static file, by output path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AssetSource)> {
        self.files
            .iter()
            .map(|(name, source)| (name.as_str(), source))
    }

    /// The files of the site's `static/` folder.
    pub fn site_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.values().filter_map(|source| match source {
            AssetSource::File(path, _) => Some(path),
            AssetSource::Builtin(_) => None,
        })
    }

    /// True when the site's `static/` folder has a file at this output path.
    pub fn site_has(&self, name: &str) -> bool {
        matches!(self.files.get(name), Some(AssetSource::File(..)))
    }

    /// The file of `static/` served at `name` (an output path), with its
    /// stamp when listed.
    pub fn site_file(&self, name: &str) -> Option<(&Path, Stamp)> {
        match self.files.get(name) {
            Some(AssetSource::File(path, stamp)) => Some((path, *stamp)),
            _ => None,
        }
    }

    /// The text of the stylesheet the site serves, for its fingerprint.
    pub fn stylesheet_text(&self) -> String {
        match self.files.get(STYLESHEET) {
            Some(AssetSource::File(path, _)) => std::fs::read_to_string(path).unwrap_or_default(),
            Some(AssetSource::Builtin(text)) => text.to_string(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_file_replaces_the_builtin_one_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let rules = SourceRules::plain(dir.path());
        let mut assets = Assets::load(dir.path(), &rules).assets;
        assert!(!assets.site_has(STYLESHEET));
        assert!(assets.stylesheet_text().contains("--"));
        let css = dir.path().join("static/theme.css");
        std::fs::create_dir_all(css.parent().unwrap()).unwrap();
        std::fs::write(&css, "body{}").unwrap();
        assets.refresh(dir.path(), &css);
        assert!(assets.site_has(STYLESHEET));
        assert_eq!(assets.stylesheet_text(), "body{}");
        std::fs::remove_file(&css).unwrap();
        assets.refresh(dir.path(), &css);
        assert!(!assets.site_has(STYLESHEET));
        assert!(assets.stylesheet_text().contains("--"));
    }
}
