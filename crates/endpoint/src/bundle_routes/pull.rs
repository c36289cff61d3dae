//! Reading many bundles at once: the listing (`GET /bundles/`, with `?content=1` each file
//! too), the delta after a change number (`?since=<n>`), and the immutable checkpoints it
//! points to (`GET /bundles/checkpoints/<n>.json`).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;

use super::responses::{if_none_match_hits, json_with_etag, not_modified, storage_error};
use super::AppState;
use crate::bundles::{checkpoint_name, etag_of, Listed};
use crate::errors::error;
use crate::objects::Objects;

#[derive(serde::Deserialize)]
pub(super) struct ListQuery {
    /// `?content=1`: each entry also carries its file (see [`ListedWithContent`]).
    content: Option<String>,
    /// `?since=<n>`: only what changed after change number `n` (see [`SinceAnswer`]).
    since: Option<String>,
}

/// A listing entry with the file itself, so a browser that has none of the files fetches
/// them all in one request instead of one each. A file that is not JSON (dropped by hand)
/// comes without content; the client fetches it alone and gets its error there.
#[derive(Serialize)]
struct ListedWithContent {
    #[serde(flatten)]
    listed: Listed,
    bundle: Option<Box<RawValue>>,
}

impl ListedWithContent {
    fn new(listed: Listed, bytes: &[u8]) -> ListedWithContent {
        let bundle = String::from_utf8(bytes.to_vec())
            .ok()
            .and_then(|text| RawValue::from_string(text).ok());
        ListedWithContent { listed, bundle }
    }
}

/// Where a checkpoint is read, and the number it is as of.
#[derive(Serialize)]
struct CheckpointLink {
    seq: u64,
    url: String,
}

/// `?since=<n>`: read `checkpoint` first when there is one, then apply `changed`; ask next
/// with `since=<seq>`.
#[derive(Serialize)]
struct SinceAnswer {
    seq: u64,
    checkpoint: Option<CheckpointLink>,
    changed: Vec<ListedWithContent>,
}

fn encoded(result: Result<Vec<u8>, String>, headers: &HeaderMap) -> Response {
    match result {
        Ok(bytes) => {
            let etag = etag_of(&bytes);
            if if_none_match_hits(headers, &etag) {
                return not_modified(&etag);
            }
            json_with_etag(StatusCode::OK, bytes, &etag)
        }
        Err(message) => storage_error(message),
    }
}

pub(super) async fn list_bundles<O: Objects>(
    State(state): State<AppState<O>>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(since) = query.since {
        let Ok(since) = since.parse::<u64>() else {
            return error(StatusCode::BAD_REQUEST, "invalid_since", json!(since));
        };
        return encoded(since_answer(&state, since).await, &headers);
    }
    let with_content = query.content.is_some_and(|c| c == "1");
    let listed = state
        .store
        .list_with_contents()
        .await
        .map_err(|e| e.to_string());
    let bytes = listed.and_then(|entries| {
        let encoded = if with_content {
            let entries: Vec<ListedWithContent> = entries
                .into_iter()
                .map(|(listed, bytes)| ListedWithContent::new(listed, &bytes))
                .collect();
            serde_json::to_vec(&entries)
        } else {
            let entries: Vec<Listed> = entries.into_iter().map(|(listed, _)| listed).collect();
            serde_json::to_vec(&entries)
        };
        encoded.map_err(|e| e.to_string())
    });
    encoded(bytes, &headers)
}

async fn since_answer<O: Objects>(state: &AppState<O>, since: u64) -> Result<Vec<u8>, String> {
    let pull = state
        .store
        .pull_since(since)
        .await
        .map_err(|e| e.to_string())?;
    let answer = SinceAnswer {
        seq: pull.seq,
        checkpoint: pull.checkpoint.map(|seq| CheckpointLink {
            seq,
            url: format!(
                "/bundles/checkpoints/{}",
                checkpoint_name(seq).trim_end_matches(".gz")
            ),
        }),
        changed: pull
            .changed
            .into_iter()
            .map(|(listed, bytes, _)| ListedWithContent::new(listed, &bytes))
            .collect(),
    };
    serde_json::to_vec(&answer).map_err(|e| e.to_string())
}

/// A checkpoint never changes: cacheable by anyone for a year, sent as stored (gzip).
pub(super) async fn get_checkpoint<O: Objects>(
    State(state): State<AppState<O>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let seq = file
        .strip_suffix(".json")
        .filter(|digits| digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u64>().ok());
    let Some(seq) = seq else {
        return error(StatusCode::NOT_FOUND, "not_found", json!(file));
    };
    let gz = match state.store.checkpoint_file(seq).await {
        Ok(Some(gz)) => gz,
        Ok(None) => return error(StatusCode::NOT_FOUND, "not_found", json!(file)),
        Err(e) => return storage_error(e),
    };
    let etag = etag_of(&gz);
    if if_none_match_hits(&headers, &etag) {
        return not_modified(&etag);
    }
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut response = if accepts_gzip {
        let mut response = json_with_etag(StatusCode::OK, gz, &etag);
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    } else {
        let mut json = Vec::new();
        let read =
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut json);
        if let Err(e) = read {
            return storage_error(e);
        }
        json_with_etag(StatusCode::OK, json, &etag)
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response.into_response()
}
