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
use networkshop_core::workspace::{LocalRecord, Workspace};
use uuid::Uuid;

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

    /// Reads the stored records with `codec`, taking each as another tab's copy (the newer
    /// version wins), so a write another tab made while they were read is not undone.
    pub async fn load_records(self, codec: RecordCodec) {
        self.codec.set_value(Some(codec));
        if let Some(store) = self.store.get_value() {
            // A record this build cannot read stays in IndexedDB untouched.
            let stored: Vec<LocalRecord> = match store.records().await {
                Ok(records) => records
                    .iter()
                    .filter_map(|json| (codec.decode)(json))
                    .collect(),
                Err(error) => return self.failure.set(Some(error)),
            };
            self.workspace.update(|w| {
                for local in stored {
                    w.absorb_stored(local);
                }
            });
        }
        self.records_loaded.set(true);
    }

    /// Every stored record, read afresh (the publishing lock reads them before building).
    /// Publishing starts only after [`Drafts::load_records`] (see `provide_services`), so the
    /// codec is always here when it asks.
    pub async fn stored_records(self) -> Vec<LocalRecord> {
        let (Some(store), Some(codec)) = (self.store.get_value(), self.codec.get_value()) else {
            return Vec::new();
        };
        store
            .records()
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|json| (codec.decode)(json))
            .collect()
    }

    /// Another tab wrote `key`: take its version (the newer one wins, see `absorb_stored`).
    async fn reload_one(self, key: String) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        if key == PROFILE_KEY {
            if let Ok(Some(json)) = store.get_meta(PROFILE_KEY).await {
                if let Ok(profile) = serde_json::from_str::<AuthorProfile>(&json) {
                    self.workspace.update(|w| w.profile = Some(profile));
                }
            }
            return;
        }
        // Before the codec, records are not read yet: `load_records` will read this one.
        let (Ok(id), Some(codec)) = (Uuid::parse_str(&key), self.codec.get_value()) else {
            return;
        };
        if let Ok(Some(json)) = store.get_record(&key).await {
            if let Some(stored) = (codec.decode)(&json) {
                let mut workspace = self.workspace.get_untracked();
                if workspace.absorb_stored(stored) {
                    self.workspace.set(workspace);
                    // This tab knew something the stored copy did not: store the merged one.
                    if self
                        .workspace
                        .with_untracked(|w| w.records.get(&id).and_then(codec.encode))
                        != Some(json)
                    {
                        self.persist(key);
                    }
                }
            }
        }
    }

    /// Stores the current version of `key` (a record id or [`PROFILE_KEY`]), now and, if that
    /// fails, again until it is stored or replaced by a newer version.
    fn persist(self, key: String) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.unsaved.update(|u| {
            u.insert(key.clone(), generation);
        });
        spawn_local(self.flush(key, generation));
    }

    async fn flush(self, key: String, generation: u64) {
        if self
            .unsaved
            .with_untracked(|u| u.get(&key) != Some(&generation))
        {
            return;
        }
        let Some(store) = self.store.get_value() else {
            self.failure
                .set(Some(StorageError::Unavailable("IndexedDB".into())));
            return;
        };
        let codec = self.codec.get_value();
        if key != PROFILE_KEY && codec.is_none() {
            // Records change only once their codec is here; should one not, it waits for it.
            return set_timeout(
                move || spawn_local(self.flush(key, generation)),
                RETRY_FAILED_WRITE,
            );
        }
        let json = self.workspace.with_untracked(|w| {
            if key == PROFILE_KEY {
                w.profile
                    .as_ref()
                    .and_then(|p| serde_json::to_string(p).ok())
            } else {
                let id = Uuid::parse_str(&key).ok()?;
                w.records.get(&id).and_then(codec?.encode)
            }
        });
        let Some(json) = json else {
            return self.forget(&key, generation);
        };
        let written = if key == PROFILE_KEY {
            store.put_meta(&key, &json).await
        } else {
            store.put_record(&key, &json).await
        };
        match written {
            Ok(()) => {
                self.forget(&key, generation);
                if self.unsaved.with_untracked(BTreeMap::is_empty) {
                    self.failure.set(None);
                }
                if let Some(tabs) = self.tabs.get_value() {
                    tabs.tell(&key);
                }
            }
            Err(error) => {
                self.failure.set(Some(error));
                set_timeout(
                    move || spawn_local(self.flush(key, generation)),
                    RETRY_FAILED_WRITE,
                );
            }
        }
    }

    fn forget(self, key: &str, generation: u64) {
        if self
            .unsaved
            .with_untracked(|u| u.get(key) == Some(&generation))
        {
            self.unsaved.update(|u| {
                u.remove(key);
            });
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
