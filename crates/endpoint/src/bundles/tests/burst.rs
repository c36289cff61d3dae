//! Checkpoints keeping up with a burst of publications.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::put_as;
use crate::bundles::{BundleStore, CheckpointSettings};
use crate::objects::folder::FolderObjects;
use crate::objects::{Condition, Objects, PutError, Version};

/// A folder whose checkpoint writes wait for the test's permission: changes come while one is
/// being written.
#[derive(Clone)]
struct SlowCheckpoints {
    folder: FolderObjects,
    gate: Arc<Semaphore>,
}

impl Objects for SlowCheckpoints {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> std::io::Result<Option<crate::objects::Stored>> {
        self.folder.get(key).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        if key.starts_with("checkpoints/") {
            self.gate.acquire().await.expect("never closed").forget();
        }
        self.folder.put(key, bytes, condition).await
    }

    async fn list(
        &self,
        area: &str,
        start_after: &str,
    ) -> std::io::Result<Vec<crate::objects::Entry>> {
        self.folder.list(area, start_after).await
    }
}

#[tokio::test]
async fn changes_made_while_a_checkpoint_is_written_start_the_next_one_without_a_timer() {
    let dir = tempfile::tempdir().unwrap();
    let gate = Arc::new(Semaphore::new(0));
    let objects = SlowCheckpoints {
        folder: FolderObjects::new(dir.path().to_owned()),
        gate: Arc::clone(&gate),
    };
    let settings = CheckpointSettings {
        every_changes: 2,
        every: Duration::from_secs(3600),
    };
    let store = BundleStore::new(objects, settings);
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "alice", "\"a2\"").await;
    // The checkpoint of change 2 is being written: these three do not start another.
    for author in ["bob", "carol", "dave"] {
        put_as(&store, author, "\"x\"").await;
    }
    gate.add_permits(10);
    let mut latest = None;
    for _ in 0..1000 {
        latest = store.checkpoints.latest_seq().await.unwrap();
        if latest == Some(5) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(latest, Some(5), "the timer is an hour away");
}

#[tokio::test]
async fn a_checkpoint_is_due_after_enough_writes_however_few_numbers_they_took() {
    let dir = tempfile::tempdir().unwrap();
    let settings = CheckpointSettings {
        every_changes: 150,
        every: Duration::from_secs(3600),
    };
    let store = BundleStore::new(FolderObjects::new(dir.path().to_owned()), settings);
    let authors: Vec<String> = (0..200).map(|n| format!("author-{n}")).collect();
    // Written together, they share change numbers (one per group of writes).
    futures_util::future::join_all(authors.iter().map(|a| put_as(&store, a, "\"x\""))).await;
    let numbers = store.changes.last().await.unwrap();
    assert!(numbers < 150, "{numbers} numbers for 200 writes");
    let mut latest = None;
    for _ in 0..1000 {
        latest = store.checkpoints.latest_seq().await.unwrap();
        if latest.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        latest.is_some(),
        "no checkpoint after 30 writes in {numbers} numbers"
    );
}
