//! Watching a site's sources (`config.yaml`, `content/`, `templates/`,
//! `static/`) with the `notify` crate, in batches: an editor's save is often
//! a burst (write a temporary file, rename it over the old one, delete a
//! backup), and a burst is one rebuild.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::project::is_source;
use crate::source::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};

/// A batch ends when no event came for this long. Editors' bursts take a few
/// milliseconds; this is most of the wait between a save and the reload.
const QUIET: Duration = Duration::from_millis(10);

/// A batch is handed over after this long even while events keep coming.
const LONGEST: Duration = Duration::from_millis(500);

/// How often a waiting watcher looks at its stop flag.
const POLL: Duration = Duration::from_millis(200);

/// What one batch of events says changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Paths that were created, changed, removed or renamed.
    pub paths: Vec<PathBuf>,
    /// Events were lost (the system's queue overflowed): read everything again.
    pub rescan: bool,
}

/// What [`SourceWatcher::next`] waited for.
#[derive(Debug)]
pub enum Next {
    /// Changes came.
    Batch(Batch),
    /// None came for the time asked.
    Idle,
    /// The server is stopping.
    Stopped,
}

/// A watcher of one site folder.
pub struct SourceWatcher {
    site_dir: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: Vec<PathBuf>,
}

impl SourceWatcher {
    /// Starts watching the site folder (for `config.yaml` and source folders
    /// that appear later) and each source folder there is.
    pub fn start(site_dir: &Path) -> notify::Result<SourceWatcher> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(sender)?;
        watcher.watch(site_dir, RecursiveMode::NonRecursive)?;
        let mut started = SourceWatcher {
            site_dir: site_dir.to_path_buf(),
            watcher,
            events,
            watched: Vec::new(),
        };
        started.watch_source_dirs();
        Ok(started)
    }

    /// Watches the source folders that exist and are not watched yet.
    fn watch_source_dirs(&mut self) {
        for name in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
            let dir = self.site_dir.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir);
            }
        }
        self.watched.retain(|dir| dir.is_dir());
    }

    /// Waits for the next batch of changes, or, with `idle`, until that
    /// long has passed without one.
    pub fn next(&mut self, stop: &AtomicBool, idle: Option<Duration>) -> Next {
        let mut batch = Batch::default();
        let waiting = Instant::now();
        // The first event of a batch.
        loop {
            if stop.load(Ordering::Relaxed) {
                return Next::Stopped;
            }
            let wait = match idle {
                Some(idle) if waiting.elapsed() >= idle => return Next::Idle,
                Some(idle) => (idle - waiting.elapsed()).min(POLL),
                None => POLL,
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    if self.take(event, &mut batch) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
            }
        }
        // The rest of the burst.
        let started = Instant::now();
        while started.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => {
                    self.take(event, &mut batch);
                }
                Err(_) => break,
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        // A source folder made since (templates/ for a first override).
        self.watch_source_dirs();
        Next::Batch(batch)
    }

    /// Adds an event's paths to a batch; true when it is one that counts.
    fn take(&self, event: notify::Result<notify::Event>, batch: &mut Batch) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                batch.rescan = true;
                return true;
            }
        };
        if event.need_rescan() {
            batch.rescan = true;
            return true;
        }
        match event.kind {
            // Reading a file, or changing only its permissions or times,
            // changes nothing a page shows.
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
            _ => {
                let before = batch.paths.len();
                batch.paths.extend(
                    event
                        .paths
                        .into_iter()
                        .filter(|p| is_source(&self.site_dir, p)),
                );
                batch.paths.len() > before
            }
        }
    }
}
