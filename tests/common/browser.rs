//! The browser checks of `tests/browser/`, run with node from the tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The folder of the browser checks and their npm packages.
pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Runs `tests/browser/<script>` with node and its arguments.
pub fn node(script: &str, args: &[&std::ffi::OsStr]) -> Output {
    Command::new("node")
        .arg(browser_dir().join(script))
        .args(args)
        .output()
        .expect("node runs")
}

/// Both output streams of a run, for a failure message.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs the steps of `search.mjs` on the search page of a built site;
/// returns each line the driver printed, and fails the test when it fails.
pub fn drive_search(public: &Path, steps: &str) -> Vec<Value> {
    let output = node("search.mjs", &[public.as_os_str(), steps.as_ref()]);
    assert!(output.status.success(), "{}", text(&output));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
