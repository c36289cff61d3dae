//! Long work cut into slices, so that the page answers a click while ten thousand files are
//! read and merged: the work gives the browser its turn after each slice, and shows the map
//! what is merged so far now and then, not after every slice (each showing redraws the map).

use std::time::Duration;

use crate::timer::sleep;

/// How long one slice reads files before the browser gets its turn. Measured at 10,000 files
/// (`scripts/bench-map.sh`): 200 ms slices read them all in 11 s, 40 ms slices in 12 to 18 s
/// (each turn lets the browser draw and write to IndexedDB), 20 ms in 19 s. A click waits at
/// most about this long; under the 50 ms of a long task needs the reading off the main thread.
const SLICE_MS: f64 = 100.0;
/// How often the map is shown what is merged so far.
const SHOW_EVERY_MS: f64 = 1000.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub(super) struct Slices {
    started: f64,
    shown: f64,
}

impl Slices {
    pub(super) fn new() -> Slices {
        let now = now_ms();
        Slices {
            started: now,
            shown: now,
        }
    }

    /// Whether this slice has run its time.
    pub(super) fn over(&self) -> bool {
        now_ms() - self.started > SLICE_MS
    }

    /// Whether the map should be shown what is merged now.
    pub(super) fn time_to_show(&mut self) -> bool {
        let now = now_ms();
        let due = now - self.shown > SHOW_EVERY_MS;
        if due {
            self.shown = now;
        }
        due
    }

    /// Gives the browser its turn (input, drawing), then starts the next slice.
    pub(super) async fn next(&mut self) {
        sleep(Duration::ZERO).await;
        self.restart();
    }

    /// Starts the next slice after the browser had its turn some other way (an awaited answer).
    pub(super) fn restart(&mut self) {
        self.started = now_ms();
    }
}
