//! A folder updated in place, file by file, while a server reads it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{
    MARKER_FILE, MARKER_TEXT, OutputError, Sink, check_replaceable, create_dirs_under, io_err,
    resolve_in, write_file,
};

/// Each write goes to a temporary file beside its target and is renamed over
/// it, so a reader sees the old file or the new one, never half of one.
#[derive(Debug)]
pub struct LiveDir {
    root: PathBuf,
    next_temp: AtomicU64,
}

impl LiveDir {
    /// Opens `root` as a live output folder, making it (with the marker) when
    /// missing. A non-empty folder broadsheet did not make is refused.
    pub fn open(root: &Path) -> Result<LiveDir, OutputError> {
        check_replaceable(root)?;
        fs::create_dir_all(root).map_err(io_err("create", root))?;
        fs::write(root.join(MARKER_FILE), MARKER_TEXT).map_err(io_err("write", root))?;
        Ok(LiveDir {
            root: root.to_path_buf(),
            next_temp: AtomicU64::new(0),
        })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A temporary name beside `file`, hidden and unique within this process.
    fn temp_beside(&self, file: &Path) -> PathBuf {
        let n = self.next_temp.fetch_add(1, Ordering::Relaxed);
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        file.with_file_name(format!(".{name}.{n}.broadsheet-tmp"))
    }

    /// Renames `temp` over `file`, removing `temp` if that fails.
    fn replace(temp: &Path, file: &Path) -> Result<(), OutputError> {
        fs::rename(temp, file).map_err(|e| {
            let _ = fs::remove_file(temp);
            io_err("replace", file)(e)
        })
    }
}

impl Sink for LiveDir {
    fn create_dirs(&self, dirs: &mut dyn Iterator<Item = &str>) -> Result<(), OutputError> {
        create_dirs_under(&self.root, dirs)
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let file = resolve_in(&self.root, path)?;
        let temp = self.temp_beside(&file);
        write_file(&temp, bytes)?;
        Self::replace(&temp, &file)
    }

    fn copy(&self, from: &Path, path: &str) -> Result<(), OutputError> {
        let file = resolve_in(&self.root, path)?;
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir).map_err(io_err("create", dir))?;
        }
        let temp = self.temp_beside(&file);
        fs::copy(from, &temp).map_err(io_err("copy", from))?;
        Self::replace(&temp, &file)
    }

    fn remove(&self, path: &str) -> Result<(), OutputError> {
        let file = resolve_in(&self.root, path)?;
        match fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_err("remove", &file)(e));
            }
            _ => {}
        }
        // A fresh build has no empty folders; neither may this one.
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| *d != self.root && d.starts_with(&self.root)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_and_removals_prune_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("live");
        let live = LiveDir::open(&root).unwrap();
        live.write("a/b/index.html", b"one").unwrap();
        live.write("a/b/index.html", b"two").unwrap();
        live.write("a/c.txt", b"c").unwrap();
        assert_eq!(fs::read(root.join("a/b/index.html")).unwrap(), b"two");
        live.remove("a/b/index.html").unwrap();
        assert!(!root.join("a/b").exists());
        assert!(root.join("a/c.txt").exists());
        live.remove("a/c.txt").unwrap();
        assert!(!root.join("a").exists());
        assert!(root.join(MARKER_FILE).exists());
        assert!(live.write("../escape.txt", b"x").is_err());
        let leftovers: Vec<_> = fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the marker is left");
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "x").unwrap();
        assert!(matches!(
            LiveDir::open(dir.path()),
            Err(OutputError::NotOurs(_))
        ));
    }
}
