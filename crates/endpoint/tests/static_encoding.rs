//! The app's files on a real loopback port, from a small fake `dist` laid out as Trunk builds
//! it: compressed copies chosen by Accept-Encoding, the same bytes whatever the encoding,
//! HEAD and ranges, copies never served by their own name, dynamic JSON still compressed per
//! request.

mod common;

use common::dist::{files, get, header, start, unbrotli, ungzip, wasm, JS, WASM};
use common::{bundle, put};
use reqwest::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, RANGE, VARY,
};
use reqwest::{Client, StatusCode};

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
