//! A client that gives up on an upload: its write either lands before any later write of that
//! author is answered, or never lands.

mod common;

use std::time::{Duration, Instant};

use common::{bundle, etag, has_temporary_file, large_bundle, put, start_with};
use networkshop_core::bundle::MAX_BUNDLE_BYTES;
use reqwest::{Client, StatusCode};
use tokio::io::AsyncWriteExt;

/// `CANCEL_ITERATIONS` and `CANCEL_BODY_BYTES` override these. A quarter of the bundle limit
/// keeps the test to a few seconds in a debug build, where hashing 4 MiB for an ETag takes
/// 0.2 s; `CANCEL_BODY_BYTES=4177920` runs it just under the limit.
const ITERATIONS: usize = 30;
const BODY_BYTES: usize = MAX_BUNDLE_BYTES / 4;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Polls until `done` holds; the bound only keeps a broken server from hanging the suite.
async fn wait_until(mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_upload_never_overwrites_an_acknowledged_one() {
    let iterations = setting("CANCEL_ITERATIONS", ITERATIONS);
    let body_bytes = setting("CANCEL_BODY_BYTES", BODY_BYTES).min(MAX_BUNDLE_BYTES);
    // A slow disk keeps the large write open long enough for the second request to come in.
    let server = start_with(|c| c.write_delay_per_mib = Some(Duration::from_millis(40))).await;
    let client = Client::new();
    let data = server.data();
    let url = format!("{}/bundles/race.json", server.base);
    // One author throughout, so the large body is built once; each iteration starts from a
    // fresh base version, so a match with it can only come from that iteration.
    let abandoned = large_bundle("race", "abandoned", body_bytes);
    let abandoned_etag = networkshop_endpoint::bundles::etag_of(abandoned.as_bytes());
    let mut current: Option<String> = None;
    let mut lost = Vec::new();
    let mut outcomes = [0usize; 2];
    for i in 0..iterations {
        let base = bundle("race", &format!("base {i}"));
        let created = match &current {
            None => put(&client, &url, base, "t", ("if-none-match", "*")).await,
            Some(etag) => put(&client, &url, base, "t", ("if-match", etag)).await,
        };
        assert!(created.status().is_success(), "{}", created.status());
        let e0 = etag(&created);

        let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
        let head = format!(
            "PUT /bundles/race.json HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer t\r\n\
             If-Match: {e0}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            server.addr(),
            abandoned.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(abandoned.as_bytes()).await.unwrap();
        if i % 2 == 0 {
            // Gives up while the write is under way: the case that lost acknowledged writes.
            wait_until(|| has_temporary_file(&data)).await;
        } else {
            // Gives up a few milliseconds after sending, wherever the server is by then.
            tokio::time::sleep(Duration::from_millis(i as u64 % 5)).await;
        }
        drop(stream);

        let second_body = bundle("race", &format!("second {i}"));
        let second = put(&client, &url, second_body.clone(), "t", ("if-match", &e0)).await;
        // Whatever the server still had in hand has finished once no temporary file is left.
        wait_until(|| !has_temporary_file(&data)).await;
        // The file is what every later GET serves; reading it here spares hashing 4 MB in a
        // debug build on each iteration.
        let stored = std::fs::read_to_string(data.join("race.json")).unwrap();
        if second.status().is_success() {
            outcomes[0] += 1;
            current = Some(etag(&second));
            if stored != second_body {
                lost.push(i);
                current = Some(abandoned_etag.clone());
            }
        } else {
            assert_eq!(
                second.status(),
                StatusCode::PRECONDITION_FAILED,
                "iteration {i}"
            );
            outcomes[1] += 1;
            assert!(
                stored == abandoned,
                "iteration {i}: 412 but the first did not land"
            );
            current = Some(abandoned_etag.clone());
        }
    }
    assert!(
        lost.is_empty(),
        "acknowledged writes overwritten by abandoned ones in {} of {iterations} \
         iterations: {lost:?}",
        lost.len()
    );
    eprintln!(
        "{iterations} iterations: second acknowledged {} times, refused (first landed) {} times",
        outcomes[0], outcomes[1]
    );
}
