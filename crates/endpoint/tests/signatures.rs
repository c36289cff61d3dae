//! Signed bundles: a PUT is judged as readers judge a published file (strictly decoded, signed,
//! named after its author), and each author's key is pinned on their first accepted PUT.

mod common;

use std::fs;

use common::{bundle, etag, key_of, put, signed_by, start, start_with, unsigned_bundle};
use networkshop_core::signing::AuthorKey;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

/// The refusal shape every endpoint refusal has, with this status and code; gives the detail.
async fn refused(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "{code}");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    body["detail"].clone()
}

/// A PUT creating `file` with `body`, as its author's first write.
async fn create(
    client: &Client,
    base: &str,
    file: &str,
    body: impl Into<reqwest::Body>,
) -> Response {
    client
        .put(format!("{base}/bundles/{file}"))
        .header("authorization", "Bearer alice-token")
        .header("if-none-match", "*")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn bundles_that_readers_would_not_trust_are_refused_and_claim_nothing() {
    let server = start().await;
    let client = Client::new();
    let base = &server.base;

    let unsigned = unsigned_bundle("alice", "x").to_string();
    refused(
        create(&client, base, "alice.json", unsigned).await,
        StatusCode::BAD_REQUEST,
        "unsigned",
    )
    .await;

    let altered = bundle("alice", "mine").replace("\"mine\"", "\"theirs\"");
    refused(
        create(&client, base, "alice.json", altered).await,
        StatusCode::BAD_REQUEST,
        "bad_signature",
    )
    .await;

    // A file speaks only for the author it is named after, however well signed.
    let detail = refused(
        create(&client, base, "mallory.json", bundle("alice", "x")).await,
        StatusCode::BAD_REQUEST,
        "wrong_file_name",
    )
    .await;
    assert_eq!(detail["author"], "alice");

    let signed = bundle("alice", "x");
    assert!(signed.starts_with("{\"format\""), "{signed}");
    let repeated = signed.replacen('{', "{\"version\":1,", 1);
    let detail = refused(
        create(&client, base, "alice.json", repeated).await,
        StatusCode::BAD_REQUEST,
        "duplicate_key",
    )
    .await;
    assert_eq!(detail["path"], "version", "{detail}");

    let mut not_utf8 = bundle("alice", "café").into_bytes();
    let accent = not_utf8
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .unwrap();
    not_utf8[accent] = 0xFF;
    let detail = refused(
        create(&client, base, "alice.json", not_utf8).await,
        StatusCode::BAD_REQUEST,
        "not_utf8",
    )
    .await;
    assert_eq!(detail["offset"], accent);

    // Nothing was written, no token and no key were claimed: the author's own first PUT works.
    assert!(!server.data().join("alice.json").exists());
    assert!(!server.data().join(".tokens").join("alice.key").exists());
    assert!(!server.data().join(".tokens").join("mallory").exists());
    let created = create(&client, base, "alice.json", bundle("alice", "mine")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn another_key_is_refused_even_with_the_right_token_and_after_a_restart() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);
    let e1 = etag(&create(&client, &server.base, "alice.json", bundle("alice", "mine")).await);
    let pin = server.data().join(".tokens").join("alice.key");
    assert_eq!(
        fs::read_to_string(&pin).unwrap(),
        key_of("alice").public_key()
    );

    let other_key = AuthorKey::from_seed([9; 32]);
    let resigned = signed_by(&other_key, &unsigned_bundle("alice", "theirs"));
    let detail = refused(
        put(
            &client,
            &url,
            resigned.clone(),
            "alice-token",
            ("if-match", &e1),
        )
        .await,
        StatusCode::FORBIDDEN,
        "key_changed",
    )
    .await;
    assert_eq!(detail["author"], "alice");
    // A wrong token is told so first, as for any write.
    refused(
        put(
            &client,
            &url,
            resigned.clone(),
            "mallory",
            ("if-match", &e1),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // A new endpoint on the same folder keeps the pin: it lives on disk, not in memory.
    let restarted = start_with(|c| c.data = server.data()).await;
    let url = format!("{}/bundles/alice.json", restarted.base);
    refused(
        put(&client, &url, resigned, "alice-token", ("if-match", &e1)).await,
        StatusCode::FORBIDDEN,
        "key_changed",
    )
    .await;
    let stored: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored["records"][0]["title"], "mine");
    let kept = put(
        &client,
        &url,
        bundle("alice", "mine, again"),
        "alice-token",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(kept.status(), StatusCode::OK);

    // The operator lets alice start over: both files go, the next PUT claims them again.
    fs::remove_file(&pin).unwrap();
    fs::remove_file(server.data().join(".tokens").join("alice")).unwrap();
    let fresh = signed_by(&other_key, &unsigned_bundle("alice", "new start"));
    let started_over = put(
        &client,
        &url,
        fresh,
        "new-token",
        ("if-match", &etag(&kept)),
    )
    .await;
    assert_eq!(started_over.status(), StatusCode::OK);
    assert_eq!(fs::read_to_string(&pin).unwrap(), other_key.public_key());
}

#[tokio::test]
async fn files_dropped_in_by_hand_are_served_as_they_are() {
    let server = start().await;
    let client = Client::new();
    let dropped = json!({ "anything": "unsigned" }).to_string();
    fs::write(server.data().join("bob.json"), &dropped).unwrap();
    let url = format!("{}/bundles/bob.json", server.base);
    let got = client.get(&url).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    let e0 = etag(&got);
    assert_eq!(got.text().await.unwrap(), dropped);
    // Its author's first signed PUT replaces it and pins their key.
    let replaced = put(
        &client,
        &url,
        bundle("bob", "b"),
        "bob-token",
        ("if-match", &e0),
    )
    .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert_eq!(
        fs::read_to_string(server.data().join(".tokens").join("bob.key")).unwrap(),
        key_of("bob").public_key()
    );
}
