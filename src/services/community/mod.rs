//! The community service: everyone's published bundles, pulled from the endpoint, kept in
//! IndexedDB so the map opens offline, parsed once and merged into the live view that the map,
//! the report and the partner suggestions share.
//!
//! A pull fetches what changed after the change number the view is up to date with, or,
//! when the map opens and every few minutes, the listing and the files whose ETag changed;
//! each bad file is listed with its reason and never blocks the others.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo_storage::Storage as _;
use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::live::LiveCommunity;
use networkshop_core::trust::{author_of_source, KeyPins};
use networkshop_core::{Bundle, BundleError};

use super::publishing::Publishing;
use super::PublishingStarted;
use crate::perf;
use crate::storage::{Store, KEPT_PACK};
use crate::sync::SyncError;

mod arrivals;
mod arriving;
mod believer;
mod bulk_files;
mod delta;
mod gathered;
mod kept;
mod kept_pack;
mod pull;
use arrivals::Arrivals;
use kept_pack::KeptFile;

/// IndexedDB meta key of the public keys pinned for each author (see the core's `trust`).
const PINS_KEY: &str = "key_pins";
/// IndexedDB meta key of the endpoint's change number the kept copies are up to date with.
const SINCE_KEY: &str = "community_since";
/// localStorage key saying this browser has kept copies, read before IndexedDB opens (a hint:
/// wrong, it only starts the believer worker early or late).
const KEPT_HINT: &str = "networkshop.community-kept";

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
    /// Files read so far, of how many when that is known yet, while a big load or first pull
    /// is under way.
    pub progress: Option<(usize, Option<usize>)>,
    /// The endpoint's change number the view is up to date with: the next pull asks only what
    /// changed after it (`None`: the endpoint has none, or the view never had one).
    pub since: Option<u64>,
    /// When the listing was last compared in full (see [`delta`]).
    pub listed_at: Option<time::OffsetDateTime>,
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
    /// Copies of pulled files not yet kept in IndexedDB: written a pack at a time, and at the
    /// end of each pull.
    unwritten: StoredValue<Vec<KeptFile>, LocalStorage>,
    /// The believer worker started with the page, for a first visit's pull (see
    /// [`Community::start`]).
    early_believer: StoredValue<Option<believer::Believer>, LocalStorage>,
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
            unwritten: StoredValue::new_local(Vec::new()),
            early_believer: StoredValue::new_local(None),
        }
    }

    /// Makes the service and provides it; the returned start runs beside drafts and
    /// publishing (see [`crate::services::provide_services`]).
    pub fn provide(
        publishing: Publishing,
    ) -> impl FnOnce(Option<Rc<Store>>, PublishingStarted) -> Pin<Box<dyn Future<Output = ()>>>
    {
        let community = Self::new(publishing);
        // A first visit's files arrive about half a second after the page, and the worker took
        // about a second to compile and answer its first batch: it starts with the page, unless
        // this browser kept copies (then it would only compete with reading them).
        if !gloo_storage::LocalStorage::get::<bool>(KEPT_HINT).unwrap_or(false) {
            community
                .early_believer
                .set_value(believer::Believer::start());
        }
        provide_context(community);
        move |store, publishing_started| Box::pin(community.start(store, publishing_started))
    }

    /// Loads the kept copies, then pulls once publishing has started (it knows the endpoint);
    /// pulls asked for meanwhile stood down. Once kept copies are loaded (no first visit), the
    /// believer worker started with the page stops.
    pub async fn start(self, store: Option<Rc<Store>>, publishing_started: PublishingStarted) {
        self.store.set_value(store.clone());
        if let Some(store) = store {
            // Asked together: each answer is a turn of IndexedDB's.
            let (pins, since, kept) =
                futures::join!(store.get_meta(PINS_KEY), store.get_meta(SINCE_KEY), async {
                    let reading = perf::start("networkshop:read-kept");
                    let kept = store.community_bundles().await.unwrap_or_default();
                    reading.end();
                    kept
                });
            let pins = pins
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            self.pins.set_value(pins);
            let since = since.ok().flatten();
            self.load_community(kept).await;
            if !self.cache.with_untracked(|c| c.etags.is_empty()) {
                self.early_believer.set_value(None);
            }
            // Safe to believe: every visit compares the listing in full first (`listed_at` is
            // not kept), which brings any kept copy a closed page failed to write.
            let since = since.and_then(|text| text.parse().ok());
            self.cache.update_untracked(|c| c.since = since);
        }
        // Dropped unsent only if drafts and publishing stopped starting: pull anyway.
        let _ = publishing_started.await;
        self.loaded.set(true);
        spawn_local(self.pull());
    }

    /// Keeps copies of pulled files, a pack of [`KEPT_PACK`] at a time: each value costs
    /// IndexedDB a little to hand over when the map opens again.
    fn write_community(self, copies: Vec<KeptFile>) {
        self.unwritten
            .update_value(|unwritten| unwritten.extend(copies));
        if self.unwritten.with_value(Vec::len) >= KEPT_PACK {
            self.flush_kept();
        }
    }

    /// Writes the copies not yet kept (a pull's end, or a full pack).
    fn flush_kept(self) {
        let copies = self
            .unwritten
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if copies.is_empty() {
            return;
        }
        let Some(store) = self.store.get_value() else {
            return;
        };
        spawn_local(async move {
            // The community copy can always be pulled again; a failed write only costs that.
            if store
                .put_community_packs(&kept_pack::packs(&copies))
                .await
                .is_ok()
            {
                let _ = gloo_storage::LocalStorage::set(KEPT_HINT, true);
            }
        });
    }

    /// Lost pins are pinned again on the next pull (trust on first use, once more) and a lost
    /// change number only costs one listing: a failed write is not reported.
    fn write_meta(self, key: &'static str, text: String) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        spawn_local(async move {
            let _ = store.put_meta(key, &text).await;
        });
    }

    fn write_pins(self) {
        let json = serde_json::to_string(&self.pins.get_value()).unwrap_or_default();
        self.write_meta(PINS_KEY, json);
    }

    /// Keeps the change number a complete pull reached, when it moved.
    fn reached(self, cache: &mut CommunityCache, seq: Option<u64>) {
        if let Some(seq) = seq.filter(|&seq| cache.since != Some(seq)) {
            cache.since = Some(seq);
            self.write_meta(SINCE_KEY, seq.to_string());
        }
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
            c.listed_at = None;
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
    /// no longer published; the map is told only when `show` (see [`crate::slices::Slices`]).
    fn keep_and_merge(self, batch: Arrivals, stale: &[String], show: bool) {
        self.write_community(batch.to_keep);
        if batch.arrived.is_empty() && stale.is_empty() {
            return;
        }
        let measure = perf::start("networkshop:apply-bundles");
        self.merge(batch.arrived, stale, show);
        measure.end();
    }

    /// Merges bundles into the live view and drops files no longer published; the map is
    /// told only when `show` (see [`crate::slices::Slices`]).
    fn merge(self, arrived: Vec<(String, Bundle)>, stale: &[String], show: bool) {
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
    }

    /// Says how many files are read, while the map is shown what is merged (each new sentence
    /// is a page redrawn).
    fn say_progress(self, done: usize, total: Option<usize>) {
        self.cache.update(|c| c.progress = Some((done, total)));
    }
}
