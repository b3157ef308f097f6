//! Wall time and memory of each stage of a build, for `--timings` and profiling.

use std::time::{Duration, Instant};

/// Wall time of each stage of a build.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Stage names with their durations and the resident memory (bytes, when
    /// the system tells) at their end, in order.
    pub stages: Vec<(&'static str, Duration, Option<u64>)>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            stages: Vec::new(),
            last: Instant::now(),
        }
    }
}

impl Timings {
    /// Ends the current stage, naming it.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages
            .push((stage, now - self.last, resident_memory()));
        self.last = now;
    }
}

/// Resident memory of this process, from `/proc/self/statm` where there is one.
pub fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Prints the stages, one line each, to standard error.
pub fn print(timings: &Timings) {
    for (stage, took, memory) in &timings.stages {
        let memory = memory.map_or(String::new(), |m| format!("{:>6} MiB", m >> 20));
        eprintln!("{:>8.3} s {memory}  {stage}", took.as_secs_f64());
    }
}
