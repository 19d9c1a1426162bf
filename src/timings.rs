//! Phase timings for `bullpen build --timings`: how long loading,
//! validating, rendering and writing took, for anyone tuning a large site.
//!
//! Recording is off unless [`enable`] was called; a [`phase`] guard then
//! notes its wall time when dropped. Only the CLI reads them back.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PHASES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Starts recording phases.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// A running phase; its time is recorded when it is dropped.
pub struct Phase {
    name: &'static str,
    started: Option<Instant>,
}

/// Times the phase `name` until the returned guard is dropped.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        started: ENABLED.load(Ordering::Relaxed).then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(started) = self.started {
            let mut phases = PHASES.lock().unwrap_or_else(|e| e.into_inner());
            phases.push((self.name, started.elapsed()));
        }
    }
}

/// Every phase recorded so far, in the order they finished, as lines of
/// `name  seconds`; the recorded phases are cleared.
pub fn take_report() -> String {
    let mut phases = PHASES.lock().unwrap_or_else(|e| e.into_inner());
    let width = phases.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let text = phases
        .iter()
        .map(|(name, time)| format!("  {name:<width$}  {:>7.3} s\n", time.as_secs_f64()))
        .collect::<String>();
    phases.clear();
    text
}
