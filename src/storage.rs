//! Local storage of drafts in IndexedDB.
//!
//! Each record is stored as the JSON text of its `LocalRecord` (the record in bundle format plus
//! its last published revision), keyed by record id, so that fields this build does not know
//! survive exactly as they came and two tabs writing different records never collide.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

pub const DB_NAME: &str = "networkshop";
/// Version 1: `records` (record id → local record JSON) and `meta` (key → JSON: profile,
/// settings). Version 2 adds `community` (author id → that author's published bundle), so the
/// community view opens offline. Upgrades only add; they never rewrite what is stored.
pub const DB_VERSION: u32 = 2;
pub const RECORDS: &str = "records";
pub const META: &str = "meta";
pub const COMMUNITY: &str = "community";

#[derive(Debug, Clone, PartialEq)]
pub enum StorageError {
    /// IndexedDB is missing or refused (private mode, blocked by policy).
    Unavailable(String),
    /// The disk is full or the browser's quota for this site is used up.
    QuotaExceeded,
    Failed(String),
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> StorageError {
        let text = format!("{error:?}");
        if text.contains("QuotaExceeded") {
            StorageError::QuotaExceeded
        } else {
            StorageError::Failed(text)
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> StorageError {
        StorageError::Unavailable(format!("{error:?}"))
    }
}

pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (and creates or upgrades) the database named `name`.
    pub async fn open(name: &str) -> Result<Store, StorageError> {
        let db = Database::open(name)
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version() as u32;
                if old < 1 {
                    db.create_object_store(RECORDS).build()?;
                    db.create_object_store(META).build()?;
                }
                if old < 2 {
                    db.create_object_store(COMMUNITY).build()?;
                }
                Ok(())
            })
            .await?;
        Ok(Store { db })
    }

    pub async fn put_record(&self, id: &str, json: &str) -> Result<(), StorageError> {
        self.put(RECORDS, id, json).await
    }

    pub async fn put_meta(&self, key: &str, json: &str) -> Result<(), StorageError> {
        self.put(META, key, json).await
    }

    async fn put(&self, store_name: &str, key: &str, json: &str) -> Result<(), StorageError> {
        self.put_all(store_name, &[(key.to_owned(), json.to_owned())])
            .await
    }

    /// Writes every (key, JSON) pair in one transaction: all or none.
    async fn put_all(
        &self,
        store_name: &str,
        entries: &[(String, String)],
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(store_name)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(store_name)?;
        for (key, json) in entries {
            store.put(json.clone()).with_key(key.clone()).await?;
        }
        // Transactions roll back unless committed.
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_meta(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.get(META, key).await
    }

    pub async fn get_record(&self, id: &str) -> Result<Option<String>, StorageError> {
        self.get(RECORDS, id).await
    }

    async fn get(&self, store_name: &str, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.db.transaction(store_name).build()?;
        let store = tx.object_store(store_name)?;
        let value: Option<String> = store.get(key.to_owned()).await?;
        Ok(value)
    }

    /// Every stored record's JSON text.
    pub async fn records(&self) -> Result<Vec<String>, StorageError> {
        let tx = self.db.transaction(RECORDS).build()?;
        let store = tx.object_store(RECORDS)?;
        let all = store.get_all::<String>().await?;
        Ok(all.collect::<Result<Vec<String>, _>>()?)
    }

    /// Keeps pulled bundles (name, JSON) in one transaction: a first pull brings thousands.
    pub async fn put_community_bundles(
        &self,
        bundles: &[(String, String)],
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(COMMUNITY)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(COMMUNITY)?;
        // Every write asked for at once, then one wait for the commit: awaiting each of ten
        // thousand writes in turn kept the transaction open for seconds, and a page left
        // meanwhile lost all of them.
        for (name, json) in bundles {
            store
                .put(json.as_str())
                .with_key(name.as_str())
                .primitive()?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn community_bundles(&self) -> Result<Vec<String>, StorageError> {
        let tx = self.db.transaction(COMMUNITY).build()?;
        let store = tx.object_store(COMMUNITY)?;
        let all = store.get_all::<String>().await?;
        Ok(all.collect::<Result<Vec<String>, _>>()?)
    }

    pub fn close(self) {
        self.db.close();
    }
}
