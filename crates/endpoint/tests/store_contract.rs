//! The HTTP contract of the bundle routes, the same on both stores: the data folder and an S3
//! bucket (a real Ceph gateway, see `common/s3.rs`). Writes, refusals, listing, the delta
//! after a change number and the checkpoint a first visit starts from.

mod common;

use std::io::Read;
use std::time::Duration;

use common::s3::s3_config;
use common::{bundle, etag, get_json, key_of, put, signed_by, start_with, unsigned_bundle};
use networkshop_endpoint::bundles::CheckpointSettings;
use networkshop_endpoint::{check_store, Config};
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// A checkpoint after every second change, so one appears within the test.
fn checkpoint_every_two(config: &mut Config) {
    config.checkpoints = CheckpointSettings {
        every_changes: 2,
        every: Duration::from_secs(3600),
    };
}

fn authors(answer: &Value) -> Vec<&str> {
    answer["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["author"].as_str().unwrap())
        .collect()
}

async fn keeps_the_contract(base: &str) {
    let client = Client::new();
    let alice = format!("{base}/bundles/alice.json");
    let status = |r: reqwest::Response| r.status();

    assert_eq!(
        status(client.get(&alice).send().await.unwrap()),
        StatusCode::NOT_FOUND
    );
    let unsigned_token = client
        .put(&alice)
        .body(bundle("alice", "v1"))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned_token.status(), StatusCode::UNAUTHORIZED);
    let created = put(
        &client,
        &alice,
        bundle("alice", "v1"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let e1 = etag(&created);
    let again = put(
        &client,
        &alice,
        bundle("alice", "v1"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::PRECONDITION_FAILED);
    let blind = put(&client, &alice, bundle("alice", "v2"), "t", ("x-none", "1")).await;
    assert_eq!(blind.status(), StatusCode::PRECONDITION_REQUIRED);
    let stolen = put(
        &client,
        &alice,
        bundle("alice", "v2"),
        "other",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(stolen.status(), StatusCode::FORBIDDEN);

    let read = client.get(&alice).send().await.unwrap();
    assert_eq!((read.status(), etag(&read)), (StatusCode::OK, e1.clone()));
    assert_eq!(read.text().await.unwrap(), bundle("alice", "v1"));
    let cached = client
        .get(&alice)
        .header(IF_NONE_MATCH, &e1)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);

    let replaced = put(
        &client,
        &alice,
        bundle("alice", "v2"),
        "t",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    let e2 = etag(&replaced);
    let stale = put(
        &client,
        &alice,
        bundle("alice", "v3"),
        "t",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let other_key = signed_by(&key_of("mallory"), &unsigned_bundle("alice", "v3"));
    let rekeyed = put(&client, &alice, other_key, "t", ("if-match", &e2)).await;
    assert_eq!(rekeyed.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        rekeyed.json::<Value>().await.unwrap()["error"],
        "key_changed"
    );
    let bob = format!("{base}/bundles/bob.json");
    let bob_created = put(
        &client,
        &bob,
        bundle("bob", "b1"),
        "tb",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(bob_created.status(), StatusCode::CREATED);

    let listing = get_json(&client, &format!("{base}/bundles/?content=1")).await;
    let listed: Vec<(&str, &str)> = listing
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["etag"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("alice.json", e2.as_str()),
            ("bob.json", etag(&bob_created).as_str())
        ]
    );
    assert_eq!(listing[0]["bundle"].to_string(), bundle("alice", "v2"));

    // Three changes: alice, alice, bob; a checkpoint is started after the second (in the
    // background: it is as of change 2, or 3 if bob's write came first).
    let warm = get_json(&client, &format!("{base}/bundles/?since=2")).await;
    assert_eq!(
        (warm["seq"].as_u64(), authors(&warm)),
        (Some(3), vec!["bob"])
    );
    assert!(
        warm["checkpoint"].is_null(),
        "a reader already past it needs no checkpoint"
    );
    let nothing = get_json(&client, &format!("{base}/bundles/?since=3")).await;
    assert_eq!(
        (nothing["seq"].as_u64(), authors(&nothing).len()),
        (Some(3), 0)
    );
    let refused = client
        .get(format!("{base}/bundles/?since=soon"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "invalid_since"
    );

    let mut cold = get_json(&client, &format!("{base}/bundles/?since=0")).await;
    for _ in 0..100 {
        if !cold["checkpoint"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        cold = get_json(&client, &format!("{base}/bundles/?since=0")).await;
    }
    let checkpoint_seq = cold["checkpoint"]["seq"].as_u64().unwrap();
    let after: &[&str] = if checkpoint_seq == 2 { &["bob"] } else { &[] };
    assert!((2..=3).contains(&checkpoint_seq), "{cold}");
    assert_eq!(authors(&cold), after, "the changes after the checkpoint");
    let url = format!("{base}{}", cold["checkpoint"]["url"].as_str().unwrap());
    let gzip = Client::builder().no_gzip().build().unwrap();
    let response = gzip
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
    assert!(response.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&response.bytes().await.unwrap()[..])
        .read_to_string(&mut text)
        .unwrap();
    let checkpoint: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(checkpoint["seq"], checkpoint_seq);
    assert_eq!(
        checkpoint["bundles"].as_array().unwrap().len() as u64,
        checkpoint_seq - 1,
        "alice, and bob when his change came first"
    );
    assert_eq!(checkpoint["bundles"][0]["etag"], e2);
    assert_eq!(
        checkpoint["bundles"][0]["bundle"].to_string(),
        bundle("alice", "v2")
    );
    let plain = get_json(&client, &url).await;
    assert_eq!(
        plain, checkpoint,
        "decompressed for a client that takes no gzip"
    );
}

#[tokio::test]
async fn the_folder_keeps_the_contract() {
    let server = start_with(checkpoint_every_two).await;
    keeps_the_contract(&server.base).await;
}

#[tokio::test]
async fn an_s3_bucket_keeps_the_contract() {
    let Some(s3) = s3_config("contract").await else {
        return;
    };
    let server = start_with(|config| {
        checkpoint_every_two(config);
        config.s3 = Some(s3);
    })
    .await;
    keeps_the_contract(&server.base).await;
}

#[tokio::test]
async fn a_bucket_is_probed_for_conditional_writes_at_start_up() {
    let Some(s3) = s3_config("probe").await else {
        return;
    };
    let mut config = Config {
        s3: Some(s3),
        ..Config::default()
    };
    check_store(&config).await.unwrap();
    config.s3.as_mut().unwrap().endpoint = "http://127.0.0.1:9".into();
    let refused = check_store(&config).await.unwrap_err();
    assert!(refused.contains("127.0.0.1:9"), "{refused}");
}
