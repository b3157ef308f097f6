//! The staging folder: a build is written beside the output folder and
//! swapped in only when it succeeded.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{
    MARKER_FILE, MARKER_TEXT, OutputError, Sink, check_replaceable, create_dirs_under, io_err,
    is_ours, resolve_in, write_file,
};

/// Folders of the site that hold its sources; the output may not lie in them.
const SOURCE_DIRS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];

use crate::source::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};

/// A build in progress: files go to a staging folder until [`Staging::commit`].
/// Dropped without committing, the staging folder is removed.
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
    target: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Held until the build ends: the system lets go of it when the process
    /// dies, however it dies, so a killed build never leaves a lock behind.
    _lock: Lock,
}

/// The lock of an output folder: a file beside it, locked by the system.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held; a build that opened it meanwhile sees
        // it is gone and takes a new one (see `lock`).
        let _ = fs::remove_file(&self.path);
    }
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
        if !parent.is_dir() {
            fs::create_dir_all(&parent).map_err(io_err("create", &parent))?;
        }
        let lock = lock(&parent.join(format!(".{name}.broadsheet-lock")), output)?;
        let staging = Staging {
            root: parent.join(format!(".{name}.broadsheet-staging")),
            old: parent.join(format!(".{name}.broadsheet-old")),
            target,
            committed: false,
            _lock: lock,
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

    /// Swaps the staging folder in place of the output folder.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.target.exists() {
            if self.old.exists() {
                fs::remove_dir_all(&self.old).map_err(io_err("remove", &self.old))?;
            }
            if exchange(&self.root, &self.target).is_ok() {
                // The previous output is now where the staging folder was;
                // killed before it is gone, the next build removes it.
                self.committed = true;
                fs::remove_dir_all(&self.root).map_err(io_err("remove", &self.root))?;
                return Ok(self.target.clone());
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

/// Swaps two folders in one step, where the system can (Linux's
/// `renameat2` with `RENAME_EXCHANGE`; some file systems refuse it).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Elsewhere the output is moved aside, then the new one in.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Sink for Staging {
    fn create_dirs(&self, dirs: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        create_dirs_under(&self.root, dirs)
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        write_file(&resolve_in(&self.root, path)?, bytes)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<(), OutputError> {
        let to = resolve_in(&self.root, path)?;
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(io_err("create", dir))?;
        }
        fs::copy(from, &to).map_err(io_err("copy", from))?;
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<(), OutputError> {
        let file = resolve_in(&self.root, path)?;
        fs::remove_file(&file).map_err(io_err("remove", &file))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// Takes the lock of an output folder, or says which build holds it. A lock
/// file left by a killed build holds no lock and is taken over.
fn lock(path: &Path, output: &Path) -> Result<Lock, OutputError> {
    use std::io::{Read, Seek, Write};
    loop {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io_err("lock", path))?;
        match file.try_lock() {
            Ok(()) => {
                // The build that held it may have removed the file since we
                // opened it: a lock on a removed file locks nothing.
                if !same_file(&file, path) {
                    continue;
                }
                file.set_len(0).map_err(io_err("lock", path))?;
                file.rewind().map_err(io_err("lock", path))?;
                writeln!(file, "{}", std::process::id()).map_err(io_err("lock", path))?;
                return Ok(Lock {
                    path: path.to_path_buf(),
                    _file: file,
                });
            }
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(OutputError::Locked {
                    output: output.to_path_buf(),
                    holder: holder.trim().to_string(),
                });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_err("lock", path)(e)),
        }
    }
}

/// True when an open file is still the one at `path`.
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// True when an open file is still the one at `path` (Windows refuses to
/// remove an open file, so it always is).
#[cfg(not(unix))]
fn same_file(_file: &fs::File, _path: &Path) -> bool {
    true
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
    fn writes_never_leave_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(dir.path(), &dir.path().join("public")).unwrap();
        staging.write("2025/03/17/x/index.html", b"x").unwrap();
        assert!(staging.root().join("2025/03/17/x/index.html").is_file());
        assert!(staging.write("../x/index.html", b"x").is_err());
        assert!(staging.write("a/..\\b/index.html", b"x").is_err());
        assert!(staging.copy(Path::new("/etc/hostname"), "../x").is_err());
        assert!(!dir.path().join("x").exists());
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
            staging.write(&format!("r{round}.txt"), b"x").unwrap();
            staging.commit().unwrap();
        }
        assert!(out.join("r1.txt").exists());
        assert!(!out.join("r0.txt").exists());
        assert!(out.join(MARKER_FILE).exists());
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec!["public"]);
    }

    #[test]
    fn one_build_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::begin(dir.path(), &out).unwrap();
        let second = Staging::begin(dir.path(), &out).unwrap_err();
        assert!(matches!(second, OutputError::Locked { .. }), "{second}");
        assert!(
            second.to_string().contains(&std::process::id().to_string()),
            "{second}"
        );
        assert!(
            first.root().exists(),
            "the second build left the first alone"
        );
        drop(first);
        Staging::begin(dir.path(), &out).unwrap();
    }
}
