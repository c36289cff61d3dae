//! Talking to the file endpoint. One small interface — list, get-if-changed, put-if-match —
//! so that WebDAV and object-store adapters are additions, not rewrites.
//!
//! Nothing here touches local data: callers decide what to do with each answer, and a failed
//! request leaves every draft as it was.
//!
//! The deadline-bounded exchange is in `exchange`, the answer read as it arrives in `stream`,
//! the WebDAV listing in `webdav`, every file at once (checkpoint and delta) in `bulk`.

mod bulk;
mod exchange;
mod stream;
mod webdav;

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder};
use networkshop_core::publishing::{HttpAnswer, Precondition};
use serde::Deserialize;
use web_sys::{AbortController, RequestCache};

pub use bulk::{BulkFile, Delta};
use exchange::exchange;

/// One bundle read or written: complete answers, body included, within this time.
const REQUEST_DEADLINE: Duration = Duration::from_secs(12);
/// The listing, which grows with the room.
const LIST_DEADLINE: Duration = Duration::from_secs(30);
/// Every file at once, on a first visit over a slow line.
const BULK_DEADLINE: Duration = Duration::from_secs(120);
/// A checkpoint read as it arrives is cut off only after this long without a byte: at 1.6
/// Mbit/s its 60 MB take five minutes, which no deadline on the whole would allow.
const BULK_SILENCE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    /// No answer: offline, endpoint down, DNS, CORS refused, timeout.
    Unreachable,
    /// The endpoint answered with an error status and, for our own endpoint, a reason code.
    Status { status: u16, code: String },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListedBundle {
    pub name: String,
    pub etag: String,
}

/// What the endpoint holds, or that nothing changed since `etag`.
pub enum Listing {
    Unchanged,
    Changed {
        etag: Option<String>,
        bundles: Vec<ListedBundle>,
    },
}

pub enum Fetched {
    Unchanged,
    Missing,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Protocol {
    /// The project's own endpoint: `{base}/bundles/` with a JSON listing, tokens and
    /// conditional PUT.
    Networkshop,
    /// Any WebDAV collection at `{base}/`: listing by PROPFIND. Servers that ignore `If-Match`
    /// on PUT (nginx) get a HEAD check first, which narrows but cannot close the race.
    WebDav,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    base: String,
    protocol: Protocol,
    upload_key: Option<String>,
}

impl Endpoint {
    pub fn new(base: &str, protocol: Protocol, upload_key: Option<String>) -> Endpoint {
        Endpoint {
            base: base.trim().trim_end_matches('/').to_owned(),
            protocol,
            upload_key,
        }
    }

    fn url(&self, name: &str) -> String {
        match self.protocol {
            Protocol::Networkshop => format!("{}/bundles/{name}", self.base),
            Protocol::WebDav => format!("{}/{name}", self.base),
        }
    }

    pub async fn list(&self, known_etag: Option<&str>) -> Result<Listing, SyncError> {
        if self.protocol == Protocol::WebDav {
            return self.propfind().await;
        }
        let answer = exchange(
            conditional(Request::get(&self.url("")), known_etag),
            None,
            LIST_DEADLINE,
            None,
        )
        .await?;
        match answer.status {
            304 => Ok(Listing::Unchanged),
            200 => {
                let bundles = serde_json::from_slice::<Vec<ListedBundle>>(&answer.bytes)
                    .map_err(|_| bad_listing(200))?;
                Ok(Listing::Changed {
                    etag: answer.etag,
                    bundles,
                })
            }
            _ => Err(answer.error()),
        }
    }

    pub async fn get(&self, name: &str, known_etag: Option<&str>) -> Result<Fetched, SyncError> {
        let request = conditional(Request::get(&self.url(name)), known_etag);
        let answer = exchange(request, None, REQUEST_DEADLINE, None).await?;
        match answer.status {
            304 => Ok(Fetched::Unchanged),
            404 => Ok(Fetched::Missing),
            200 => Ok(Fetched::Body {
                bytes: answer.bytes,
                etag: answer.etag,
            }),
            _ => Err(answer.error()),
        }
    }

    /// One author's file for the publisher: what came back, whatever it was.
    pub async fn fetch_own(&self, name: &str, abort: &AbortController) -> HttpAnswer {
        let request = Request::get(&self.url(name)).cache(RequestCache::NoStore);
        match exchange(request, None, REQUEST_DEADLINE, Some(abort)).await {
            Ok(answer) => answer.into_http(),
            Err(_) => HttpAnswer::Unreachable,
        }
    }

    async fn head_etag(
        &self,
        name: &str,
        abort: &AbortController,
    ) -> Result<Option<String>, SyncError> {
        let request = Request::get(&self.url(name)).method(gloo_net::http::Method::HEAD);
        let answer = exchange(
            request.cache(RequestCache::NoStore),
            None,
            REQUEST_DEADLINE,
            Some(abort),
        )
        .await?;
        match answer.status {
            404 => Ok(None),
            200 => Ok(Some(answer.etag.unwrap_or_default())),
            _ => Err(answer.error()),
        }
    }

    /// Writes a bundle under the precondition; the answer as the publisher reads it.
    pub async fn put(
        &self,
        name: &str,
        body: String,
        precondition: &Precondition,
        token: &str,
        abort: &AbortController,
    ) -> HttpAnswer {
        match self.try_put(name, body, precondition, token, abort).await {
            Ok(answer) => answer,
            Err(SyncError::Unreachable) => HttpAnswer::Unreachable,
            Err(SyncError::Status { status, code }) => HttpAnswer::Status { status, code },
        }
    }

    async fn try_put(
        &self,
        name: &str,
        body: String,
        precondition: &Precondition,
        token: &str,
        abort: &AbortController,
    ) -> Result<HttpAnswer, SyncError> {
        if self.protocol == Protocol::WebDav {
            let current = self.head_etag(name, abort).await?;
            let holds = match (precondition, &current) {
                (Precondition::Absent, None) => true,
                (Precondition::Matches(expected), Some(actual)) => expected == actual,
                _ => false,
            };
            if !holds {
                return Ok(HttpAnswer::Status {
                    status: 412,
                    code: "precondition_failed".into(),
                });
            }
        }
        let mut request = Request::put(&self.url(name))
            .header("content-type", "application/json")
            .header("authorization", &format!("Bearer {token}"));
        request = match precondition {
            Precondition::Absent => request.header("if-none-match", "*"),
            Precondition::Matches(etag) => request.header("if-match", etag),
        };
        if let Some(key) = &self.upload_key {
            request = request.header("x-networkshop-key", key);
        }
        let request = request.cache(RequestCache::NoStore);
        let answer = exchange(request, Some(body), REQUEST_DEADLINE, Some(abort)).await?;
        if (200..300).contains(&answer.status) && answer.etag.is_none() {
            // WebDAV servers often answer a PUT without an ETag: ask for it.
            let etag = self.head_etag(name, abort).await?;
            return Ok(HttpAnswer::Ok { etag, body: None });
        }
        Ok(answer.into_http())
    }
}

fn conditional(request: RequestBuilder, known_etag: Option<&str>) -> RequestBuilder {
    // The browser's HTTP cache would answer 304s itself; polling must see the endpoint.
    let request = request.cache(RequestCache::NoStore);
    match known_etag {
        Some(etag) => request.header("if-none-match", etag),
        None => request,
    }
}

fn bad_listing(status: u16) -> SyncError {
    SyncError::Status {
        status,
        code: "bad_listing".into(),
    }
}
