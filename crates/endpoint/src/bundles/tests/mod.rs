use std::fs;
use std::path::Path;
use std::time::Duration;

use super::*;
use crate::objects::folder::FolderObjects;

pub(super) fn folder_store(dir: &Path) -> BundleStore<FolderObjects> {
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

mod burst;
mod pull;
mod unsure;

/// The latest checkpoint's number once `done` holds of it, or as it stands after ten seconds
/// (checkpoints are written in the background).
pub(super) async fn latest_checkpoint_once<O: Objects>(
    store: &BundleStore<O>,
    done: impl Fn(Option<u64>) -> bool,
) -> Option<u64> {
    let mut latest = None;
    for _ in 0..1000 {
        latest = store.checkpoints.latest_seq().await.unwrap();
        if done(latest) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    latest
}

/// Checkpoints after `changes` writes, the timer an hour away (no test waits for it).
pub(super) fn after_changes(changes: u64) -> CheckpointSettings {
    CheckpointSettings {
        every_changes: changes,
        every: Duration::from_secs(3600),
    }
}

/// Writes `text` as `author`'s file, based on what is stored (the author's token `t-<author>`).
pub(crate) async fn put_as<O: Objects>(store: &BundleStore<O>, author: &str, text: &str) -> String {
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

pub(super) fn authors(pull: &Pull) -> Vec<&str> {
    pull.changed.iter().map(|c| c.0.author.as_str()).collect()
}
