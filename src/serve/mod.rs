//! `broadsheet serve`: builds the site into a folder of its own, serves it
//! over HTTP on 127.0.0.1, watches the sources, and after each save rebuilds
//! what changed ([`crate::project::Project::rebuild`]) and reloads the open
//! pages. Errors show in the browser and the terminal; the last good build
//! stays served until the next good save.

mod http;
mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::watch as channel;

use crate::diagnostics::Warnings;
use crate::output::{LiveDir, OutputError};
use crate::project::{BuildError, BuildFailure, Project, ProjectOptions, WriteReport};
use crate::site::Site;
use crate::source;
use crate::terminal::Terminal;
use crate::timings::Timings;
use watch::{Batch, Next, SourceWatcher};

/// How long after the last rebuild without another save the search index
/// is brought up to date.
const SEARCH_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

pub use http::{EVENTS_PATH, Target, inject, injection, resolve};

/// How many ports after the asked one are tried when it is taken.
const PORTS_TRIED: u16 = 100;

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub site_dir: PathBuf,
    /// The port to listen on (the next free one when it is taken).
    pub port: u16,
    /// The address to listen on.
    pub bind: IpAddr,
    /// Publish drafts and future articles too.
    pub include_drafts: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// How to talk in the terminal: verbose, quiet, colour.
    pub terminal: Terminal,
    /// Print the time taken by each stage of each build.
    pub timings: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            site_dir: PathBuf::from("."),
            port: 1111,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            include_drafts: false,
            open: false,
            terminal: Terminal::default(),
            timings: false,
        }
    }
}

/// Why serving could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site folder is missing.
    #[error("cannot serve {path}: {source}")]
    SiteDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// No port could be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address tried last.
        address: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// The folder to serve from could not be made.
    #[error("cannot make the folder to serve from: {0}")]
    Output(#[from] OutputError),
    /// The sources could not be watched.
    #[error("cannot watch {path} for changes: {source}")]
    Watch {
        /// The site folder.
        path: PathBuf,
        /// Why.
        source: notify::Error,
    },
    /// The server stopped with an error.
    #[error("the server stopped: {0}")]
    Server(io::Error),
    /// An option is invalid (such as an unusable site folder).
    #[error("{0}")]
    Build(BuildError),
}

/// What the server and the rebuilding thread share.
pub(crate) struct Shared {
    /// The folder served.
    root: PathBuf,
    /// The errors of the last build, one line each; empty when it succeeded.
    errors: RwLock<Vec<String>>,
    /// Counts builds; pages are told to reload when it changes.
    generation: channel::Sender<u64>,
    /// The search index is older than the pages served.
    search_stale: AtomicBool,
    /// Counts search index updates; the search page runs its query again
    /// when it changes.
    search_generation: channel::Sender<u64>,
    /// Set when the server stops, to end the event streams.
    shutdown: channel::Sender<bool>,
}

impl Shared {
    fn new(root: &Path) -> Shared {
        Shared {
            root: root.to_path_buf(),
            errors: RwLock::new(Vec::new()),
            generation: channel::Sender::new(0),
            search_stale: AtomicBool::new(false),
            search_generation: channel::Sender::new(0),
            shutdown: channel::Sender::new(false),
        }
    }

    /// The errors of the last build.
    fn errors(&self) -> Vec<String> {
        self.errors.read().map(|e| e.clone()).unwrap_or_default()
    }

    /// What goes into every HTML page served now.
    fn injection(&self) -> String {
        injection(
            *self.generation.borrow(),
            &self.errors(),
            self.search_stale.load(Ordering::Relaxed),
        )
    }

    /// Tells the search page that the index has caught up with the pages.
    fn search_updated(&self) {
        self.search_stale.store(false, Ordering::Relaxed);
        self.search_generation.send_modify(|n| *n += 1);
    }

    /// Records the outcome of a build and tells the open pages to reload.
    fn built(&self, errors: Vec<String>) {
        if let Ok(mut held) = self.errors.write() {
            *held = errors;
        }
        self.generation.send_modify(|n| *n += 1);
    }
}

/// Serves a site until Ctrl-C.
pub fn run(options: &ServeOptions) -> Result<(), ServeError> {
    let site_dir = options
        .site_dir
        .canonicalize()
        .map_err(|source| ServeError::SiteDir {
            path: options.site_dir.clone(),
            source,
        })?;
    let listener = listen(options.bind, options.port, &options.terminal)?;
    let address = listener.local_addr().map_err(|source| ServeError::Listen {
        address: SocketAddr::new(options.bind, options.port),
        source,
    })?;
    let url = local_url(address);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let interrupted = {
        // Registered now, not when the server first polls it: a Ctrl-C that
        // comes early, even during the first build, must still stop the
        // server cleanly and remove its folder rather than kill it.
        let _context = runtime.enter();
        interrupt_signal().map_err(ServeError::Server)?
    };
    let folder = tempfile::Builder::new()
        .prefix("broadsheet-serve-")
        .tempdir()
        .map_err(|e| OutputError::Io {
            action: "create",
            path: std::env::temp_dir(),
            source: e,
        })?;
    let live = LiveDir::open(folder.path())?;
    let shared = Arc::new(Shared::new(folder.path()));
    let mut rebuilder = Rebuilder {
        options: ProjectOptions {
            site_dir: site_dir.clone(),
            base_url: Some(url.clone()),
            include_drafts: options.include_drafts,
            now: None,
            strict: false,
            progress: options.terminal.progress(),
        },
        project: None,
        live,
        shared: shared.clone(),
        terminal: options.terminal,
        timings: options.timings,
    };
    if let Err(BuildError::InvalidOption(message)) = rebuilder.first_build() {
        return Err(ServeError::Build(BuildError::InvalidOption(message)));
    }
    let mut watcher = SourceWatcher::start(&site_dir).map_err(|source| ServeError::Watch {
        path: site_dir.clone(),
        source,
    })?;
    let terminal = options.terminal;
    if !address.ip().is_loopback() {
        terminal.warning(format_args!(
            "serving on {}: other machines on the network can read the site",
            address.ip()
        ));
    }
    terminal.say(format_args!(
        "Serving {} at {url} (Ctrl-C to stop)",
        options.site_dir.display()
    ));
    if options.open && !open_browser(&url) {
        terminal.remark(format_args!(
            "Cannot open a browser here; open {url} yourself."
        ));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let rebuilding = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            loop {
                // The search index is brought up to date once the editor
                // pauses, so that a save never waits for it.
                let idle = rebuilder.search_waits().then_some(SEARCH_AFTER);
                match watcher.next(&stop, idle) {
                    Next::Batch(batch) => rebuilder.rebuild(batch),
                    Next::Idle => rebuilder.update_search(),
                    Next::Stopped => break,
                }
            }
        })
    };
    let on_stop = {
        let shared = shared.clone();
        let stop = stop.clone();
        async move {
            interrupted.await;
            stop.store(true, Ordering::Relaxed);
            let _ = shared.shutdown.send(true);
        }
    };
    let served = runtime.block_on(http::serve(listener, shared, on_stop));
    stop.store(true, Ordering::Relaxed);
    let _ = rebuilding.join();
    drop(folder);
    terminal.say("Stopped.");
    served.map_err(ServeError::Server)
}

/// A future that resolves on Ctrl-C, with its handler already installed.
#[cfg(unix)]
fn interrupt_signal() -> io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
fn interrupt_signal() -> io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Listens on `port`, or the next free one after it, saying so.
fn listen(ip: IpAddr, port: u16, terminal: &Terminal) -> Result<TcpListener, ServeError> {
    let mut last_error = None;
    for candidate in (port..=port.saturating_add(PORTS_TRIED)).take(PORTS_TRIED as usize + 1) {
        let address = SocketAddr::new(ip, candidate);
        match TcpListener::bind(address) {
            Ok(listener) => {
                if candidate != port {
                    terminal.remark(format_args!(
                        "Port {port} is in use; using {candidate} instead."
                    ));
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_error = Some((address, e)),
            Err(source) => return Err(ServeError::Listen { address, source }),
        }
    }
    let (address, source) = last_error.expect("at least one port was tried");
    Err(ServeError::Listen { address, source })
}

/// The site's address while served: the base URL of the pages.
fn local_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
    }
}

/// Opens a URL in the system's browser; false when it cannot.
fn open_browser(url: &str) -> bool {
    let command = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", "", url]
    } else {
        vec!["xdg-open", url]
    };
    let opened = std::process::Command::new(command[0])
        .args(&command[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    opened.is_ok()
}

/// What the first build gave: its report, the counts of articles and
/// drafts left out, and the time it took.
type FirstBuild = Result<(WriteReport, Option<(usize, usize)>, std::time::Duration), BuildFailure>;

/// The thread that builds: the project, and where it writes.
struct Rebuilder {
    options: ProjectOptions,
    project: Option<Project>,
    live: LiveDir,
    shared: Arc<Shared>,
    terminal: Terminal,
    timings: bool,
}

impl Rebuilder {
    /// Opens the project and writes it all; reports in the terminal and,
    /// on errors, in the browser.
    fn first_build(&mut self) -> Result<(), BuildError> {
        let progress = self.options.progress.clone();
        let mut timings = Timings::default();
        let built = progress.run(|| self.first_build_with_progress(&mut timings));
        if self.timings {
            crate::timings::print(&timings);
        }
        self.report_first_build(built)
    }

    fn first_build_with_progress(&mut self, timings: &mut Timings) -> FirstBuild {
        let started = Instant::now();
        let result = match Project::open(self.options.clone(), timings) {
            Ok(mut project) => {
                project.keep_written();
                project.defer_search();
                let written = project.write(&self.live, timings);
                let site = project.site().map(|_| {
                    let sum = |count: fn(&Site) -> usize| project.sites().map(count).sum();
                    (sum(|s| s.articles.len()), sum(|s| s.drafts_left_out))
                });
                self.project = Some(project);
                written.map(|report| (report, site))
            }
            Err(failure) => Err(failure),
        };
        result.map(|(report, site)| (report, site, started.elapsed()))
    }

    /// Says how the first build went.
    fn report_first_build(&mut self, built: FirstBuild) -> Result<(), BuildError> {
        match built {
            Ok((report, site, took)) => {
                let project = self.project.as_ref().expect("opened");
                self.terminal.warnings(&project.warnings());
                let (articles, drafts) = site.unwrap_or_default();
                self.terminal.say(format_args!(
                    "Built {articles} article(s), {} file(s) in {:.2} s{}",
                    report.files_written,
                    took.as_secs_f64(),
                    if drafts > 0 {
                        format!("; left out {drafts} draft(s) (--drafts includes them)")
                    } else {
                        String::new()
                    }
                ));
                self.shared
                    .search_stale
                    .store(project.search_is_stale(), Ordering::Relaxed);
                self.shared.built(Vec::new());
                // Nobody edits yet: the first index is made at once, so
                // the site served from the start is a whole build.
                self.update_search();
                Ok(())
            }
            Err(failure) => {
                let invalid = match &failure.error {
                    BuildError::InvalidOption(m) => Some(m.clone()),
                    _ => None,
                };
                self.failed(failure, &[]);
                invalid.map_or(Ok(()), |m| Err(BuildError::InvalidOption(m)))
            }
        }
    }

    /// Brings the served folder up to date after a batch of changes.
    fn rebuild(&mut self, batch: Batch) {
        let started = Instant::now();
        let Some(project) = self.project.as_mut() else {
            // Nothing could be read before (no config, no content/): try
            // again from the start.
            let _ = self.first_build();
            return;
        };
        let mut timings = Timings::default();
        let result = self.options.progress.run(|| {
            if batch.rescan {
                project
                    .reload()
                    .and_then(|()| project.write(&self.live, &mut timings))
            } else {
                project.rebuild(&batch.paths, &self.live, &mut timings)
            }
        });
        if self.timings {
            crate::timings::print(&timings);
        }
        let site_dir = self.options.site_dir.clone();
        let shown: Vec<PathBuf> = batch
            .paths
            .iter()
            .map(|p| source::shown(&site_dir, p))
            .collect();
        match result {
            Ok(report) => {
                let had_errors = !self.shared.errors().is_empty();
                let warnings = project.warnings();
                print_changed_warnings(&warnings, &shown, &self.terminal);
                let search_stale = project.search_is_stale();
                self.shared
                    .search_stale
                    .store(search_stale, Ordering::Relaxed);
                if report.files_written + report.files_removed > 0 || had_errors {
                    self.terminal.say(format_args!(
                        "Rebuilt in {} ms: {} ({})",
                        started.elapsed().as_millis(),
                        describe(&report),
                        describe_paths(&shown)
                    ));
                    self.shared.built(Vec::new());
                }
            }
            Err(failure) => self.failed(failure, &shown),
        }
    }

    /// True when the pages served are newer than the search index.
    fn search_waits(&self) -> bool {
        self.shared.search_stale.load(Ordering::Relaxed)
    }

    /// Brings the search index up to date with the pages just shown, and
    /// tells the search page.
    fn update_search(&mut self) {
        // Tried once per rebuild: a failure waits for the next save.
        self.shared.search_stale.store(false, Ordering::Relaxed);
        let Some(project) = self.project.as_mut() else {
            return;
        };
        if !project.search_is_stale() {
            return;
        }
        let started = Instant::now();
        let mut timings = Timings::default();
        match project.write_search(&self.live, &mut timings) {
            Ok(_) => {
                if self.timings {
                    self.terminal.remark(format_args!(
                        "Search index brought up to date in {} ms",
                        started.elapsed().as_millis()
                    ));
                }
                self.shared.search_updated();
            }
            Err(failure) => self.failed(failure, &[]),
        }
    }

    /// Shows a failed build in the terminal and the browser.
    fn failed(&self, failure: BuildFailure, changed: &[PathBuf]) {
        print_changed_warnings(&failure.warnings, changed, &self.terminal);
        let lines = error_lines(&failure.error);
        for line in &lines {
            self.terminal.error(line);
        }
        self.terminal
            .remark("The site did not build; the last good build is still served.");
        self.shared.built(lines);
    }
}

/// The errors of a failed build, one line each.
fn error_lines(error: &BuildError) -> Vec<String> {
    match error {
        BuildError::Files(errors) => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

fn describe(report: &WriteReport) -> String {
    let mut text = format!("{} file(s) written", report.files_written);
    if report.files_removed > 0 {
        text.push_str(&format!(", {} removed", report.files_removed));
    }
    text
}

fn describe_paths(paths: &[PathBuf]) -> String {
    let mut shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > 3 {
        shown.push(format!("and {} more", paths.len() - 3));
    }
    shown.join(", ")
}

/// Warnings about the files that changed, the others having been shown.
fn print_changed_warnings(warnings: &Warnings, changed: &[PathBuf], terminal: &Terminal) {
    let mut about_changed = Warnings::default();
    about_changed.extend(
        warnings
            .clone()
            .into_iter()
            .filter(|w| changed.contains(&w.path)),
    );
    terminal.warnings(&about_changed);
}
