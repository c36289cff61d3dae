//! Checkpoints keeping up with a burst of publications.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::{after_changes, latest_checkpoint_once, put_as};
use crate::bundles::BundleStore;
use crate::objects::folder::FolderObjects;
use crate::objects::odd_folder::{Misbehaviour, OddFolder};
use crate::objects::{Condition, Objects, PutError, Version};

/// Checkpoint writes that wait for the test's permission: changes come while one is being
/// written.
#[derive(Clone)]
struct SlowCheckpoints {
    gate: Arc<Semaphore>,
}

impl Misbehaviour for SlowCheckpoints {
    async fn put(
        &self,
        folder: &FolderObjects,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        if key.starts_with("checkpoints/") {
            self.gate.acquire().await.expect("never closed").forget();
        }
        folder.put(key, bytes, condition).await
    }
}

#[tokio::test]
async fn changes_made_while_a_checkpoint_is_written_start_the_next_one_without_a_timer() {
    let dir = tempfile::tempdir().unwrap();
    let gate = Arc::new(Semaphore::new(0));
    let objects = OddFolder {
        folder: FolderObjects::new(dir.path().to_owned()),
        odd: SlowCheckpoints {
            gate: Arc::clone(&gate),
        },
    };
    let store = BundleStore::new(objects, after_changes(2));
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "alice", "\"a2\"").await;
    // The checkpoint of change 2 is being written: these three do not start another.
    for author in ["bob", "carol", "dave"] {
        put_as(&store, author, "\"x\"").await;
    }
    gate.add_permits(10);
    let latest = latest_checkpoint_once(&store, |latest| latest == Some(5)).await;
    assert_eq!(latest, Some(5), "the timer is an hour away");
}

#[tokio::test]
async fn a_checkpoint_is_due_after_enough_writes_however_few_numbers_they_took() {
    let dir = tempfile::tempdir().unwrap();
    let store = BundleStore::new(
        FolderObjects::new(dir.path().to_owned()),
        after_changes(150),
    );
    let authors: Vec<String> = (0..200).map(|n| format!("author-{n}")).collect();
    // Written together, they share change numbers (one per group of writes).
    futures_util::future::join_all(authors.iter().map(|a| put_as(&store, a, "\"x\""))).await;
    let numbers = store.changes.last().await.unwrap();
    assert!(numbers < 150, "{numbers} numbers for 200 writes");
    let latest = latest_checkpoint_once(&store, |latest| latest.is_some()).await;
    assert!(
        latest.is_some(),
        "no checkpoint after 200 writes in {numbers} numbers"
    );
}
