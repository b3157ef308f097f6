//! The site folder: where its sources are, and the one walker that lists the
//! files of its source folders (`content/`, `templates/`, `static/`), so all
//! three follow the same rules for hidden files and symbolic links.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use crate::diagnostics::{FileError, Warning, WarningKind};

/// Name of the configuration file inside the site folder.
pub const CONFIG_FILE: &str = "config.yaml";
/// Name of the content folder inside the site folder.
pub const CONTENT_DIR: &str = "content";
/// Name of the templates folder inside the site folder.
pub const TEMPLATES_DIR: &str = "templates";
/// Name of the static files folder inside the site folder.
pub const STATIC_DIR: &str = "static";
/// Name of the default output folder inside the site folder.
pub const DEFAULT_OUTPUT_DIR: &str = "public";

/// A path relative to the site folder, for messages.
pub fn shown(site_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site_dir).unwrap_or(path).to_path_buf()
}

/// True for a file or folder name that is never a source: hidden files and
/// folders (`.git`, `.DS_Store`, an editor's `.draft.md.swp`).
pub fn is_skipped_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// True when a path inside a source folder (relative to it) is skipped by
/// [`walk`]: the same rule, applied to a single path, for file watchers.
pub fn is_skipped(relative: &Path) -> bool {
    relative.components().any(|c| match c {
        Component::Normal(name) => is_skipped_name(name),
        _ => true,
    })
}

/// What a file's contents were when it was last looked at: its size and
/// modification time, as `make` and `rsync` tell changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u128,
}

impl Stamp {
    /// The stamp of a file now, or `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Some(Stamp {
            len: meta.len(),
            modified,
        })
    }
}

/// The files found under one source folder.
#[derive(Debug, Default)]
pub struct FolderFiles {
    /// Every file, sorted by path.
    pub files: Vec<PathBuf>,
    /// Symbolic link loops, skipped.
    pub warnings: Vec<Warning>,
    /// Files and folders that could not be read.
    pub errors: Vec<FileError>,
}

/// Lists every file under `dir` (which may be missing: then there are none).
///
/// Names starting with `.` are skipped; symbolic links are followed, and one
/// that points back into a folder above it is skipped with a warning; anything
/// else that cannot be read is an error. Paths in messages are shown relative
/// to `site_dir`.
pub fn walk(site_dir: &Path, dir: &Path) -> FolderFiles {
    let mut found = FolderFiles::default();
    if !dir.is_dir() {
        return found;
    }
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_name(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => found.files.push(entry.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| shown(site_dir, p)).unwrap_or_default();
                if err.loop_ancestor().is_some() {
                    found.warnings.push(Warning {
                        kind: WarningKind::SymlinkLoop,
                        path,
                        line: None,
                    });
                } else {
                    found
                        .errors
                        .push(FileError::at_line(path, 1, format!("cannot read: {err}")));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names_are_skipped_at_any_depth() {
        assert!(is_skipped(Path::new(".git/config")));
        assert!(is_skipped(Path::new("2025/.a.md.swp")));
        assert!(!is_skipped(Path::new("2025/a.md")));
        assert!(is_skipped(Path::new("../a.md")));
    }

    #[test]
    fn walks_sorted_files_and_skips_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["b.md", "a/c.md", ".hidden/x.md", "a/.y.md"] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = walk(dir.path(), dir.path());
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| shown(dir.path(), f).to_string_lossy().replace('\\', "/"))
            .collect();
        assert_eq!(names, vec!["a/c.md", "b.md"]);
        assert!(
            walk(dir.path(), &dir.path().join("missing"))
                .files
                .is_empty()
        );
    }
}
