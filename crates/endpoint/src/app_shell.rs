//! The built app: its files, the app shell for client-side routes, and the headers that keep
//! the page to itself (CSP, no framing, no referrer).

use std::path::Path;
use std::sync::Arc;

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
use crate::static_files::{if_none_match_hits, Asset, ServedUncompressed, StaticFiles};

pub fn router(dist: &Path, large_file_bytes: u64) -> Router {
    // For every answer but a page's, which carries the policy of its own scripts.
    let csp = content_security_policy(
        &std::fs::read_to_string(dist.join("index.html")).unwrap_or_default(),
    );
    let files = Arc::new(StaticFiles::scan(dist, large_file_bytes));
    tracing::debug!(files = files.len(), "the app's files are read");
    Router::new()
        .fallback(move |request: Request<Body>| serve_app(files.clone(), request))
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

/// A path naming a file of the app gets it; any other path without a file extension is a
/// client-side route and gets its app's shell (see [`shell_of`]); any other is a missing asset
/// and gets a 404 (an HTML page in place of a wasm file would only hide the error).
async fn serve_app(files: Arc<StaticFiles>, request: Request<Body>) -> Response {
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
    let is_route = !names.last().is_some_and(|name| name.contains('.'));
    let asset = match files.lookup(&names).await {
        Some(asset) => asset,
        None if is_route => match shell_of(&files, &names).await {
            Some(shell) => shell,
            None => return error(StatusCode::NOT_FOUND, "not_found", json!(null)),
        },
        None => return error(StatusCode::NOT_FOUND, "not_found", json!(null)),
    };
    serve_asset(&asset, request).await
}

/// The shell of the app a route belongs to: `<first segment>/index.html` when the build has one
/// (the facilitator's app is built into `map/`, its copy for `/report` into `report/`), the
/// participant's `index.html` otherwise.
async fn shell_of(files: &StaticFiles, names: &[String]) -> Option<Arc<Asset>> {
    if let Some(first) = names.first() {
        if let Some(shell) = files
            .lookup(&[first.clone(), "index.html".to_owned()])
            .await
        {
            return Some(shell);
        }
    }
    files.lookup(&["index.html".to_owned()]).await
}

/// From memory (see [`Asset::respond`]); a large file through ServeFile, which reads it from
/// disk (its compressed copies too, should someone have made them) and answers ranges; then
/// the ETag of the bytes it chose, the cache policy and `Vary`, or a 304.
async fn serve_asset(asset: &Asset, request: Request<Body>) -> Response {
    if let Some(response) = asset.respond(request.method(), request.headers()) {
        return response;
    }
    let (mut parts, _) = request.into_parts();
    // The ETag is the validator: If-None-Match wins over If-Modified-Since (RFC 9110
    // §13.2.2), and a 304 must name the representation it confirms, which a date cannot.
    parts.headers.remove(header::IF_MODIFIED_SINCE);
    let if_none_match = parts.headers.remove(header::IF_NONE_MATCH);
    let mut serve = ServeFile::new(&asset.path);
    if asset.brotli.is_some() {
        serve = serve.precompressed_br();
    }
    if asset.gzip.is_some() {
        serve = serve.precompressed_gzip();
    }
    let Ok(response) = serve
        .oneshot(Request::from_parts(parts, Body::empty()))
        .await;
    let (mut parts, body) = response.into_parts();
    if !parts.status.is_success() {
        // A 416, or the file gone since its stat (404): explained as JSON like any refusal.
        return Response::from_parts(parts, Body::new(body));
    }
    let encoding = parts.headers.get(header::CONTENT_ENCODING);
    if encoding.is_none() {
        parts.extensions.insert(ServedUncompressed);
    }
    let etag = asset.etag_for(encoding).clone();
    let validators = asset.validators(&etag);
    if if_none_match.is_some_and(|tags| if_none_match_hits(&tags, &etag)) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        *not_modified.headers_mut() = validators;
        return not_modified;
    }
    parts.headers.extend(validators);
    Response::from_parts(parts, Body::new(body))
}

/// Trunk inlines the app's start-up script in index.html; the policy allows exactly that script
/// by its hash, so no other inline script can run.
pub fn content_security_policy(html: &str) -> HeaderValue {
    let mut script_hashes = String::new();
    let mut rest = html;
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
}
