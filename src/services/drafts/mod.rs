//! The drafts service: this participant's profile and records in memory, each change stored in
//! IndexedDB on its own key, and kept in step with the app's other tabs.
//!
//! Every edit goes to memory first (typed text never leaves the screen), then to IndexedDB. A
//! key stays "unsaved" until its latest version is stored: the status line says "Saved" only
//! when nothing is left, and a failed write is tried again until it succeeds.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::record::{AuthorProfile, Kind, Record};
use networkshop_core::workspace::Workspace;
use uuid::Uuid;

mod storage;

use super::now;
use super::record_codec::RecordCodec;
use super::tabs::TabChannel;
use crate::storage::{StorageError, Store};

/// The profile's key in the `meta` store (records have a store of their own).
pub const PROFILE_KEY: &str = "profile";
const RETRY_FAILED_WRITE: Duration = Duration::from_secs(3);

/// Where the local copy stands, for the status line.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Loading,
    Saved,
    Saving,
    Failed(StorageError),
}

#[derive(Clone, Copy)]
pub struct Drafts {
    pub workspace: RwSignal<Workspace>,
    /// The record being edited, if any.
    pub editing: RwSignal<Option<Uuid>>,
    /// The last deleted record, for "undo".
    pub last_deleted: RwSignal<Option<Uuid>>,
    /// `Some(true)` when the browser promised not to evict our data.
    pub persisted: RwSignal<Option<bool>>,
    pub status: Memo<SaveStatus>,
    /// The records are in `workspace` (they are read once the later chunk has brought their
    /// codec; the profile is read first, so its form opens before).
    pub records_loaded: RwSignal<bool>,
    loaded: RwSignal<bool>,
    /// Keys whose latest version is not stored yet, with the generation of that version.
    unsaved: RwSignal<BTreeMap<String, u64>>,
    failure: RwSignal<Option<StorageError>>,
    store: StoredValue<Option<Rc<Store>>, LocalStorage>,
    tabs: StoredValue<Option<TabChannel>, LocalStorage>,
    /// Told after every edit is in memory (the publishing service listens).
    on_edit: StoredValue<Option<Callback<()>>, LocalStorage>,
    codec: StoredValue<Option<RecordCodec>>,
    generation: StoredValue<u64>,
}

impl Drafts {
    pub fn new() -> Drafts {
        let loaded = RwSignal::new(false);
        let unsaved = RwSignal::new(BTreeMap::new());
        let failure = RwSignal::new(None::<StorageError>);
        let status = Memo::new(move |_| {
            if !loaded.get() {
                return failure
                    .get()
                    .map_or(SaveStatus::Loading, SaveStatus::Failed);
            }
            match (unsaved.with(BTreeMap::is_empty), failure.get()) {
                // Without storage nothing is ever saved, even before the first edit.
                (_, Some(error @ StorageError::Unavailable(_))) => SaveStatus::Failed(error),
                (true, _) => SaveStatus::Saved,
                (false, Some(error)) => SaveStatus::Failed(error),
                (false, None) => SaveStatus::Saving,
            }
        });
        Drafts {
            workspace: RwSignal::new(Workspace::default()),
            editing: RwSignal::new(None),
            last_deleted: RwSignal::new(None),
            persisted: RwSignal::new(None),
            status,
            records_loaded: RwSignal::new(false),
            loaded,
            unsaved,
            failure,
            store: StoredValue::new_local(None),
            tabs: StoredValue::new_local(None),
            on_edit: StoredValue::new_local(None),
            codec: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    pub fn is_loaded(self) -> bool {
        self.loaded.get_untracked()
    }

    pub fn on_edit(self, callback: Callback<()>) {
        self.on_edit.set_value(Some(callback));
    }

    /// Loads the stored profile; another tab's writes are taken as they happen. The records
    /// follow with [`Drafts::load_records`].
    pub async fn load(self, store: Option<Rc<Store>>) {
        let Some(store) = store else {
            // Nothing stored to lose: the forms open, and every save says it fails.
            self.failure
                .set(Some(StorageError::Unavailable("IndexedDB".into())));
            self.loaded.set(true);
            return;
        };
        self.store.set_value(Some(store.clone()));
        match store.get_meta(PROFILE_KEY).await {
            Ok(profile) => {
                let profile = profile.and_then(|p| serde_json::from_str::<AuthorProfile>(&p).ok());
                self.workspace.update(|w| w.profile = profile);
                self.loaded.set(true);
                let channel = TabChannel::open(move |key| spawn_local(self.reload_one(key)));
                self.tabs.set_value(channel);
            }
            Err(error) => self.failure.set(Some(error)),
        }
    }

    /// Stores records that changed outside an edit (published, merged from another device).
    pub fn write_records(self, ids: &[Uuid]) {
        for id in ids {
            self.persist(id.to_string());
        }
    }

    fn edited(self, key: String) {
        self.persist(key);
        if let Some(callback) = self.on_edit.get_value() {
            callback.run(());
        }
    }

    pub fn save_profile(self, profile: AuthorProfile) {
        self.workspace.update(|w| w.profile = Some(profile));
        self.edited(PROFILE_KEY.into());
    }

    /// The author profile of this device, made (and stored) on first use so that every record
    /// carries the same author id.
    pub fn profile_or_new(self) -> AuthorProfile {
        if let Some(profile) = self.workspace.with_untracked(|w| w.profile.clone()) {
            return profile;
        }
        let profile = AuthorProfile::new_draft(Uuid::new_v4().to_string());
        self.save_profile(profile.clone());
        profile
    }

    pub fn add_record(self, kind: Kind) -> Uuid {
        let id = Uuid::new_v4();
        let author = self.profile_or_new().id;
        self.workspace.update(|w| {
            w.new_record(id, kind, &author, now());
            // An event happens where the participant is, most often: the device's zone.
            let zone = crate::human_inputs::device_time_zone();
            if let (Some(zone), Some(local)) = (zone, w.records.get_mut(&id)) {
                if let Some(event) = local.record.event.as_mut() {
                    event.time_zone = zone;
                }
            }
        });
        self.edited(id.to_string());
        self.editing.set(Some(id));
        id
    }

    pub fn save_record(self, record: Record) {
        let id = record.id;
        self.workspace.update(|w| {
            w.save(record, now());
        });
        self.edited(id.to_string());
    }

    /// "Still current": the author vouches for the record as it is, which publishes it again
    /// with the date (`Record::last_confirmed`).
    pub fn confirm_record(self, id: Uuid) {
        let Some(mut record) = self
            .workspace
            .with_untracked(|w| w.records.get(&id).map(|l| l.record.clone()))
        else {
            return;
        };
        record.confirmed_at = Some(now());
        self.save_record(record);
    }

    pub fn delete_record(self, id: Uuid) {
        self.workspace.update(|w| {
            w.delete(id, now());
        });
        self.edited(id.to_string());
        if self.editing.get_untracked() == Some(id) {
            self.editing.set(None);
        }
        self.last_deleted.set(Some(id));
    }

    pub fn undo_delete(self) {
        if let Some(id) = self.last_deleted.get_untracked() {
            self.workspace.update(|w| {
                w.undelete(id, now());
            });
            self.edited(id.to_string());
            self.last_deleted.set(None);
        }
    }

    /// Stores what an import wrote: the profile and every record named.
    /// Resolves once every edit so far is stored (or storing it failed, which the page says).
    pub async fn saved(self) {
        while self.status.get_untracked() == SaveStatus::Saving {
            crate::timer::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub fn write_imported(self, ids: &[Uuid]) {
        if self.workspace.with_untracked(|w| w.profile.is_some()) {
            self.persist(PROFILE_KEY.into());
        }
        for id in ids {
            self.persist(id.to_string());
        }
        if let Some(callback) = self.on_edit.get_value() {
            callback.run(());
        }
    }
}

impl Default for Drafts {
    fn default() -> Self {
        Drafts::new()
    }
}
