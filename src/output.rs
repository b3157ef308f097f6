//! The output folder: built in a staging folder beside it and swapped in only
//! when the whole build succeeded, so a failed or interrupted build leaves the
//! previous site untouched.
//!
//! Broadsheet only ever deletes what it made: its folders carry a marker file,
//! and an existing non-empty folder without one is never replaced.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Marker file written in every output folder broadsheet makes.
pub const MARKER_FILE: &str = ".broadsheet-output";

const MARKER_TEXT: &str =
    "This folder was made by broadsheet and is replaced whole by the next build.\n";

/// Folders of the site that hold its sources; the output may not lie in them.
const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

/// Why the output folder could not be prepared, written or swapped in.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output would replace the site folder or a folder holding it.
    #[error(
        "refusing to build into {0}: it is the site folder or contains it; choose a folder inside the site such as public/"
    )]
    ContainsSite(PathBuf),
    /// The output lies inside content/, templates/ or static/.
    #[error(
        "refusing to build into {path}: it lies inside {source_dir}/, which holds the site's sources"
    )]
    InsideSources {
        /// The output folder.
        path: PathBuf,
        /// The source folder it lies in.
        source_dir: &'static str,
    },
    /// A non-empty folder broadsheet did not make.
    #[error(
        "refusing to replace {0}: it is not empty and was not made by broadsheet (it has no {MARKER_FILE} file); empty it or choose another output folder"
    )]
    NotOurs(PathBuf),
    /// The output path names a file.
    #[error("{0} exists and is not a folder")]
    NotAFolder(PathBuf),
    /// A page URL that would leave the output folder.
    #[error("refusing to write outside the output folder: {0}")]
    UnsafePath(String),
    /// A file system operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A build in progress: files go to a staging folder until [`Staging::commit`].
/// Dropped without committing, the staging folder is removed.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    target: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may be (re)built for the site in `site_dir`,
    /// clears what an interrupted earlier build left, and creates a fresh
    /// staging folder beside `output`.
    pub fn begin(site_dir: &Path, output: &Path) -> Result<Staging, OutputError> {
        let site = resolve(site_dir).map_err(io_err("find", site_dir))?;
        let target = resolve(output).map_err(io_err("find", output))?;
        if site.starts_with(&target) {
            return Err(OutputError::ContainsSite(output.to_path_buf()));
        }
        for source_dir in SOURCE_DIRS {
            if target.starts_with(site.join(source_dir)) {
                return Err(OutputError::InsideSources {
                    path: output.to_path_buf(),
                    source_dir,
                });
            }
        }
        let parent = target
            .parent()
            .ok_or_else(|| OutputError::ContainsSite(output.to_path_buf()))?
            .to_path_buf();
        let name = target
            .file_name()
            .ok_or_else(|| OutputError::ContainsSite(output.to_path_buf()))?
            .to_string_lossy()
            .into_owned();
        let staging = Staging {
            root: parent.join(format!(".{name}.broadsheet-staging")),
            old: parent.join(format!(".{name}.broadsheet-old")),
            target,
            committed: false,
        };
        staging.recover_interrupted()?;
        check_replaceable(&staging.target)?;
        check_replaceable(&staging.root)?;
        check_replaceable(&staging.old)?;
        if staging.root.exists() {
            fs::remove_dir_all(&staging.root).map_err(io_err("remove", &staging.root))?;
        }
        fs::create_dir_all(&staging.root).map_err(io_err("create", &staging.root))?;
        fs::write(staging.root.join(MARKER_FILE), MARKER_TEXT)
            .map_err(io_err("write", &staging.root))?;
        Ok(staging)
    }

    /// An interrupted swap can leave the previous output only under its
    /// "old" name: put it back before anything else.
    fn recover_interrupted(&self) -> Result<(), OutputError> {
        if self.old.exists() && !self.target.exists() && is_ours(&self.old) {
            fs::rename(&self.old, &self.target).map_err(io_err("restore", &self.target))?;
        }
        Ok(())
    }

    /// The staging folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the page of a site path (`/2025/03/17/slug/`) is written.
    pub fn page_file(&self, site_path: &str) -> Result<PathBuf, OutputError> {
        Ok(self.file(site_path)?.join("index.html"))
    }

    /// The staging path of a site path, refusing anything that could leave
    /// the output folder.
    pub fn file(&self, site_path: &str) -> Result<PathBuf, OutputError> {
        let mut path = self.root.clone();
        for segment in site_path.split('/').filter(|s| !s.is_empty()) {
            if segment == "."
                || segment == ".."
                || segment.contains(['\\', '\0', ':'])
                || segment == MARKER_FILE
            {
                return Err(OutputError::UnsafePath(site_path.to_string()));
            }
            path.push(segment);
        }
        Ok(path)
    }

    /// Writes a file, creating its folders.
    /// Writes a file; its folder is made if [`Staging::create_dirs`] has not
    /// made it already.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        debug_assert!(path.starts_with(&self.root));
        match fs::write(path, bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(io_err("create", dir))?;
                }
                fs::write(path, bytes).map_err(io_err("write", path))
            }
            other => other.map_err(io_err("write", path)),
        }
    }

    /// Makes the folders of many site paths up front, level by level, each
    /// level in parallel: far fewer system calls than a `create_dir_all` per
    /// file, and no two threads racing to make the same parent.
    pub fn create_dirs<'p>(
        &self,
        site_paths: impl Iterator<Item = &'p str>,
    ) -> Result<(), OutputError> {
        use rayon::prelude::*;
        // Every folder, and every folder above it.
        let mut all: Vec<&str> = Vec::new();
        for dir in site_paths
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
        {
            all.extend(dir.match_indices('/').map(|(i, _)| &dir[..i]));
            all.push(dir);
        }
        all.sort_unstable();
        all.dedup();
        let depth = |d: &str| d.matches('/').count();
        let deepest = all.iter().map(|d| depth(d)).max().unwrap_or(0);
        for level in 0..=deepest {
            all.par_iter()
                .filter(|d| depth(d) == level)
                .try_for_each(|d| {
                    let path = self.file(d)?;
                    match fs::create_dir(&path) {
                        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                            Err(io_err("create", &path)(e))
                        }
                        _ => Ok(()),
                    }
                })?;
        }
        Ok(())
    }

    /// Copies a file into the output at a relative path.
    pub fn copy(&self, from: &Path, relative: &Path) -> Result<(), OutputError> {
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(OutputError::UnsafePath(relative.display().to_string()));
        }
        let to = self.root.join(relative);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(io_err("create", dir))?;
        }
        fs::copy(from, &to).map_err(io_err("copy", from))?;
        Ok(())
    }

    /// Swaps the staging folder in place of the output folder.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            if self.old.exists() {
                fs::remove_dir_all(&self.old).map_err(io_err("remove", &self.old))?;
            }
            fs::rename(&self.target, &self.old).map_err(io_err("move aside", &self.target))?;
        }
        fs::rename(&self.root, &self.target).map_err(io_err("move into place", &self.target))?;
        self.committed = true;
        if self.old.exists() {
            fs::remove_dir_all(&self.old).map_err(io_err("remove", &self.old))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER_FILE).is_file()
}

/// A folder may be replaced when it does not exist, is empty, or carries the marker.
fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("read", dir)(e)),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let empty = fs::read_dir(dir)
                .map_err(io_err("read", dir))?
                .next()
                .is_none();
            if empty || is_ours(dir) {
                Ok(())
            } else {
                Err(OutputError::NotOurs(dir.to_path_buf()))
            }
        }
    }
}

/// An absolute path with `.`, `..` and symbolic links resolved, for a path
/// that may not exist yet: its longest existing ancestor is canonicalised.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(canonical) => {
                let mut resolved = canonical;
                for part in rest.iter().rev() {
                    match part {
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        Component::Normal(p) => resolved.push(p),
                        _ => {}
                    }
                }
                return Ok(resolved);
            }
            Err(_) => match (existing.parent(), existing.components().next_back()) {
                (Some(parent), Some(last)) => {
                    rest.push(last);
                    existing = parent;
                }
                _ => return Ok(absolute),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let p = resolve(&dir.path().join("a/../b/c")).unwrap();
        assert_eq!(p, base.join("b/c"));
    }

    #[test]
    fn page_paths_never_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(dir.path(), &dir.path().join("public")).unwrap();
        assert!(
            staging
                .page_file("/2025/03/17/x/")
                .unwrap()
                .ends_with("2025/03/17/x/index.html")
        );
        assert!(staging.page_file("/../x/").is_err());
        assert!(staging.page_file("/a/..\\b/").is_err());
        assert!(
            staging
                .copy(Path::new("/etc/hostname"), Path::new("../x"))
                .is_err()
        );
    }

    #[test]
    fn uncommitted_staging_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = {
            let staging = Staging::begin(dir.path(), &dir.path().join("public")).unwrap();
            staging.root().to_path_buf()
        };
        assert!(!root.exists());
        assert!(!dir.path().join("public").exists());
    }

    #[test]
    fn refuses_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "x").unwrap();
        let err = Staging::begin(dir.path(), &out).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs(_)), "{err}");
        assert!(matches!(
            Staging::begin(dir.path(), dir.path()).unwrap_err(),
            OutputError::ContainsSite(_)
        ));
        assert!(matches!(
            Staging::begin(&dir.path().join("site"), dir.path()).unwrap_err(),
            OutputError::ContainsSite(_)
        ));
        assert!(matches!(
            Staging::begin(dir.path(), &dir.path().join("static/out")).unwrap_err(),
            OutputError::InsideSources { .. }
        ));
    }

    #[test]
    fn commit_replaces_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for round in 0..2 {
            let staging = Staging::begin(dir.path(), &out).unwrap();
            let file = staging.file(&format!("/r{round}.txt")).unwrap();
            staging.write(&file, b"x").unwrap();
            staging.commit().unwrap();
        }
        assert!(out.join("r1.txt").exists());
        assert!(!out.join("r0.txt").exists());
        assert!(out.join(MARKER_FILE).exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
