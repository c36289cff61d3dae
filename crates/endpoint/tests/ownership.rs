//! Who may write a bundle: the first token owns the author's file, an operator's upload key
//! gates every PUT, and a refused writer hears so before any precondition is looked at.

mod common;

use std::fs;

use common::{bundle, etag, put, start, start_with};
use reqwest::header::{AUTHORIZATION, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};
use serde_json::Value;

#[tokio::test]
async fn an_authors_file_is_bound_to_the_first_token() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);
    let no_token = client
        .put(&url)
        .header(IF_NONE_MATCH, "*")
        .body(bundle("alice", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let e1 = etag(
        &put(
            &client,
            &url,
            bundle("alice", "mine"),
            "alice-secret",
            ("if-none-match", "*"),
        )
        .await,
    );
    let stolen = put(
        &client,
        &url,
        bundle("alice", "theirs"),
        "mallory-secret",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(stolen.status(), StatusCode::FORBIDDEN);
    let body: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["records"][0]["title"], "mine");
    // Only the hash of the token is kept.
    let token_file = fs::read_to_string(server.dir.path().join("data/.tokens/alice")).unwrap();
    assert!(!token_file.contains("alice-secret"));
}

#[tokio::test]
async fn a_refused_token_is_told_so_whatever_its_preconditions() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);
    let current = etag(
        &put(
            &client,
            &url,
            bundle("alice", "mine"),
            "alice-secret",
            ("if-none-match", "*"),
        )
        .await,
    );
    let preconditions: [&[(&str, &str)]; 5] = [
        &[("if-match", "\"0000\"")],
        &[("if-match", &current)],
        &[("if-match", "*")],
        &[("if-none-match", "*")],
        &[],
    ];
    for (token, status, code) in [
        (None, StatusCode::UNAUTHORIZED, "token_required"),
        (Some("mallory-secret"), StatusCode::FORBIDDEN, "forbidden"),
    ] {
        for headers in preconditions {
            let mut request = client.put(&url).body(bundle("alice", "theirs"));
            if let Some(token) = token {
                request = request.header(AUTHORIZATION, format!("Bearer {token}"));
            }
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), status, "{token:?} {headers:?}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], code, "{token:?} {headers:?}");
        }
    }
    let stored: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored["records"][0]["title"], "mine");

    // A file not yet written needs a token too, before its precondition is looked at.
    let refused = client
        .put(format!("{}/bundles/bob.json", server.base))
        .header("if-match", "\"0000\"")
        .body(bundle("bob", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_operator_upload_key_is_required_when_configured() {
    let server = start_with(|c| c.upload_key = Some("room-key".into())).await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);
    let refused = put(
        &client,
        &url,
        bundle("alice", "x"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let accepted = client
        .put(&url)
        .header(AUTHORIZATION, "Bearer t")
        .header(IF_NONE_MATCH, "*")
        .header("x-networkshop-key", "room-key")
        .body(bundle("alice", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::CREATED);
}
