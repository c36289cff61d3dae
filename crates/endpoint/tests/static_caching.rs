//! The app's files on a real loopback port, from a small fake `dist` laid out as Trunk builds
//! it: cache policy by name, the page's headers on every file, ETags and 304s.

mod common;

use common::dist::{get, header, start, CSS, JS, LOADER, WASM};
use reqwest::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, ETAG, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use reqwest::StatusCode;

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
