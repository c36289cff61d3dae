//! The app's files on a real loopback port, from a small fake `dist` laid out as Trunk builds
//! it: compressed copies chosen by Accept-Encoding, cache policy by name, ETags and 304s,
//! stale copies rewritten at start, dynamic JSON still compressed per request.

mod common;

use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

use common::{bundle, put, start_with, Server};
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, RANGE, VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use reqwest::{Client, Response, StatusCode};

const JS: &str = "networkshop-18d768c8c7c81299.js";
const WASM: &str = "networkshop-18d768c8c7c81299_bg.wasm";
const CSS: &str = "main-9244fe5190667fcb.css";
const LOADER: &str = "bf2795610d3718c2-loader.js";

fn index_html() -> String {
    format!(
        "<!doctype html><html><head><title>Networkshop</title>\
         <link rel=\"stylesheet\" href=\"/{CSS}\"><script type=\"module\">\
         import init from '/{JS}'; import initializer from '/{LOADER}';\
         await init('/{WASM}');</script></head><body><p>Chargement… / Loading…</p></body></html>"
    )
}

fn wasm() -> Vec<u8> {
    b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..40_000u32).map(|i| (i % 251 % 7) as u8))
        .collect()
}

/// The files and their content type, as Trunk's dist holds them.
fn files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("index.html", index_html().into_bytes(), "text/html"),
        (
            JS,
            "export default function init() { return 42; }\n"
                .repeat(200)
                .into_bytes(),
            "text/javascript",
        ),
        (WASM, wasm(), "application/wasm"),
        (
            CSS,
            ".loading { display: grid; }\n".repeat(200).into_bytes(),
            "text/css",
        ),
        (
            LOADER,
            "export default function initializer() { return {}; }\n"
                .repeat(20)
                .into_bytes(),
            "text/javascript",
        ),
        (
            "sw.js",
            "self.addEventListener('fetch', () => {});\n"
                .repeat(20)
                .into_bytes(),
            "text/javascript",
        ),
        (
            "manifest.webmanifest",
            br#"{"name": "Networkshop", "start_url": "/", "display": "standalone", "icons": []}"#
                .to_vec(),
            "application/manifest+json",
        ),
        (
            "icon.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#
                .to_vec(),
            "image/svg+xml",
        ),
        ("favicon.ico", vec![7u8; 600], "image/x-icon"),
    ]
}

fn write_dist(dist: &Path) {
    fs::create_dir_all(dist).unwrap();
    for (name, bytes, _) in files() {
        fs::write(dist.join(name), bytes).unwrap();
    }
}

async fn start() -> Server {
    start_with(|config| write_dist(&config.dist)).await
}

async fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = Client::new().get(format!("{}{path}", server.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn brotli_or_gzip_as_accepted_with_the_right_headers_and_the_same_bytes() {
    let server = start().await;
    for (name, source, content_type) in files() {
        let path = format!("/{name}");
        let compressible = !name.ends_with(".ico");
        let mut tags = Vec::new();
        for (accept, expected) in [
            ("gzip, deflate, br, zstd", "br"),
            ("br", "br"),
            ("gzip", "gzip"),
            ("gzip;q=1, br;q=0.5", "gzip"),
            ("identity", ""),
            ("", ""),
        ] {
            let response = get(&server, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(response.status(), StatusCode::OK, "{name} {accept}");
            assert_eq!(header(&response, CONTENT_TYPE), content_type, "{name}");
            let expected = if compressible { expected } else { "" };
            assert_eq!(
                header(&response, CONTENT_ENCODING),
                expected,
                "{name} {accept}"
            );
            if compressible {
                assert_eq!(header(&response, VARY), "accept-encoding", "{name}");
            }
            let etag = header(&response, ETAG);
            assert!(
                etag.starts_with('"') && etag.ends_with('"'),
                "strong: {etag}"
            );
            tags.push((expected, etag));
            let length: usize = header(&response, CONTENT_LENGTH).parse().unwrap();
            let body = response.bytes().await.unwrap();
            assert_eq!(body.len(), length, "{name} {accept}");
            let decoded = match expected {
                "br" => unbrotli(&body),
                "gzip" => ungzip(&body),
                _ => body.to_vec(),
            };
            assert_eq!(decoded, source, "{name} {accept}: not the file's bytes");
            if !expected.is_empty() && source.len() > 1000 {
                assert!(
                    body.len() < source.len() / 4,
                    "{name} {accept}: {}",
                    body.len()
                );
            }
        }
        // One tag per encoding, and a different tag for each.
        tags.sort();
        tags.dedup();
        let encodings: Vec<&str> = tags.iter().map(|(e, _)| *e).collect();
        let mut distinct: Vec<&String> = tags.iter().map(|(_, t)| t).collect();
        distinct.dedup();
        assert_eq!(distinct.len(), encodings.len(), "{name}: {tags:?}");
    }
}

#[tokio::test]
async fn hashed_names_are_immutable_and_the_rest_revalidated() {
    let server = start().await;
    for path in [
        format!("/{JS}"),
        format!("/{WASM}"),
        format!("/{CSS}"),
        format!("/{LOADER}"),
    ] {
        let response = get(&server, &path, &[("accept-encoding", "br")]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    for path in [
        "/",
        "/index.html",
        "/map",
        "/topics/C4",
        "/sw.js",
        "/manifest.webmanifest",
        "/icon.svg",
        "/favicon.ico",
    ] {
        let response = get(&server, path, &[("accept-encoding", "br")]).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, CACHE_CONTROL), "no-cache", "{path}");
    }
    // The page's headers are kept on every file.
    let js = get(&server, &format!("/{JS}"), &[]).await;
    assert_eq!(header(&js, X_FRAME_OPTIONS), "DENY");
    assert_eq!(header(&js, X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(header(&js, CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
    assert_eq!(header(&js, "referrer-policy"), "no-referrer");
}

#[tokio::test]
async fn if_none_match_with_the_etag_gets_a_304_and_no_body() {
    let server = start().await;
    for (path, accept) in [
        (format!("/{WASM}"), "br"),
        (format!("/{WASM}"), "gzip"),
        (format!("/{WASM}"), ""),
        ("/".to_owned(), "gzip, deflate, br"),
        ("/map".to_owned(), "br"),
        ("/sw.js".to_owned(), "br"),
        ("/favicon.ico".to_owned(), "br"),
    ] {
        let first = get(&server, &path, &[("accept-encoding", accept)]).await;
        let etag = header(&first, ETAG);
        let cache_control = header(&first, CACHE_CONTROL);
        for tag in [etag.clone(), format!("W/{etag}"), format!("\"x\", {etag}")] {
            let again = get(
                &server,
                &path,
                &[("accept-encoding", accept), ("if-none-match", &tag)],
            )
            .await;
            assert_eq!(
                again.status(),
                StatusCode::NOT_MODIFIED,
                "{path} {accept} {tag}"
            );
            assert_eq!(header(&again, ETAG), etag);
            assert_eq!(header(&again, CACHE_CONTROL), cache_control);
            assert_eq!(header(&again, CONTENT_ENCODING), "");
            assert!(again.bytes().await.unwrap().is_empty(), "{path}: a body");
        }
        let other = get(
            &server,
            &path,
            &[("accept-encoding", accept), ("if-none-match", "\"other\"")],
        )
        .await;
        assert_eq!(other.status(), StatusCode::OK, "{path}");
    }
    // The brotli copy's tag does not validate the gzip copy.
    let brotli = get(&server, &format!("/{WASM}"), &[("accept-encoding", "br")]).await;
    let gzip = get(
        &server,
        &format!("/{WASM}"),
        &[
            ("accept-encoding", "gzip"),
            ("if-none-match", &header(&brotli, ETAG)),
        ],
    )
    .await;
    assert_eq!(gzip.status(), StatusCode::OK);
    assert_eq!(header(&gzip, CONTENT_ENCODING), "gzip");
    // On the wire, without a client in between: nothing after the head of a 304.
    let raw = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
        let head = format!(
            "GET /{WASM} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nIf-None-Match: {}\r\nConnection: close\r\n\r\n",
            header(&brotli, ETAG)
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        String::from_utf8(raw).unwrap()
    };
    assert!(raw.starts_with("HTTP/1.1 304"), "{raw}");
    assert!(raw.ends_with("\r\n\r\n"), "a body after a 304: {raw}");
}

#[tokio::test]
async fn head_and_ranges_describe_the_encoding_sent() {
    let server = start().await;
    let url = format!("{}/{WASM}", server.base);
    let client = Client::new();
    let get_br = client
        .get(&url)
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    let length = header(&get_br, CONTENT_LENGTH);
    let head = client
        .head(&url)
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(&head, CONTENT_LENGTH), length);
    assert_eq!(header(&head, CONTENT_ENCODING), "br");
    assert_eq!(header(&head, ETAG), header(&get_br, ETAG));
    assert!(head.bytes().await.unwrap().is_empty());

    let range = client
        .get(&url)
        .header(RANGE, "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&range, "content-range"),
        format!("bytes 0-3/{}", wasm().len())
    );
    assert_eq!(&range.bytes().await.unwrap()[..], b"\0asm");
    let past_end = client
        .get(&url)
        .header(RANGE, "bytes=99999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(past_end.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header(&past_end, CONTENT_TYPE), "application/json");
}

#[tokio::test]
async fn compressed_copies_are_not_served_by_their_own_name() {
    let server = start().await;
    assert!(server
        .dir
        .path()
        .join("dist")
        .join(format!("{WASM}.br"))
        .is_file());
    for path in [
        format!("/{WASM}.br"),
        format!("/{WASM}.gz"),
        "/index.html.gz".to_owned(),
        format!("/{JS}.br"),
    ] {
        let response = get(&server, &path, &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(&response, CONTENT_TYPE),
            "application/json",
            "{path}"
        );
        let response = get(&server, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
}

#[tokio::test]
async fn a_stale_copy_is_rewritten_at_start_and_a_fresh_one_kept() {
    let server = start().await;
    let dist = server.dir.path().join("dist");
    let js = dist.join(JS);
    let copy = dist.join(format!("{JS}.br"));
    let css_copy = dist.join(format!("{CSS}.gz"));
    let css_copy_file = fs::metadata(&css_copy).unwrap().ino();
    // The first server's folder stays; only its dist is used again.
    let Server { dir: _dir, .. } = server;

    // A new build changes the script; its brotli copy is the previous build's, older.
    let new_source = "export default function init() { return 43; }\n".repeat(300);
    fs::write(&js, &new_source).unwrap();
    let js_modified = fs::metadata(&js).unwrap().modified().unwrap();
    let mut old_copy = Vec::new();
    brotli::BrotliCompress(
        &mut "the previous build".as_bytes(),
        &mut old_copy,
        &Default::default(),
    )
    .unwrap();
    fs::write(&copy, &old_copy).unwrap();
    fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(js_modified - Duration::from_secs(60))
        .unwrap();

    let restarted = start_with(|config| {
        config.dist = dist.clone();
    })
    .await;
    assert_eq!(
        unbrotli(&fs::read(&copy).unwrap()),
        new_source.as_bytes(),
        "the stale copy was rewritten"
    );
    assert_eq!(
        fs::metadata(&copy).unwrap().modified().unwrap(),
        js_modified,
        "stamped with its source's time"
    );
    assert_eq!(
        fs::metadata(&css_copy).unwrap().ino(),
        css_copy_file,
        "an up-to-date copy is left alone"
    );
    let response = get(&restarted, &format!("/{JS}"), &[("accept-encoding", "br")]).await;
    assert_eq!(header(&response, CONTENT_ENCODING), "br");
    assert_eq!(
        unbrotli(&response.bytes().await.unwrap()),
        new_source.as_bytes()
    );
    assert!(fs::read_dir(&dist)
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().starts_with(".tmp")));
}

#[tokio::test]
async fn large_files_come_from_disk_and_compressed_per_request_get_a_weak_etag() {
    // Every file above 1,000 bytes counts as large here: read per request, never compressed
    // ahead, so the compression layer compresses it.
    let server = start_with(|config| {
        write_dist(&config.dist);
        config.large_file_bytes = Some(1_000);
    })
    .await;
    assert!(!server
        .dir
        .path()
        .join("dist")
        .join(format!("{WASM}.br"))
        .exists());
    let response = get(&server, &format!("/{WASM}"), &[("accept-encoding", "br")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
    assert_eq!(header(&response, CONTENT_ENCODING), "br");
    assert_eq!(
        header(&response, CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let etag = header(&response, ETAG);
    assert!(etag.starts_with("W/\""), "compressed per request: {etag}");
    assert_eq!(unbrotli(&response.bytes().await.unwrap()), wasm());

    let identity = get(&server, &format!("/{WASM}"), &[]).await;
    let strong = header(&identity, ETAG);
    assert_eq!(format!("W/{strong}"), etag);
    assert_eq!(identity.bytes().await.unwrap(), wasm());

    let again = get(
        &server,
        &format!("/{WASM}"),
        &[("accept-encoding", "br"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn dynamic_json_is_still_compressed_per_request() {
    let server = start().await;
    let client = Client::new();
    let created = put(
        &client,
        &format!("{}/bundles/alice.json", server.base),
        bundle("alice", "Inventaire des ressources du SMSI"),
        "alice-token",
        ("if-none-match", "*"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let listing = get(
        &server,
        "/bundles/?content=1",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(listing.status(), StatusCode::OK);
    assert_eq!(header(&listing, CONTENT_ENCODING), "gzip");
    let etag = header(&listing, ETAG);
    assert!(
        etag.starts_with('"'),
        "the bundle routes' tags are left alone"
    );
    let listed: serde_json::Value =
        serde_json::from_slice(&ungzip(&listing.bytes().await.unwrap())).unwrap();
    assert_eq!(listed[0]["bundle"]["author"]["id"], "alice");
    let unchanged = get(
        &server,
        "/bundles/?content=1",
        &[("accept-encoding", "gzip"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_new_build_is_served_without_a_restart() {
    let server = start().await;
    let dist = server.dir.path().join("dist");
    let first = get(&server, "/", &[("accept-encoding", "br")]).await;
    assert_eq!(header(&first, CONTENT_ENCODING), "br");
    let old_tag = header(&first, ETAG);

    // The new build: another page (its copies left stale, as a copy tool might) and a new
    // hashed script.
    let page = index_html().replace("</body>", "<!-- build 2 --></body>");
    fs::write(dist.join("index.html"), &page).unwrap();
    fs::File::options()
        .write(true)
        .open(dist.join("index.html"))
        .unwrap()
        .set_modified(std::time::SystemTime::now() + Duration::from_secs(2))
        .unwrap();
    let script = "export default function init() { return 2; }\n".repeat(100);
    fs::write(dist.join("networkshop-0a1b2c3d4e5f6a7b.js"), &script).unwrap();

    for path in ["/", "/map"] {
        let response = get(&server, path, &[("accept-encoding", "br")]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CACHE_CONTROL), "no-cache");
        // Its copies are older than it: compressed per request, so the tag is weak.
        assert_eq!(header(&response, CONTENT_ENCODING), "br");
        let tag = header(&response, ETAG);
        assert!(tag.starts_with("W/\""), "{tag}");
        assert_ne!(tag.trim_start_matches("W/"), old_tag, "{path}");
        assert_eq!(
            unbrotli(&response.bytes().await.unwrap()),
            page.as_bytes(),
            "{path}: the new page"
        );
    }
    let revalidated = get(
        &server,
        "/",
        &[("accept-encoding", "br"), ("if-none-match", &old_tag)],
    )
    .await;
    assert_eq!(revalidated.status(), StatusCode::OK, "the old tag is stale");

    // The room asks for it at once: every answer is the file, under one tag.
    let answers = futures::future::join_all(
        (0..40).map(|_| get(&server, "/networkshop-0a1b2c3d4e5f6a7b.js", &[])),
    )
    .await;
    let tags: std::collections::BTreeSet<String> =
        answers.iter().map(|a| header(a, ETAG)).collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    for answer in answers {
        assert_eq!(answer.bytes().await.unwrap(), script.as_bytes());
    }
    let new_script = get(&server, "/networkshop-0a1b2c3d4e5f6a7b.js", &[]).await;
    assert_eq!(new_script.status(), StatusCode::OK);
    assert_eq!(
        header(&new_script, CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(new_script.bytes().await.unwrap(), script.as_bytes());
}
