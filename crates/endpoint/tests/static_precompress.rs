//! The app's files on a real loopback port, from a small fake `dist` laid out as Trunk builds
//! it: stale copies rewritten at start, large files read from disk and compressed per
//! request, a new build served without a restart.

mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use common::dist::{get, header, index_html, start, unbrotli, wasm, write_dist, CSS, JS, WASM};
use common::{start_with, Server};
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG};
use reqwest::StatusCode;

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
