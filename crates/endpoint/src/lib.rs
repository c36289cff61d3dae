//! The native file endpoint: serves the built app and the author bundles.
//!
//! Kept thin: HTTP concerns here, file rules in `bundles.rs`, every rule about a bundle's
//! content in `networkshop-core` (the same validation the browser runs).

pub mod bundles;

use std::path::PathBuf;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use networkshop_core::bundle::MAX_BUNDLE_BYTES;
use networkshop_core::parse_bundle;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::bundles::{author_of_file_name, etag_of, BundleStore, WriteError};

/// Header carrying the operator's shared upload key, when one is configured.
pub const UPLOAD_KEY_HEADER: &str = "x-networkshop-key";

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Where author bundles are kept, one file per author.
    pub data: PathBuf,
    /// When set, every PUT must carry it in `X-Networkshop-Key`.
    pub upload_key: Option<String>,
    /// Origins allowed to call the bundle routes from another site (`*` for any).
    pub cors_origins: Vec<String>,
}

#[derive(Clone)]
struct AppState {
    store: BundleStore,
    upload_key: Option<String>,
}

/// The whole HTTP application.
pub fn app(config: &Config) -> Router {
    let state = AppState {
        store: BundleStore::new(config.data.clone()),
        upload_key: config.upload_key.clone(),
    };
    let bundle_routes = Router::new()
        .route("/bundles", get(list_bundles))
        .route("/bundles/", get(list_bundles))
        .route("/bundles/{file}", get(get_bundle).put(put_bundle))
        // One byte over the bundle limit is enough to tell "too large" (413).
        .layer(DefaultBodyLimit::max(MAX_BUNDLE_BYTES + 1))
        .layer(cors(&config.cors_origins))
        .with_state(state);

    let dist = config.dist.clone();
    let csp = content_security_policy(&config.dist);
    let app_routes = Router::new()
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
        ));

    bundle_routes
        .merge(app_routes)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Wasm, JS and JSON shrink to a third or less; the participant may be on a slow line.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::HEAD, Method::PUT])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            HeaderName::from_static(UPLOAD_KEY_HEADER),
        ])
        .expose_headers([header::ETAG]);
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}

/// Trunk inlines the app's start-up script in index.html; the policy allows exactly that script
/// by its hash, so no other inline script can run.
fn content_security_policy(dist: &std::path::Path) -> HeaderValue {
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

fn error(status: StatusCode, code: &str, detail: serde_json::Value) -> Response {
    (status, Json(json!({ "error": code, "detail": detail }))).into_response()
}

fn if_none_match_hits(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').map(str::trim).any(|c| c == etag || c == "*"))
}

fn not_modified(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    response.headers_mut().insert(
        header::ETAG,
        HeaderValue::from_str(etag).expect("etag is ascii"),
    );
    response
}

fn json_with_etag(status: StatusCode, bytes: Vec<u8>, etag: &str) -> Response {
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(etag).expect("etag is ascii"),
    );
    // Always revalidate: polling with If-None-Match costs a 304.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[derive(serde::Deserialize)]
struct ListQuery {
    /// `?content=1`: each entry also carries its file (see [`ListedWithContent`]).
    content: Option<String>,
}

/// A listing entry with the file itself, so a browser that has none of the files fetches
/// them all in one request instead of one each. A file that is not JSON (dropped by hand)
/// comes without content; the client fetches it alone and gets its error there.
#[derive(serde::Serialize)]
struct ListedWithContent {
    #[serde(flatten)]
    listed: crate::bundles::Listed,
    bundle: Option<Box<serde_json::value::RawValue>>,
}

async fn list_bundles(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    let store = state.store.clone();
    let with_content = query.content.is_some_and(|c| c == "1");
    let listed = tokio::task::spawn_blocking(move || {
        store.list_with_contents().map(|entries| {
            if with_content {
                let entries: Vec<ListedWithContent> = entries
                    .into_iter()
                    .map(|(listed, bytes)| ListedWithContent {
                        listed,
                        bundle: String::from_utf8(bytes)
                            .ok()
                            .and_then(|text| serde_json::value::RawValue::from_string(text).ok()),
                    })
                    .collect();
                serde_json::to_vec(&entries)
            } else {
                let entries: Vec<_> = entries.into_iter().map(|(listed, _)| listed).collect();
                serde_json::to_vec(&entries)
            }
        })
    })
    .await;
    let listed = listed
        .map_err(|e| e.to_string())
        .and_then(|read| read.map_err(|e| e.to_string()))
        .and_then(|encoded| encoded.map_err(|e| e.to_string()));
    match listed {
        Ok(bytes) => {
            let etag = etag_of(&bytes);
            if if_none_match_hits(&headers, &etag) {
                return not_modified(&etag);
            }
            json_with_etag(StatusCode::OK, bytes, &etag)
        }
        Err(message) => error(StatusCode::INTERNAL_SERVER_ERROR, "storage", json!(message)),
    }
}

async fn get_bundle(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(author) = author_of_file_name(&file) else {
        return error(StatusCode::NOT_FOUND, "not_found", json!(file));
    };
    match state.store.read(author) {
        Ok(Some(bytes)) => {
            let etag = etag_of(&bytes);
            if if_none_match_hits(&headers, &etag) {
                return not_modified(&etag);
            }
            json_with_etag(StatusCode::OK, bytes, &etag)
        }
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found", json!(file)),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            json!(e.to_string()),
        ),
    }
}

async fn put_bundle(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(key) = &state.upload_key {
        if headers.get(UPLOAD_KEY_HEADER).and_then(|v| v.to_str().ok()) != Some(key.as_str()) {
            return error(StatusCode::UNAUTHORIZED, "upload_key_required", json!(null));
        }
    }
    let Some(author) = author_of_file_name(&file).map(str::to_owned) else {
        return error(StatusCode::BAD_REQUEST, "invalid_author", json!(file));
    };
    if body.len() > MAX_BUNDLE_BYTES {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            json!({ "limit": MAX_BUNDLE_BYTES }),
        );
    }
    let bundle = match parse_bundle(&body) {
        Ok(bundle) => bundle,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                e.code(),
                serde_json::to_value(&e).unwrap_or_default(),
            )
        }
    };
    if bundle.author.id != author {
        return error(
            StatusCode::BAD_REQUEST,
            "author_mismatch",
            json!({ "path": author, "bundle": bundle.author.id }),
        );
    }
    let if_match = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let if_none_match_any = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "*");
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());

    let lock = state.store.lock_for(&author);
    let _guard = lock.lock().await;
    let existed = matches!(state.store.read(&author), Ok(Some(_)));
    let store = state.store.clone();
    let written = tokio::task::spawn_blocking(move || {
        store.write(
            &author,
            &body,
            if_match.as_deref(),
            if_none_match_any,
            token.as_deref(),
        )
    })
    .await;
    match written {
        Ok(Ok(etag)) => {
            let status = if existed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            let mut response = (status, Json(json!({ "etag": etag }))).into_response();
            response.headers_mut().insert(
                header::ETAG,
                HeaderValue::from_str(&etag).expect("etag is ascii"),
            );
            response
        }
        Ok(Err(WriteError::PreconditionFailed)) => error(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            json!(null),
        ),
        Ok(Err(WriteError::PreconditionRequired)) => error(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            json!(null),
        ),
        Ok(Err(WriteError::TokenRequired)) => {
            error(StatusCode::UNAUTHORIZED, "token_required", json!(null))
        }
        Ok(Err(WriteError::Forbidden)) => error(StatusCode::FORBIDDEN, "forbidden", json!(null)),
        Ok(Err(WriteError::Io(e))) => error(StatusCode::INTERNAL_SERVER_ERROR, "storage", json!(e)),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            json!(e.to_string()),
        ),
    }
}

/// Static files of the app; any path without a file extension is a client-side route and gets
/// `index.html`, while a missing asset stays a 404 (an HTML page in place of a wasm file would
/// only hide the error).
async fn serve_app(dist: PathBuf, request: Request<Body>) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/bundles/") {
        // Nothing deeper than /bundles/{author}.json exists; never answer with the app shell.
        return error(StatusCode::NOT_FOUND, "not_found", json!(null));
    }
    let last_segment = path.rsplit('/').next().unwrap_or("");
    let is_route = !last_segment.contains('.');
    let result = if is_route && !dist.join(path.trim_start_matches('/')).is_file() {
        ServeFile::new(dist.join("index.html"))
            .oneshot(request)
            .await
    } else {
        ServeDir::new(&dist).oneshot(request).await
    };
    match result {
        Ok(response) => {
            let mut response = response.map(Body::new);
            if is_route || last_segment == "sw.js" {
                // The page shell and the service worker must be revalidated so a new build is
                // picked up.
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            }
            response
        }
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// Checks the configured folders before serving, so a wrong `--dist` is an error at start-up
/// rather than a 404 in the participant's browser.
pub fn check_config(config: &Config) -> Result<(), String> {
    if !config.dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the app first (trunk build --release) or pass --dist",
            config.dist.display()
        ));
    }
    std::fs::create_dir_all(&config.data).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e}",
            config.data.display()
        )
    })?;
    Ok(())
}
