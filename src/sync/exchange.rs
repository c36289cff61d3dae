//! One request and its whole answer, under a deadline.

use std::time::Duration;

use gloo_net::http::RequestBuilder;
use networkshop_core::publishing::HttpAnswer;
use serde::Deserialize;
use web_sys::AbortController;

use super::SyncError;
use crate::timer::Timer;

/// A whole exchange, status line to last byte of the body, within `deadline`: a server that
/// sends its headers and then stalls is cut off like one that never answers. `abort` lets the
/// caller give up sooner.
pub(super) async fn exchange(
    request: RequestBuilder,
    body: Option<String>,
    deadline: Duration,
    abort: Option<&AbortController>,
) -> Result<Answer, SyncError> {
    let controller = match abort {
        Some(controller) => controller.clone(),
        None => AbortController::new().map_err(|_| SyncError::Unreachable)?,
    };
    let request = request.abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|_| SyncError::Unreachable)?;
    let on_deadline = controller.clone();
    let _deadline = Timer::start(deadline, move || on_deadline.abort());
    let response = request.send().await.map_err(|_| SyncError::Unreachable)?;
    let status = response.status();
    let etag = response.headers().get("etag");
    // Bytes, not text: the browser would replace invalid UTF-8, which a bundle must not hold.
    let bytes = response
        .binary()
        .await
        .map_err(|_| SyncError::Unreachable)?;
    Ok(Answer {
        status,
        etag,
        bytes,
    })
}

/// An answer read to its end.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) etag: Option<String>,
    pub(super) bytes: Vec<u8>,
}

impl Answer {
    /// The endpoint's reason code, from its JSON error shape when it sent one.
    pub(super) fn error(&self) -> SyncError {
        #[derive(Deserialize)]
        struct Reason {
            error: String,
        }
        let code = serde_json::from_slice::<Reason>(&self.bytes)
            .map(|r| r.error)
            .unwrap_or_default();
        SyncError::Status {
            status: self.status,
            code,
        }
    }

    pub(super) fn into_http(self) -> HttpAnswer {
        if (200..300).contains(&self.status) {
            return HttpAnswer::Ok {
                etag: self.etag,
                body: Some(String::from_utf8_lossy(&self.bytes).into_owned()),
            };
        }
        match self.error() {
            SyncError::Status { status, code } => HttpAnswer::Status { status, code },
            SyncError::Unreachable => HttpAnswer::Unreachable,
        }
    }
}
