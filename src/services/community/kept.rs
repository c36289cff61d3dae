//! The community as this browser kept it: read back from IndexedDB when the map opens, before
//! any pull, in slices (see [`Slices`]) so that the page answers while ten thousand files are
//! read (it says how many so far), merged as they are read and indexed once all are in
//! (the core's `LiveLoad`: half the work of indexing file by file), then shown whole.

use std::collections::BTreeMap;
use std::ops::Range;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::live::LiveLoad;
use serde_json::value::RawValue;

use super::arrivals::{kept_name, KeptCopy};
use super::slices::Slices;
use super::{Community, CommunityCache};
use crate::perf;
use crate::storage::KEPT_PACK;

/// Packs beyond what the copies need before they are written again whole: every pull that
/// brings files writes one, and each costs IndexedDB a little to hand over.
const SPARE_PACKS: usize = 16;
/// Records indexed between two looks at the clock (a few milliseconds of work).
const INDEX_PART: usize = 1_000;

impl Community {
    /// Loads the community bundles kept from earlier pulls (IndexedDB's values, in the order
    /// written). It runs before any pull (pulls stand down while the app is loading), so it
    /// starts the view afresh.
    pub(super) async fn load_community(self, values: impl Iterator<Item = Vec<u8>>) {
        let measure = perf::start("networkshop:load-community");
        let mut slices = Slices::new();
        let mut stored: Vec<String> = Vec::new();
        // Where the latest copy of each file is (its value, where in it): a copy written later
        // replaces an earlier one.
        let mut latest: BTreeMap<String, (usize, Range<usize>)> = BTreeMap::new();
        for value in values {
            let Ok(value) = String::from_utf8(value) else {
                continue;
            };
            for place in copies_in(&value) {
                if let Some(name) = kept_name(&value[place.clone()]) {
                    latest.insert(name, (stored.len(), place));
                }
            }
            stored.push(value);
            if slices.over() {
                slices.next().await;
            }
        }
        let total = latest.len();
        let rewrite = stored.len() > total.div_ceil(KEPT_PACK) + SPARE_PACKS;
        let mut to_read: Vec<Vec<Range<usize>>> = vec![Vec::new(); stored.len()];
        for (at, place) in latest.into_values() {
            to_read[at].push(place);
        }
        let mut cache = CommunityCache::default();
        let mut pins = self.pins.get_value();
        let mut load = LiveLoad::new(Catalogue::wsis());
        let mut kept: Vec<String> = Vec::new();
        let mut done = 0;
        // Value by value, each dropped once read: the copies never stay twice in memory.
        for (value, places) in stored.into_iter().zip(to_read) {
            for place in places {
                let text = &value[place];
                let Ok(copy) = serde_json::from_str::<KeptCopy>(text) else {
                    continue;
                };
                done += 1;
                // Kept copies were believed when pulled; a newer catalogue may still refuse one.
                match copy.believe(&pins) {
                    Ok(trusted) => {
                        // Pins lost with a cleared meta store are taken again from the copies.
                        pins.pin(&trusted.bundle.author.id, &trusted.public_key);
                        cache.etags.insert(copy.name.clone(), copy.etag);
                        load.add(copy.name, trusted.bundle);
                        if rewrite {
                            kept.push(text.to_owned());
                        }
                    }
                    Err(error) => {
                        cache.rejected.insert(copy.name, error);
                    }
                }
                if slices.over() {
                    slices
                        .next_showing(|| self.say_progress(done, Some(total)))
                        .await;
                }
            }
        }
        let mut indexing = load.indexing();
        while !indexing.step(INDEX_PART) {
            if slices.over() {
                slices.next().await;
            }
        }
        let view = indexing.finish();
        // The map is redrawn in a turn of its own.
        slices.next().await;
        self.live.set(view);
        self.pins.set_value(pins);
        self.cache.set(cache);
        if rewrite {
            self.rewrite_community(kept);
        }
        measure.end();
    }

    /// Writes the kept copies again as few packs (replacing every value): the copies of
    /// builds before packs, one value per file, and the packs of many small pulls.
    fn rewrite_community(self, copies: Vec<String>) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        spawn_local(async move {
            // Kept as they were when the write fails: it is tried again at the next load.
            let _ = store.replace_community_bundles(&copies).await;
        });
    }
}

/// Where the copies lie in one kept value: a pack (a JSON array of copies) or, from builds
/// before packs, one copy.
fn copies_in(value: &str) -> Vec<Range<usize>> {
    if !value.trim_start().starts_with('[') {
        return std::iter::once(0..value.len()).collect();
    }
    let start_of = |copy: &RawValue| copy.get().as_ptr() as usize - value.as_ptr() as usize;
    serde_json::from_str::<Vec<&RawValue>>(value)
        .map(|copies| {
            copies
                .into_iter()
                .map(|copy| start_of(copy)..start_of(copy) + copy.get().len())
                .collect()
        })
        .unwrap_or_default()
}
