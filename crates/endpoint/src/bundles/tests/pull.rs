//! Change numbers, deltas and checkpoints over the data folder.

use std::fs;

use super::{after_changes, authors, folder_store, latest_checkpoint_once, put_as};
use crate::bundles::BundleStore;
use crate::objects::folder::FolderObjects;
use crate::objects::{Condition, Objects};

#[tokio::test]
async fn a_delta_names_each_changed_author_once_with_their_file_as_it_is_now() {
    let dir = tempfile::tempdir().unwrap();
    let store = folder_store(dir.path());
    let empty = store.pull_since(0).await.unwrap();
    assert_eq!(
        (empty.seq, empty.checkpoint, empty.changed.len()),
        (0, None, 0)
    );
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "bob", "\"b1\"").await;
    put_as(&store, "alice", "\"a2\"").await;
    let all = store.pull_since(0).await.unwrap();
    assert_eq!((all.seq, all.checkpoint), (3, None));
    assert_eq!(
        authors(&all),
        ["bob", "alice"],
        "in the order of their last change"
    );
    assert_eq!(&all.changed[1].1[..], b"\"a2\"");
    assert_eq!(
        authors(&store.pull_since(1).await.unwrap()),
        ["bob", "alice"]
    );
    assert_eq!(authors(&store.pull_since(2).await.unwrap()), ["alice"]);
    let none = store.pull_since(3).await.unwrap();
    assert_eq!((none.seq, none.changed.len()), (3, 0));
    // A new process (no cache) numbers after the last change any process made.
    let other = folder_store(dir.path());
    put_as(&other, "carol", "\"c1\"").await;
    assert_eq!(authors(&store.pull_since(3).await.unwrap()), ["carol"]);
    assert_eq!(store.pull_since(3).await.unwrap().seq, 4);
}

#[tokio::test]
async fn a_first_pull_is_the_latest_checkpoint_and_the_changes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = folder_store(dir.path());
    assert_eq!(
        store.write_checkpoint().await.unwrap(),
        None,
        "nothing to keep yet"
    );
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "bob", "\"b1\"").await;
    // Written as a crashed writer would leave it: a file no change number announces.
    store
        .objects
        .put("bundles/dave.json", b"\"d1\"".to_vec(), Condition::Absent)
        .await
        .unwrap();
    assert_eq!(store.write_checkpoint().await.unwrap(), Some(2));
    assert_eq!(
        store.write_checkpoint().await.unwrap(),
        None,
        "no change since"
    );
    put_as(&store, "carol", "\"c1\"").await;

    let cold = store.pull_since(0).await.unwrap();
    assert_eq!((cold.checkpoint, cold.seq), (Some(2), 3));
    assert_eq!(authors(&cold), ["carol"]);
    let warm = store.pull_since(2).await.unwrap();
    assert_eq!((warm.checkpoint, authors(&warm)), (None, vec!["carol"]));

    // Another process reads the checkpoint the first wrote, and lists from it.
    let other = folder_store(dir.path());
    let held = other.checkpoints.latest().await.unwrap().unwrap();
    let mut names: Vec<&String> = held.bundles.keys().collect();
    names.sort();
    assert_eq!(names, ["alice.json", "bob.json", "dave.json"]);
    let snapshot: Vec<String> = other
        .snapshot()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.0.name)
        .collect();
    assert_eq!(
        snapshot,
        ["alice.json", "bob.json", "carol.json", "dave.json"]
    );
    assert!(other.checkpoint_file(2).await.unwrap().is_some());
}

#[tokio::test]
async fn enough_changes_start_a_checkpoint_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let store = BundleStore::new(FolderObjects::new(dir.path().to_owned()), after_changes(2));
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "alice", "\"a2\"").await;
    let latest = latest_checkpoint_once(&store, |latest| latest.is_some()).await;
    assert_eq!(latest, Some(2));
}

/// A bucket as Ceph behaves under contention: a bundle write may be answered as a conflict
/// (a 500) whether it was applied or not.

#[tokio::test]
async fn bundles_from_before_change_numbers_are_in_the_first_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("alice.json"), b"\"a0\"").unwrap();
    let store = folder_store(dir.path());
    assert_eq!(store.pull_since(0).await.unwrap().checkpoint, None);
    assert_eq!(store.write_checkpoint().await.unwrap(), Some(1));
    let cold = store.pull_since(0).await.unwrap();
    assert_eq!(
        (cold.checkpoint, cold.seq, cold.changed.len()),
        (Some(1), 1, 0)
    );
    let held = store.checkpoints.latest().await.unwrap().unwrap();
    assert_eq!(&held.bundles["alice.json"].1[..], b"\"a0\"");
    assert_eq!(
        store.write_checkpoint().await.unwrap(),
        None,
        "nothing new since"
    );
}
