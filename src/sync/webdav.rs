//! The WebDAV listing: `PROPFIND Depth: 1` and its multistatus answer.

use gloo_net::http::Request;
use web_sys::RequestCache;

use super::exchange::exchange;
use super::{bad_listing, Endpoint, ListedBundle, Listing, SyncError, LIST_DEADLINE};

impl Endpoint {
    /// WebDAV listing: `PROPFIND Depth: 1`, read with the browser's XML parser. A server that
    /// gives no `getetag` gets a version made of modification time and size.
    pub(super) async fn propfind(&self) -> Result<Listing, SyncError> {
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
