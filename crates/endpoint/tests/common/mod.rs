//! Helpers shared by the endpoint's integration tests: a server on a loopback port, signed
//! bundles of any size, and a raw HTTP/1.1 client for requests `reqwest` would normalise or
//! finish. The fake Trunk `dist` of the static-file tests in `dist.rs`.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

pub mod dist;
pub mod process;
pub mod s3;
pub mod writes;

use std::fs;
use std::path::PathBuf;

use networkshop_core::signing::AuthorKey;
use networkshop_endpoint::{app, check_config, Config};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, ETAG};
use reqwest::Client;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Server {
    pub base: String,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// `host:port`, for raw connections.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

/// A server with a one-script app shell; `adjust` changes the configuration before it starts.
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>t</title><script type=\"module\">init()</script>",
    )
    .unwrap();
    fs::write(dist.join("app.js"), "init()").unwrap();
    let mut config = Config {
        dist,
        data: dir.path().join("data"),
        cors_origins: vec!["https://map.example".into()],
        ..Default::default()
    };
    adjust(&mut config);
    check_config(&config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app(&config);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Server { base, dir }
}

pub async fn start() -> Server {
    start_with(|_| {}).await
}

pub fn record(author: &str, index: usize, title: &str, description: &str) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{index:012}"), "kind": "project", "title": title,
        "description": description, "topics": ["C4"], "revision": 1,
        "updated_at": "2005-01-10T12:00:00Z", "author": author
    })
}

pub fn bundle_of(author: &str, records: Vec<Value>) -> Value {
    json!({
        "format": "networkshop.bundle", "version": 1, "generated_at": "2005-01-10T12:00:00Z",
        "author": { "id": author, "display_name": author, "stakeholder_group": "government", "region": "europe" },
        "records": records
    })
}

/// The author's deterministic key: its seed is the author's id, zero-padded to 32 bytes.
pub fn key_of(author: &str) -> AuthorKey {
    let mut seed = [0u8; 32];
    for (byte, from) in seed.iter_mut().zip(author.bytes()) {
        *byte = from;
    }
    AuthorKey::from_seed(seed)
}

/// `value` signed by `key`, compact (the signature covers canonical bytes, not the layout).
pub fn signed_by(key: &AuthorKey, value: &Value) -> String {
    let text = key.sign_json(&value.to_string()).unwrap();
    serde_json::from_str::<Value>(&text).unwrap().to_string()
}

/// A valid bundle of one record, unsigned.
pub fn unsigned_bundle(author: &str, title: &str) -> Value {
    bundle_of(author, vec![record(author, 1, title, "")])
}

/// A valid bundle of one record, signed by its author's key.
pub fn bundle(author: &str, title: &str) -> String {
    signed_by(&key_of(author), &unsigned_bundle(author, title))
}

/// A valid bundle of about `size` bytes (never more): records with long descriptions, each
/// within the core's field limits.
pub fn large_bundle(author: &str, title: &str, size: usize) -> String {
    let description = "Inventaire des ressources. ".repeat(180);
    let one = record(author, 0, title, &description).to_string().len() + 1;
    let count = size.saturating_sub(bundle(author, title).len()) / one;
    let records = (0..count.max(1))
        .map(|i| record(author, i, title, &description))
        .collect();
    let text = signed_by(&key_of(author), &bundle_of(author, records));
    assert!(text.len() <= size, "{} > {size}", text.len());
    text
}

pub async fn put(
    client: &Client,
    url: &str,
    body: String,
    token: &str,
    precondition: (&str, &str),
) -> reqwest::Response {
    client
        .put(url)
        .header(CONTENT_TYPE, "application/json")
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(precondition.0, precondition.1)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// `GET url` as JSON, which must answer 200.
pub async fn get_json(client: &Client, url: &str) -> Value {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{url}");
    response.json().await.unwrap()
}

pub fn etag(response: &reqwest::Response) -> String {
    response.headers()[ETAG].to_str().unwrap().to_owned()
}

/// Whether an interrupted or in-progress write has a temporary file in `folder`.
pub fn has_temporary_file(folder: &std::path::Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
    })
}

#[derive(Debug, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method path` exactly as written (no dot-segment removal, no re-encoding) and reads
/// the whole answer.
pub async fn raw_request(addr: &str, method: &str, path: &str) -> RawResponse {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    RawResponse {
        status: status.parse().unwrap(),
        headers,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}
