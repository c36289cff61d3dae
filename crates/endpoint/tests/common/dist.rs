//! A small fake `dist` laid out as Trunk builds it, a server on it, and the helpers the
//! static-file tests read its answers with.

use std::fs;
use std::io::Read;
use std::path::Path;

use reqwest::{Client, Response};

use super::{start_with, Server};

pub const JS: &str = "networkshop-18d768c8c7c81299.js";
pub const WASM: &str = "networkshop-18d768c8c7c81299_bg.wasm";
pub const CSS: &str = "main-9244fe5190667fcb.css";
pub const LOADER: &str = "bf2795610d3718c2-loader.js";

pub fn index_html() -> String {
    format!(
        "<!doctype html><html><head><title>Networkshop</title>\
         <link rel=\"stylesheet\" href=\"/{CSS}\"><script type=\"module\">\
         import init from '/{JS}'; import initializer from '/{LOADER}';\
         await init('/{WASM}');</script></head><body><p>Chargement… / Loading…</p></body></html>"
    )
}

pub fn wasm() -> Vec<u8> {
    b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..40_000u32).map(|i| (i % 251 % 7) as u8))
        .collect()
}

/// The files and their content type, as Trunk's dist holds them.
pub fn files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
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

pub fn write_dist(dist: &Path) {
    fs::create_dir_all(dist).unwrap();
    for (name, bytes, _) in files() {
        fs::write(dist.join(name), bytes).unwrap();
    }
}

pub async fn start() -> Server {
    start_with(|config| write_dist(&config.dist)).await
}

pub async fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = Client::new().get(format!("{}{path}", server.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

pub fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

pub fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}
