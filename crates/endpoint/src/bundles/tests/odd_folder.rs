//! A data folder that misbehaves only in its writes, for the tests of a store that cannot tell
//! whether it wrote and of checkpoints written slowly.

use std::future::Future;

use crate::objects::folder::FolderObjects;
use crate::objects::{Condition, Entry, Objects, PutError, Stored, Version};

/// How the writes go: given the folder to write to (or not).
pub(super) trait Writes: Clone + Send + Sync + 'static {
    fn put(
        &self,
        folder: &FolderObjects,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> impl Future<Output = Result<Version, PutError>> + Send;
}

/// A folder whose reads and listings are the folder's, its writes `W`'s.
#[derive(Clone)]
pub(super) struct OddFolder<W> {
    pub(super) folder: FolderObjects,
    pub(super) writes: W,
}

impl<W: Writes> Objects for OddFolder<W> {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> std::io::Result<Option<Stored>> {
        self.folder.get(key).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        self.writes.put(&self.folder, key, bytes, condition).await
    }

    async fn list(&self, area: &str, start_after: &str) -> std::io::Result<Vec<Entry>> {
        self.folder.list(area, start_after).await
    }
}
