//! One shape for every refusal: `{"error": code, "detail": …}` as `application/json`, whether
//! a handler refused or axum did (405, 413, a bad path or query) or the static files did (404,
//! 416). A client reads `error` and never has to guess what an empty body meant.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Longest refusal text kept as `detail`; axum's own are one line.
const MAX_DETAIL_BYTES: usize = 4 * 1024;

pub fn error(status: StatusCode, code: &str, detail: serde_json::Value) -> Response {
    (status, Json(json!({ "error": code, "detail": detail }))).into_response()
}

/// Middleware for the whole router: a refusal that is already JSON passes through; any other
/// gets the shape, a code named after its status and, as detail, the text it carried. Its
/// other headers (`Allow` on a 405, `Content-Range` on a 416) stay.
pub async fn explain_refusals(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let detail = match to_bytes(body, MAX_DETAIL_BYTES).await {
        Ok(bytes) if !bytes.is_empty() => json!(String::from_utf8_lossy(&bytes).trim()),
        _ => serde_json::Value::Null,
    };
    let body = json!({ "error": code_for(status), "detail": detail }).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        })
}

/// `not_found`, `method_not_allowed`, …: the status's reason in snake case, except 413, which
/// keeps the code the bundle route's own size check gives.
pub fn code_for(status: StatusCode) -> String {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return "too_large".into();
    }
    let reason = status.canonical_reason().unwrap_or("error");
    reason
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_reasons_in_snake_case() {
        assert_eq!(code_for(StatusCode::NOT_FOUND), "not_found");
        assert_eq!(
            code_for(StatusCode::METHOD_NOT_ALLOWED),
            "method_not_allowed"
        );
        assert_eq!(code_for(StatusCode::PAYLOAD_TOO_LARGE), "too_large");
        assert_eq!(code_for(StatusCode::IM_A_TEAPOT), "i_m_a_teapot");
        assert_eq!(code_for(StatusCode::from_u16(599).unwrap()), "error");
    }

    #[tokio::test]
    async fn text_refusals_become_json_and_keep_their_headers() {
        let mut refusal = (StatusCode::METHOD_NOT_ALLOWED, "use GET").into_response();
        refusal
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET,HEAD"));
        let explained = explain_refusals(refusal).await;
        assert_eq!(explained.headers()[header::ALLOW], "GET,HEAD");
        assert_eq!(
            explained.headers()[header::CONTENT_TYPE],
            "application/json"
        );
        let body = to_bytes(explained.into_body(), 1024).await.unwrap();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            value,
            json!({ "error": "method_not_allowed", "detail": "use GET" })
        );

        let not_modified = explain_refusals(StatusCode::NOT_MODIFIED.into_response()).await;
        let body = to_bytes(not_modified.into_body(), 1024).await.unwrap();
        assert!(body.is_empty(), "a 304 stays empty");
    }
}
