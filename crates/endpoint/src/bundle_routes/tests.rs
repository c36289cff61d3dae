//! `?since=0` sent as its files are read: the change number and the checkpoint's link come
//! before the files, so a reader asks for the checkpoint meanwhile.

use std::time::Duration;

use tokio::sync::watch;

use super::router;
use crate::bundles::{etag_of, BundleStore, CheckpointSettings, Write};
use crate::objects::folder::FolderObjects;
use crate::objects::{Condition, Entry, Objects, PutError, Stored, Version};

/// A folder whose reads of bundles wait while the gate is shut.
#[derive(Clone)]
struct HeldReads {
    folder: FolderObjects,
    open: watch::Receiver<bool>,
}

impl Objects for HeldReads {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> std::io::Result<Option<Stored>> {
        if key.starts_with("bundles/") {
            let mut open = self.open.clone();
            let _ = open.wait_for(|open| *open).await;
        }
        self.folder.get(key).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        self.folder.put(key, bytes, condition).await
    }

    async fn list(&self, area: &str, start_after: &str) -> std::io::Result<Vec<Entry>> {
        self.folder.list(area, start_after).await
    }
}

async fn put(store: &BundleStore<HeldReads>, author: &str) {
    let text = format!(r#"{{"author":"{author}"}}"#);
    let current = store.read(author).await.unwrap();
    store
        .write(Write {
            author: author.into(),
            bytes: text.into_bytes(),
            if_match: current.as_deref().map(etag_of),
            if_none_match_any: current.is_none(),
            token: Some(format!("t-{author}")),
            public_key: "key-1".into(),
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_changes_answer_names_its_checkpoint_before_its_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (gate, open) = watch::channel(true);
    let objects = HeldReads {
        folder: FolderObjects::new(dir.path().to_owned()),
        open,
    };
    let store = BundleStore::new(objects, CheckpointSettings::default());
    put(&store, "alice").await;
    store.write_checkpoint().await.unwrap();
    put(&store, "bob").await;
    put(&store, "carol").await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/bundles/?since=0", listener.local_addr().unwrap());
    let app = router(store, None, &[]);
    tokio::spawn(async move { axum::serve(listener, app).await });

    gate.send_replace(false);
    let mut answer = reqwest::get(&url).await.unwrap();
    assert_eq!(answer.status(), 200);
    let head = tokio::time::timeout(Duration::from_secs(5), answer.chunk())
        .await
        .expect("the head comes while the files cannot be read")
        .unwrap()
        .unwrap();
    let head = String::from_utf8(head.to_vec()).unwrap();
    assert!(head.contains(r#""checkpoint":{"seq":1,"#), "{head}");
    assert!(head.ends_with(r#""changed":["#), "{head}");

    gate.send_replace(true);
    let mut whole = head.into_bytes();
    while let Some(piece) = answer.chunk().await.unwrap() {
        whole.extend_from_slice(&piece);
    }
    let whole: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    let changed: Vec<&str> = whole["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["author"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["bob", "carol"]);
    assert_eq!(whole["changed"][0]["bundle"]["author"], "bob");
}
