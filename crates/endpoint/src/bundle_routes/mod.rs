//! `/bundles/`: each author's file by GET and PUT, with CORS for the configured origins; the
//! listing, the delta and the checkpoints in `pull.rs`. Every rule about a bundle's content is
//! the core's; every rule about the files is the store's.

mod pull;
mod responses;
#[cfg(test)]
mod tests;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use networkshop_core::bundle::MAX_BUNDLE_BYTES;
use networkshop_core::trust::{accept_published, KeyPins};
use networkshop_core::BundleError;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::bundles::{author_of_file_name, etag_of, BundleStore, Write, WriteError};
use crate::errors::error;
use crate::objects::Objects;
use crate::UPLOAD_KEY_HEADER;
use pull::{get_checkpoint, list_bundles};
use responses::{if_none_match_hits, json_with_etag, not_modified, storage_error};

#[derive(Clone)]
struct AppState<O: Objects> {
    store: BundleStore<O>,
    upload_key: Option<String>,
}

pub fn router<O: Objects>(
    store: BundleStore<O>,
    upload_key: Option<String>,
    cors_origins: &[String],
) -> Router {
    Router::new()
        .route("/bundles", get(list_bundles::<O>))
        .route("/bundles/", get(list_bundles::<O>))
        .route("/bundles/{file}", get(get_bundle::<O>).put(put_bundle::<O>))
        .route("/bundles/checkpoints/{file}", get(get_checkpoint::<O>))
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

async fn get_bundle<O: Objects>(
    State(state): State<AppState<O>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(author) = author_of_file_name(&file) else {
        return error(StatusCode::NOT_FOUND, "not_found", json!(file));
    };
    match state.store.read(author).await {
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

async fn put_bundle<O: Objects>(
    State(state): State<AppState<O>>,
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
