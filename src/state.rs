//! The participant's reactive state: the workspace in memory, mirrored record by record into
//! IndexedDB as soon as it changes, and kept in step with the app's other tabs.
//!
//! Every edit goes to memory first (so typed text never leaves the screen), then to IndexedDB in
//! its own transaction; a failed write is reported and retried on the next edit. Records are
//! written one key each, so two tabs editing different records never overwrite each other.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::live::LiveCommunity;
use networkshop_core::record::{AuthorProfile, Kind, Record, Region, StakeholderGroup};
use networkshop_core::workspace::{LocalRecord, Workspace};
use time::OffsetDateTime;
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::publish::{
    CommunityCache, PublishMeta, PublishStatus, SyncSettings, PUBLISH_KEY, SETTINGS_KEY,
};
use crate::storage::{StorageError, Store, DB_NAME};

const PROFILE_KEY: &str = "profile";
const CHANNEL: &str = "networkshop";

thread_local! {
    static STORE: RefCell<Option<Rc<Store>>> = const { RefCell::new(None) };
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

/// Where the local copy stands, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Loading,
    Saved,
    Saving,
    Failed(StorageError),
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub workspace: RwSignal<Workspace>,
    pub status: RwSignal<SaveStatus>,
    /// `Some(true)` when the browser promised not to evict our data.
    pub persisted: RwSignal<Option<bool>>,
    /// The record being edited, if any.
    pub editing: RwSignal<Option<Uuid>>,
    /// The last deleted record, for "undo".
    pub last_deleted: RwSignal<Option<Uuid>>,
    pub settings: RwSignal<SyncSettings>,
    pub publish_meta: RwSignal<PublishMeta>,
    pub publish_status: RwSignal<PublishStatus>,
    /// Bumped by every publish request, so that stale timers (debounce, retry) stand down.
    pub publish_generation: RwSignal<u64>,
    pub publish_backoff: RwSignal<u64>,
    pub community: RwSignal<CommunityCache>,
    /// Everyone's pulled bundles, each parsed once, merged in place as they arrive, with the
    /// networks index kept up to date: shared by the map, the report and partner suggestions.
    pub live: RwSignal<LiveCommunity>,
}

pub fn now() -> OffsetDateTime {
    let millis = js_sys::Date::now() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn store() -> Option<Rc<Store>> {
    STORE.with(|s| s.borrow().clone())
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            workspace: RwSignal::new(Workspace::default()),
            status: RwSignal::new(SaveStatus::Loading),
            persisted: RwSignal::new(None),
            editing: RwSignal::new(None),
            last_deleted: RwSignal::new(None),
            settings: RwSignal::new(SyncSettings::default()),
            publish_meta: RwSignal::new(PublishMeta::default()),
            publish_status: RwSignal::new(PublishStatus::Idle),
            publish_generation: RwSignal::new(0),
            publish_backoff: RwSignal::new(0),
            community: RwSignal::new(CommunityCache::default()),
            live: RwSignal::new(LiveCommunity::new(Catalogue::wsis())),
        }
    }

    /// Opens the database, loads everything, listens to the other tabs, asks for persistence.
    pub fn start(self) {
        spawn_local(async move {
            match Store::open(DB_NAME).await {
                Ok(opened) => {
                    STORE.with(|s| *s.borrow_mut() = Some(Rc::new(opened)));
                    self.reload_all().await;
                    // Pulls asked for while loading stood down (see `pull`).
                    spawn_local(self.pull());
                    self.listen_to_other_tabs();
                    self.resume_pending_publish();
                    self.retry_when_back_online();
                }
                Err(error) => self.status.set(SaveStatus::Failed(error)),
            }
            self.persisted.set(request_persistence().await);
        });
    }

    async fn reload_all(self) {
        let Some(store) = store() else { return };
        let loaded = async {
            let profile = store.get_meta(PROFILE_KEY).await?;
            let records = store.records().await?;
            let settings = store.get_meta(SETTINGS_KEY).await?;
            let publish = store.get_meta(PUBLISH_KEY).await?;
            let community = store.community_bundles().await?;
            Ok::<_, StorageError>((profile, records, settings, publish, community))
        }
        .await;
        match loaded {
            Ok((profile, records, settings, publish, community)) => {
                if let Some(settings) = settings.and_then(|s| serde_json::from_str(&s).ok()) {
                    self.settings.set(settings);
                }
                if let Some(publish) = publish.and_then(|s| serde_json::from_str(&s).ok()) {
                    self.publish_meta.set(publish);
                }
                self.load_community(community);
                let mut workspace = Workspace {
                    profile: profile.and_then(|p| serde_json::from_str::<AuthorProfile>(&p).ok()),
                    ..Default::default()
                };
                for json in records {
                    // A record this build cannot read stays in IndexedDB untouched.
                    if let Ok(local) = serde_json::from_str::<LocalRecord>(&json) {
                        workspace.records.insert(local.record.id, local);
                    }
                }
                self.workspace.set(workspace);
                self.status.set(SaveStatus::Saved);
            }
            Err(error) => self.status.set(SaveStatus::Failed(error)),
        }
    }

    fn listen_to_other_tabs(self) {
        let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
            return;
        };
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                spawn_local(async move { self.reload_one(&text).await });
            });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        CHANNEL_HANDLE.with(|c| *c.borrow_mut() = Some(channel));
    }

    /// Another tab wrote `key`: take its version, unless this tab is editing that very record.
    async fn reload_one(self, key: &str) {
        let Some(store) = store() else { return };
        if key == PROFILE_KEY {
            if let Ok(Some(json)) = store.get_meta(PROFILE_KEY).await {
                if let Ok(profile) = serde_json::from_str::<AuthorProfile>(&json) {
                    self.workspace.update(|w| w.profile = Some(profile));
                }
            }
            return;
        }
        let Ok(id) = Uuid::parse_str(key) else { return };
        if self.editing.get_untracked() == Some(id) {
            return;
        }
        if let Ok(Some(json)) = store.get_record(key).await {
            if let Ok(local) = serde_json::from_str::<LocalRecord>(&json) {
                self.workspace.update(|w| {
                    w.records.insert(id, local);
                });
            }
        }
    }

    fn retry_when_back_online(self) {
        let on_online = Closure::<dyn Fn()>::new(move || self.resume_pending_publish());
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        on_online.forget();
    }

    pub(crate) fn write_meta(self, key: &str, json: String) {
        self.write(key.to_owned(), json, true);
    }

    pub(crate) fn write_community(self, bundles: Vec<(String, String)>) {
        if bundles.is_empty() {
            return;
        }
        spawn_local(async move {
            if let Some(store) = store() {
                // The community copy can always be pulled again; a failed write only costs that.
                let _ = store.put_community_bundles(&bundles).await;
            }
        });
    }

    fn write(self, key: String, json: String, is_meta: bool) {
        self.status.set(SaveStatus::Saving);
        spawn_local(async move {
            let Some(store) = store() else {
                self.status
                    .set(SaveStatus::Failed(StorageError::Unavailable(
                        "IndexedDB".into(),
                    )));
                return;
            };
            let result = if is_meta {
                store.put_meta(&key, &json).await
            } else {
                store.put_record(&key, &json).await
            };
            match result {
                Ok(()) => {
                    self.status.set(SaveStatus::Saved);
                    CHANNEL_HANDLE.with(|c| {
                        if let Some(channel) = c.borrow().as_ref() {
                            let _ = channel.post_message(&key.into());
                        }
                    });
                }
                Err(error) => self.status.set(SaveStatus::Failed(error)),
            }
        });
    }

    pub(crate) fn write_record(self, id: Uuid) {
        let json = self
            .workspace
            .with_untracked(|w| w.records.get(&id).map(serde_json::to_string));
        if let Some(Ok(json)) = json {
            self.write(id.to_string(), json, false);
        }
    }

    pub fn save_profile(self, profile: AuthorProfile) {
        let json = serde_json::to_string(&profile).unwrap_or_default();
        self.workspace.update(|w| w.profile = Some(profile));
        self.write(PROFILE_KEY.into(), json, true);
        self.maybe_auto_publish();
    }

    /// The author profile of this device, made (and stored) on first use so that every record
    /// carries the same author id.
    pub fn profile_or_new(self) -> AuthorProfile {
        if let Some(profile) = self.workspace.with_untracked(|w| w.profile.clone()) {
            return profile;
        }
        let profile = AuthorProfile {
            id: Uuid::new_v4().to_string(),
            display_name: String::new(),
            organisation: String::new(),
            stakeholder_group: StakeholderGroup::CivilSociety,
            country: String::new(),
            region: Region::World,
            contact: None,
            extra: Default::default(),
        };
        self.save_profile(profile.clone());
        profile
    }

    pub fn add_record(self, kind: Kind) -> Uuid {
        let id = Uuid::new_v4();
        let author = self.profile_or_new().id;
        self.workspace.update(|w| {
            w.new_record(id, kind, &author, now());
        });
        self.write_record(id);
        self.editing.set(Some(id));
        id
    }

    pub fn save_record(self, record: Record) {
        let id = record.id;
        self.workspace.update(|w| {
            w.save(record, now());
        });
        self.write_record(id);
        self.maybe_auto_publish();
    }

    pub fn delete_record(self, id: Uuid) {
        self.workspace.update(|w| {
            w.delete(id, now());
        });
        self.write_record(id);
        if self.editing.get_untracked() == Some(id) {
            self.editing.set(None);
        }
        self.last_deleted.set(Some(id));
        self.maybe_auto_publish();
    }

    pub fn undo_delete(self) {
        if let Some(id) = self.last_deleted.get_untracked() {
            self.workspace.update(|w| {
                w.undelete(id, now());
            });
            self.write_record(id);
            self.last_deleted.set(None);
        }
    }

    /// Writes every record named (after an import) and the profile.
    pub fn write_imported(self, ids: &[Uuid]) {
        if let Some(profile) = self.workspace.with_untracked(|w| w.profile.clone()) {
            self.save_profile(profile);
        }
        for id in ids {
            self.write_record(*id);
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

/// Asks the browser not to evict our data; `None` where the API is missing.
async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    let granted = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    granted.as_bool()
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
