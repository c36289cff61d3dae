//! The community as this browser kept it: read back from IndexedDB when the map opens, before
//! any pull, in slices (see [`Slices`]) so that the page answers while ten thousand files are
//! read (it says how many so far), merged as they are read and indexed once all are in
//! (the core's `LiveLoad`: half the work of indexing file by file), then shown whole.

use std::collections::BTreeMap;
use std::ops::Range;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::kept_form;
use networkshop_core::live::LiveLoad;
use networkshop_core::trust::{
    accept_kept_bundle, accept_kept_signed_by, accept_kept_valid, KeyPins, Trusted,
};
use networkshop_core::validate::RULES;
use networkshop_core::BundleError;
use serde_json::value::RawValue;

use super::arrivals::{kept_name, KeptCopy};
use super::kept_pack::{self, unpack, Form, KeptFile, PackedCopy};
use super::{Community, CommunityCache};
use crate::perf;
use crate::slices::Slices;
use crate::storage::KEPT_PACK;

/// Packs beyond what the copies need before they are written again whole: every pull that
/// brings files writes one, and each costs IndexedDB a little to hand over.
const SPARE_PACKS: usize = 16;

/// Where a copy lies: in a pack, named by its header, or in an earlier build's JSON value.
enum Place {
    Packed(PackedCopy, Form, Range<usize>),
    Json(Range<usize>),
}

/// The kept values, and where the latest copy of each file is in them.
struct Located {
    stored: Vec<Vec<u8>>,
    /// File → its value, and where in it: a copy written later replaces an earlier one.
    latest: BTreeMap<String, (usize, Place)>,
    /// Some value is of an earlier build's form.
    earlier_form: bool,
}

async fn locate(values: impl Iterator<Item = Vec<u8>>, slices: &mut Slices) -> Located {
    let mut located = Located {
        stored: Vec::new(),
        latest: BTreeMap::new(),
        earlier_form: false,
    };
    for value in values {
        let at = located.stored.len();
        match unpack(&value) {
            Some((form, copies)) => {
                located.earlier_form |= form != Form::Kept;
                for (copy, place) in copies {
                    let name = copy.name.clone();
                    located
                        .latest
                        .insert(name, (at, Place::Packed(copy, form, place)));
                }
            }
            None => {
                located.earlier_form = true;
                let text = std::str::from_utf8(&value).unwrap_or_default();
                for place in copies_in(text) {
                    if let Some(name) = kept_name(&text[place.clone()]) {
                        located.latest.insert(name, (at, Place::Json(place)));
                    }
                }
            }
        }
        located.stored.push(value);
        if slices.over() {
            slices.next().await;
        }
    }
    located
}

impl Community {
    /// Loads the community bundles kept from earlier pulls (IndexedDB's values, in the order
    /// written). It runs before any pull (pulls stand down while the app is loading), so it
    /// starts the view afresh.
    pub(super) async fn load_community(self, values: impl Iterator<Item = Vec<u8>>) {
        let measure = perf::start("networkshop:load-community");
        let mut slices = Slices::new();
        let Located {
            stored,
            latest,
            earlier_form,
        } = locate(values, &mut slices).await;
        let total = latest.len();
        let rewrite = earlier_form || stored.len() > total.div_ceil(KEPT_PACK) + SPARE_PACKS;
        let mut to_read: Vec<Vec<Place>> = Vec::new();
        to_read.resize_with(stored.len(), Vec::new);
        for (at, place) in latest.into_values() {
            to_read[at].push(place);
        }
        let mut cache = CommunityCache::default();
        let mut pins = self.pins.get_value();
        let mut load = LiveLoad::new(Catalogue::wsis());
        let mut kept: Vec<KeptFile> = Vec::new();
        let mut done = 0;
        // Value by value, each dropped once read: the copies never stay twice in memory.
        for (value, places) in stored.into_iter().zip(to_read) {
            for place in places {
                let Some(copy) = read_copy(&value, place, &pins) else {
                    continue;
                };
                done += 1;
                // Kept copies were believed when pulled; a newer catalogue may still refuse one.
                match copy.believed {
                    Ok(trusted) => {
                        // Pins lost with a cleared meta store are taken again from the copies.
                        pins.pin(&trusted.bundle.author.id, &trusted.public_key);
                        cache.etags.insert(copy.name.clone(), copy.etag.clone());
                        if rewrite {
                            kept.push(KeptFile {
                                kept: kept_form::keep(&trusted.bundle),
                                key: trusted.public_key,
                                name: copy.name.clone(),
                                etag: copy.etag,
                            });
                        }
                        load.add(copy.name, trusted.bundle);
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
        let view = slices.index(load).await;
        self.live.set(view);
        self.pins.set_value(pins);
        self.cache.set(cache);
        if rewrite {
            self.rewrite_community(kept);
        }
        measure.end();
        // The map's redraw on the view is a task of its own, before the first pull starts.
        slices.next().await;
    }

    /// Writes the kept copies again as few packs of this build's form (replacing every value):
    /// the copies of earlier builds, and the packs of many small pulls.
    fn rewrite_community(self, copies: Vec<KeptFile>) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        spawn_local(async move {
            // Kept as they were when the write fails: it is tried again at the next load.
            let _ = store
                .replace_community_packs(&kept_pack::packs(&copies))
                .await;
        });
    }
}

/// A kept copy read back and believed again.
struct CopyRead {
    name: String,
    etag: Option<String>,
    believed: Result<Trusted, BundleError>,
}

/// The copy at `place` in `value`, believed again: a copy of this build's packs as the checks
/// it passed allow ([`accept_kept_bundle`]), one of the build before's as its JSON allows
/// ([`accept_kept_valid`] when it passed this build's checks), an earlier build's as it says
/// ([`KeptCopy::believe`]). `None` for a copy that cannot be read: it is fetched again.
fn read_copy(value: &[u8], place: Place, pins: &KeyPins) -> Option<CopyRead> {
    match place {
        Place::Packed(copy, Form::Kept, range) => {
            let bytes = value.get(range)?;
            let bundle = kept_form::read(bytes)?;
            Some(CopyRead {
                believed: accept_kept_bundle(&copy.name, bundle, &copy.key, &copy.rules, pins),
                name: copy.name,
                etag: copy.etag,
            })
        }
        Place::Packed(copy, Form::Json, range) => {
            let bytes = value.get(range)?;
            let believed = if copy.rules == RULES {
                accept_kept_valid(&copy.name, bytes, &copy.key, pins)
            } else {
                accept_kept_signed_by(&copy.name, bytes, &copy.key, pins)
            };
            Some(CopyRead {
                name: copy.name,
                etag: copy.etag,
                believed,
            })
        }
        Place::Json(range) => {
            let text = std::str::from_utf8(value.get(range)?).ok()?;
            let copy = serde_json::from_str::<KeptCopy>(text).ok()?;
            Some(CopyRead {
                believed: copy.believe(pins),
                name: copy.name,
                etag: copy.etag,
            })
        }
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
