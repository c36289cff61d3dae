//! Where the endpoint keeps its bytes: one small interface, two implementations.
//!
//! - [`folder::FolderObjects`]: the data folder on this machine (the default, one process);
//! - [`s3::S3Objects`]: an S3-compatible bucket, shared by any number of endpoint processes.
//!
//! Everything the endpoint stores (bundles, token hashes, pinned keys, the change log and its
//! checkpoints) goes through [`Objects`], under keys of the form `area/name`. The only way to
//! change an object is a conditional write, so two writers, in one process or in two, can
//! never both replace the same version: that is what makes the processes stateless.

pub mod folder;
#[cfg(test)]
pub(crate) mod odd_folder;
pub mod s3;

use std::future::Future;
use std::io;
use std::time::SystemTime;

/// The store's own name for one version of an object (S3's ETag without quotes, or the
/// folder's hash of the bytes). Opaque: only ever handed back in a [`Condition`].
pub type Version = String;

#[derive(Debug, Clone)]
pub struct Stored {
    pub bytes: Vec<u8>,
    pub version: Version,
    pub modified: Option<SystemTime>,
}

/// When a write may happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Only if no object has the key (`If-None-Match: *`).
    Absent,
    /// Only if the object is still this version (`If-Match`).
    Is(Version),
}

#[derive(Debug)]
pub enum PutError {
    /// The condition did not hold, or the store could not tell (re-read, then decide).
    Conflict,
    Failed(io::Error),
}

/// One key of a listing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Without the area, e.g. `alice.json` for `bundles/alice.json`.
    pub name: String,
    /// When the listing tells it (S3 does, the folder does not): an unchanged version means
    /// unchanged bytes, so a checkpoint can reuse what it already holds.
    pub version: Option<Version>,
}

/// Most keys one [`Objects::list`] call returns (S3's own page size).
pub const PAGE: usize = 1000;

pub trait Objects: Clone + Send + Sync + 'static {
    /// The whole listing is cheap and always true (a local folder an operator may change by
    /// hand), so `GET /bundles/` reads it rather than the checkpoint.
    const LISTING_IS_LOCAL: bool;

    fn get(&self, key: &str) -> impl Future<Output = io::Result<Option<Stored>>> + Send;

    /// Writes `bytes` under `key` if `condition` holds, atomically: readers see the old bytes
    /// or the new ones. Returns the new version.
    fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> impl Future<Output = Result<Version, PutError>> + Send;

    /// Up to [`PAGE`] keys of `area` sorting after `start_after` (a name, or "" for the
    /// first page), in order.
    fn list(
        &self,
        area: &str,
        start_after: &str,
    ) -> impl Future<Output = io::Result<Vec<Entry>>> + Send;
}

/// Every key of `area` after `start_after`, page by page.
pub async fn list_all<O: Objects>(
    objects: &O,
    area: &str,
    start_after: &str,
) -> io::Result<Vec<Entry>> {
    let mut all: Vec<Entry> = Vec::new();
    let mut after = start_after.to_owned();
    loop {
        let page = objects.list(area, &after).await?;
        let full = page.len() >= PAGE;
        all.extend(page);
        match all.last() {
            Some(last) if full => after = last.name.clone(),
            _ => return Ok(all),
        }
    }
}
