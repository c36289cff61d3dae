//! A first visit's files gathered beside the map's view once they come faster than the page
//! merges them into it one by one: merged as they come and indexed once all are in (the
//! core's `LiveLoad`, as the kept copies are when the map opens again), about half the work of
//! keeping the index in step with every file. The map keeps showing what it showed, the
//! heading counts the files read, and the whole view replaces it at the end. On a slow line
//! the files never pile up and the picture fills in file by file, as before.

use leptos::prelude::*;
use networkshop_core::live::LiveLoad;

use super::arrivals::Arrivals;
use super::bulk_files::PullState;
use super::Community;
use crate::perf;
use crate::slices::Slices;

/// Files waiting to be read (queued, or with the worker) past which the rest of a pull is
/// gathered: four of the worker's batches, so the download is well ahead of the page.
const GATHER_FROM: usize = 1_000;
/// Files in the view past which it is not gathered from: the gathering merges the view's files
/// again, in one task (about 20,000 records at most, a few tens of milliseconds).
const MOST_SHOWN: usize = 1_000;

impl Community {
    /// Starts gathering where `behind` files wait to be read and the view holds a few: the map is
    /// shown what is read so far first, and keeps it until the whole view replaces it (the view
    /// as it is goes on in the gathering).
    pub(super) fn gather_if_behind(self, read: &mut PullState, behind: usize, done: usize) {
        if read.gathered.is_some() || behind < GATHER_FROM {
            return;
        }
        self.merge_read(read);
        let shown = self.live.with_untracked(|live| live.source_names().count());
        if shown == 0 || shown > MOST_SHOWN.min(behind) {
            return;
        }
        self.show_read(read, done);
        read.gathered = Some(self.live.with_untracked(LiveLoad::going_on_from));
    }

    /// Takes a slice's arrivals into the gathering: their copies kept, the bundles merged
    /// apart from the view. `batch` is handed back when there is no gathering.
    pub(super) fn gather(self, read: &mut PullState, batch: Arrivals) -> Option<Arrivals> {
        let Some(load) = read.gathered.as_mut() else {
            return Some(batch);
        };
        self.write_community(batch.to_keep);
        let measure = perf::start("networkshop:apply-bundles");
        for (name, bundle) in batch.arrived {
            load.add(name, bundle);
        }
        measure.end();
        None
    }

    /// Indexes what was gathered, in parts between which the browser has its turn, and shows
    /// the map the whole view in a turn of its own.
    pub(super) async fn finish_gathering(self, read: &mut PullState, slices: &mut Slices) {
        let Some(load) = read.gathered.take() else {
            return;
        };
        let measure = perf::start("networkshop:index-gathered");
        let view = slices.index(load).await;
        self.live.set(view);
        read.unshown = false;
        measure.end();
        // The map's redraw on the whole view is a task of its own: the pull's end (the key
        // pins of every author, the cache) was at 10,000 authors another 40 ms of it.
        slices.next().await;
    }
}
