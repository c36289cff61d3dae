//! Local storage of drafts in IndexedDB.
//!
//! Each record is stored as the JSON text of its `LocalRecord` (the record in bundle format plus
//! its last published revision), keyed by record id, so that fields this build does not know
//! survive exactly as they came and two tabs writing different records never collide.

use std::cell::Cell;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

pub const DB_NAME: &str = "networkshop";
/// Version 1: `records` (record id → local record JSON) and `meta` (key → JSON: profile,
/// settings). Version 2 adds `community` (author id → that author's published bundle), so the
/// community view opens offline. Upgrades only add; they never rewrite what is stored.
pub const DB_VERSION: u32 = 2;
pub const RECORDS: &str = "records";
pub const META: &str = "meta";
pub const COMMUNITY: &str = "community";
/// Kept values asked for in one request when the map opens (packs of [`KEPT_PACK`] copies).
const KEPT_VALUES_PER_READ: usize = 8;
/// Kept copies per pack when the copies are written again whole: 10,000 values took IndexedDB
/// 1.4 s to hand over, forty packs of them a fraction of that.
pub const KEPT_PACK: usize = 250;

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

/// The kept values as IndexedDB gave them, each copied into the app's memory only when taken:
/// ten thousand copies are 60 MB, and copying them in one go was a task of a fifth of a second
/// before the map could start reading them in slices.
#[derive(Default)]
pub struct KeptValues(std::vec::IntoIter<JsValue>);

impl Iterator for KeptValues {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        loop {
            let value = self.0.next()?;
            if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
                return Some(bytes.to_vec());
            }
            if let Some(text) = value.as_string() {
                return Some(text.into_bytes());
            }
        }
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

    /// Keeps packs of copies of pulled bundles (see `services::community::kept_pack`), each
    /// one value, in one transaction.
    pub async fn put_community_packs(&self, packs: &[Vec<u8>]) -> Result<(), StorageError> {
        self.write_packs(packs, false).await
    }

    /// Every value kept for the community, in the order written: packs, and the single copies
    /// (strings keyed by file name) of builds before packs, which sort first.
    pub async fn community_bundles(&self) -> Result<KeptValues, StorageError> {
        let tx = self.db.transaction(COMMUNITY).build()?;
        let store = tx.object_store(COMMUNITY)?;
        let keys = store
            .get_all_keys::<JsValue>()
            .await?
            .collect::<Result<Vec<_>, _>>()?;
        // A few values per request: the browser hands each answer over in a task of its own
        // (all 60 MB of a 10,000-author room in one was a task of a fifth of a second). The
        // requests are all made at once, so that IndexedDB reads the next values while the
        // page takes the ones before (asked one after the other, each waited its turn).
        let mut requests = Vec::with_capacity(keys.len().div_ceil(KEPT_VALUES_PER_READ));
        for group in keys.chunks(KEPT_VALUES_PER_READ) {
            let (Some(first), Some(last)) = (group.first(), group.last()) else {
                continue;
            };
            let range = KeyRange::Bound(first.clone(), false, last.clone(), false);
            requests.push(
                store
                    .get_all::<JsValue>()
                    .with_query::<JsValue, _>(range)
                    .primitive()?,
            );
        }
        let mut all = Vec::with_capacity(keys.len());
        for read in requests {
            for value in read.await? {
                all.push(value?);
            }
        }
        Ok(KeptValues(all.into_iter()))
    }

    /// Replaces every kept value with `packs`, in one transaction: all or nothing.
    pub async fn replace_community_packs(&self, packs: &[Vec<u8>]) -> Result<(), StorageError> {
        self.write_packs(packs, true).await
    }

    /// Writes `packs`, in UTF-8 bytes (IndexedDB hands bytes over faster than strings, and
    /// they reach Rust without transcoding), under one key written now, after clearing every
    /// kept value when `replacing`.
    async fn write_packs(&self, packs: &[Vec<u8>], replacing: bool) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(COMMUNITY)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(COMMUNITY)?;
        if replacing {
            store.clear()?;
        }
        let key = pack_key();
        for (n, pack) in packs.iter().enumerate() {
            store
                .put(JsValue::from(Uint8Array::from(pack.as_slice())))
                .with_key(format!("{key}-{n:06}"))
                .primitive()?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn close(self) {
        self.db.close();
    }
}

thread_local! {
    /// The time in the last pack key this page wrote, and how many it wrote at that time.
    static LAST_PACK: Cell<(f64, u32)> = const { Cell::new((0.0, 0)) };
}

/// A pack's key: after every file name (`~` sorts after them), then by when it was written, so
/// that read in key order a later copy of a file comes after an earlier one. Within a page, a
/// count orders the packs of one millisecond (and of a clock set back); two tabs writing in the
/// same millisecond do not overwrite each other's pack.
fn pack_key() -> String {
    let (time, count) = LAST_PACK.with(|last| {
        let (before, count) = last.get();
        let now = js_sys::Date::now();
        let next = if now > before {
            (now, 0)
        } else {
            (before, count + 1)
        };
        last.set(next);
        next
    });
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("~pack-{time:015.0}-{count:06}-{random:08x}")
}
