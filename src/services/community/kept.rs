//! The community as this browser kept it: read back from IndexedDB when the map opens, before
//! any pull, in slices (see [`Slices`]) so that the map fills in while ten thousand files are
//! read, with how many are read so far.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::Bundle;
use serde_json::value::RawValue;

use super::arrivals::KeptCopy;
use super::slices::Slices;
use super::{Community, CommunityCache};
use crate::perf;
use crate::storage::KEPT_PACK;

/// Packs beyond what the copies need before they are written again whole: every pull that
/// brings files writes one, and each costs IndexedDB a little to hand over.
const SPARE_PACKS: usize = 16;

impl Community {
    /// Loads the community bundles kept from earlier pulls (IndexedDB's values, in the order
    /// written). It runs before any pull (pulls stand down while the app is loading), so it
    /// starts the view afresh.
    pub(super) async fn load_community(self, stored: Vec<Vec<u8>>) {
        let measure = perf::start("networkshop:load-community");
        let mut slices = Slices::new();
        // Where the latest copy of each file is (value, place in it): a copy written later
        // replaces an earlier one.
        let mut latest: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (at, value) in stored.iter().enumerate() {
            for (place, text) in copies_in(value).into_iter().enumerate() {
                if let Ok(copy) = serde_json::from_str::<KeptCopy>(text) {
                    latest.insert(copy.name, (at, place));
                }
            }
            if slices.over() {
                slices.next().await;
            }
        }
        let total = latest.len();
        let rewrite = stored.len() > total.div_ceil(KEPT_PACK) + SPARE_PACKS;
        let mut cache = CommunityCache::default();
        let mut pins = self.pins.get_value();
        let mut believed: Vec<(String, Bundle)> = Vec::new();
        let mut kept: Vec<String> = Vec::new();
        let mut done = 0;
        // Value by value, each dropped once read: the copies never stay twice in memory.
        for (at, value) in stored.into_iter().enumerate() {
            for (place, text) in copies_in(&value).into_iter().enumerate() {
                let Ok(copy) = serde_json::from_str::<KeptCopy>(text) else {
                    continue;
                };
                if latest.get(&copy.name) != Some(&(at, place)) {
                    continue;
                }
                done += 1;
                // Kept copies were believed when pulled; a newer catalogue may still refuse one.
                match copy.believe(&pins) {
                    Ok(trusted) => {
                        // Pins lost with a cleared meta store are taken again from the copies.
                        pins.pin(&trusted.bundle.author.id, &trusted.public_key);
                        cache.etags.insert(copy.name.clone(), copy.etag);
                        believed.push((copy.name, trusted.bundle));
                        if rewrite {
                            kept.push(text.to_owned());
                        }
                    }
                    Err(error) => {
                        cache.rejected.insert(copy.name, error);
                    }
                }
                if slices.over() {
                    let show = slices.time_to_show();
                    self.merge(std::mem::take(&mut believed), &[], show);
                    if show {
                        self.say_progress(done, Some(total));
                    }
                    slices.next().await;
                }
            }
        }
        self.merge(believed, &[], true);
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

/// The copies in one kept value: a pack (a JSON array of copies) or, from builds before packs,
/// one copy.
fn copies_in(value: &[u8]) -> Vec<&str> {
    let Ok(text) = std::str::from_utf8(value) else {
        return Vec::new();
    };
    if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<&RawValue>>(text)
            .map(|copies| copies.into_iter().map(RawValue::get).collect())
            .unwrap_or_default()
    } else {
        vec![text]
    }
}
