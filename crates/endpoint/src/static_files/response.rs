//! The answer to a request from memory: the copy the client accepts, a 304 for the tag it
//! has, one byte range; and the weak ETag of what the compression layer compresses instead.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};

use super::asset::Asset;
use super::encoding::Encoding;

impl Asset {
    /// The answer from memory: the encoding the client prefers among the copies (brotli on a
    /// tie), a 304 when If-None-Match names it, one byte range when asked (If-Range honoured),
    /// or the whole; `None` for a large file, which is read from disk.
    pub fn respond(&self, method: &Method, request: &HeaderMap) -> Option<Response<Body>> {
        let encoding = negotiate(
            request.get(header::ACCEPT_ENCODING),
            self.brotli.is_some(),
            self.gzip.is_some(),
        );
        let variant = match encoding {
            Some(Encoding::Brotli) => self.brotli.as_ref()?,
            Some(Encoding::Gzip) => self.gzip.as_ref()?,
            None => &self.identity,
        };
        let (bytes, length) = variant.bytes.as_ref()?;
        let mut headers = self.validators(&variant.etag);
        if request
            .get(header::IF_NONE_MATCH)
            .is_some_and(|tags| if_none_match_hits(tags, &variant.etag))
        {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.headers_mut() = headers;
            return Some(response);
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, encoding.header_value());
        }
        let range = request
            .get(header::RANGE)
            .filter(|_| {
                // A range of another version of the file would corrupt what the client has.
                request
                    .get(header::IF_RANGE)
                    .is_none_or(|tag| tag.as_bytes() == variant.etag.as_bytes())
            })
            .and_then(|range| single_range(range.to_str().ok()?, bytes.len() as u64));
        let total = bytes.len();
        let (status, body) = match range {
            None => {
                headers.insert(header::CONTENT_LENGTH, length.clone());
                (StatusCode::OK, bytes.clone())
            }
            Some(Ok((start, end))) => {
                let content_range = format!("bytes {start}-{end}/{total}");
                headers.insert(
                    header::CONTENT_RANGE,
                    HeaderValue::from_str(&content_range).expect("ascii"),
                );
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
                let range = start as usize..end as usize + 1;
                (StatusCode::PARTIAL_CONTENT, bytes.slice(range))
            }
            Some(Err(())) => {
                let content_range = format!("bytes */{total}");
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
                response.headers_mut().insert(
                    header::CONTENT_RANGE,
                    HeaderValue::from_str(&content_range).expect("ascii"),
                );
                return Some(response);
            }
        };
        let mut response = if *method == Method::HEAD {
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(body))
        };
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        if encoding.is_none() {
            response.extensions_mut().insert(ServedUncompressed);
        }
        Some(response)
    }
}

/// The compressed copy to send for this `Accept-Encoding`: the highest `q` among the copies
/// there are (`*` stands for those not named, `q=0` refuses), brotli on a tie; `None` for the
/// file itself.
pub fn negotiate(accept: Option<&HeaderValue>, brotli: bool, gzip: bool) -> Option<Encoding> {
    let accept = accept?.to_str().ok()?;
    let (mut br, mut gz, mut any) = (None, None, None);
    for item in accept.split(',') {
        let mut parameters = item.split(';');
        let coding = parameters.next().unwrap_or_default().trim();
        let q = parameters
            .find_map(|p| {
                let (name, value) = p.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("q")
                    .then(|| value.trim().parse::<f32>().unwrap_or(0.0))
            })
            .unwrap_or(1.0);
        if coding.eq_ignore_ascii_case("br") {
            br = Some(q);
        } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            gz = Some(q);
        } else if coding == "*" {
            any = Some(q);
        }
    }
    let br = if brotli {
        br.or(any).unwrap_or(0.0)
    } else {
        0.0
    };
    let gz = if gzip { gz.or(any).unwrap_or(0.0) } else { 0.0 };
    if br > 0.0 && br >= gz {
        Some(Encoding::Brotli)
    } else if gz > 0.0 {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

/// If-None-Match's weak comparison: `*`, or one of the listed tags with the same opaque value.
pub fn if_none_match_hits(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let opaque = |tag: &[u8]| -> Vec<u8> {
        let tag = tag.trim_ascii();
        tag.strip_prefix(b"W/").unwrap_or(tag).to_vec()
    };
    let etag = opaque(etag.as_bytes());
    if_none_match
        .as_bytes()
        .split(|&b| b == b',')
        .any(|tag| tag.trim_ascii() == b"*" || opaque(tag) == etag)
}

/// A `Range` of one byte range: `Some(Ok((first, last)))`, `Some(Err(()))` when it lies past
/// the end (416), `None` when the header is to be ignored (another unit, several ranges, bad
/// syntax): the whole file is then sent, as RFC 9110 allows.
pub(super) fn single_range(range: &str, length: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = range.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let suffix: u64 = last.parse().ok()?;
        if suffix == 0 || length == 0 {
            return Some(Err(()));
        }
        return Some(Ok((length.saturating_sub(suffix), length - 1)));
    }
    let first: u64 = first.parse().ok()?;
    let last: Option<u64> = if last.is_empty() {
        None
    } else {
        Some(last.parse().ok()?)
    };
    if last.is_some_and(|last| last < first) {
        return None;
    }
    if first >= length {
        return Some(Err(()));
    }
    Some(Ok((
        first,
        last.map_or(length - 1, |last| last.min(length - 1)),
    )))
}

/// Marks a static file's response sent without a compressed copy: the compression layer may
/// then compress it per request (a client accepting only an encoding whose copy is missing,
/// or a read-only `dist`), and its ETag no longer names those bytes.
#[derive(Debug, Clone, Copy)]
pub struct ServedUncompressed;

/// Outside the compression layer: a static file compressed per request keeps its tag only as
/// a weak one (same content, other bytes), as nginx does for what it gzips on the fly.
pub async fn weaken_etag_if_compressed<B>(mut response: Response<B>) -> Response<B> {
    let compressed_here = response.extensions().get::<ServedUncompressed>().is_some()
        && response.headers().contains_key(header::CONTENT_ENCODING);
    if compressed_here {
        let headers = response.headers_mut();
        let weak = headers
            .get(header::ETAG)
            .and_then(|tag| tag.to_str().ok())
            .filter(|tag| !tag.starts_with("W/"))
            .and_then(|tag| HeaderValue::from_str(&format!("W/{tag}")).ok());
        if let Some(weak) = weak {
            headers.insert(header::ETAG, weak);
        }
    }
    response
}
