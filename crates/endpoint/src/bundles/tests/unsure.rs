//! A store that cannot tell whether it wrote (Ceph's 500 under contention).

use std::sync::Arc;

use super::{authors, put_as};
use crate::bundles::{BundleStore, CheckpointSettings, Write, WriteError};
use crate::objects::folder::FolderObjects;
use crate::objects::odd_folder::{Misbehaviour, OddFolder};
use crate::objects::{Condition, Objects, PutError};

#[derive(Clone)]
struct Unsure {
    /// Applied, then answered as a conflict (else: refused without being applied, once).
    applies: bool,
    refused: Arc<std::sync::atomic::AtomicUsize>,
}

impl Misbehaviour for Unsure {
    async fn put(
        &self,
        folder: &FolderObjects,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<crate::objects::Version, PutError> {
        use std::sync::atomic::Ordering;
        if !key.starts_with("bundles/") {
            return folder.put(key, bytes, condition).await;
        }
        if self.applies {
            folder.put(key, bytes, condition).await?;
            return Err(PutError::Conflict);
        }
        if self
            .refused
            .fetch_add(1, Ordering::SeqCst)
            .is_multiple_of(2)
        {
            return Err(PutError::Conflict);
        }
        folder.put(key, bytes, condition).await
    }
}

#[tokio::test]
async fn a_store_that_cannot_tell_whether_it_wrote_loses_no_write_and_invents_none() {
    for applies in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let unsure = OddFolder {
            folder: FolderObjects::new(dir.path().to_owned()),
            odd: Unsure {
                applies,
                refused: Arc::default(),
            },
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
