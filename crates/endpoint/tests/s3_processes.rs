//! Several endpoint processes over one S3 bucket (a real Ceph gateway, see `common/s3.rs`):
//! whatever process a request reaches, no acknowledged write is lost, ETags agree, exactly
//! one token claim wins, an abandoned upload never overwrites a later acknowledged one, a
//! first visit is one checkpoint and one delta, and a process killed mid-write leaves the
//! other serving whole files.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::process::two_on_bucket;
use common::s3::s3_config;
use common::{bundle, bundle_of, etag, get_json, key_of, large_bundle, put, record, signed_by};
use futures::future::join_all;
use networkshop_endpoint::bundles::etag_of;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

async fn current(client: &Client, url: &str) -> Option<(String, Vec<u8>)> {
    let response = client.get(url).send().await.unwrap();
    if response.status() == StatusCode::NOT_FOUND {
        return None;
    }
    assert_eq!(response.status(), StatusCode::OK);
    let etag = etag(&response);
    Some((etag, response.bytes().await.unwrap().to_vec()))
}

/// Adds one record to the shared author's file, read-modify-conditional-write, through
/// whichever process `attempt` picks, until a write is acknowledged.
async fn add_record(client: &Client, bases: &[String], index: usize) {
    for attempt in 0.. {
        let url = format!(
            "{}/bundles/shared.json",
            bases[(index + attempt) % bases.len()]
        );
        let found = current(client, &url).await;
        let mut records: Vec<Value> = match &found {
            Some((_, bytes)) => serde_json::from_slice::<Value>(bytes).unwrap()["records"]
                .as_array()
                .unwrap()
                .clone(),
            None => Vec::new(),
        };
        records.push(record("shared", index, &format!("record {index}"), ""));
        let body = signed_by(&key_of("shared"), &bundle_of("shared", records));
        let precondition = match &found {
            Some((etag, _)) => ("if-match", etag.as_str()),
            None => ("if-none-match", "*"),
        };
        let response = put(client, &url, body, "t", precondition).await;
        match response.status() {
            s if s.is_success() => return,
            StatusCode::PRECONDITION_FAILED => continue,
            other => panic!("record {index}, attempt {attempt}: {other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_through_two_processes_lose_nothing_and_agree_on_etags() {
    let Some(s3) = s3_config("writers").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let processes = two_on_bucket(dir.path(), &s3, 10);
    let bases: Vec<String> = processes.iter().map(|p| p.base.clone()).collect();
    let client = Client::new();
    const WRITERS: usize = 4;
    const EACH: usize = 8;
    let writers = (0..WRITERS).map(|writer| {
        let (client, bases) = (client.clone(), bases.clone());
        async move {
            for round in 0..EACH {
                add_record(&client, &bases, writer * 100 + round + 1).await;
            }
        }
    });
    join_all(writers).await;

    let mut seen = Vec::new();
    for base in &bases {
        let (etag, bytes) = current(&client, &format!("{base}/bundles/shared.json"))
            .await
            .unwrap();
        assert_eq!(etag, etag_of(&bytes), "the ETag is the bytes' own");
        seen.push((etag, bytes));
    }
    assert_eq!(seen[0], seen[1], "both processes serve the same version");
    let stored: Value = serde_json::from_slice(&seen[0].1).unwrap();
    let titles: BTreeSet<&str> = stored["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles.len(),
        WRITERS * EACH,
        "every acknowledged record is there"
    );
    let mut since = Vec::new();
    for base in &bases {
        since.push(get_json(&client, &format!("{base}/bundles/?since=0")).await);
    }
    assert_eq!(since[0]["seq"], since[1]["seq"], "one change sequence");
    let seq = since[0]["seq"].as_u64().unwrap();
    // Writes that finish together share a number: at most one per write.
    assert!((1..=(WRITERS * EACH) as u64).contains(&seq), "{seq}");
    // Each process's listing (its latest checkpoint plus the changes after it) has that file.
    for base in &bases {
        let listing = get_json(&client, &format!("{base}/bundles/?content=1")).await;
        assert_eq!(listing[0]["etag"], seen[0].0.as_str(), "{base}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn token_claims_race_between_processes_and_exactly_one_wins() {
    let Some(s3) = s3_config("claims").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let processes = two_on_bucket(dir.path(), &s3, 500);
    let client = Client::new();
    for round in 0..5 {
        let author = format!("contested-{round}");
        let claims = (0..8).map(|claimant| {
            let url = format!("{}/bundles/{author}.json", processes[claimant % 2].base);
            let body = bundle(&author, &format!("claim {claimant}"));
            let client = client.clone();
            async move {
                put(
                    &client,
                    &url,
                    body,
                    &format!("t{claimant}"),
                    ("if-none-match", "*"),
                )
                .await
                .status()
            }
        });
        let statuses = join_all(claims).await;
        let won = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        let refused = statuses
            .iter()
            .filter(|s| **s == StatusCode::FORBIDDEN)
            .count();
        assert_eq!((won, refused), (1, 7), "round {round}: {statuses:?}");
    }
}

/// Sends a PUT's head and `sent` bytes of its body to `base`, then hangs up.
async fn abandon_upload(base: &str, author: &str, body: &str, if_match: &str, sent: usize) {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /bundles/{author}.json HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer t\r\n\
         If-Match: {if_match}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..sent]).await.unwrap();
    stream.flush().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_abandoned_upload_never_overwrites_a_later_acknowledged_write() {
    let Some(s3) = s3_config("abandoned").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let [a, b] = two_on_bucket(dir.path(), &s3, 500);
    let client = Client::new();
    let url_b = format!("{}/bundles/race.json", b.base);
    let created = put(
        &client,
        &url_b,
        bundle("race", "base"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    let mut base_etag = etag(&created);
    let (mut acknowledged, mut lost_races) = (0, 0);
    for i in 0..10 {
        let abandoned = large_bundle("race", &format!("abandoned {i}"), 100_000);
        // Half the trials hang up mid-body, half just after the whole body.
        let sent = if i % 2 == 0 {
            abandoned.len() / 2
        } else {
            abandoned.len()
        };
        abandon_upload(&a.base, "race", &abandoned, &base_etag, sent).await;
        let later = bundle("race", &format!("later {i}"));
        let response = put(
            &client,
            &url_b,
            later.clone(),
            "t",
            ("if-match", &base_etag),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (etag_now, now) = current(&client, &url_b).await.unwrap();
        match response.status() {
            StatusCode::OK => {
                acknowledged += 1;
                assert_eq!(
                    now,
                    later.as_bytes(),
                    "trial {i}: the acknowledged write stays"
                );
            }
            StatusCode::PRECONDITION_FAILED => {
                // The whole abandoned body came first and landed: the later one was refused.
                lost_races += 1;
                assert_eq!(now, abandoned.as_bytes(), "trial {i}");
            }
            other => panic!("trial {i}: {other}"),
        }
        base_etag = etag_now;
    }
    eprintln!("{acknowledged} later writes acknowledged and kept, {lost_races} came second");
    assert!(
        acknowledged >= 5,
        "every upload cut mid-body left the later write to land"
    );
}
