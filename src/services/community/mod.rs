//! The community service: everyone's published bundles, pulled from the endpoint, kept in
//! IndexedDB so the map opens offline, parsed once and merged into the live view that the map,
//! the report and the partner suggestions share.
//!
//! A pull fetches the listing and only the files whose ETag changed; each bad file is listed
//! with its reason and never blocks the others.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::live::LiveCommunity;
use networkshop_core::trust::{author_of_source, KeyPins};
use networkshop_core::BundleError;

use super::publishing::Publishing;
use crate::perf;
use crate::storage::Store;
use crate::sync::{Fetched, Listing, SyncError};

mod arrivals;
mod kept;
mod slices;
use arrivals::Arrivals;
use slices::Slices;

/// IndexedDB meta key of the public keys pinned for each author (see the core's `trust`).
const PINS_KEY: &str = "key_pins";

const FETCHES_AT_ONCE: usize = 6;
const MERGE_EVERY: usize = 120;
/// From this many files to fetch, one request for all of them is cheaper.
const BULK_FROM: usize = 8;

/// Where the pull of everyone's bundles stands. The bundles themselves, parsed once, live in
/// [`Community::live`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunityCache {
    /// File name → ETag of the version merged into the live view.
    pub etags: BTreeMap<String, Option<String>>,
    pub listing_etag: Option<String>,
    /// Files refused, with the reason, shown on the map.
    pub rejected: BTreeMap<String, BundleError>,
    /// RFC 3339 time of the last complete pull.
    pub last_pull: Option<String>,
    pub error: Option<SyncError>,
    /// Files read so far, of how many, while a big load or first pull is under way.
    pub progress: Option<(usize, usize)>,
}

thread_local! {
    static PULLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Held while a pull runs; dropped (on every return path) it lets the next one start.
struct PullGuard;

impl PullGuard {
    fn take() -> Option<PullGuard> {
        (!PULLING.with(|p| p.replace(true))).then_some(PullGuard)
    }
}

impl Drop for PullGuard {
    fn drop(&mut self) {
        PULLING.with(|p| p.set(false));
    }
}

fn now_rfc3339() -> String {
    super::now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
pub struct Community {
    pub cache: RwSignal<CommunityCache>,
    /// Everyone's pulled bundles, each parsed once, merged in place as they arrive, with the
    /// networks index kept up to date.
    pub live: RwSignal<LiveCommunity>,
    loaded: RwSignal<bool>,
    publishing: Publishing,
    store: StoredValue<Option<Rc<Store>>, LocalStorage>,
    /// The key pinned for each author this browser has believed (trust on first use).
    pins: StoredValue<KeyPins, LocalStorage>,
}

impl Community {
    pub fn new(publishing: Publishing) -> Community {
        Community {
            cache: RwSignal::new(CommunityCache::default()),
            live: RwSignal::new(LiveCommunity::new(Catalogue::wsis())),
            loaded: RwSignal::new(false),
            publishing,
            store: StoredValue::new_local(None),
            pins: StoredValue::new_local(KeyPins::default()),
        }
    }

    /// Makes the service and provides it; the returned start runs once drafts and publishing
    /// have started (see [`crate::services::provide_services`]).
    pub fn provide(
        publishing: Publishing,
    ) -> impl FnOnce(Option<Rc<Store>>) -> Pin<Box<dyn Future<Output = ()>>> {
        let community = Self::new(publishing);
        provide_context(community);
        move |store| Box::pin(community.start(store))
    }

    /// Loads the kept copies, then pulls (pulls asked for meanwhile stood down).
    pub async fn start(self, store: Option<Rc<Store>>) {
        self.store.set_value(store.clone());
        if let Some(store) = store {
            let pins = store
                .get_meta(PINS_KEY)
                .await
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            self.pins.set_value(pins);
            let kept = store.community_bundles().await.unwrap_or_default();
            self.load_community(kept).await;
        }
        self.loaded.set(true);
        spawn_local(self.pull());
    }

    fn write_community(self, bundles: Vec<(String, String)>) {
        if bundles.is_empty() {
            return;
        }
        let Some(store) = self.store.get_value() else {
            return;
        };
        spawn_local(async move {
            // The community copy can always be pulled again; a failed write only costs that.
            let _ = store.put_community_bundles(&bundles).await;
        });
    }

    fn write_pins(self) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        let json = serde_json::to_string(&self.pins.get_value()).unwrap_or_default();
        spawn_local(async move {
            // Lost pins are pinned again on the next pull: trust on first use, once more.
            let _ = store.put_meta(PINS_KEY, &json).await;
        });
    }

    /// Believes the key `author_file` is now signed with: the facilitator checked with the
    /// participant, who lost their key and could not restore a backup. The file is fetched
    /// again and its key pinned on first sight.
    pub fn trust_new_key(self, author_file: &str) {
        let author = author_of_source(author_file).to_owned();
        self.pins.update_value(|pins| pins.forget(&author));
        self.write_pins();
        self.cache.update(|c| {
            c.rejected.remove(author_file);
            c.etags.remove(author_file);
            c.listing_etag = None;
        });
        spawn_local(self.pull());
    }

    /// Keeps the keys a pull pinned for the first time: once per pull, not per slice (the
    /// pins of 10,000 authors are one value).
    fn keep_pins(self, pinned: &[(String, String)]) {
        if pinned.is_empty() {
            return;
        }
        // Onto the current pins, not the pull's copy: a key forgotten meanwhile stays so.
        self.pins.update_value(|pins| {
            for (author, key) in pinned {
                pins.pin(author, key);
            }
        });
        self.write_pins();
    }

    /// Keeps pulled bundles in IndexedDB, merges them into the live view and drops the files
    /// no longer published; the map is told only when `show` (see [`Slices`]).
    fn keep_and_merge(self, batch: Arrivals, stale: &[String], show: bool) {
        self.write_community(batch.to_keep);
        let arrived = batch.arrived;
        if arrived.is_empty() && stale.is_empty() {
            return;
        }
        let measure = perf::start("networkshop:apply-bundles");
        let apply = |live: &mut LiveCommunity| {
            for (name, bundle) in arrived {
                live.upsert(&name, bundle);
            }
            for name in stale {
                live.remove(name);
            }
        };
        if show {
            self.live.update(apply);
        } else {
            self.live.update_untracked(apply);
        }
        measure.end();
    }

    /// Fetches what changed on the endpoint and merges it into the live view. A pull still
    /// under way (a big first one outlasts the polling interval) makes the next one stand down.
    pub async fn pull(self) {
        // Before the kept copies are loaded every file would look new and be fetched again;
        // loading ends with a pull of its own.
        if !self.loaded.get_untracked() {
            return;
        }
        let Some(_pulling) = PullGuard::take() else {
            return;
        };
        let endpoint = self.publishing.endpoint();
        let known = self.cache.with_untracked(|c| c.listing_etag.clone());
        let listing = match endpoint.list(known.as_deref()).await {
            Ok(listing) => listing,
            Err(error) => {
                self.cache.update(|c| c.error = Some(error));
                return;
            }
        };
        let Listing::Changed { etag, bundles } = listing else {
            self.cache.update(|c| {
                c.error = None;
                c.last_pull = Some(now_rfc3339());
            });
            return;
        };
        let mut cache = self.cache.get_untracked();
        // A set: checked once per file held, ten thousand times at 10,000 authors.
        let listed: BTreeSet<String> = bundles.iter().map(|b| b.name.clone()).collect();
        cache.rejected.retain(|name, _| listed.contains(name));
        let wanted: Vec<(String, Option<String>)> = bundles
            .into_iter()
            .filter_map(|entry| {
                let cached = cache.etags.get(&entry.name).cloned().flatten();
                (cached.as_deref() != Some(entry.etag.as_str())).then_some((entry.name, cached))
            })
            .collect();
        // Many files missing (a first visit): all of them in one request where the endpoint
        // can; whatever that does not bring comes one by one, six in flight at all times (what
        // a browser opens per host). Answers are handled as they come and merged into the view
        // every few dozen files, so a big first pull fills the map as it goes.
        let mut bulk: BTreeMap<String, (String, String)> = BTreeMap::new();
        if wanted.len() >= BULK_FROM {
            if let Some(Ok(all)) = endpoint.get_all().await {
                bulk = all
                    .into_iter()
                    .filter_map(|(name, etag, text)| Some((name, (etag, text?))))
                    .collect();
            }
        }
        let mut batch = Arrivals::default();
        let mut pins = self.pins.get_value();
        let mut cut_short = None;
        let (in_bulk, one_by_one): (Vec<_>, Vec<_>) =
            wanted.iter().partition(|(name, _)| bulk.contains_key(name));
        // Checked and merged in slices, the map shown what is merged now and then.
        let mut slices = Slices::new();
        let mut unshown = false;
        let mut pinned = Vec::new();
        let total = in_bulk.len();
        for (done, (name, _)) in in_bulk.into_iter().enumerate() {
            if let Some((etag, text)) = bulk.remove(name) {
                batch.take(
                    &mut cache,
                    &mut pins,
                    name,
                    Ok(Fetched::Body {
                        bytes: text.into_bytes(),
                        etag: Some(etag),
                    }),
                );
            }
            if slices.over() {
                let show = slices.time_to_show();
                unshown |= !show;
                pinned.append(&mut batch.pinned);
                self.keep_and_merge(std::mem::take(&mut batch), &[], show);
                if show {
                    // Only with the map: each new sentence is a page redrawn.
                    self.cache.update(|c| c.progress = Some((done + 1, total)));
                }
                slices.next().await;
            }
        }
        let endpoint = &endpoint;
        let mut answers = futures::stream::iter(one_by_one)
            .map(
                |(name, cached)| async move { (name, endpoint.get(name, cached.as_deref()).await) },
            )
            .buffered(FETCHES_AT_ONCE);
        while let Some((name, answer)) = answers.next().await {
            cut_short = batch.take(&mut cache, &mut pins, name, answer);
            if cut_short.is_some() {
                break;
            }
            if batch.arrived.len() >= MERGE_EVERY {
                pinned.append(&mut batch.pinned);
                self.keep_and_merge(std::mem::take(&mut batch), &[], true);
            }
        }
        drop(answers);
        // What did arrive is merged even when the pull was cut short; files no longer listed
        // leave only after a complete listing (also those loaded from storage meanwhile).
        let stale: Vec<String> = if cut_short.is_none() {
            self.live.with_untracked(|live| {
                live.source_names()
                    .filter(|name| !listed.contains(*name))
                    .cloned()
                    .collect()
            })
        } else {
            Vec::new()
        };
        if unshown && batch.arrived.is_empty() && stale.is_empty() {
            // Slices merged without telling the map, and nothing is left to merge that would.
            self.live.update(|_| {});
        }
        pinned.append(&mut batch.pinned);
        self.keep_pins(&pinned);
        self.keep_and_merge(batch, &stale, true);
        if let Some(error) = cut_short {
            cache.error = Some(error);
            self.cache.set(cache);
            return;
        }
        cache.etags.retain(|name, _| listed.contains(name));
        // Only now: a pull cut short keeps asking for the listing next time.
        cache.listing_etag = etag;
        cache.error = None;
        cache.last_pull = Some(now_rfc3339());
        self.cache.set(cache);
    }
}
