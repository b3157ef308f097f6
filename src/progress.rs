//! A progress bar for long builds: drawn on standard error only when it is a
//! terminal, and only once a build has taken [`SHOW_AFTER`], so that quick
//! builds, pipes and CI logs never see it.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its bar is drawn.
pub const SHOW_AFTER: Duration = Duration::from_millis(500);

/// How often a drawn bar is redrawn: it moves even when a stage does not
/// count (reading front matter).
const TICK: Duration = Duration::from_millis(100);

/// Where a build reports its stage and how far it is; does nothing unless
/// made with [`Progress::on_terminal`].
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bar: Option<Arc<Bar>>,
}

/// A bar with counts for a counted stage, a spinner for another.
fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {msg:<26} {wide_bar} {pos}/{len} {elapsed}"
    } else {
        "{spinner} {msg:<26} {elapsed}"
    };
    ProgressStyle::with_template(template)
        .expect("the templates are valid")
        .progress_chars("=> ")
}

#[derive(Debug)]
struct Bar {
    bar: ProgressBar,
    /// Counts runs, so that the timer of a finished run shows nothing.
    run: AtomicU64,
}

impl Progress {
    /// A bar on standard error when it is a terminal; otherwise nothing.
    pub fn on_terminal() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Progress {
            bar: Some(Arc::new(Bar {
                bar,
                run: AtomicU64::new(0),
            })),
        }
    }

    /// True when nothing is ever drawn.
    pub fn is_hidden(&self) -> bool {
        self.bar.is_none()
    }

    /// Starts a run (a build or rebuild): the bar appears if the run is not
    /// finished after [`SHOW_AFTER`].
    pub fn start(&self) {
        let Some(shared) = &self.bar else { return };
        let run = shared.run.fetch_add(1, Ordering::SeqCst) + 1;
        shared.bar.reset();
        let shared = shared.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if shared.run.load(Ordering::SeqCst) == run {
                shared.bar.set_draw_target(ProgressDrawTarget::stderr());
                shared.bar.enable_steady_tick(TICK);
            }
        });
    }

    /// Runs `work` as one run: [`Progress::start`] before, and
    /// [`Progress::finish`] after, whatever it returns.
    pub fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        self.start();
        let done = work();
        self.finish();
        done
    }

    /// Enters a stage of `total` steps (`None` when they are not counted).
    pub fn stage(&self, name: &'static str, total: Option<u64>) {
        let Some(shared) = &self.bar else { return };
        shared.bar.set_style(style(total.is_some()));
        shared.bar.set_position(0);
        shared.bar.set_length(total.unwrap_or(0));
        shared.bar.set_message(name);
    }

    /// One step of the stage is done; cheap enough for every page.
    pub fn advance(&self) {
        if let Some(shared) = &self.bar {
            shared.bar.inc(1);
        }
    }

    /// Ends the run: the bar is cleared and a pending one never appears.
    pub fn finish(&self) {
        let Some(shared) = &self.bar else { return };
        shared.run.fetch_add(1, Ordering::SeqCst);
        shared.bar.disable_steady_tick();
        shared.bar.finish_and_clear();
        shared.bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}
