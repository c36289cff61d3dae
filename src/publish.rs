//! Publishing the participant's bundle and pulling everyone else's.
//!
//! Publishing is a queue of one: a request sets `pending`, which is stored, so a reload or a
//! failure resumes it; only a success clears it. A 412 or 428 means another device of the same
//! author published first: its bundle is merged in record by record and the publish retried.
//! Pulling fetches the listing and only the bundles whose ETag changed; each good bundle is kept
//! in IndexedDB so the community view opens offline, each bad one is listed with its reason.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::live::LiveCommunity;
use networkshop_core::validate::validate_profile;
use networkshop_core::{parse_bundle, BundleError};
use serde::{Deserialize, Serialize};

use crate::perf;
use crate::state::{now, AppState, SaveStatus};
use crate::sync::{Endpoint, Fetched, Listing, Precondition, Protocol, SyncError};

pub const SETTINGS_KEY: &str = "sync_settings";
pub const PUBLISH_KEY: &str = "publish";
/// Field of a backup file (never of a published bundle) that carries the write token.
pub const WRITE_TOKEN_FIELD: &str = "networkshop_write_token";
const MAX_ATTEMPTS: usize = 4;
/// Short enough that a room sees the publish land soon after the endpoint is back.
const MAX_BACKOFF_SECS: u64 = 30;
const FETCHES_AT_ONCE: usize = 6;
const MERGE_EVERY: usize = 120;
/// From this many files to fetch, one request for all of them is cheaper.
const BULK_FROM: usize = 8;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// Endpoint base address; the app's own origin when empty.
    #[serde(default)]
    pub endpoint: String,
    #[serde(default)]
    pub auto_publish: bool,
    #[serde(default)]
    pub upload_key: Option<String>,
    /// The endpoint is a WebDAV collection rather than a Networkshop endpoint.
    #[serde(default)]
    pub webdav: bool,
}

/// What this device knows of its own published bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishMeta {
    pub etag: Option<String>,
    /// The secret that binds the endpoint's file to this author; made on first publish.
    pub token: Option<String>,
    /// A publish was asked for and has not succeeded yet.
    #[serde(default)]
    pub pending: bool,
    pub last_published: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PublishFailure {
    ProfileIncomplete,
    Unreachable,
    Forbidden,
    UploadKey,
    Rejected(String),
    Server(u16),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PublishStatus {
    Idle,
    Working,
    Published {
        at: String,
        held_back: usize,
        merged: usize,
    },
    Failed {
        failure: PublishFailure,
        retry_in: Option<u64>,
    },
}

/// Where the pull of everyone's bundles stands. The bundles themselves, parsed once, live in
/// [`AppState::live`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunityCache {
    /// File name → ETag of the version merged into the live view.
    pub etags: BTreeMap<String, Option<String>>,
    pub listing_etag: Option<String>,
    /// Files refused, with the reason, shown on the map.
    pub rejected: BTreeMap<String, BundleError>,
    pub last_pull: Option<String>,
    pub error: Option<SyncError>,
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

/// Pulled files not yet merged: the parsed bundles and their copies for IndexedDB.
#[derive(Default)]
struct Arrivals {
    arrived: Vec<(String, networkshop_core::Bundle)>,
    to_keep: Vec<(String, String)>,
}

impl Arrivals {
    /// Takes one answer: a good bundle joins the batch, a bad one is listed with its reason;
    /// a network or server error is handed back (the pull stops there).
    fn take(
        &mut self,
        cache: &mut CommunityCache,
        name: &str,
        answer: Result<Fetched, SyncError>,
    ) -> Option<SyncError> {
        match answer {
            Ok(Fetched::Body { text, etag }) => match parse_bundle(text.as_bytes()) {
                Ok(bundle) => {
                    let stored = StoredBundle {
                        name: name.to_owned(),
                        etag: etag.clone(),
                        text,
                    };
                    self.to_keep.push((
                        name.to_owned(),
                        serde_json::to_string(&stored).unwrap_or_default(),
                    ));
                    cache.rejected.remove(name);
                    cache.etags.insert(name.to_owned(), etag);
                    self.arrived.push((name.to_owned(), bundle));
                }
                Err(error) => {
                    cache.rejected.insert(name.to_owned(), error);
                }
            },
            Ok(Fetched::Unchanged | Fetched::Missing) => {}
            Err(error) => return Some(error),
        }
        None
    }
}

#[derive(Serialize, Deserialize)]
struct StoredBundle {
    name: String,
    etag: Option<String>,
    text: String,
}

/// Hours and minutes, for "published at" and "+3 since" lines.
pub(crate) fn clock() -> String {
    let t = now();
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl AppState {
    pub fn endpoint(self) -> Endpoint {
        let settings = self.settings.get_untracked();
        let base = if settings.endpoint.trim().is_empty() {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        } else {
            settings.endpoint.clone()
        };
        let protocol = if settings.webdav {
            Protocol::WebDav
        } else {
            Protocol::Networkshop
        };
        Endpoint::new(
            &base,
            protocol,
            settings.upload_key.filter(|k| !k.is_empty()),
        )
    }

    pub fn save_settings(self, settings: SyncSettings) {
        self.settings.set(settings.clone());
        self.write_meta(
            SETTINGS_KEY,
            serde_json::to_string(&settings).unwrap_or_default(),
        );
    }

    fn save_publish_meta(self, meta: PublishMeta) {
        self.publish_meta.set(meta.clone());
        self.write_meta(
            PUBLISH_KEY,
            serde_json::to_string(&meta).unwrap_or_default(),
        );
    }

    /// Takes the write token of this participant's backup, unless this device has one already.
    pub fn adopt_write_token(self, token: &str) {
        let mut meta = self.publish_meta.get_untracked();
        if meta.token.is_none() && !token.is_empty() {
            meta.token = Some(token.to_owned());
            self.save_publish_meta(meta);
        }
    }

    /// Asks for a publish; it runs now and is retried until it succeeds.
    pub fn request_publish(self) {
        let mut meta = self.publish_meta.get_untracked();
        meta.pending = true;
        self.save_publish_meta(meta);
        self.publish_generation.update(|g| *g += 1);
        spawn_local(self.publish());
    }

    /// After an edit: publish a little later if the participant turned automatic publishing on.
    pub fn maybe_auto_publish(self) {
        if !self.settings.with_untracked(|s| s.auto_publish) {
            return;
        }
        self.publish_generation.update(|g| *g += 1);
        let generation = self.publish_generation.get_untracked();
        set_timeout(
            move || {
                if self.publish_generation.get_untracked() == generation {
                    self.request_publish();
                }
            },
            Duration::from_secs(2),
        );
    }

    async fn publish(self) {
        if self.publish_status.get_untracked() == PublishStatus::Working {
            return;
        }
        let profile_ok = self.workspace.with_untracked(|w| {
            w.profile
                .as_ref()
                .is_some_and(|p| validate_profile(p).is_empty())
        });
        if !profile_ok {
            self.publish_status.set(PublishStatus::Failed {
                failure: PublishFailure::ProfileIncomplete,
                retry_in: None,
            });
            return;
        }
        self.publish_status.set(PublishStatus::Working);
        let mut meta = self.publish_meta.get_untracked();
        if meta.token.is_none() {
            meta.token = Some(random_token());
            self.save_publish_meta(meta.clone());
        }
        let token = meta.token.clone().unwrap_or_default();
        let endpoint = self.endpoint();
        let mut merged = 0;
        for _ in 0..MAX_ATTEMPTS {
            let Some((bundle, held_back)) = self
                .workspace
                .with_untracked(|w| w.publishable_bundle(now(), Catalogue::wsis()))
            else {
                return;
            };
            let name = format!("{}.json", bundle.author.id);
            let precondition = match &meta.etag {
                Some(etag) => Precondition::Matches(etag.clone()),
                None => Precondition::Absent,
            };
            match endpoint
                .put(&name, &bundle.to_json(), &precondition, &token)
                .await
            {
                Ok(etag) => {
                    let published: Vec<_> = bundle.records.iter().map(|r| r.id).collect();
                    self.workspace.update(|w| w.mark_published(&bundle));
                    for id in published {
                        self.write_record(id);
                    }
                    meta.etag = Some(etag);
                    meta.pending = false;
                    meta.last_published = Some(clock());
                    self.save_publish_meta(meta.clone());
                    self.publish_backoff.set(0);
                    self.publish_status.set(PublishStatus::Published {
                        at: clock(),
                        held_back: held_back.len(),
                        merged,
                    });
                    return;
                }
                Err(SyncError::Status {
                    status: 412 | 428, ..
                }) => {
                    // Another device of this author published: merge its version, then retry.
                    match endpoint.get(&name, None).await {
                        Ok(Fetched::Body { text, etag }) => {
                            if let Ok(remote) = parse_bundle(text.as_bytes()) {
                                let changed = self
                                    .workspace
                                    .try_update(|w| w.absorb_remote(&remote))
                                    .unwrap_or_default();
                                merged += changed.len();
                                for id in changed {
                                    self.write_record(id);
                                }
                            }
                            meta.etag = etag;
                        }
                        Ok(Fetched::Missing) => meta.etag = None,
                        Ok(Fetched::Unchanged) => {}
                        Err(error) => return self.publish_failed(error),
                    }
                }
                Err(error) => return self.publish_failed(error),
            }
        }
        self.publish_failed(SyncError::Status {
            status: 412,
            code: "precondition_failed".into(),
        });
    }

    fn publish_failed(self, error: SyncError) {
        let failure = match &error {
            SyncError::Unreachable => PublishFailure::Unreachable,
            SyncError::Status { status: 403, .. } => PublishFailure::Forbidden,
            SyncError::Status { status: 401, code } if code == "upload_key_required" => {
                PublishFailure::UploadKey
            }
            SyncError::Status {
                status: 400 | 413,
                code,
            } => PublishFailure::Rejected(code.clone()),
            SyncError::Status { status, .. } => PublishFailure::Server(*status),
        };
        // Network trouble and server errors pass; a refusal needs the participant.
        let transient = matches!(
            failure,
            PublishFailure::Unreachable | PublishFailure::Server(_)
        );
        if !transient {
            let mut meta = self.publish_meta.get_untracked();
            meta.pending = false;
            self.save_publish_meta(meta);
            self.publish_status.set(PublishStatus::Failed {
                failure,
                retry_in: None,
            });
            return;
        }
        let backoff = (self.publish_backoff.get_untracked() * 2).clamp(2, MAX_BACKOFF_SECS);
        self.publish_backoff.set(backoff);
        self.publish_status.set(PublishStatus::Failed {
            failure,
            retry_in: Some(backoff),
        });
        let generation = self.publish_generation.get_untracked();
        set_timeout(
            move || {
                let still_wanted = self.publish_meta.with_untracked(|m| m.pending);
                if still_wanted && self.publish_generation.get_untracked() == generation {
                    spawn_local(self.publish());
                }
            },
            Duration::from_secs(backoff),
        );
    }

    /// Resumes a publish left pending by a reload, a closed tab or a network failure.
    pub fn resume_pending_publish(self) {
        if self.publish_meta.with_untracked(|m| m.pending) {
            spawn_local(self.publish());
        }
    }

    /// Loads the community bundles kept from earlier pulls. It runs before any pull (pulls
    /// stand down while the app is loading), so it starts the view afresh.
    pub fn load_community(self, stored: Vec<String>) {
        let mut cache = CommunityCache::default();
        let mut sources = Vec::new();
        for json in stored {
            let Ok(stored) = serde_json::from_str::<StoredBundle>(&json) else {
                continue;
            };
            // Kept copies were valid when pulled; a newer catalogue may still refuse one.
            match parse_bundle(stored.text.as_bytes()) {
                Ok(bundle) => {
                    cache.etags.insert(stored.name.clone(), stored.etag);
                    sources.push((stored.name, bundle));
                }
                Err(error) => {
                    cache.rejected.insert(stored.name, error);
                }
            }
        }
        let measure = perf::start("networkshop:load-community");
        self.live
            .set(LiveCommunity::from_sources(sources, Catalogue::wsis()));
        measure.end();
        self.community.set(cache);
    }

    /// Keeps pulled bundles in IndexedDB, merges them into the live view and drops the files
    /// no longer published.
    fn keep_and_merge(self, batch: Arrivals, stale: &[String]) {
        self.write_community(batch.to_keep);
        let arrived = batch.arrived;
        if arrived.is_empty() && stale.is_empty() {
            return;
        }
        let measure = perf::start("networkshop:apply-bundles");
        self.live.update(|live| {
            for (name, bundle) in arrived {
                live.upsert(&name, bundle);
            }
            for name in stale {
                live.remove(name);
            }
        });
        measure.end();
    }

    /// Fetches what changed on the endpoint and merges it into the live view. A pull still
    /// under way (a big first one outlasts the polling interval) makes the next one stand down.
    pub async fn pull(self) {
        // Before the kept copies are loaded every file would look new and be fetched again;
        // loading ends with a pull of its own.
        if self.status.get_untracked() == SaveStatus::Loading {
            return;
        }
        let Some(_pulling) = PullGuard::take() else {
            return;
        };
        let endpoint = self.endpoint();
        let known = self.community.with_untracked(|c| c.listing_etag.clone());
        let listing = match endpoint.list(known.as_deref()).await {
            Ok(listing) => listing,
            Err(error) => {
                self.community.update(|c| c.error = Some(error));
                return;
            }
        };
        let Listing::Changed { etag, bundles } = listing else {
            self.community.update(|c| {
                c.error = None;
                c.last_pull = Some(clock());
            });
            return;
        };
        let mut cache = self.community.get_untracked();
        let listed: Vec<String> = bundles.iter().map(|b| b.name.clone()).collect();
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
        let mut cut_short = None;
        let (in_bulk, one_by_one): (Vec<_>, Vec<_>) =
            wanted.iter().partition(|(name, _)| bulk.contains_key(name));
        for (name, _) in in_bulk {
            if let Some((etag, text)) = bulk.remove(name) {
                batch.take(
                    &mut cache,
                    name,
                    Ok(Fetched::Body {
                        text,
                        etag: Some(etag),
                    }),
                );
            }
        }
        let endpoint = &endpoint;
        let mut answers = futures::stream::iter(one_by_one)
            .map(
                |(name, cached)| async move { (name, endpoint.get(name, cached.as_deref()).await) },
            )
            .buffered(FETCHES_AT_ONCE);
        while let Some((name, answer)) = answers.next().await {
            cut_short = batch.take(&mut cache, name, answer);
            if cut_short.is_some() {
                break;
            }
            if batch.arrived.len() >= MERGE_EVERY {
                self.keep_and_merge(std::mem::take(&mut batch), &[]);
            }
        }
        drop(answers);
        // What did arrive is merged even when the pull was cut short; files no longer listed
        // leave only after a complete listing (also those loaded from storage meanwhile).
        let stale: Vec<String> = if cut_short.is_none() {
            self.live.with_untracked(|live| {
                live.sources()
                    .map(|(name, _)| name.clone())
                    .filter(|name| !listed.contains(name))
                    .collect()
            })
        } else {
            Vec::new()
        };
        self.keep_and_merge(batch, &stale);
        if let Some(error) = cut_short {
            cache.error = Some(error);
            self.community.set(cache);
            return;
        }
        cache.etags.retain(|name, _| listed.contains(name));
        // Only now: a pull cut short keeps asking for the listing next time.
        cache.listing_etag = etag;
        cache.error = None;
        cache.last_pull = Some(clock());
        self.community.set(cache);
    }
}
