//! The endpoint serving a built app, on a real loopback port.

mod common;

use std::fs;

use networkshop_endpoint::{app, check_config, Config};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};

struct Server {
    base: String,
    _dir: tempfile::TempDir,
}

async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Networkshop</title>",
    )
    .unwrap();
    // Compressible content standing in for the app's wasm.
    let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..20_000).map(|i| (i % 7) as u8))
        .collect();
    fs::write(dist.join("networkshop_bg.wasm"), wasm).unwrap();
    // Files next to the app, which no path may reveal.
    fs::write(dir.path().join("secret"), "outside").unwrap();
    fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    let config = Config {
        dist,
        data: dir.path().join("data"),
        ..Default::default()
    };
    check_config(&config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(&config);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Server { base, _dir: dir }
}

#[tokio::test]
async fn serves_wasm_with_its_mime_type_and_compressed() {
    let server = start().await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/networkshop_bg.wasm", server.base))
        .header(ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
    let compressed = response.bytes().await.unwrap().len();
    assert!(compressed < 20_000 / 4, "{compressed} bytes");
}

#[tokio::test]
async fn client_routes_get_the_app_shell_and_missing_assets_are_404() {
    let server = start().await;
    let client = reqwest::Client::new();
    for route in ["/", "/map", "/topics"] {
        let response = client
            .get(format!("{}{route}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{route}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("<title>Networkshop</title>"));
    }
    let response = client
        .get(format!("{}/missing.js", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}

/// Sent as written: a client library would remove the dot segments first.
async fn answer(server: &Server, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let response =
        common::raw_request(server.base.trim_start_matches("http://"), "GET", path).await;
    let content_type = response.header("content-type").map(str::to_owned);
    (response.status, content_type, response.body)
}

#[tokio::test]
async fn a_path_that_climbs_out_answers_like_any_unknown_path() {
    let server = start().await;
    for (climbing, unknown) in [
        ("/../secret", "/no-such-page"),
        ("/../x", "/x"),
        ("/%2e%2e/secret", "/no-such-page"),
        ("/%2E%2e/%2e%2E/etc/passwd", "/etc/passwd"),
        ("/a/../../secret", "/no-such-page"),
        ("/..%2f..%2fetc%2fpasswd", "/etc/passwd"),
        ("/bundles/../../secret", "/no-such-page"),
        ("/../secret.txt", "/missing.txt"),
        ("/%2e%2e/%2e%2e/secret.txt", "/missing.txt"),
        ("/..%5csecret.txt", "/missing.txt"),
        ("/../data/", "/"),
    ] {
        let (expected, got) = (
            answer(&server, unknown).await,
            answer(&server, climbing).await,
        );
        assert_eq!(got, expected, "{climbing} answers unlike {unknown}");
        assert!(
            !String::from_utf8_lossy(&got.2).contains("outside"),
            "{climbing}"
        );
    }
    // Dot segments that stay inside the app reach its files, as a browser would resolve them.
    assert_eq!(
        answer(&server, "/x/../networkshop_bg.wasm").await,
        answer(&server, "/networkshop_bg.wasm").await
    );
}

#[tokio::test]
async fn refuses_to_start_without_a_built_app() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        dist: dir.path().join("nothing"),
        data: dir.path().join("data"),
        ..Default::default()
    };
    assert!(check_config(&config).unwrap_err().contains("index.html"));
}
