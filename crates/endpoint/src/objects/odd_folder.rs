//! A data folder that misbehaves where a test says, for the tests of a store that cannot tell
//! whether it wrote, of checkpoints written slowly and of answers sent while reads wait.

use std::future::Future;
use std::io;

use super::folder::FolderObjects;
use super::{Condition, Entry, Objects, PutError, Stored, Version};

/// How reads and writes go, given the folder (each the folder's own unless said otherwise).
pub(crate) trait Misbehaviour: Clone + Send + Sync + 'static {
    fn get(
        &self,
        folder: &FolderObjects,
        key: &str,
    ) -> impl Future<Output = io::Result<Option<Stored>>> + Send {
        folder.get(key)
    }

    fn put(
        &self,
        folder: &FolderObjects,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> impl Future<Output = Result<Version, PutError>> + Send {
        folder.put(key, bytes, condition)
    }
}

/// A folder whose listings are the folder's, its reads and writes `M`'s.
#[derive(Clone)]
pub(crate) struct OddFolder<M> {
    pub(crate) folder: FolderObjects,
    pub(crate) odd: M,
}

impl<M: Misbehaviour> Objects for OddFolder<M> {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> io::Result<Option<Stored>> {
        self.odd.get(&self.folder, key).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        self.odd.put(&self.folder, key, bytes, condition).await
    }

    async fn list(&self, area: &str, start_after: &str) -> io::Result<Vec<Entry>> {
        self.folder.list(area, start_after).await
    }
}
