//! Talking to the file endpoint. One small interface — list, get-if-changed, put-if-match —
//! so that WebDAV and object-store adapters are additions, not rewrites.
//!
//! Nothing here touches local data: callers decide what to do with each answer, and a failed
//! request leaves every draft as it was.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Deserialize;
use web_sys::{AbortController, RequestCache};

/// A request that has not answered in this time is treated as a network failure.
const TIMEOUT_MS: i32 = 15_000;

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
    Body { text: String, etag: Option<String> },
}

pub enum Precondition {
    /// Create only: fails if someone already published under this name.
    Absent,
    /// Replace only the version we last saw.
    Matches(String),
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
        let response = send(conditional(Request::get(&self.url("")), known_etag)).await?;
        match response.status() {
            304 => Ok(Listing::Unchanged),
            200 => {
                let etag = response.headers().get("etag");
                let bundles =
                    response
                        .json::<Vec<ListedBundle>>()
                        .await
                        .map_err(|_| SyncError::Status {
                            status: 200,
                            code: "bad_listing".into(),
                        })?;
                Ok(Listing::Changed { etag, bundles })
            }
            status => Err(status_error(status, response).await),
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
            let response = send(request).await?;
            if response.status() != 200 {
                return Err(status_error(response.status(), response).await);
            }
            let text = response.text().await.map_err(|_| SyncError::Unreachable)?;
            let entries: Vec<Entry> =
                serde_json::from_str(&text).map_err(|_| SyncError::Status {
                    status: 200,
                    code: "bad_listing".into(),
                })?;
            Ok(entries
                .into_iter()
                .map(|e| (e.name, e.etag, e.bundle.map(|raw| raw.get().to_owned())))
                .collect())
        };
        Some(answer.await)
    }

    pub async fn get(&self, name: &str, known_etag: Option<&str>) -> Result<Fetched, SyncError> {
        let response = send(conditional(Request::get(&self.url(name)), known_etag)).await?;
        match response.status() {
            304 => Ok(Fetched::Unchanged),
            404 => Ok(Fetched::Missing),
            200 => {
                let etag = response.headers().get("etag");
                let text = response.text().await.map_err(|_| SyncError::Unreachable)?;
                Ok(Fetched::Body { text, etag })
            }
            status => Err(status_error(status, response).await),
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
        let response = send(request.cache(RequestCache::NoStore)).await?;
        if response.status() != 207 {
            return Err(status_error(response.status(), response).await);
        }
        let text = response.text().await.map_err(|_| SyncError::Unreachable)?;
        let bundles = parse_multistatus(&text).ok_or(SyncError::Status {
            status: 207,
            code: "bad_listing".into(),
        })?;
        Ok(Listing::Changed {
            etag: None,
            bundles,
        })
    }

    async fn head_etag(&self, name: &str) -> Result<Option<String>, SyncError> {
        let request = Request::get(&self.url(name)).method(gloo_net::http::Method::HEAD);
        let response = send(request.cache(RequestCache::NoStore)).await?;
        match response.status() {
            404 => Ok(None),
            200 => Ok(Some(response.headers().get("etag").unwrap_or_default())),
            status => Err(status_error(status, response).await),
        }
    }

    /// Writes a bundle; returns the new ETag.
    pub async fn put(
        &self,
        name: &str,
        body: &str,
        precondition: &Precondition,
        token: &str,
    ) -> Result<String, SyncError> {
        if self.protocol == Protocol::WebDav {
            let current = self.head_etag(name).await?;
            let holds = match (precondition, &current) {
                (Precondition::Absent, None) => true,
                (Precondition::Matches(expected), Some(actual)) => expected == actual,
                _ => false,
            };
            if !holds {
                return Err(SyncError::Status {
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
        let controller = AbortController::new().ok();
        let request = request
            .cache(RequestCache::NoStore)
            .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
            .body(body.to_owned())
            .map_err(|_| SyncError::Unreachable)?;
        let response = with_timeout(request.send(), controller).await?;
        match response.status() {
            200 | 201 | 204 => match response.headers().get("etag") {
                Some(etag) => Ok(etag),
                // WebDAV servers often answer a PUT without an ETag: ask for it.
                None => Ok(self.head_etag(name).await?.unwrap_or_default()),
            },
            status => Err(status_error(status, response).await),
        }
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

async fn send(request: RequestBuilder) -> Result<Response, SyncError> {
    let controller = AbortController::new().ok();
    let request = request.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    with_timeout(request.send(), controller).await
}

async fn with_timeout(
    request: impl std::future::Future<Output = Result<Response, gloo_net::Error>>,
    controller: Option<AbortController>,
) -> Result<Response, SyncError> {
    let timer = controller.and_then(|controller| {
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
        web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    let result = request.await;
    if let (Some(timer), Some(window)) = (timer, web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
    result.map_err(|_| SyncError::Unreachable)
}

use wasm_bindgen::JsCast;

async fn status_error(status: u16, response: Response) -> SyncError {
    #[derive(Deserialize)]
    struct Reason {
        error: String,
    }
    let code = response
        .json::<Reason>()
        .await
        .map(|r| r.error)
        .unwrap_or_default();
    SyncError::Status { status, code }
}
