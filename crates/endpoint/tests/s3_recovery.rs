//! Reading and surviving on one S3 bucket (a real Ceph gateway, see `common/s3.rs`): a first
//! visit is one checkpoint and one delta, and a process killed mid-write leaves the other
//! serving, with nothing acknowledged lost and nothing torn.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::two_on_bucket;
use common::s3::s3_config;
use common::writes::{write_until_gone, Known};
use common::{bundle, etag, get_json, large_bundle, put};
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cold_pull_is_one_checkpoint_and_one_delta() {
    let Some(s3) = s3_config("cold").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let processes = two_on_bucket(dir.path(), &s3, 10);
    let client = Client::new();
    let mut etags = BTreeMap::new();
    for i in 0..25 {
        let author = format!("author-{i:02}");
        let url = format!("{}/bundles/{author}.json", processes[i % 2].base);
        let created = put(
            &client,
            &url,
            bundle(&author, "v1"),
            "t",
            ("if-none-match", "*"),
        )
        .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        etags.insert(author, etag(&created));
    }

    let since_zero = format!("{}/bundles/?since=0", processes[0].base);
    let mut delta: Value = Value::Null;
    for _ in 0..200 {
        delta = get_json(&client, &since_zero).await;
        if delta["checkpoint"]["seq"].as_u64().unwrap_or(0) >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let checkpoint_seq = delta["checkpoint"]["seq"]
        .as_u64()
        .expect("a checkpoint by now");
    let url = format!(
        "{}{}",
        processes[1].base,
        delta["checkpoint"]["url"].as_str().unwrap()
    );
    let gz = client
        .get(&url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let checkpoint: Value = serde_json::from_slice(&gz).unwrap_or_else(|_| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    });
    let mut pulled = BTreeMap::new();
    for entry in checkpoint["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .chain(delta["changed"].as_array().unwrap())
    {
        pulled.insert(
            entry["author"].as_str().unwrap().to_owned(),
            entry["etag"].as_str().unwrap().to_owned(),
        );
    }
    assert_eq!(
        pulled, etags,
        "two requests give every author's current file"
    );
    assert_eq!(
        delta["changed"].as_array().unwrap().len() as u64,
        25 - checkpoint_seq,
        "the delta is only what came after the checkpoint"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_process_killed_mid_write_leaves_the_other_serving_whole_files() {
    let Some(s3) = s3_config("killed").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let [mut doomed, survivor] = two_on_bucket(dir.path(), &s3, 500);
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let authors: Vec<String> = (0..4).map(|i| format!("author-{i}")).collect();
    let known: Vec<Arc<Mutex<Known>>> = authors.iter().map(|_| Arc::default()).collect();
    let writers = authors.iter().zip(&known).map(|(author, known)| {
        write_until_gone(
            client.clone(),
            doomed.base.clone(),
            author.clone(),
            "killed".into(),
            150_000,
            known.clone(),
        )
    });
    let killer = async {
        tokio::time::sleep(Duration::from_millis(600)).await;
        doomed.child.kill().unwrap();
    };
    tokio::join!(join_all(writers), killer);
    doomed.child.wait().unwrap();

    let mut acknowledged = 0;
    for (author, known) in authors.iter().zip(&known) {
        let (count, last, in_flight) = {
            let known = known.lock().unwrap();
            (
                known.acknowledgements,
                known.acknowledged.clone(),
                known.in_flight.clone(),
            )
        };
        acknowledged += count;
        let url = format!("{}/bundles/{author}.json", survivor.base);
        let response = client.get(&url).send().await.unwrap();
        if last.is_none() && response.status() == StatusCode::NOT_FOUND {
            continue;
        }
        let served_etag = etag(&response);
        let served = response.bytes().await.unwrap().to_vec();
        networkshop_core::parse_bundle(&served).expect("a whole bundle, never a torn one");
        assert!(
            Some(&served) == last.as_ref() || Some(&served) == in_flight.as_ref(),
            "{author}: the last acknowledged write, or the one in flight at the kill"
        );
        // The survivor takes the author's next write.
        let next = put(
            &client,
            &url,
            large_bundle(author, "after", 10_000),
            "t",
            ("if-match", &served_etag),
        )
        .await;
        assert_eq!(next.status(), StatusCode::OK, "{author}");
    }
    assert!(
        acknowledged > 0,
        "no write was acknowledged before the kill"
    );
    eprintln!("{acknowledged} writes acknowledged before the kill; none lost, none torn");
}
