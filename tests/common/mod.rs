//! Helpers shared by the end-to-end tests: a site in a temporary folder,
//! builds through the library and the binary, and output snapshots.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use broadsheet::build::{BuildFailure, BuildOptions, BuildReport, build};

/// A site folder in a temporary directory, removed when dropped.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site folder with an empty `content/`.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        site
    }

    /// The site folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// Writes a file (creating folders) relative to the site folder.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Writes an article with the given front matter lines and body.
    pub fn article(&self, relative: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{relative}"),
            format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    /// Options for building this site into its default output.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            site_dir: self.path().to_path_buf(),
            now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            ..Default::default()
        }
    }

    /// The site opened through the library, as `serve` opens it, with the
    /// tests' clock: for writes and rebuilds step by step.
    pub fn project(&self) -> broadsheet::project::Project {
        broadsheet::project::Project::open(
            self.options().project(),
            &mut broadsheet::timings::Timings::default(),
        )
        .expect("the site opens")
    }

    /// Builds through the library with default options.
    pub fn build(&self) -> Result<BuildReport, BuildFailure> {
        build(&self.options())
    }

    /// Builds and panics with every error on failure.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(failure) => panic!("build failed: {:#?}", failure.error),
        }
    }

    /// Runs the broadsheet binary in the site folder with `args`.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(self.path(), args)
    }

    /// Reads an output file as text, panicking with the list of output
    /// files when it is missing.
    pub fn page(&self, site_path: &str) -> String {
        let file = self.public().join(site_path.trim_start_matches('/'));
        let file = if site_path.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        std::fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; output has {:?}",
                file.display(),
                snapshot(&self.public()).keys().collect::<Vec<_>>()
            )
        })
    }
}

/// The header of a PNG image of `width` × `height`: enough for its size
/// to be read.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

/// A small deterministic generator (xorshift), so generated sites are the
/// same on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.next() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Every file under a folder, by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                relative.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// Runs the broadsheet binary in `dir` with `args`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run broadsheet")
}

/// Text of a command's standard error and output.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Text of a command's standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub mod archive;
pub mod browser;
pub mod links;
pub mod server;
