//! `?since=0` sent as its files are read: the change number and the checkpoint's link come
//! before the files, so a reader asks for the checkpoint meanwhile.

use std::time::Duration;

use tokio::sync::watch;

use super::router;
use crate::bundles::tests::put_as;
use crate::bundles::{BundleStore, CheckpointSettings};
use crate::objects::folder::FolderObjects;
use crate::objects::odd_folder::{Misbehaviour, OddFolder};
use crate::objects::{Objects, Stored};

/// Reads of bundles that wait while the gate is shut.
#[derive(Clone)]
struct HeldReads {
    open: watch::Receiver<bool>,
}

impl Misbehaviour for HeldReads {
    async fn get(&self, folder: &FolderObjects, key: &str) -> std::io::Result<Option<Stored>> {
        if key.starts_with("bundles/") {
            let mut open = self.open.clone();
            let _ = open.wait_for(|open| *open).await;
        }
        folder.get(key).await
    }
}

#[tokio::test]
async fn the_changes_answer_names_its_checkpoint_before_its_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (gate, open) = watch::channel(true);
    let objects = OddFolder {
        folder: FolderObjects::new(dir.path().to_owned()),
        odd: HeldReads { open },
    };
    let store = BundleStore::new(objects, CheckpointSettings::default());
    put_as(&store, "alice", r#"{"author":"alice"}"#).await;
    store.write_checkpoint().await.unwrap();
    put_as(&store, "bob", r#"{"author":"bob"}"#).await;
    put_as(&store, "carol", r#"{"author":"carol"}"#).await;

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
