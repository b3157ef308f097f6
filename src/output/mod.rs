//! The output folder, and the sinks that write a site into it.
//!
//! [`Staging`] builds into a staging folder beside the output and swaps it in
//! only when the whole build succeeded, so a failed or interrupted build
//! leaves the previous site untouched. [`LiveDir`] updates a folder in place,
//! file by file, for `broadsheet serve`. Both refuse any path that could
//! leave the folder.
//!
//! Broadsheet only ever deletes what it made: its folders carry a marker file,
//! and an existing non-empty folder without one is never replaced.

mod live;
mod staging;

use std::io;
use std::path::{Path, PathBuf};

pub use live::LiveDir;
pub use staging::Staging;

/// Marker file written in every output folder broadsheet makes.
pub const MARKER_FILE: &str = ".broadsheet-output";

const MARKER_TEXT: &str =
    "This folder was made by broadsheet and is replaced whole by the next build.\n";

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
    /// Another build is writing the same output folder.
    #[error(
        "another broadsheet build (process {holder}) is writing {output}; wait for it to finish, or stop it"
    )]
    Locked {
        /// The output folder.
        output: PathBuf,
        /// The process that holds the lock, as it wrote it.
        holder: String,
    },
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

/// Where a site's files go. Paths are output paths: relative to the output
/// folder, with `/` separators (`2025/03/17/slug/index.html`, `atom.xml`).
pub trait Sink: Sync {
    /// Makes the folders of many output folders (site paths such as
    /// `/2025/03/`) up front; writes make missing folders anyway.
    fn create_dirs(&self, dirs: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError>;
    /// Writes a file.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError>;
    /// Copies a file into the output.
    fn copy(&self, from: &Path, path: &str) -> Result<(), OutputError>;
    /// Removes a file the site no longer has, and the folders it leaves empty.
    fn remove(&self, path: &str) -> Result<(), OutputError>;
}

/// A sink that writes into a folder of another sink: each language of a
/// site in several writes its pages under its prefix (`ru/`).
pub struct Prefixed<'a> {
    sink: &'a dyn Sink,
    prefix: String,
}

impl<'a> Prefixed<'a> {
    /// Writes into `prefix` (empty, or a relative path ending with `/`).
    pub fn new(sink: &'a dyn Sink, prefix: String) -> Self {
        Prefixed { sink, prefix }
    }

    fn path<'p>(&self, path: &'p str) -> std::borrow::Cow<'p, str> {
        if self.prefix.is_empty() {
            path.into()
        } else {
            format!("{}{path}", self.prefix).into()
        }
    }
}

impl Sink for Prefixed<'_> {
    fn create_dirs(&self, dirs: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        if self.prefix.is_empty() {
            return self.sink.create_dirs(dirs);
        }
        let prefixed: Vec<String> = dirs
            .map(|dir| format!("/{}{}", self.prefix, dir.trim_start_matches('/')))
            .collect();
        self.sink
            .create_dirs(&mut prefixed.iter().map(String::as_str))
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.sink.write(&self.path(path), bytes)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<(), OutputError> {
        self.sink.copy(from, &self.path(path))
    }

    fn remove(&self, path: &str) -> Result<(), OutputError> {
        self.sink.remove(&self.path(path))
    }
}

/// A sink that writes nothing: a build through it checks everything a
/// build checks, templates run included (`broadsheet check`).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn create_dirs(&self, _dirs: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        Ok(())
    }

    fn write(&self, path: &str, _bytes: &[u8]) -> Result<(), OutputError> {
        resolve_in(Path::new(""), path).map(drop)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<(), OutputError> {
        resolve_in(Path::new(""), path)?;
        std::fs::metadata(from)
            .map(drop)
            .map_err(io_err("read", from))
    }

    fn remove(&self, _path: &str) -> Result<(), OutputError> {
        Ok(())
    }
}

/// The output path of the page at a site path: `/2025/03/17/x/` is written
/// to `2025/03/17/x/index.html`; `/404.html` to `404.html`.
pub fn page_file(site_path: &str) -> String {
    let path = site_path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The file an output path names under `root`, refusing anything that could
/// leave it: `..`, `.`, backslashes, drive colons, NUL, the marker file.
pub fn resolve_in(root: &Path, path: &str) -> Result<PathBuf, OutputError> {
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == "."
            || segment == ".."
            || segment.contains(['\\', '\0', ':'])
            || segment == MARKER_FILE
        {
            return Err(OutputError::UnsafePath(path.to_string()));
        }
        file.push(segment);
    }
    Ok(file)
}

/// Makes the folders of many site paths up front, level by level, each
/// level in parallel: far fewer system calls than a `create_dir_all` per
/// file, and no two threads racing to make the same parent.
fn create_dirs_under(
    root: &Path,
    site_paths: &mut dyn Iterator<Item = &str>,
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
                let path = resolve_in(root, d)?;
                match std::fs::create_dir(&path) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                        Err(io_err("create", &path)(e))
                    }
                    _ => Ok(()),
                }
            })?;
    }
    Ok(())
}

/// Writes a file, making its folder when it is missing.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    match std::fs::write(path, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io_err("create", dir))?;
            }
            std::fs::write(path, bytes).map_err(io_err("write", path))
        }
        other => other.map_err(io_err("write", path)),
    }
}

fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER_FILE).is_file()
}

/// A folder may be replaced when it does not exist, is empty, or carries the marker.
fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("read", dir)(e)),
        Ok(meta) if !meta.is_dir() => Err(OutputError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {
            let empty = std::fs::read_dir(dir)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files() {
        assert_eq!(page_file("/"), "index.html");
        assert_eq!(page_file("/2025/03/17/x/"), "2025/03/17/x/index.html");
        assert_eq!(page_file("/404.html"), "404.html");
    }

    #[test]
    fn paths_never_leave_the_root() {
        let root = Path::new("/out");
        assert_eq!(resolve_in(root, "a/b.html").unwrap(), root.join("a/b.html"));
        for bad in [
            "../x",
            "a/../../x",
            "a\\..\\b",
            "c:/x",
            "a/./b",
            MARKER_FILE,
            "a\0b",
        ] {
            assert!(resolve_in(root, bad).is_err(), "{bad}");
        }
    }
}
