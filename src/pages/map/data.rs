//! What the map draws from: the live community, or its filtered copy.

use std::collections::BTreeSet;

use leptos::prelude::*;
use networkshop_core::merge::RecordKey;
use networkshop_core::{Community, Networks};

use crate::perf;
use crate::services::Community as CommunityService;
use crate::view_filters::Filters;

/// The view the map shows: the live community when no filter is set (updated in place as
/// bundles arrive), otherwise its filtered copy, derived from the filters and the data (so a
/// bookmarked filtered view paints filtered numbers from the first frame).
#[derive(Clone, Copy)]
pub struct MapData {
    live: CommunityService,
    filtered: Memo<Option<(Community, Networks)>>,
}

impl MapData {
    pub fn new(state: CommunityService, filters: Memo<Filters>) -> MapData {
        // Always "changed" when recomputed: comparing two communities costs what building one
        // does, and a recomputation only happens when the filters or the data changed.
        let filtered = Memo::new_with_compare(
            move |_| {
                let filters = filters.get();
                if filters.is_empty() {
                    return None;
                }
                let measure = perf::start("networkshop:filter");
                let view = state.live.with(|live| {
                    let community = filters.apply(live.community());
                    let networks = live.networks().within(&community);
                    (community, networks)
                });
                measure.end();
                Some(view)
            },
            |_, _| true,
        );
        MapData {
            live: state,
            filtered,
        }
    }

    /// [`MapData::with`] for what keeps its own answer from one update to the next: also the
    /// records changed since the live view's `generation` (`None` for a filtered view, made
    /// anew at each change, when the view cannot tell, or when more than `most` changed) and
    /// its generation now.
    pub fn with_changes<R>(
        &self,
        generation: Option<u64>,
        most: usize,
        f: impl FnOnce(&Community, Option<BTreeSet<RecordKey>>, Option<u64>) -> R,
    ) -> R {
        self.filtered.with(|filtered| match filtered {
            Some((community, _)) => f(community, None, None),
            None => self.live.live.with(|live| {
                let changed = generation.and_then(|since| live.changed_since_at_most(since, most));
                f(live.community(), changed, Some(live.generation()))
            }),
        })
    }

    // Two near-identical bodies on purpose: one shared body would have to clone the filtered
    // view (signals lend their value only inside `with` or `with_untracked`).
    pub fn with<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with(|filtered| match filtered {
            Some((community, networks)) => f(community, networks),
            None => self
                .live
                .live
                .with(|live| f(live.community(), live.networks())),
        })
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with_untracked(|filtered| match filtered {
            Some((community, networks)) => f(community, networks),
            None => self
                .live
                .live
                .with_untracked(|live| f(live.community(), live.networks())),
        })
    }
}
