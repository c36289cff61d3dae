//! Reading many bundles at once: the listing (`GET /bundles/`, with `?content=1` each file
//! too), the delta after a change number (`?since=<n>`), and the immutable checkpoints it
//! points to (`GET /bundles/checkpoints/<n>.json`).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::{stream, StreamExt};
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
        return since_answer(&state, since).await;
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

/// `?since=<n>`, sent as its files are read: the change number and the checkpoint's link
/// first, so a reader can ask for the checkpoint before the last changed file is read (after a
/// burst of publications they are a thousand, 0.5 s of reads at 10,000 authors). A read that
/// fails cuts the answer off; the reader keeps what came and asks again. Without an ETag:
/// the answer changes at every write, and it is not known before its end.
async fn since_answer<O: Objects>(state: &AppState<O>, since: u64) -> Response {
    let plan = match state.store.plan_pull(since).await {
        Ok(plan) => plan,
        Err(e) => return storage_error(e.to_string()),
    };
    let head = SinceAnswer {
        seq: plan.seq,
        checkpoint: plan.checkpoint.map(|seq| CheckpointLink {
            seq,
            url: format!(
                "/bundles/checkpoints/{}",
                checkpoint_name(seq).trim_end_matches(".gz")
            ),
        }),
        changed: Vec::new(),
    };
    // `{"seq":…,"checkpoint":…,"changed":[]}` without its last two bytes: the array is open.
    let mut head = serde_json::to_vec(&head).unwrap_or_default();
    head.truncate(head.len().saturating_sub(2));
    let mut first = true;
    let entries = state.store.current_files(plan.authors).map(move |read| {
        let Some((listed, bytes, _)) = read? else {
            return Ok(Vec::new());
        };
        let mut entry = if std::mem::take(&mut first) {
            Vec::new()
        } else {
            vec![b',']
        };
        serde_json::to_writer(&mut entry, &ListedWithContent::new(listed, &bytes))?;
        Ok::<_, std::io::Error>(entry)
    });
    let body = stream::once(async { Ok(head) })
        .chain(entries)
        .chain(stream::once(async { Ok(b"]}".to_vec()) }));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Body::from_stream(body),
    )
        .into_response()
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
