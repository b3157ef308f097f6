//! Which sources a set of changed paths touches: the config, templates,
//! static files or content, each file named once. A folder that appeared,
//! went away or was renamed stands for every file in it, then and now.

use std::path::{Component, Path, PathBuf};

use crate::assets::STYLESHEET;
use crate::source::{self, CONFIG_FILE, CONTENT_DIR, STATIC_DIR, SourceRules, TEMPLATES_DIR};

/// The sources touched by changed paths.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// `config.yaml` changed: everything is read again.
    pub config: bool,
    /// A template changed: templates are compiled again.
    pub templates: bool,
    /// Files of `static/` that changed, appeared or went away.
    pub static_files: Vec<PathBuf>,
    /// Files of `content/` that changed, appeared or went away.
    pub content: Vec<PathBuf>,
}

impl Changes {
    /// Sorts changed paths (absolute, or relative to `site_dir`) by the
    /// source they belong to. `known` lists the files the project holds
    /// under a folder, for folders that went away. Paths outside the
    /// sources (the output folder, `.git/`) and hidden names are left out.
    pub fn classify(
        site_dir: &Path,
        changed: &[PathBuf],
        known: &dyn Fn(&Path) -> Vec<PathBuf>,
        rules: &SourceRules,
    ) -> Changes {
        let mut changes = Changes::default();
        for path in changed {
            let absolute = if path.is_absolute() {
                path.clone()
            } else {
                site_dir.join(path)
            };
            let Ok(relative) = absolute.strip_prefix(site_dir) else {
                continue;
            };
            let mut components = relative.components();
            let Some(Component::Normal(top)) = components.next() else {
                continue;
            };
            let inside = components.as_path();
            if !inside.as_os_str().is_empty() && rules.skip(site_dir, &absolute).is_some() {
                continue;
            }
            match top.to_str() {
                Some(CONFIG_FILE) if inside.as_os_str().is_empty() => changes.config = true,
                Some(TEMPLATES_DIR) => changes.templates = true,
                Some(STATIC_DIR) => changes
                    .static_files
                    .extend(files_at(site_dir, &absolute, known, rules)),
                Some(CONTENT_DIR) => changes
                    .content
                    .extend(files_at(site_dir, &absolute, known, rules)),
                _ => {}
            }
        }
        for list in [&mut changes.static_files, &mut changes.content] {
            list.sort();
            list.dedup();
        }
        changes
    }

    /// True when the site's stylesheet changed, which every page links with
    /// a fingerprint of its text.
    pub fn stylesheet(&self) -> bool {
        self.static_files
            .iter()
            .any(|f| f.ends_with(Path::new(STATIC_DIR).join(STYLESHEET)))
    }
}

/// True when a path (absolute, under `site_dir`) is one of the site's
/// sources: `config.yaml`, or anything in `content/`, `templates/` or
/// `static/` whose name is not skipped.
pub fn is_source(site_dir: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(site_dir) else {
        return false;
    };
    let mut components = relative.components();
    let top = components.next().and_then(|c| c.as_os_str().to_str());
    let inside = components.as_path();
    match top {
        Some(CONFIG_FILE) => inside.as_os_str().is_empty(),
        Some(CONTENT_DIR | TEMPLATES_DIR | STATIC_DIR) => {
            inside.as_os_str().is_empty() || !source::is_skipped(inside)
        }
        _ => false,
    }
}

/// The files a changed path stands for: the files under it now and those
/// the project held under it, or the path itself. A file reached through a
/// link out of the site counts as gone, as the walker would not list it.
fn files_at(
    site_dir: &Path,
    path: &Path,
    known: &dyn Fn(&Path) -> Vec<PathBuf>,
    rules: &SourceRules,
) -> Vec<PathBuf> {
    let mut files = known(path);
    if rules.outside_target(path).is_some() {
        files.push(path.to_path_buf());
    } else if path.is_dir() {
        files.extend(source::walk(site_dir, path, rules).files);
    } else if files.is_empty() {
        files.push(path.to_path_buf());
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_paths_by_source() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::create_dir_all(site.join("content/2025/bundle")).unwrap();
        std::fs::write(site.join("content/2025/bundle/index.md"), "x").unwrap();
        std::fs::write(site.join("content/2025/bundle/map.svg"), "x").unwrap();
        let held = site.join("content/old/gone.md");
        let known = |dir: &Path| -> Vec<PathBuf> {
            if held.starts_with(dir) && held != dir {
                vec![held.clone()]
            } else {
                Vec::new()
            }
        };
        let changes = Changes::classify(
            site,
            &[
                PathBuf::from("config.yaml"),
                site.join("templates/article.html"),
                site.join("static/theme.css"),
                site.join("content/2025/bundle"),
                site.join("content/old"),
                site.join("content/.a.md.swp"),
                site.join("public/index.html"),
                site.join("content/a.md"),
            ],
            &known,
            &SourceRules::plain(site),
        );
        assert!(changes.config && changes.templates && changes.stylesheet());
        assert_eq!(
            changes.content,
            vec![
                site.join("content/2025/bundle/index.md"),
                site.join("content/2025/bundle/map.svg"),
                site.join("content/a.md"),
                held.clone(),
            ]
        );
        let nothing = Changes::classify(
            site,
            &[site.join("public/x.html")],
            &known,
            &SourceRules::plain(site),
        );
        assert_eq!(nothing, Changes::default());
        assert!(is_source(site, &site.join("content/a.md")));
        assert!(is_source(site, &site.join("config.yaml")));
        assert!(!is_source(site, &site.join("content/.a.md.swp")));
        assert!(!is_source(site, &site.join("public/index.html")));
        assert!(!is_source(site, &site.join("config.yaml.bak")));
    }
}
