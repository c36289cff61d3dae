//! Every kind of refusal explains itself in one shape: `application/json` with an `error`
//! code, whoever refused (a handler, axum's routing and extractors, or the static files).

mod common;

use std::fs;

use common::{bundle, etag, key_of, put, signed_by, start, start_with, unsigned_bundle};
use networkshop_core::bundle::MAX_BUNDLE_BYTES;
use reqwest::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, IF_MATCH, IF_NONE_MATCH, RANGE};
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

struct Refusal {
    what: &'static str,
    request: RequestBuilder,
    status: StatusCode,
    code: &'static str,
}

fn refusal(
    what: &'static str,
    request: RequestBuilder,
    status: u16,
    code: &'static str,
) -> Refusal {
    Refusal {
        what,
        request,
        status: StatusCode::from_u16(status).unwrap(),
        code,
    }
}

/// A bundle changed, then signed: refused for the change, not for its signature.
fn bundle_with(author: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut value = unsigned_bundle(author, "x");
    change(&mut value);
    signed_by(&key_of(author), &value)
}

#[tokio::test]
async fn every_refusal_is_json_with_an_error_code() {
    let server = start().await;
    let keyed = start_with(|c| c.upload_key = Some("room-key".into())).await;
    let client = Client::new();
    let alice = format!("{}/bundles/alice.json", server.base);
    put(
        &client,
        &alice,
        bundle("alice", "x"),
        "alice-token",
        (IF_NONE_MATCH.as_str(), "*"),
    )
    .await;
    // A folder where a bundle should be: reading it fails.
    fs::create_dir(server.data().join("broken.json")).unwrap();

    let url = |path: &str| format!("{}{path}", server.base);
    let owner = |body: String| {
        client
            .put(&alice)
            .header(AUTHORIZATION, "Bearer alice-token")
            .header(IF_MATCH, "*")
            .body(body)
    };
    let many_records = bundle_with("alice", |b| {
        b["records"] = Value::Array(vec![b["records"][0].clone(); 5_001]);
    });
    let refusals = [
        refusal(
            "upload key missing",
            client
                .put(format!("{}/bundles/alice.json", keyed.base))
                .body(bundle("alice", "x")),
            401,
            "upload_key_required",
        ),
        refusal(
            "invalid author name",
            client
                .put(url("/bundles/Alice.json"))
                .body(bundle("alice", "x")),
            400,
            "invalid_author",
        ),
        refusal("not JSON", owner("{ not json".into()), 400, "not_json"),
        refusal(
            "not a bundle",
            owner(signed_by(&key_of("alice"), &json!({}))),
            400,
            "not_a_bundle",
        ),
        refusal(
            "newer version",
            owner(bundle_with("alice", |b| b["version"] = json!(99))),
            400,
            "newer_version",
        ),
        refusal(
            "version 0",
            owner(bundle_with("alice", |b| b["version"] = json!(0))),
            400,
            "unsupported_version",
        ),
        refusal(
            "malformed",
            owner(bundle_with("alice", |b| b["records"] = json!("x"))),
            400,
            "malformed",
        ),
        refusal(
            "too many records",
            owner(many_records),
            400,
            "too_many_records",
        ),
        refusal(
            "invalid field",
            owner(bundle_with("alice", |b| {
                b["records"][0]["url"] = json!("javascript:alert(1)")
            })),
            400,
            "invalid",
        ),
        refusal(
            "another author's file",
            owner(bundle("bob", "x")),
            400,
            "wrong_file_name",
        ),
        refusal(
            "one byte over the limit",
            owner(" ".repeat(MAX_BUNDLE_BYTES + 1)),
            413,
            "too_large",
        ),
        refusal(
            "far over the limit (axum's limit)",
            owner(" ".repeat(MAX_BUNDLE_BYTES + 4096)),
            413,
            "too_large",
        ),
        refusal(
            "no token",
            client
                .put(url("/bundles/bob.json"))
                .header(IF_NONE_MATCH, "*")
                .body(bundle("bob", "x")),
            401,
            "token_required",
        ),
        refusal(
            "another's token",
            client
                .put(&alice)
                .header(AUTHORIZATION, "Bearer bob-token")
                .header(IF_MATCH, "*")
                .body(bundle("alice", "x")),
            403,
            "forbidden",
        ),
        refusal(
            "stale If-Match",
            client
                .put(&alice)
                .header(AUTHORIZATION, "Bearer alice-token")
                .header(IF_MATCH, "\"0\"")
                .body(bundle("alice", "x")),
            412,
            "precondition_failed",
        ),
        refusal(
            "no precondition",
            client
                .put(&alice)
                .header(AUTHORIZATION, "Bearer alice-token")
                .body(bundle("alice", "x")),
            428,
            "precondition_required",
        ),
        refusal(
            "unknown bundle",
            client.get(url("/bundles/nobody.json")),
            404,
            "not_found",
        ),
        refusal(
            "hidden name",
            client.get(url("/bundles/.tokens")),
            404,
            "not_found",
        ),
        refusal(
            "below a bundle",
            client.get(url("/bundles/alice/x.json")),
            404,
            "not_found",
        ),
        refusal(
            "missing asset",
            client.get(url("/missing.js")),
            404,
            "not_found",
        ),
        refusal(
            "POST on a bundle",
            client.post(&alice),
            405,
            "method_not_allowed",
        ),
        refusal(
            "DELETE on a bundle",
            client.delete(&alice),
            405,
            "method_not_allowed",
        ),
        refusal(
            "POST on the listing",
            client.post(url("/bundles/")),
            405,
            "method_not_allowed",
        ),
        refusal(
            "PUT on the app",
            client.put(url("/")),
            405,
            "method_not_allowed",
        ),
        refusal(
            "DELETE on a client route",
            client.delete(url("/map")),
            405,
            "method_not_allowed",
        ),
        refusal(
            "path not UTF-8",
            client.get(url("/bundles/%FF.json")),
            400,
            "bad_request",
        ),
        refusal(
            "query repeated",
            client.get(url("/bundles/?content=1&content=0")),
            400,
            "bad_request",
        ),
        refusal(
            "range past the end",
            client.get(url("/app.js")).header(RANGE, "bytes=9999-"),
            416,
            "range_not_satisfiable",
        ),
        refusal(
            "unreadable bundle",
            client.get(url("/bundles/broken.json")),
            500,
            "storage",
        ),
    ];
    assert!(refusals.len() >= 20);
    for Refusal {
        what,
        request,
        status,
        code,
    } in refusals
    {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{what}");
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(
                response.headers().contains_key(ALLOW),
                "{what}: Allow is kept"
            );
        }
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "application/json",
            "{what}"
        );
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(body["error"], code, "{what}: {body}");
        assert!(body.get("detail").is_some(), "{what}: {body}");
    }

    // A 304 is no refusal: it stays empty.
    let stored = client.get(&alice).send().await.unwrap();
    let unchanged = client
        .get(&alice)
        .header(IF_NONE_MATCH, etag(&stored))
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes().await.unwrap().is_empty());
    // HEAD of a refusal: the status and type, no body.
    let head = client
        .request(Method::HEAD, url("/missing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
}
