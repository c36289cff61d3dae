//! The built app's files. At start-up, a brotli and a gzip copy of each compressible file is
//! written next to it at maximum quality, once; then every file is read with its copies into
//! memory, with what it is served with: its strong ETag per encoding, its cache policy, its
//! type. A request costs one `stat` (a file changed on disk, as a new build replaces them, is
//! read again) and no hashing, compression or file read; files larger than
//! [`LARGE_FILE_BYTES`] are the exception, read from disk per request by ServeFile.
//!
//! Why memory rather than ServeFile for every file: ServeFile opens, stats and reads the file
//! through tokio's blocking pool on each request, which served a third of nginx's requests per
//! second on the same files (`scripts/bench-serve.sh`); from memory, the endpoint is on a par.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use sha2::{Digest, Sha256};

/// Extensions of the files worth compressing (images other than SVG are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "css",
    "wasm",
    "json",
    "svg",
    "webmanifest",
    "txt",
];

/// Prefix of the temporary files a compressed copy is written to before its rename.
const TEMPORARY_PREFIX: &str = ".tmp-precompress-";

/// A temporary file this old was left by a start that died; a younger one may be a concurrent
/// start's, still being written.
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// Files larger than this are neither compressed ahead nor held in memory: they are read from
/// disk per request (and compressed on the fly). The app's largest, its wasm, is a few MB.
pub const LARGE_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// `immutable`: a file named after its content's hash never changes under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Every other file is revalidated (a 304 when unchanged), so a new build is picked up.
pub const REVALIDATE: &str = "no-cache";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The file name suffix of the compressed copy (what ServeFile looks for).
    fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }

    fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    // The largest window every browser decodes (RFC 7932): the whole wasm
                    // fits in it.
                    lgwin: 24,
                    size_hint: bytes.len(),
                    ..Default::default()
                };
                let mut out = Vec::with_capacity(bytes.len() / 3);
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
                Ok(out)
            }
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(
                    Vec::with_capacity(bytes.len() / 3),
                    flate2::Compression::best(),
                );
                encoder.write_all(bytes)?;
                encoder.finish()
            }
        }
    }
}

/// What a start-up's precompression did, for the log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Precompression {
    /// Compressible files found.
    pub files: usize,
    /// Compressed copies written (missing or stale); the others were up to date.
    pub written: usize,
    /// Bytes of the compressible files, and of their brotli and gzip copies.
    pub source_bytes: u64,
    pub brotli_bytes: u64,
    pub gzip_bytes: u64,
}

/// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) next to every
/// compressible file of `dist` up to `large` bytes whose copy is missing or older than it,
/// each through a temporary file and a rename, so a concurrent start never serves half a file.
/// A copy is given its source's modification time, so a source dated in the future (a build
/// copied from another machine) does not make it look stale at every start.
///
/// Fails, having written nothing more, on the first error that says the folder cannot be
/// written (read-only, no permission); any other failure skips that copy with a warning.
pub fn precompress(dist: &Path, large: u64) -> io::Result<Precompression> {
    remove_abandoned_temporaries(dist);
    let mut report = Precompression::default();
    for source in files_of(dist) {
        if !is_compressible(&source) || is_compressed_copy(&source) {
            continue;
        }
        let Ok((modified, size)) = fs::metadata(&source).and_then(|m| Ok((m.modified()?, m.len())))
        else {
            continue;
        };
        if size > large {
            continue;
        }
        report.files += 1;
        let mut bytes: Option<Vec<u8>> = None;
        for encoding in Encoding::ALL {
            let copy = copy_path(&source, encoding);
            if !is_fresh(&copy, modified) {
                let source_bytes = match &bytes {
                    Some(bytes) => bytes,
                    None => match fs::read(&source) {
                        Ok(read) => bytes.insert(read),
                        Err(e) => {
                            tracing::warn!(file = %source.display(), error = %e, "cannot read a file to compress it");
                            break;
                        }
                    },
                };
                match write_copy(&copy, encoding, source_bytes, modified) {
                    Ok(()) => report.written += 1,
                    Err(e) if cannot_write_here(&e) => return Err(e),
                    Err(e) => {
                        tracing::warn!(file = %copy.display(), error = %e, "cannot write the compressed copy; the file is compressed per request");
                        continue;
                    }
                }
            }
            let copy_size = fs::metadata(&copy).map_or(0, |m| m.len());
            match encoding {
                Encoding::Brotli => report.brotli_bytes += copy_size,
                Encoding::Gzip => report.gzip_bytes += copy_size,
            }
        }
        report.source_bytes += size;
    }
    Ok(report)
}

fn cannot_write_here(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

fn write_copy(
    copy: &Path,
    encoding: Encoding,
    source: &[u8],
    modified: SystemTime,
) -> io::Result<()> {
    let folder = copy.parent().unwrap_or(Path::new("."));
    let temporary = folder.join(format!("{TEMPORARY_PREFIX}{}", uuid::Uuid::new_v4()));
    // Created first: a folder that cannot be written is known before seconds of brotli.
    let mut file = fs::File::create(&temporary)?;
    let result = (|| {
        file.write_all(&encoding.compress(source)?)?;
        file.sync_all()?;
        fs::rename(&temporary, copy)?;
        // Dated after the rename: a temporary file looking old could be taken for an
        // abandoned one by a concurrent start.
        file.set_modified(modified)
    })();
    drop(file);
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Removes the temporary files of starts that died mid-write (only old ones: a young one may
/// belong to a start running now).
fn remove_abandoned_temporaries(dist: &Path) {
    let now = SystemTime::now();
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                folders.push(entry.path());
                continue;
            }
            let abandoned = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TEMPORARY_PREFIX))
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| now.duration_since(m).unwrap_or_default() > ABANDONED_AFTER);
            if abandoned {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn copy_path(source: &Path, encoding: Encoding) -> PathBuf {
    let mut name = source.as_os_str().to_owned();
    name.push(encoding.suffix());
    PathBuf::from(name)
}

/// A compressed copy is used only when it is not older than its source.
fn is_fresh(copy: &Path, source_modified: SystemTime) -> bool {
    fs::metadata(copy)
        .and_then(|m| Ok(m.is_file() && m.modified()? >= source_modified))
        .unwrap_or(false)
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

fn is_compressible(path: &Path) -> bool {
    extension(path).is_some_and(|e| COMPRESSIBLE.iter().any(|c| c.eq_ignore_ascii_case(e)))
}

/// `x.wasm.br`, `x.js.gz`: a compressed copy, never an asset of its own (`x.tar.gz` is one).
fn is_compressed_copy(path: &Path) -> bool {
    let Some(ext) = extension(path) else {
        return false;
    };
    Encoding::ALL.iter().any(|e| &e.suffix()[1..] == ext)
        && path
            .file_stem()
            .is_some_and(|stem| is_compressible(Path::new(stem)))
}

/// Every regular file under `dist` (symbolic links to files included, linked folders not
/// followed), but the temporary files of a write.
fn files_of(dist: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let temporary = entry
                .file_name()
                .to_str()
                .is_none_or(|n| n.starts_with(TEMPORARY_PREFIX));
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(path),
                _ if temporary => {}
                _ if path.is_file() => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

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
    bytes: Option<(Bytes, HeaderValue)>,
}

impl Variant {
    fn new(etag: HeaderValue, bytes: Option<Vec<u8>>) -> Variant {
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
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// Served with `Vary: Accept-Encoding` (compressed copies, or compressed per request).
    compressible: bool,
    identity: Variant,
    /// Up-to-date compressed copies found next to it.
    pub brotli: Option<Variant>,
    pub gzip: Option<Variant>,
    /// Size and modification time when read: a file that has other ones is read again.
    stamp: (u64, SystemTime),
    /// An HTML page's own policy (the hashes of its inline scripts): a new build's page with
    /// another start-up script is served with the policy that lets it run.
    csp: Option<HeaderValue>,
}

impl Asset {
    /// Whether its bytes are held in memory (a large file's are read per request).
    #[cfg(test)]
    fn in_memory(&self) -> bool {
        self.identity.bytes.is_some()
    }

    fn held_bytes(&self) -> u64 {
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
fn single_range(range: &str, length: u64) -> Option<Result<(u64, u64), ()>> {
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

/// The app's files by their path under `dist` (`/`-separated), as a request names them: read
/// at start-up, and read again when a request finds a file changed on disk (same size and
/// modification time, or read anew), so a new build is served without a restart (compressed
/// per request until the next start writes its copies).
#[derive(Debug)]
pub struct StaticFiles {
    dist: PathBuf,
    large: u64,
    cache: RwLock<Cache>,
    reading: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct Cache {
    assets: HashMap<String, Arc<Asset>>,
    /// Bytes held in memory by `assets`, and how many it may hold.
    bytes: u64,
    limit: u64,
}

/// Past this, the cache is emptied before the next file goes in (builds replaced while the
/// endpoint runs leave their files in it); files are then read again as they are asked for.
const CACHE_LIMIT_BYTES: u64 = 256 * 1024 * 1024;

impl Cache {
    fn new(limit: u64) -> Cache {
        Cache {
            assets: HashMap::new(),
            bytes: 0,
            limit,
        }
    }

    fn insert(&mut self, key: String, asset: Arc<Asset>) {
        if let Some(old) = self.assets.remove(&key) {
            self.bytes -= old.held_bytes();
        }
        if self.bytes + asset.held_bytes() > self.limit {
            self.assets.clear();
            self.bytes = 0;
        }
        self.bytes += asset.held_bytes();
        self.assets.insert(key, asset);
    }
}

impl StaticFiles {
    /// Reads every file of `dist`, keeping the bytes of those up to `large` bytes with their
    /// up-to-date compressed copies.
    pub fn scan(dist: &Path, large: u64) -> StaticFiles {
        let mut cache = Cache::new(CACHE_LIMIT_BYTES);
        for path in files_of(dist) {
            if is_compressed_copy(&path) {
                continue;
            }
            let Some(key) = key_of(dist, &path) else {
                continue;
            };
            match Asset::read(&key, path, large) {
                Ok(asset) => cache.insert(key, Arc::new(asset)),
                Err((path, e)) => {
                    tracing::warn!(file = %path.display(), error = %e, "cannot read a file of the app");
                }
            }
        }
        StaticFiles {
            dist: dist.to_owned(),
            large,
            cache: RwLock::new(cache),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// The file `names` designate (the request path, decoded and resolved), if each is a
    /// plain file name and the file exists. A compressed copy is not a file of its own: a
    /// request for `x.wasm.br` finds nothing, as for any unknown file.
    pub async fn lookup(&self, names: &[String]) -> Option<Arc<Asset>> {
        let plain = |name: &String| {
            let mut components = Path::new(name).components();
            !name.contains('\0')
                && !name.starts_with(TEMPORARY_PREFIX)
                && matches!(
                    (components.next(), components.next()),
                    (Some(Component::Normal(_)), None)
                )
        };
        if names.is_empty() || !names.iter().all(plain) {
            return None;
        }
        let path = names
            .iter()
            .fold(self.dist.clone(), |path, name| path.join(name));
        if is_compressed_copy(&path) {
            return None;
        }
        // One stat per request, as a file server without a cache of open files does; the
        // answer is then the cached one unless the file changed.
        let metadata = fs::metadata(&path).ok().filter(fs::Metadata::is_file)?;
        let stamp = (metadata.len(), metadata.modified().ok()?);
        let key = names.join("/");
        if let Some(asset) = self.cached(&key, stamp) {
            return Some(asset);
        }
        // One file read at a time: the room asking for a new build's wasm at once reads it
        // once, not once per participant.
        let _reading = self.reading.lock().await;
        if let Some(asset) = self.cached(&key, stamp) {
            return Some(asset);
        }
        let large = self.large;
        let read = tokio::task::spawn_blocking({
            let key = key.clone();
            move || Asset::read(&key, path, large)
        })
        .await
        .ok()?;
        match read {
            Ok(asset) => {
                tracing::info!(file = %asset.path.display(), "a file of the app changed since start-up: read again (compressed per request until the next start)");
                let asset = Arc::new(asset);
                self.cache
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, asset.clone());
                Some(asset)
            }
            Err((path, e)) => {
                tracing::warn!(file = %path.display(), error = %e, "cannot read a file of the app");
                None
            }
        }
    }

    fn cached(&self, key: &str, stamp: (u64, SystemTime)) -> Option<Arc<Asset>> {
        self.read_cache()
            .assets
            .get(key)
            .filter(|asset| asset.stamp == stamp)
            .cloned()
    }

    fn read_cache(&self) -> std::sync::RwLockReadGuard<'_, Cache> {
        self.cache.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Files held (for the log and tests).
    pub fn len(&self) -> usize {
        self.read_cache().assets.len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Asset {
    fn read(key: &str, path: PathBuf, large: u64) -> Result<Asset, (PathBuf, io::Error)> {
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

fn key_of(dist: &Path, path: &Path) -> Option<String> {
    let names: Option<Vec<&str>> = path
        .strip_prefix(dist)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(names?.join("/"))
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

/// Runs [`precompress`] and logs what it did and how long it took; a folder that cannot be
/// written is a warning, and its files are then compressed per request as before.
pub fn precompress_and_log(dist: &Path, large: u64) {
    let started = Instant::now();
    match precompress(dist, large) {
        Ok(report) => tracing::info!(
            files = report.files,
            written = report.written,
            seconds = %format!("{:.2}", started.elapsed().as_secs_f64()),
            source_bytes = report.source_bytes,
            brotli_bytes = report.brotli_bytes,
            gzip_bytes = report.gzip_bytes,
            "precompressed the app's files (brotli 11, gzip 9)"
        ),
        Err(error) => tracing::warn!(
            dist = %dist.display(),
            %error,
            "cannot write compressed copies next to the app's files; they are compressed per request instead"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashes_are_recognised_and_nothing_else() {
        for name in [
            "networkshop-18d768c8c7c81299_bg.wasm",
            "networkshop-18d768c8c7c81299.js",
            "main-9244fe5190667fcb.css",
            "bf2795610d3718c2-loader.js",
            "networkshop-8d768c8c7c81299_bg.wasm",
            "my-app-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(name), "{name}");
        }
        for name in [
            "index.html",
            "sw.js",
            "loader.js",
            "manifest.webmanifest",
            "icon.svg",
            "report-20240101120000.pdf",
            "backup-1700000000000000.json",
            "main-9244FE5190667FCB.css",
            "main-9244fe51906.css",
            "main-9244fe5190667fcb0.css",
            "main_9244fe5190667fcb.css",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
    }

    #[test]
    fn compressed_copies_are_told_from_archives() {
        assert!(is_compressed_copy(Path::new("a/x.wasm.br")));
        assert!(is_compressed_copy(Path::new("index.html.gz")));
        assert!(!is_compressed_copy(Path::new("data.tar.gz")));
        assert!(!is_compressed_copy(Path::new("x.wasm")));
        assert!(!is_compressed_copy(Path::new("icon.ico.br")));
    }

    #[tokio::test]
    async fn copies_are_written_once_and_decompress_to_their_source() {
        let dir = tempfile::tempdir().unwrap();
        let text = "body { color: red }\n".repeat(500);
        fs::create_dir(dir.path().join("snippets")).unwrap();
        fs::write(dir.path().join("snippets/main.css"), &text).unwrap();
        fs::write(dir.path().join("favicon.ico"), [0u8; 64]).unwrap();
        let first = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        assert_eq!((first.files, first.written), (1, 2));
        assert_eq!(first.source_bytes, text.len() as u64);
        assert!(first.brotli_bytes < first.gzip_bytes && first.gzip_bytes < 400);
        let again = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        assert_eq!((again.files, again.written), (1, 0), "up to date");
        assert_eq!(again.brotli_bytes, first.brotli_bytes);

        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(
            &mut &fs::read(dir.path().join("snippets/main.css.br")).unwrap()[..],
            &mut unbrotli,
        )
        .unwrap();
        assert_eq!(unbrotli, text.as_bytes());
        let mut ungzip = Vec::new();
        io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(
                &fs::read(dir.path().join("snippets/main.css.gz")).unwrap()[..],
            ),
            &mut ungzip,
        )
        .unwrap();
        assert_eq!(ungzip, text.as_bytes());
        assert!(!dir.path().join("favicon.ico.br").exists());

        let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
        assert_eq!(files.len(), 2, "copies are not assets");
        let css = files
            .lookup(&["snippets".into(), "main.css".into()])
            .await
            .unwrap();
        assert!(css.brotli.is_some() && css.gzip.is_some() && css.compressible);
        assert!(css.in_memory());
        let ico = files.lookup(&["favicon.ico".into()]).await.unwrap();
        assert!(ico.brotli.is_none() && ico.gzip.is_none() && !ico.compressible);
    }

    #[tokio::test]
    async fn a_copy_in_the_way_is_skipped_and_not_used() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("app.js"), "init();".repeat(100)).unwrap();
        fs::create_dir(dir.path().join("app.js.br")).unwrap();
        let report = precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        assert_eq!(report.written, 1, "the gzip copy still");
        let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
        let js = files.lookup(&["app.js".into()]).await.unwrap();
        assert!(js.brotli.is_none() && js.gzip.is_some());
        assert!(!has_temporary(dir.path()));
    }

    #[test]
    fn abandoned_temporaries_go_and_recent_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(format!("{TEMPORARY_PREFIX}old"));
        let young = dir.path().join(format!("{TEMPORARY_PREFIX}young"));
        fs::write(&old, "torn").unwrap();
        fs::write(&young, "being written").unwrap();
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(SystemTime::now() - 2 * ABANDONED_AFTER)
            .unwrap();
        precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        assert!(!old.exists() && young.exists());
        assert!(
            StaticFiles::scan(dir.path(), LARGE_FILE_BYTES).is_empty(),
            "never served"
        );
    }

    #[test]
    fn the_preferred_copy_is_chosen_among_those_there_are() {
        let choose = |accept: &str, brotli: bool, gzip: bool| {
            negotiate(Some(&HeaderValue::from_str(accept).unwrap()), brotli, gzip)
        };
        use Encoding::{Brotli, Gzip};
        assert_eq!(choose("gzip, deflate, br, zstd", true, true), Some(Brotli));
        assert_eq!(choose("br", true, true), Some(Brotli));
        assert_eq!(choose("gzip", true, true), Some(Gzip));
        assert_eq!(choose("GZIP;Q=1, br;q=0.5", true, true), Some(Gzip));
        assert_eq!(choose("br;q=0, gzip", true, true), Some(Gzip));
        assert_eq!(choose("br", false, true), None, "no brotli copy");
        assert_eq!(choose("br, gzip", false, true), Some(Gzip));
        assert_eq!(choose("*", true, true), Some(Brotli));
        assert_eq!(choose("*;q=0.1, gzip", true, true), Some(Gzip));
        assert_eq!(choose("identity", true, true), None);
        assert_eq!(choose("br;q=0, gzip;q=0", true, true), None);
        assert_eq!(choose("x-gzip", true, true), Some(Gzip));
        assert_eq!(negotiate(None, true, true), None);
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let etag = HeaderValue::from_static("\"abc-br\"");
        for (list, hit) in [
            ("\"abc-br\"", true),
            ("W/\"abc-br\"", true),
            ("\"x\", \"abc-br\"", true),
            ("\"x\",W/\"abc-br\" ", true),
            ("*", true),
            ("\"abc\"", false),
            ("\"abc-gz\", \"abc\"", false),
            ("", false),
        ] {
            let list = HeaderValue::from_str(list).unwrap();
            assert_eq!(if_none_match_hits(&list, &etag), hit, "{list:?}");
        }
    }

    #[test]
    fn one_byte_range_is_served_and_others_ignored_or_refused() {
        assert_eq!(single_range("bytes=0-9", 100), Some(Ok((0, 9))));
        assert_eq!(single_range("bytes=90-", 100), Some(Ok((90, 99))));
        assert_eq!(single_range("bytes=90-500", 100), Some(Ok((90, 99))));
        assert_eq!(single_range("bytes=-10", 100), Some(Ok((90, 99))));
        assert_eq!(single_range("bytes=-500", 100), Some(Ok((0, 99))));
        assert_eq!(single_range("bytes=100-", 100), Some(Err(())));
        assert_eq!(single_range("bytes=-0", 100), Some(Err(())));
        assert_eq!(single_range("bytes=0-1,5-6", 100), None);
        assert_eq!(single_range("bytes=9-0", 100), None);
        assert_eq!(single_range("items=0-9", 100), None);
        assert_eq!(single_range("bytes=a-b", 100), None);
    }

    #[tokio::test]
    async fn answers_from_memory_304_head_range_and_if_range() {
        let dir = tempfile::tempdir().unwrap();
        let text = "export function init() {}\n".repeat(100);
        fs::write(dir.path().join("app-0123456789abcdef.js"), &text).unwrap();
        precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
        let js = files
            .lookup(&["app-0123456789abcdef.js".into()])
            .await
            .unwrap();
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(name, HeaderValue::from_str(value).unwrap());
            }
            map
        };
        let br = js
            .respond(&Method::GET, &headers(&[(header::ACCEPT_ENCODING, "br")]))
            .unwrap();
        assert_eq!(br.status(), StatusCode::OK);
        assert_eq!(br.headers()[header::CONTENT_TYPE], "text/javascript");
        assert_eq!(br.headers()[header::CACHE_CONTROL], IMMUTABLE);
        let etag = br.headers()[header::ETAG].to_str().unwrap().to_owned();
        assert!(etag.ends_with("-br\""), "{etag}");
        let length: usize = br.headers()[header::CONTENT_LENGTH]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(length < text.len() / 10);

        let head = js
            .respond(&Method::HEAD, &headers(&[(header::ACCEPT_ENCODING, "br")]))
            .unwrap();
        assert_eq!(
            head.headers()[header::CONTENT_LENGTH],
            length.to_string().as_str()
        );
        assert_eq!(head.headers()[header::ETAG], etag.as_str());

        let again = js
            .respond(
                &Method::GET,
                &headers(&[
                    (header::ACCEPT_ENCODING, "br"),
                    (header::IF_NONE_MATCH, &etag),
                ]),
            )
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[header::ETAG], etag.as_str());
        assert!(again.headers().get(header::CONTENT_ENCODING).is_none());

        let range = js
            .respond(&Method::GET, &headers(&[(header::RANGE, "bytes=0-5")]))
            .unwrap();
        assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(
            range.headers()[header::CONTENT_RANGE],
            format!("bytes 0-5/{}", text.len()).as_str()
        );
        assert!(range.extensions().get::<ServedUncompressed>().is_some());
        let stale_range = js
            .respond(
                &Method::GET,
                &headers(&[(header::RANGE, "bytes=0-5"), (header::IF_RANGE, "\"old\"")]),
            )
            .unwrap();
        assert_eq!(stale_range.status(), StatusCode::OK);
        let past_end = js
            .respond(&Method::GET, &headers(&[(header::RANGE, "bytes=99999-")]))
            .unwrap();
        assert_eq!(past_end.status(), StatusCode::RANGE_NOT_SATISFIABLE);

        let large = StaticFiles::scan(dir.path(), 10);
        let js = large
            .lookup(&["app-0123456789abcdef.js".into()])
            .await
            .unwrap();
        assert!(!js.in_memory() && js.brotli.is_some());
        assert!(
            js.respond(&Method::GET, &HeaderMap::new()).is_none(),
            "read from disk"
        );
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    #[tokio::test]
    async fn only_plain_names_of_files_designate_one() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("app.js"), "").unwrap();
        fs::write(dir.path().join("app.js.br"), "").unwrap();
        fs::write(dir.path().join(format!("{TEMPORARY_PREFIX}1")), "").unwrap();
        fs::create_dir(dir.path().join("folder")).unwrap();
        let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
        assert!(files.lookup(&names(&["app.js"])).await.is_some());
        for missing in [
            &["missing.js"][..],
            &["app.js\0"],
            &[],
            &["folder"],
            &["app.js.br"],
            &[&format!("{TEMPORARY_PREFIX}1")],
            &["folder", "..", "app.js"],
            &["/app.js"],
        ] {
            assert!(files.lookup(&names(missing)).await.is_none(), "{missing:?}");
        }
    }

    #[tokio::test]
    async fn a_file_changed_on_disk_is_read_again_with_its_own_policy() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("index.html");
        fs::write(&page, "<script type=\"module\">init(1)</script>".repeat(10)).unwrap();
        precompress(dir.path(), LARGE_FILE_BYTES).unwrap();
        let files = StaticFiles::scan(dir.path(), LARGE_FILE_BYTES);
        let first = files.lookup(&names(&["index.html"])).await.unwrap();
        assert!(first.brotli.is_some());
        let again = files.lookup(&names(&["index.html"])).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "unchanged: the same");

        // A new build's page, one second newer (coarse file systems), its copies now stale.
        fs::write(&page, "<script type=\"module\">init(2)</script>".repeat(10)).unwrap();
        fs::File::options()
            .write(true)
            .open(&page)
            .unwrap()
            .set_modified(SystemTime::now() + Duration::from_secs(1))
            .unwrap();
        let changed = files.lookup(&names(&["index.html"])).await.unwrap();
        assert_ne!(changed.identity.etag, first.identity.etag);
        assert!(
            changed.brotli.is_none() && changed.gzip.is_none(),
            "stale copies unused"
        );
        let policy = |asset: &Asset| asset.csp.as_ref().unwrap().to_str().unwrap().to_owned();
        assert_ne!(policy(&changed), policy(&first), "the new script's hash");
        let response = changed.respond(&Method::GET, &HeaderMap::new()).unwrap();
        assert_eq!(
            response.headers()[header::CONTENT_SECURITY_POLICY],
            policy(&changed).as_str()
        );

        fs::remove_file(&page).unwrap();
        assert!(files.lookup(&names(&["index.html"])).await.is_none());
    }

    #[test]
    fn the_cache_is_emptied_rather_than_grown_past_its_limit() {
        let asset = |size: usize| {
            Arc::new(Asset {
                path: PathBuf::new(),
                content_type: HeaderValue::from_static("text/plain"),
                cache_control: HeaderValue::from_static(REVALIDATE),
                compressible: false,
                identity: Variant::new(HeaderValue::from_static("\"x\""), Some(vec![0; size])),
                brotli: None,
                gzip: None,
                stamp: (0, SystemTime::UNIX_EPOCH),
                csp: None,
            })
        };
        let third = 1000;
        let mut cache = Cache::new(3 * third as u64);
        cache.insert("a".into(), asset(third));
        cache.insert("b".into(), asset(third));
        cache.insert("b".into(), asset(third));
        assert_eq!((cache.assets.len(), cache.bytes), (2, 2 * third as u64));
        cache.insert("c".into(), asset(third));
        assert_eq!(cache.assets.len(), 3);
        cache.insert("d".into(), asset(third));
        assert_eq!((cache.assets.len(), cache.bytes), (1, third as u64));
    }

    fn has_temporary(folder: &Path) -> bool {
        fs::read_dir(folder).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(TEMPORARY_PREFIX)
        })
    }
}
