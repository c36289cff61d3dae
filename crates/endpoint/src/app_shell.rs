//! The built app: its files, the app shell for client-side routes, and the headers that keep
//! the page to itself (CSP, no framing, no referrer).

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use percent_encoding::percent_decode_str;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::errors::error;

pub fn router(dist: &Path) -> Router {
    let csp = content_security_policy(dist);
    let dist = dist.to_owned();
    Router::new()
        .fallback(move |request: Request<Body>| serve_app(dist.clone(), request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// The request path as the names it asks for: percent-decoded, split on `/` and `\` (however
/// written), `.` and `..` resolved and clamped at the root, as a browser would before sending.
/// So a path that climbs out (`/../x`, `/%2e%2e/x`, `/..%2fx`) asks for what `/x` asks for,
/// and its answer cannot tell a prober what exists outside the app.
fn resolve(path: &str) -> Vec<String> {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut names: Vec<String> = Vec::new();
    for name in decoded.split(['/', '\\']) {
        match name {
            "" | "." => {}
            ".." => {
                names.pop();
            }
            name => names.push(name.to_owned()),
        }
    }
    names
}

/// The file in `dist` that `names` designate, if each is a plain file name (no drive prefix,
/// no NUL) and the file exists.
fn file_in(dist: &Path, names: &[String]) -> Option<PathBuf> {
    let plain = |name: &String| {
        !name.contains('\0')
            && matches!(
                Path::new(name).components().collect::<Vec<_>>()[..],
                [Component::Normal(_)]
            )
    };
    if !names.iter().all(plain) {
        return None;
    }
    let file = names
        .iter()
        .fold(dist.to_owned(), |path, name| path.join(name));
    file.is_file().then_some(file)
}

/// A path naming a file of the app gets it; any other path without a file extension is a
/// client-side route and gets `index.html`; any other is a missing asset and gets a 404 (an
/// HTML page in place of a wasm file would only hide the error).
async fn serve_app(dist: PathBuf, request: Request<Body>) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut refusal = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            json!(null),
        );
        refusal
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refusal;
    }
    let names = resolve(request.uri().path());
    if names.first().is_some_and(|n| n == "bundles") {
        // Nothing deeper than /bundles/{author}.json exists; never answer with the app shell.
        return error(StatusCode::NOT_FOUND, "not_found", json!(null));
    }
    let last = names.last().map_or("", String::as_str);
    let is_route = !last.contains('.');
    let file = match file_in(&dist, &names) {
        Some(file) => file,
        None if is_route => dist.join("index.html"),
        None => return error(StatusCode::NOT_FOUND, "not_found", json!(null)),
    };
    let Ok(response) = ServeFile::new(file).oneshot(request).await;
    let mut response = response.map(Body::new);
    if is_route || last == "sw.js" {
        // The page shell and the service worker must be revalidated so a new build is
        // picked up.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// Trunk inlines the app's start-up script in index.html; the policy allows exactly that script
/// by its hash, so no other inline script can run.
fn content_security_policy(dist: &Path) -> HeaderValue {
    let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let mut script_hashes = String::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(open_end) = after_tag.find('>') else {
            break;
        };
        let Some(close) = after_tag.find("</script>") else {
            break;
        };
        let body = &after_tag[open_end + 1..close];
        if !after_tag[..open_end].contains("src=") {
            let digest = Sha256::digest(body.as_bytes());
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            script_hashes.push_str(&format!(" 'sha256-{encoded}'"));
        }
        rest = &after_tag[close + "</script>".len()..];
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' http: https:; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_as_a_browser_would_and_never_climb_out() {
        for (path, names) in [
            ("/", vec![]),
            ("/map/", vec!["map"]),
            ("/a/./b", vec!["a", "b"]),
            ("/../x", vec!["x"]),
            ("/%2e%2E/x", vec!["x"]),
            ("/a/../../etc/passwd", vec!["etc", "passwd"]),
            ("/..%2f..%2fCargo.toml", vec!["Cargo.toml"]),
            ("/..%5c..%5cwin.ini", vec!["win.ini"]),
            ("/x/..", vec![]),
            ("/caf%C3%A9", vec!["café"]),
        ] {
            assert_eq!(resolve(path), names, "{path}");
        }
    }

    #[test]
    fn only_plain_names_designate_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.js"), "").unwrap();
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(file_in(dir.path(), &names(&["app.js"])).is_some());
        assert!(file_in(dir.path(), &names(&["missing.js"])).is_none());
        assert!(file_in(dir.path(), &names(&["app.js\0"])).is_none());
        assert!(
            file_in(dir.path(), &names(&[])).is_none(),
            "a folder is no file"
        );
    }
}
