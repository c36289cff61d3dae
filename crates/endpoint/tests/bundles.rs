//! The bundle routes on a real loopback port: HTTP semantics, hostile names, concurrent
//! writers, CORS.

mod common;

use std::fs;

use common::{bundle, etag, key_of, put, signed_by, start, unsigned_bundle};
use reqwest::header::{AUTHORIZATION, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn put_get_head_list_and_conditional_requests() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);

    let created = put(
        &client,
        &url,
        bundle("alice", "v1"),
        "alice-token",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let e1 = etag(&created);

    let got = client.get(&url).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(etag(&got), e1);
    let body: Value = got.json().await.unwrap();
    assert_eq!(body["records"][0]["title"], "v1");

    let head = client.head(&url).send().await.unwrap();
    assert_eq!((head.status(), etag(&head)), (StatusCode::OK, e1.clone()));

    let unchanged = client
        .get(&url)
        .header(IF_NONE_MATCH, &e1)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    // A second creation attempt, a stale If-Match and a missing precondition are all refused.
    let again = put(
        &client,
        &url,
        bundle("alice", "v2"),
        "alice-token",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::PRECONDITION_FAILED);
    let stale = put(
        &client,
        &url,
        bundle("alice", "v2"),
        "alice-token",
        ("if-match", "\"0000\""),
    )
    .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let blind = client
        .put(&url)
        .header(AUTHORIZATION, "Bearer alice-token")
        .body(bundle("alice", "v2"))
        .send()
        .await
        .unwrap();
    assert_eq!(blind.status(), StatusCode::PRECONDITION_REQUIRED);

    let updated = put(
        &client,
        &url,
        bundle("alice", "v2"),
        "alice-token",
        ("if-match", &e1),
    )
    .await;
    assert_eq!(updated.status(), StatusCode::OK);
    let e2 = etag(&updated);
    assert_ne!(e1, e2);
    let changed = client
        .get(&url)
        .header(IF_NONE_MATCH, &e1)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);

    put(
        &client,
        &format!("{}/bundles/bob.json", server.base),
        bundle("bob", "b"),
        "bob-token",
        ("if-none-match", "*"),
    )
    .await;
    let listing = client
        .get(format!("{}/bundles/", server.base))
        .send()
        .await
        .unwrap();
    let listing_etag = etag(&listing);
    let listed: Value = listing.json().await.unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["alice.json", "bob.json"]);
    assert_eq!(listed[0]["etag"], e2.as_str());
    assert!(listed[0]["size"].as_u64().unwrap() > 0);
    let cheap = client
        .get(format!("{}/bundles/", server.base))
        .header(IF_NONE_MATCH, &listing_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cheap.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_listing_with_content_carries_every_file_in_one_response() {
    let server = start().await;
    let client = Client::new();
    for author in ["amina", "jean"] {
        let url = format!("{}/bundles/{author}.json", server.base);
        let response = put(
            &client,
            &url,
            bundle(author, "Écoles"),
            author,
            (IF_NONE_MATCH.as_str(), "*"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // A file dropped by hand that is not JSON comes without content.
    fs::write(server.dir.path().join("data/broken.json"), "{ not json").unwrap();

    let url = format!("{}/bundles/?content=1", server.base);
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let listing_etag = etag(&response);
    let entries: Vec<Value> = response.json().await.unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["amina.json", "broken.json", "jean.json"]);
    for entry in &entries {
        let file = client
            .get(format!(
                "{}/bundles/{}",
                server.base,
                entry["name"].as_str().unwrap()
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(
            entry["etag"].as_str().unwrap(),
            etag(&file),
            "the same ETag as a GET"
        );
        let text = file.text().await.unwrap();
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => assert_eq!(entry["bundle"], value),
            Err(_) => assert!(entry["bundle"].is_null()),
        }
    }
    let again = client
        .get(&url)
        .header(IF_NONE_MATCH, &listing_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // The plain listing is unchanged: no content.
    let plain: Vec<Value> = client
        .get(format!("{}/bundles/", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(plain.iter().all(|e| e.get("bundle").is_none()));
}

#[tokio::test]
async fn bad_bundles_are_400_with_reasons_and_large_ones_413() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);

    let response = put(
        &client,
        &url,
        "{ not json".into(),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "not_json");

    let mut value = unsigned_bundle("alice", "x");
    value["records"][0]["url"] = json!("javascript:alert(1)");
    let response = put(
        &client,
        &url,
        signed_by(&key_of("alice"), &value),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let reason: Value = response.json().await.unwrap();
    assert_eq!(reason["error"], "invalid");
    assert_eq!(reason["detail"]["errors"][0]["field"], "records[0].url");
    assert_eq!(reason["detail"]["errors"][0]["code"], "invalid_url");

    let response = put(
        &client,
        &url,
        bundle("mallory", "x"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "wrong_file_name"
    );

    let huge = format!(
        "{}{}",
        bundle("alice", "x"),
        " ".repeat(networkshop_core::bundle::MAX_BUNDLE_BYTES)
    );
    let response = put(&client, &url, huge, "t", ("if-none-match", "*")).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn traversal_and_hidden_names_are_refused() {
    let server = start().await;
    let client = Client::new();
    put(
        &client,
        &format!("{}/bundles/alice.json", server.base),
        bundle("alice", "x"),
        "t",
        ("if-none-match", "*"),
    )
    .await;
    for path in [
        "/bundles/..%2FCargo.toml",
        "/bundles/.tokens",
        "/bundles/%2E%2E%2Fdist%2Findex.html",
        "/bundles/.tmp-x.json",
        "/bundles/Alice.json",
    ] {
        let get = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(get.status(), StatusCode::NOT_FOUND, "GET {path}");
        let put = client
            .put(format!("{}{path}", server.base))
            .header(AUTHORIZATION, "Bearer t")
            .body(bundle("alice", "x"))
            .send()
            .await
            .unwrap();
        assert!(
            put.status() == StatusCode::BAD_REQUEST || put.status() == StatusCode::NOT_FOUND,
            "PUT {path}: {}",
            put.status()
        );
    }
    let token = client
        .get(format!("{}/bundles/.tokens/alice", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn concurrent_puts_of_one_author_never_lose_or_tear_a_file() {
    let server = start().await;
    let client = Client::new();
    let url = format!("{}/bundles/alice.json", server.base);
    let e0 = etag(
        &put(
            &client,
            &url,
            bundle("alice", "base"),
            "t",
            ("if-none-match", "*"),
        )
        .await,
    );
    let writers = (0..16).map(|i| {
        let (client, url, e0) = (client.clone(), url.clone(), e0.clone());
        async move {
            put(
                &client,
                &url,
                bundle("alice", &format!("writer {i}")),
                "t",
                ("if-match", &e0),
            )
            .await
            .status()
        }
    });
    let statuses = futures::future::join_all(writers).await;
    let winners = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(winners, 1, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::PRECONDITION_FAILED));
    let stored: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    assert!(stored["records"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("writer "));
}

#[tokio::test]
async fn cors_lets_only_configured_origins_use_the_bundle_routes() {
    let server = start().await;
    let client = Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/bundles/alice.json", server.base),
            )
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header(
                "access-control-request-headers",
                "authorization, if-match, content-type",
            )
            .send()
    };
    let allowed = preflight("https://map.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://map.example"
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(methods.contains("PUT"), "{methods}");
    let other = preflight("https://elsewhere.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
