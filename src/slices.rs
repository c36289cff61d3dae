//! Long work cut into slices, so that the page answers a click while ten thousand files are
//! read and merged, or the map's filters applied to them: the work gives the browser its turn after each slice, and shows the map
//! what is merged so far now and then, not after every slice (each showing redraws the map),
//! in a turn of its own.

use std::time::Duration;

use networkshop_core::live::{LiveCommunity, LiveLoad};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::timer::sleep;

/// How long one slice reads and merges files before the browser gets its turn: under the
/// 50 ms of a long task with the last group's merge. (The first build's slices read for 100 ms,
/// then merged all they had read: tasks of 150 to 300 ms at 10,000 files.)
const SLICE_MS: f64 = 35.0;
/// Files read before they are merged: a slice merges as it goes, so its end is not a merge of
/// all it read.
pub(crate) const MERGE_GROUP: usize = 25;
/// Records indexed between two looks at the clock (a few milliseconds of work).
const INDEX_PART: usize = 1_000;
/// How often the map is shown what is merged so far.
const SHOW_EVERY_MS: f64 = 1000.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

pub(crate) struct Slices {
    started: f64,
    shown: f64,
}

impl Slices {
    pub(crate) fn new() -> Slices {
        let now = now_ms();
        Slices {
            started: now,
            shown: now,
        }
    }

    /// Whether this slice has run its time.
    pub(crate) fn over(&self) -> bool {
        now_ms() - self.started > SLICE_MS
    }

    /// Whether the map should be shown what is merged now.
    pub(crate) fn time_to_show(&mut self) -> bool {
        let now = now_ms();
        let due = now - self.shown > SHOW_EVERY_MS;
        if due {
            self.shown = now;
        }
        due
    }

    /// Gives the browser its turn (input, drawing), then starts the next slice.
    pub(crate) async fn next(&mut self) {
        yield_to_browser().await;
        self.restart();
    }

    /// [`Slices::next`], and when the map is due to be shown what is merged, `show` runs in a
    /// turn of its own: the redraw it sets off never lengthens a slice.
    pub(crate) async fn next_showing(&mut self, show: impl FnOnce()) {
        yield_to_browser().await;
        if self.time_to_show() {
            show();
            yield_to_browser().await;
        }
        self.restart();
    }

    /// Starts the next slice after the browser had its turn some other way (an awaited answer).
    pub(crate) fn restart(&mut self) {
        self.started = now_ms();
    }

    /// The view of files merged as they came ([`LiveLoad`]), indexed [`INDEX_PART`] records at
    /// a time with the browser's turn between slices, then the browser's turn once more, so
    /// that the map's redraw on the view runs in a turn of its own.
    pub(crate) async fn index(&mut self, load: LiveLoad) -> LiveCommunity {
        let mut indexing = load.indexing();
        while !indexing.step(INDEX_PART) {
            if self.over() {
                self.next().await;
            }
        }
        let view = indexing.finish();
        self.next().await;
        view
    }
}

/// Ends the current task: `scheduler.yield()` where the browser has it (its continuation is not
/// held back like a chain of zero timeouts, at least 4 ms each), a zero timeout elsewhere.
pub(crate) async fn yield_to_browser() {
    match scheduler_yield() {
        Some(turn) => {
            let _ = JsFuture::from(turn).await;
        }
        None => sleep(Duration::ZERO).await,
    }
}

fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
    let yield_now = js_sys::Reflect::get(&scheduler, &"yield".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    yield_now.call0(&scheduler).ok()?.dyn_into().ok()
}
