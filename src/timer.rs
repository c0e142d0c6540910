//! Stage timings printed to stderr when `QUORUM_TIMINGS` is set.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Prints how long each stage took to stderr when `QUORUM_TIMINGS` is set.
pub(crate) struct Timer {
    start: Option<Cell<Instant>>,
}

impl Timer {
    /// A timer that is on when `QUORUM_TIMINGS` is set.
    pub(crate) fn new() -> Timer {
        Timer {
            start: std::env::var_os("QUORUM_TIMINGS").map(|_| Cell::new(Instant::now())),
        }
    }

    /// Prints the time of work done elsewhere (another thread), when on.
    pub(crate) fn note(&self, what: &str, took: Duration) {
        if self.start.is_some() {
            eprintln!("timing: {what} {:.1} ms", took.as_secs_f64() * 1000.0);
        }
    }

    /// Prints the time since the last lap under `stage`.
    pub(crate) fn lap(&self, stage: &str) {
        if let Some(start) = &self.start {
            let now = Instant::now();
            self.note(stage, now - start.get());
            start.set(now);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}
