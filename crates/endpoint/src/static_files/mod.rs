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
//!
//! One concern per file: `precompress.rs` writes the compressed copies at start-up,
//! `encoding.rs` names their two encodings, `asset.rs` reads a file into what it is served
//! with, `response.rs` answers a request from it; this file holds the files read, by path.

mod asset;
mod encoding;
mod precompress;
mod response;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;

pub use asset::Asset;
pub use precompress::precompress_and_log;
pub use response::{if_none_match_hits, weaken_etag_if_compressed, ServedUncompressed};

use precompress::{files_of, is_compressed_copy, TEMPORARY_PREFIX};

/// Files larger than this are neither compressed ahead nor held in memory: they are read from
/// disk per request (and compressed on the fly). The app's largest, its wasm, is a few MB.
pub const LARGE_FILE_BYTES: u64 = 16 * 1024 * 1024;

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

fn key_of(dist: &Path, path: &Path) -> Option<String> {
    let names: Option<Vec<&str>> = path
        .strip_prefix(dist)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(names?.join("/"))
}
