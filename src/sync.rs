//! Talking to the file endpoint. One small interface — list, get-if-changed, put-if-match —
//! so that WebDAV and object-store adapters are additions, not rewrites.
//!
//! Nothing here touches local data: callers decide what to do with each answer, and a failed
//! request leaves every draft as it was.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder};
use networkshop_core::publishing::{HttpAnswer, Precondition};
use serde::Deserialize;
use web_sys::{AbortController, RequestCache};

use crate::timer::Timer;

/// One bundle read or written: complete answers, body included, within this time.
const REQUEST_DEADLINE: Duration = Duration::from_secs(12);
/// The listing, which grows with the room.
const LIST_DEADLINE: Duration = Duration::from_secs(30);
/// Every file at once, on a first visit over a slow line.
const BULK_DEADLINE: Duration = Duration::from_secs(120);

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

    /// Every file in one response (`GET /bundles/?content=1`), for a pull that lacks many: one
    /// request instead of one per file. Only the project's endpoint has it (`None` otherwise);
    /// files it sends without content (not JSON) are fetched alone.
    pub async fn get_all(
        &self,
    ) -> Option<Result<Vec<(String, String, Option<String>)>, SyncError>> {
        #[derive(Deserialize)]
        struct Entry {
            name: String,
            etag: String,
            bundle: Option<Box<serde_json::value::RawValue>>,
        }
        if self.protocol != Protocol::Networkshop {
            return None;
        }
        let request =
            Request::get(&format!("{}?content=1", self.url(""))).cache(RequestCache::NoStore);
        let answer = async {
            let answer = exchange(request, None, BULK_DEADLINE, None).await?;
            if answer.status != 200 {
                return Err(answer.error());
            }
            let entries: Vec<Entry> =
                serde_json::from_slice(&answer.bytes).map_err(|_| bad_listing(200))?;
            Ok(entries
                .into_iter()
                .map(|e| (e.name, e.etag, e.bundle.map(|raw| raw.get().to_owned())))
                .collect())
        };
        Some(answer.await)
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

    /// WebDAV listing: `PROPFIND Depth: 1`, read with the browser's XML parser. A server that
    /// gives no `getetag` gets a version made of modification time and size.
    async fn propfind(&self) -> Result<Listing, SyncError> {
        let method =
            gloo_net::http::Method::from_bytes(b"PROPFIND").map_err(|_| SyncError::Unreachable)?;
        let request = Request::get(&format!("{}/", self.base))
            .method(method)
            .header("depth", "1");
        let answer = exchange(
            request.cache(RequestCache::NoStore),
            None,
            LIST_DEADLINE,
            None,
        )
        .await?;
        if answer.status != 207 {
            return Err(answer.error());
        }
        let bundles =
            parse_multistatus(&String::from_utf8_lossy(&answer.bytes)).ok_or(bad_listing(207))?;
        Ok(Listing::Changed {
            etag: None,
            bundles,
        })
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

/// The `.json` members of a WebDAV multistatus answer.
fn parse_multistatus(xml: &str) -> Option<Vec<ListedBundle>> {
    const DAV: &str = "DAV:";
    let parser = web_sys::DomParser::new().ok()?;
    let document = parser
        .parse_from_string(xml, web_sys::SupportedType::TextXml)
        .ok()?;
    let responses = document
        .get_elements_by_tag_name_ns(Some(DAV), "response")
        .ok()?;
    let text_of = |element: &web_sys::Element, tag: &str| -> Option<String> {
        element
            .get_elements_by_tag_name_ns(Some(DAV), tag)
            .ok()?
            .item(0)
            .and_then(|e| e.text_content())
    };
    let mut bundles = Vec::new();
    for i in 0..responses.length() {
        let Some(response) = responses.item(i) else {
            continue;
        };
        let href = text_of(&response, "href").unwrap_or_default();
        let last = href
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned();
        let name = js_sys::decode_uri_component(&last)
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or(last);
        if !name.ends_with(".json") || name.starts_with('.') {
            continue;
        }
        let etag = match text_of(&response, "getetag") {
            Some(etag) if !etag.is_empty() => etag,
            _ => format!(
                "W/\"{}-{}\"",
                text_of(&response, "getlastmodified").unwrap_or_default(),
                text_of(&response, "getcontentlength").unwrap_or_default()
            ),
        };
        bundles.push(ListedBundle { name, etag });
    }
    Some(bundles)
}

fn conditional(request: RequestBuilder, known_etag: Option<&str>) -> RequestBuilder {
    // The browser's HTTP cache would answer 304s itself; polling must see the endpoint.
    let request = request.cache(RequestCache::NoStore);
    match known_etag {
        Some(etag) => request.header("if-none-match", etag),
        None => request,
    }
}

/// A whole exchange, status line to last byte of the body, within `deadline`: a server that
/// sends its headers and then stalls is cut off like one that never answers. `abort` lets the
/// caller give up sooner.
async fn exchange(
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
struct Answer {
    status: u16,
    etag: Option<String>,
    bytes: Vec<u8>,
}

impl Answer {
    /// The endpoint's reason code, from its JSON error shape when it sent one.
    fn error(&self) -> SyncError {
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

    fn into_http(self) -> HttpAnswer {
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

fn bad_listing(status: u16) -> SyncError {
    SyncError::Status {
        status,
        code: "bad_listing".into(),
    }
}
