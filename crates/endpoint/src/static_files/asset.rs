//! One file of the app read into what it is served with: its bytes and those of its
//! compressed copies, their ETags, its type, its cache policy and a page's own CSP. The answer
//! to a request from it is in `response.rs`.

use std::fs;
use std::io;
use std::path::PathBuf;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

use super::encoding::Encoding;
use super::precompress::{copy_path, extension, is_compressible, is_fresh};

/// `immutable`: a file named after its content's hash never changes under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Every other file is revalidated (a 304 when unchanged), so a new build is picked up.
pub const REVALIDATE: &str = "no-cache";

/// Trunk names its outputs after a 64-bit hash of their content, written in hex without
/// leading zeros: `networkshop-18d768c8c7c81299_bg.wasm`, `networkshop-….js`, `main-….css`
/// (`-<hash>` before the extension) and the initializer `bf2795610d3718c2-loader.js`
/// (`<hash>-` before the name). Only 15 or 16 digits with a letter among them count, so a
/// date or a counter in a name is never taken for a hash; the rare build whose hash has fewer
/// digits is merely revalidated.
pub fn is_content_hashed(name: &str) -> bool {
    let is_hash = |part: &str| {
        (15..=16).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && part.bytes().any(|b| b.is_ascii_alphabetic())
    };
    if name
        .split_once('-')
        .is_some_and(|(prefix, _)| is_hash(prefix))
    {
        return true;
    }
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| is_hash(hash))
}

/// One encoding of a file: its strong ETag (the hash of the file's bytes, with `-br`/`-gz` for
/// a compressed copy: other bytes, another tag) and, unless the file is large, its bytes.
#[derive(Debug)]
pub struct Variant {
    pub etag: HeaderValue,
    pub(super) bytes: Option<(Bytes, HeaderValue)>,
}

impl Variant {
    pub(super) fn new(etag: HeaderValue, bytes: Option<Vec<u8>>) -> Variant {
        Variant {
            etag,
            bytes: bytes.map(|b| {
                let length = HeaderValue::from(b.len());
                (Bytes::from(b), length)
            }),
        }
    }
}

/// One file of the app and everything it is served with, worked out when it is read.
#[derive(Debug)]
pub struct Asset {
    pub path: PathBuf,
    pub(super) content_type: HeaderValue,
    pub(super) cache_control: HeaderValue,
    /// Served with `Vary: Accept-Encoding` (compressed copies, or compressed per request).
    pub(super) compressible: bool,
    pub(super) identity: Variant,
    /// Up-to-date compressed copies found next to it.
    pub brotli: Option<Variant>,
    pub gzip: Option<Variant>,
    /// Size and modification time when read: a file that has other ones is read again.
    pub(super) stamp: (u64, SystemTime),
    /// An HTML page's own policy (the hashes of its inline scripts): a new build's page with
    /// another start-up script is served with the policy that lets it run.
    pub(super) csp: Option<HeaderValue>,
}

impl Asset {
    /// Whether its bytes are held in memory (a large file's are read per request).
    #[cfg(test)]
    pub(super) fn in_memory(&self) -> bool {
        self.identity.bytes.is_some()
    }

    pub(super) fn held_bytes(&self) -> u64 {
        [
            Some(&self.identity),
            self.brotli.as_ref(),
            self.gzip.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|v| v.bytes.as_ref())
        .map(|(bytes, _)| bytes.len() as u64)
        .sum()
    }

    /// The ETag of what was sent with this `Content-Encoding`.
    pub fn etag_for(&self, content_encoding: Option<&HeaderValue>) -> &HeaderValue {
        let variant = match content_encoding.map(HeaderValue::as_bytes) {
            Some(b"br") => self.brotli.as_ref(),
            Some(b"gzip") => self.gzip.as_ref(),
            _ => None,
        };
        &variant.unwrap_or(&self.identity).etag
    }

    /// `ETag`, `Cache-Control`, `Vary` and a page's own CSP: what a 200 and a 304 both carry
    /// (a browser updates its stored headers from a 304's).
    pub fn validators(&self, etag: &HeaderValue) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(10);
        headers.insert(header::ETAG, etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        if self.compressible {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if let Some(csp) = &self.csp {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        }
        headers
    }
}

impl Asset {
    pub(super) fn read(
        key: &str,
        path: PathBuf,
        large: u64,
    ) -> Result<Asset, (PathBuf, io::Error)> {
        let read = (|| {
            let metadata = fs::metadata(&path)?;
            let in_memory = metadata.len() <= large;
            let (digest, bytes) = if in_memory {
                let bytes = fs::read(&path)?;
                (Sha256::digest(&bytes), Some(bytes))
            } else {
                let mut hasher = Sha256::new();
                io::copy(&mut fs::File::open(&path)?, &mut hasher)?;
                (hasher.finalize(), None)
            };
            Ok((
                metadata.len(),
                metadata.modified()?,
                in_memory,
                digest,
                bytes,
            ))
        })();
        let (size, modified, in_memory, digest, bytes) = read.map_err(|e| (path.clone(), e))?;
        let hash: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).expect("hex is a valid tag")
        };
        let compressible = is_compressible(&path);
        let copy = |encoding: Encoding, suffix: &str| {
            let copy = copy_path(&path, encoding);
            if !compressible || !is_fresh(&copy, modified) {
                return None;
            }
            if !in_memory {
                return Some(Variant::new(tag(suffix), None));
            }
            // A copy that cannot be read is as good as missing.
            let bytes = fs::read(&copy).ok()?;
            Some(Variant::new(tag(suffix), Some(bytes)))
        };
        let name = key.rsplit('/').next().unwrap_or(key);
        let csp = bytes
            .as_ref()
            .filter(|_| extension(&path).is_some_and(|e| e.eq_ignore_ascii_case("html")))
            .map(|html| crate::app_shell::content_security_policy(&String::from_utf8_lossy(html)));
        Ok(Asset {
            content_type: HeaderValue::from_static(
                mime_guess::from_path(&path)
                    .first_raw()
                    .unwrap_or("application/octet-stream"),
            ),
            cache_control: HeaderValue::from_static(if is_content_hashed(name) {
                IMMUTABLE
            } else {
                REVALIDATE
            }),
            compressible,
            identity: Variant::new(tag(""), bytes),
            brotli: copy(Encoding::Brotli, "-br"),
            gzip: copy(Encoding::Gzip, "-gz"),
            stamp: (size, modified),
            csp,
            path,
        })
    }
}
