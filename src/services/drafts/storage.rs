//! The drafts kept in IndexedDB: the records read once their codec is here, every key written
//! until its latest version is stored (a failed write tried again), and another tab's writes
//! taken in.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::record::AuthorProfile;
use networkshop_core::workspace::LocalRecord;
use uuid::Uuid;

use super::{Drafts, PROFILE_KEY, RETRY_FAILED_WRITE};
use crate::services::record_codec::RecordCodec;
use crate::storage::StorageError;

impl Drafts {
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
    pub(super) async fn reload_one(self, key: String) {
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
    pub(super) fn persist(self, key: String) {
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
}
