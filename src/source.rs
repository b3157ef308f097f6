//! The site folder: where its sources are, and the one walker that lists the
//! files of its source folders (`content/`, `templates/`, `static/`), so all
//! three follow the same rules.
//!
//! The rules ([`SourceRules`]): the site folder is a boundary, so a symbolic
//! link is followed only while its target stays inside it (unless the config
//! says `follow_external_symlinks: true`); hidden files, editors' backups and
//! autosaves and the config's `ignore:` globs are never sources; a link that
//! points back into a folder above it is an error naming it.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use globset::{Glob, GlobSet, GlobSetBuilder};
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

/// `path` relative to `dir`, with `/` between its parts whatever the
/// system: an output path, or a template's name.
pub fn slash_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A path relative to the site folder, for messages.
pub fn shown(site_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site_dir).unwrap_or(path).to_path_buf()
}

/// Why a file is not a source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// Its name starts with `.` (`.git`, `.DS_Store`, `.#draft.md`).
    Hidden,
    /// An editor's backup, autosave or swap file, or a system's thumbnail
    /// cache (`draft.md~`, `#draft.md#`, `*.swp`, `*.tmp`, `Thumbs.db`).
    EditorLeftover,
    /// It matches a glob of the config's `ignore:` list.
    Ignored(String),
}

impl Skip {
    /// Why, in words.
    pub fn describe(&self) -> String {
        match self {
            Skip::Hidden => "hidden file".into(),
            Skip::EditorLeftover => "editor backup or system file".into(),
            Skip::Ignored(glob) => format!("matches `{glob}` in `ignore:`"),
        }
    }
}

/// Why a name alone makes a file no source: hidden, or an editor's leftover.
pub fn skipped_name(name: &OsStr) -> Option<Skip> {
    let name = name.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    if name.starts_with('.') {
        Some(Skip::Hidden)
    } else if name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || lower == "thumbs.db"
        || lower == "desktop.ini"
    {
        Some(Skip::EditorLeftover)
    } else {
        None
    }
}

/// True when a path inside a source folder (relative to it) is skipped for
/// its name or the name of a folder it is in, whatever the config says.
pub fn is_skipped(relative: &Path) -> bool {
    relative.components().any(|c| match c {
        Component::Normal(name) => skipped_name(name).is_some(),
        _ => true,
    })
}

/// What the walker skips and follows, for one site.
#[derive(Debug, Clone)]
pub struct SourceRules {
    /// The site folder, with links resolved: the boundary.
    root: PathBuf,
    follow_external_symlinks: bool,
    globs: Vec<String>,
    ignore: GlobSet,
}

impl SourceRules {
    /// The rules of the site in `site_dir`, with the config's `ignore:`
    /// globs (matched against paths relative to the site folder, such as
    /// `content/drafts/**` or `*.psd`). A glob that cannot be read is an
    /// error naming it.
    pub fn new(
        site_dir: &Path,
        ignore: &[String],
        follow_external_symlinks: bool,
    ) -> Result<SourceRules, String> {
        let mut builder = GlobSetBuilder::new();
        for glob in ignore {
            builder.add(Glob::new(glob).map_err(|e| format!("`{glob}`: {e}"))?);
        }
        Ok(SourceRules {
            root: site_dir
                .canonicalize()
                .unwrap_or_else(|_| site_dir.to_path_buf()),
            follow_external_symlinks,
            globs: ignore.to_vec(),
            ignore: builder.build().map_err(|e| e.to_string())?,
        })
    }

    /// The rules with nothing ignored beyond the built-in ones.
    pub fn plain(site_dir: &Path) -> SourceRules {
        SourceRules::new(site_dir, &[], false).expect("no globs to read")
    }

    /// Why a path under the site folder is no source, if it is not.
    pub fn skip(&self, site_dir: &Path, path: &Path) -> Option<Skip> {
        let relative = path.strip_prefix(site_dir).unwrap_or(path);
        for component in relative.components() {
            if let Component::Normal(name) = component
                && let Some(skip) = skipped_name(name)
            {
                return Some(skip);
            }
        }
        let slashed = relative.to_string_lossy().replace('\\', "/");
        self.ignore
            .matches(&slashed)
            .first()
            .map(|&i| Skip::Ignored(self.globs[i].clone()))
    }

    /// Where a path leads when it leaves the site folder through a symbolic
    /// link that the rules do not follow; `None` when it may be read.
    pub fn outside_target(&self, path: &Path) -> Option<PathBuf> {
        if self.follow_external_symlinks {
            return None;
        }
        let target = path.canonicalize().ok()?;
        (!target.starts_with(&self.root)).then_some(target)
    }
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
    /// Links leaving the site, files that are not regular files, and files
    /// skipped by the rules (shown with `--verbose`).
    pub warnings: Vec<Warning>,
    /// Files and folders that could not be read, and link loops.
    pub errors: Vec<FileError>,
}

/// Lists every file under `dir` (which may be missing: then there are none),
/// following `rules`. Paths in messages are shown relative to `site_dir`.
pub fn walk(site_dir: &Path, dir: &Path, rules: &SourceRules) -> FolderFiles {
    let mut found = FolderFiles::default();
    if !dir.exists() && std::fs::symlink_metadata(dir).is_err() {
        return found;
    }
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| shown(site_dir, p)).unwrap_or_default();
                let message = match err.loop_ancestor() {
                    Some(ancestor) => format!(
                        "symbolic link loop: it leads back to {}, a folder above it; remove the link or point it elsewhere",
                        shown(site_dir, ancestor).display()
                    ),
                    None => format!("cannot read: {err}"),
                };
                found.errors.push(FileError::at_line(path, 1, message));
                continue;
            }
        };
        let path = entry.path();
        let warn = |kind: WarningKind| Warning {
            kind,
            path: shown(site_dir, path),
            line: None,
            column: None,
        };
        if entry.depth() > 0
            && let Some(skip) = rules.skip(site_dir, path)
        {
            found.warnings.push(warn(WarningKind::Skipped(skip)));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink()
            && let Some(target) = rules.outside_target(path)
        {
            found
                .warnings
                .push(warn(WarningKind::ExternalSymlink(target)));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            found.files.push(entry.into_path());
        } else if !entry.file_type().is_dir() {
            found.warnings.push(warn(WarningKind::NotAFile));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[&str]) {
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
    }

    fn names(site: &Path, found: &FolderFiles) -> Vec<String> {
        found
            .files
            .iter()
            .map(|f| shown(site, f).to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn hidden_and_leftover_names_are_skipped_at_any_depth() {
        assert!(is_skipped(Path::new(".git/config")));
        assert!(is_skipped(Path::new("2025/.a.md.swp")));
        assert!(!is_skipped(Path::new("2025/a.md")));
        assert!(is_skipped(Path::new("../a.md")));
        for leftover in [
            "draft.md~",
            "#draft.md#",
            "a.md.swp",
            "a.swo",
            "x.TMP",
            "Thumbs.db",
            "desktop.ini",
        ] {
            assert_eq!(
                skipped_name(OsStr::new(leftover)),
                Some(Skip::EditorLeftover),
                "{leftover}"
            );
        }
        assert_eq!(skipped_name(OsStr::new("#hashtag.md")), None);
        assert_eq!(skipped_name(OsStr::new("a.md")), None);
    }

    #[test]
    fn walks_sorted_files_and_skips_by_the_rules() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        write(
            site,
            &[
                "content/b.md",
                "content/a/c.md",
                "content/.hidden/x.md",
                "content/a/.y.md",
                "content/a/c.md~",
                "content/drafts/d.md",
                "content/art/cover.psd",
            ],
        );
        let rules =
            SourceRules::new(site, &["content/drafts/**".into(), "*.psd".into()], false).unwrap();
        let found = walk(site, &site.join("content"), &rules);
        assert_eq!(names(site, &found), vec!["content/a/c.md", "content/b.md"]);
        let skipped: Vec<String> = found
            .warnings
            .iter()
            .map(|w| format!("{} {:?}", w.path.display(), w.kind))
            .collect();
        assert_eq!(skipped.len(), 5, "{skipped:?}");
        assert!(
            skipped
                .iter()
                .any(|s| s.contains("drafts") && s.contains("Ignored"))
        );
        assert!(walk(site, &site.join("missing"), &rules).files.is_empty());
        assert!(SourceRules::new(site, &["a[".into()], false).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_leaving_the_site_are_not_followed_and_loops_are_errors() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        let site = dir.path().join("site");
        write(&outside, &["secret.txt", "keys/id_rsa"]);
        write(&site, &["content/a.md", "static/shared/logo.svg"]);
        symlink(outside.join("keys"), site.join("static/keys")).unwrap();
        symlink(outside.join("secret.txt"), site.join("content/notes.txt")).unwrap();
        symlink(site.join("static/shared"), site.join("content/shared")).unwrap();
        let rules = SourceRules::plain(&site);
        let content = walk(&site, &site.join("content"), &rules);
        assert_eq!(
            names(&site, &content),
            vec!["content/a.md", "content/shared/logo.svg"]
        );
        assert!(content.warnings.iter().any(
            |w| matches!(&w.kind, WarningKind::ExternalSymlink(t) if t.ends_with("secret.txt"))
        ));
        let statics = walk(&site, &site.join("static"), &rules);
        assert_eq!(names(&site, &statics), vec!["static/shared/logo.svg"]);
        // Followed on purpose.
        let following = SourceRules::new(&site, &[], true).unwrap();
        let statics = walk(&site, &site.join("static"), &following);
        assert_eq!(statics.files.len(), 2);
        // A loop.
        symlink(site.join("content"), site.join("content/loop")).unwrap();
        let looped = walk(&site, &site.join("content"), &rules);
        assert_eq!(looped.errors.len(), 1, "{:?}", looped.errors);
        assert!(
            looped.errors[0].message.contains("loop"),
            "{}",
            looped.errors[0]
        );
    }
}
