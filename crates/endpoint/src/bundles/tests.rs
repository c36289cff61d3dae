use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::objects::folder::FolderObjects;

fn folder_store(dir: &Path) -> BundleStore<FolderObjects> {
    BundleStore::new(
        FolderObjects::new(dir.to_owned()),
        CheckpointSettings::default(),
    )
}

#[test]
fn file_names_must_be_plain_author_ids() {
    assert_eq!(author_of_file_name("alice.json"), Some("alice"));
    for bad in [
        "../alice.json",
        ".tokens.json",
        "alice",
        "a/b.json",
        "Alice.json",
        ".json",
        "-x.json",
    ] {
        assert_eq!(author_of_file_name(bad), None, "{bad}");
    }
}

async fn write(
    store: &BundleStore<FolderObjects>,
    bytes: &[u8],
    if_match: Option<&str>,
    if_none_match_any: bool,
    token: Option<&str>,
) -> Result<String, WriteError> {
    write_signed(store, "key-1", bytes, if_match, if_none_match_any, token).await
}

async fn write_signed(
    store: &BundleStore<FolderObjects>,
    public_key: &str,
    bytes: &[u8],
    if_match: Option<&str>,
    if_none_match_any: bool,
    token: Option<&str>,
) -> Result<String, WriteError> {
    store
        .write(Write {
            author: "alice".into(),
            bytes: bytes.to_vec(),
            if_match: if_match.map(str::to_owned),
            if_none_match_any,
            token: token.map(str::to_owned),
            public_key: public_key.into(),
        })
        .await
        .map(|written| written.etag)
}

#[tokio::test]
async fn writes_need_the_right_token_then_the_right_precondition() {
    let dir = tempfile::tempdir().unwrap();
    let store = folder_store(dir.path());
    assert_eq!(
        write(&store, b"v1", None, true, None).await,
        Err(WriteError::TokenRequired)
    );
    let e1 = write(&store, b"v1", None, true, Some("secret"))
        .await
        .unwrap();
    assert_eq!(
        write(&store, b"v2", None, true, Some("secret")).await,
        Err(WriteError::PreconditionFailed)
    );
    assert_eq!(
        write(&store, b"v2", None, false, Some("secret")).await,
        Err(WriteError::PreconditionRequired)
    );
    assert_eq!(
        write(&store, b"v2", Some("\"other\""), false, Some("secret")).await,
        Err(WriteError::PreconditionFailed)
    );
    // Refused whatever the precondition: the token comes first.
    for (if_match, if_none_match_any) in [(Some(e1.as_str()), false), (None, true), (None, false)] {
        assert_eq!(
            write(&store, b"v2", if_match, if_none_match_any, Some("stolen")).await,
            Err(WriteError::Forbidden)
        );
        assert_eq!(
            write(&store, b"v2", if_match, if_none_match_any, None).await,
            Err(WriteError::TokenRequired)
        );
    }
    let e2 = write(&store, b"v2", Some(&e1), false, Some("secret"))
        .await
        .unwrap();
    assert_ne!(e1, e2);
    assert_eq!(store.read("alice").await.unwrap().unwrap(), b"v2");
    let listed = store.list_with_contents().await.unwrap();
    assert_eq!(listed.len(), 1, "the tokens folder is never listed");
    assert_eq!(listed[0].0.etag, e2);
}

#[tokio::test]
async fn a_refused_first_write_claims_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = folder_store(dir.path());
    assert_eq!(
        write(&store, b"v1", Some("\"x\""), false, Some("early")).await,
        Err(WriteError::PreconditionFailed)
    );
    write(&store, b"v1", None, true, Some("owner"))
        .await
        .unwrap();
    assert_eq!(
        write(&store, b"v2", None, true, Some("early")).await,
        Err(WriteError::Forbidden)
    );
}

#[tokio::test]
async fn the_first_accepted_key_is_pinned_and_checked_after_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = folder_store(dir.path());
    // A refused first write pins nothing.
    assert_eq!(
        write_signed(&store, "key-0", b"v1", Some("\"x\""), false, Some("t")).await,
        Err(WriteError::PreconditionFailed)
    );
    let e1 = write_signed(&store, "key-1", b"v1", None, true, Some("t"))
        .await
        .unwrap();
    let pin = dir.path().join(".tokens/alice.key");
    assert_eq!(fs::read_to_string(&pin).unwrap(), "key-1");
    // Another key is refused with the right token, whatever the precondition; a wrong
    // token is told so first.
    for (if_match, if_none_match_any) in [(Some(e1.as_str()), false), (None, true)] {
        assert_eq!(
            write_signed(
                &store,
                "key-2",
                b"v2",
                if_match,
                if_none_match_any,
                Some("t")
            )
            .await,
            Err(WriteError::KeyChanged)
        );
    }
    assert_eq!(
        write_signed(&store, "key-2", b"v2", Some(&e1), false, Some("other")).await,
        Err(WriteError::Forbidden)
    );
    assert_eq!(store.read("alice").await.unwrap().unwrap(), b"v1");
    let e2 = write_signed(&store, "key-1", b"v2", Some(&e1), false, Some("t"))
        .await
        .unwrap();
    // An operator lets the author start over by deleting the pin: the next write pins.
    fs::remove_file(&pin).unwrap();
    write_signed(&store, "key-2", b"v3", Some(&e2), false, Some("t"))
        .await
        .unwrap();
    assert_eq!(fs::read_to_string(&pin).unwrap(), "key-2");
    assert_eq!(store.list_with_contents().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_write_its_caller_gave_up_on_lands_before_the_next_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let folder = FolderObjects::new(dir.path().to_owned())
        .with_write_delay(Some(Duration::from_millis(300)));
    let store = BundleStore::new(folder, CheckpointSettings::default());
    let e0 = write(&store, b"v0", None, true, Some("t")).await.unwrap();
    let put = |bytes: Vec<u8>| Write {
        author: "alice".into(),
        bytes,
        if_match: Some(e0.clone()),
        if_none_match_any: false,
        token: Some("t".into()),
        public_key: "key-1".into(),
    };
    let abandoned = vec![b' '; 1024 * 1024];
    let first = store.write(put(abandoned.clone()));
    assert!(
        tokio::time::timeout(Duration::from_millis(50), first)
            .await
            .is_err(),
        "the first write is still sleeping when its caller gives up"
    );
    assert_eq!(
        store.write(put(b"v1".to_vec())).await,
        Err(WriteError::PreconditionFailed)
    );
    assert_eq!(store.read("alice").await.unwrap().unwrap(), abandoned);
}

async fn put_as<O: Objects>(store: &BundleStore<O>, author: &str, text: &str) -> String {
    let current = store.read(author).await.unwrap();
    store
        .write(Write {
            author: author.into(),
            bytes: text.as_bytes().to_vec(),
            if_match: current.as_deref().map(etag_of),
            if_none_match_any: current.is_none(),
            token: Some(format!("t-{author}")),
            public_key: "key-1".into(),
        })
        .await
        .unwrap()
        .etag
}

fn authors(pull: &Pull) -> Vec<&str> {
    pull.changed.iter().map(|c| c.0.author.as_str()).collect()
}

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
    let settings = CheckpointSettings {
        every_changes: 2,
        every: Duration::from_secs(3600),
    };
    let store = BundleStore::new(FolderObjects::new(dir.path().to_owned()), settings);
    put_as(&store, "alice", "\"a1\"").await;
    put_as(&store, "alice", "\"a2\"").await;
    for _ in 0..200 {
        if store.checkpoints.latest_seq().await.unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(store.checkpoints.latest_seq().await.unwrap(), Some(2));
}

/// A bucket as Ceph behaves under contention: a bundle write may be answered as a conflict
/// (a 500) whether it was applied or not.
#[derive(Clone)]
struct Unsure {
    folder: FolderObjects,
    /// Applied, then answered as a conflict (else: refused without being applied, once).
    applies: bool,
    refused: Arc<std::sync::atomic::AtomicUsize>,
}

impl Objects for Unsure {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> std::io::Result<Option<crate::objects::Stored>> {
        self.folder.get(key).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<crate::objects::Version, PutError> {
        use std::sync::atomic::Ordering;
        if !key.starts_with("bundles/") {
            return self.folder.put(key, bytes, condition).await;
        }
        if self.applies {
            self.folder.put(key, bytes, condition).await?;
            return Err(PutError::Conflict);
        }
        if self
            .refused
            .fetch_add(1, Ordering::SeqCst)
            .is_multiple_of(2)
        {
            return Err(PutError::Conflict);
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
async fn a_store_that_cannot_tell_whether_it_wrote_loses_no_write_and_invents_none() {
    for applies in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let unsure = Unsure {
            folder: FolderObjects::new(dir.path().to_owned()),
            applies,
            refused: Arc::default(),
        };
        let store = BundleStore::new(unsure, CheckpointSettings::default());
        let e1 = put_as(&store, "alice", "\"a1\"").await;
        let e2 = put_as(&store, "alice", "\"a2\"").await;
        assert_ne!(e1, e2);
        assert_eq!(store.read("alice").await.unwrap().unwrap(), b"\"a2\"");
        let stale = store
            .write(Write {
                author: "alice".into(),
                bytes: b"\"a3\"".to_vec(),
                if_match: Some(e1),
                if_none_match_any: false,
                token: Some("t-alice".into()),
                public_key: "key-1".into(),
            })
            .await;
        assert_eq!(
            stale,
            Err(WriteError::PreconditionFailed),
            "applies: {applies}"
        );
        let pull = store.pull_since(0).await.unwrap();
        assert_eq!(
            (pull.seq, authors(&pull)),
            (2, vec!["alice"]),
            "applies: {applies}"
        );
    }
}

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
