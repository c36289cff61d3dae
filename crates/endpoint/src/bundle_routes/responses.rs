//! The response shapes the bundle routes share: JSON with a strong ETag, 304s, storage errors.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::errors::error;

pub fn if_none_match_hits(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').map(str::trim).any(|c| c == etag || c == "*"))
}

pub fn not_modified(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    response.headers_mut().insert(
        header::ETAG,
        HeaderValue::from_str(etag).expect("etag is ascii"),
    );
    response
}

pub fn json_with_etag(status: StatusCode, bytes: Vec<u8>, etag: &str) -> Response {
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

pub fn storage_error(message: impl ToString) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        json!(message.to_string()),
    )
}
