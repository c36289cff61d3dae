//! `/bundles/`: the listing, and each author's file by GET and PUT, with CORS for the
//! configured origins. Every rule about a bundle's content is the core's; every rule about the
//! files is the store's.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use networkshop_core::bundle::MAX_BUNDLE_BYTES;
use networkshop_core::trust::{accept_published, KeyPins};
use networkshop_core::BundleError;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::bundles::{author_of_file_name, etag_of, BundleStore, Listed, Write, WriteError};
use crate::errors::error;
use crate::UPLOAD_KEY_HEADER;

#[derive(Clone)]
struct AppState {
    store: BundleStore,
    upload_key: Option<String>,
}

pub fn router(store: BundleStore, upload_key: Option<String>, cors_origins: &[String]) -> Router {
    Router::new()
        .route("/bundles", get(list_bundles))
        .route("/bundles/", get(list_bundles))
        .route("/bundles/{file}", get(get_bundle).put(put_bundle))
        // One byte over the bundle limit is enough to tell "too large" (413).
        .layer(DefaultBodyLimit::max(MAX_BUNDLE_BYTES + 1))
        .layer(cors(cors_origins))
        .with_state(AppState { store, upload_key })
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

fn storage_error(message: impl ToString) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        json!(message.to_string()),
    )
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
    listed: Listed,
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
        Err(message) => storage_error(message),
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
        Err(e) => storage_error(e),
    }
}

/// A bundle the core refused: its code, and the error itself as detail.
fn bundle_refusal(status: StatusCode, e: &BundleError) -> Response {
    error(
        status,
        e.code(),
        serde_json::to_value(e).unwrap_or_default(),
    )
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
    // The body is judged before the token: that needs nothing stored, so it tells a caller
    // nothing about the author's file, and a bad bundle is refused whoever sends it. Judged as
    // readers judge a published file (strict decoding, a valid signature, the author's own
    // name); the pinned key is the store's to check, under the author's lock.
    let trusted = match accept_published(&file, &body, &KeyPins::default()) {
        Ok(trusted) => trusted,
        Err(e) => return bundle_refusal(StatusCode::BAD_REQUEST, &e),
    };
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let write = Write {
        author,
        bytes: Vec::from(body),
        if_match: text(header::IF_MATCH).map(str::to_owned),
        if_none_match_any: text(header::IF_NONE_MATCH).is_some_and(|v| v.trim() == "*"),
        token: text(header::AUTHORIZATION)
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned()),
        public_key: trusted.public_key,
    };
    match state.store.write(write).await {
        Ok(written) => {
            let status = if written.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let mut response = (status, Json(json!({ "etag": written.etag }))).into_response();
            response.headers_mut().insert(
                header::ETAG,
                HeaderValue::from_str(&written.etag).expect("etag is ascii"),
            );
            response
        }
        Err(WriteError::TokenRequired) => {
            error(StatusCode::UNAUTHORIZED, "token_required", json!(null))
        }
        Err(WriteError::Forbidden) => error(StatusCode::FORBIDDEN, "forbidden", json!(null)),
        Err(WriteError::KeyChanged) => bundle_refusal(
            StatusCode::FORBIDDEN,
            &BundleError::KeyChanged {
                author: trusted.bundle.author.id,
            },
        ),
        Err(WriteError::PreconditionFailed) => error(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            json!(null),
        ),
        Err(WriteError::PreconditionRequired) => error(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            json!(null),
        ),
        Err(WriteError::Io(message)) => storage_error(message),
    }
}
