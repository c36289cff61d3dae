//! Every file at once, for a pull that lacks many (a first visit): the changes after the
//! endpoint's latest checkpoint (`?since=0`), then that checkpoint, one immutable gzip file that
//! any cache may keep, each read as it downloads; from an endpoint that has no checkpoint yet,
//! `?since=0` alone carries every file; from one that predates change numbers, the listing with
//! contents (`?content=1`). And what changed after a change number the reader holds
//! (`?since=N`).

use std::collections::BTreeSet;

use futures::channel::mpsc::UnboundedSender;
use gloo_net::http::{Request, RequestBuilder};
use networkshop_core::bulk_stream::EntrySplitter;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use web_sys::RequestCache;

use super::exchange::exchange;
use super::stream::stream;
use super::{bad_listing, Endpoint, Protocol, SyncError, BULK_DEADLINE, BULK_SILENCE};

/// A file as the bulk answers carry it: the listing's entry and, when it is JSON, the file.
#[derive(Deserialize)]
struct Entry {
    name: String,
    etag: String,
    bundle: Option<Box<RawValue>>,
}

impl Entry {
    fn into_file(self) -> BulkFile {
        let text = self.bundle.map(|raw| raw.get().to_owned());
        (self.name, self.etag, text)
    }
}

/// `?since=N`: the checkpoint to read first, if any, the files changed after it (or after
/// `N`), and the change number to ask from next.
#[derive(Deserialize)]
struct Since {
    seq: u64,
    checkpoint: Option<CheckpointLink>,
    changed: Vec<Entry>,
}

#[derive(Deserialize)]
struct CheckpointLink {
    url: String,
}

/// (name, ETag, the file's text when it came with the answer).
pub type BulkFile = (String, String, Option<String>);

/// What changed after the change number a reader holds.
pub enum Delta {
    /// The files changed (with their text when it came along), and the number to ask from next.
    Changed { files: Vec<BulkFile>, seq: u64 },
    /// Too far behind (or the endpoint forgot the number): read everything again.
    TooFarBehind,
}

/// Why the checkpoint path gave nothing: the endpoint cannot be reached (the pull stops), or
/// it does not speak `?since` (the listing with contents is asked instead).
enum NoCheckpoint {
    Unreachable(SyncError),
    NotSpoken,
}

impl Endpoint {
    /// Every file in as few requests as the endpoint allows (see the module), sent to `files`
    /// in groups as they arrive; returns the change number they are as of, when the endpoint
    /// has change numbers. Only the project's endpoint has them (`None` otherwise); files sent
    /// without content (not JSON), and those of a checkpoint cut off, are for the caller to
    /// fetch alone.
    pub async fn send_all(
        &self,
        files: &UnboundedSender<Vec<BulkFile>>,
    ) -> Option<Result<Option<u64>, SyncError>> {
        if self.protocol != Protocol::Networkshop {
            return None;
        }
        Some(match self.send_checkpointed(files).await {
            Ok(seq) => Ok(Some(seq)),
            Err(NoCheckpoint::Unreachable(error)) => Err(error),
            Err(NoCheckpoint::NotSpoken) => self.get_listed_with_contents().await.map(|all| {
                let _ = files.unbounded_send(all);
                None
            }),
        })
    }

    /// What changed after change number `seq`; a WebDAV server has no change numbers (the app
    /// was pointed at one since).
    pub async fn get_since(&self, seq: u64) -> Result<Delta, SyncError> {
        if self.protocol != Protocol::Networkshop {
            return Ok(Delta::TooFarBehind);
        }
        match self.get_since_answer(seq).await {
            Ok(since) if since.checkpoint.is_none() => Ok(Delta::Changed {
                files: since.changed.into_iter().map(Entry::into_file).collect(),
                seq: since.seq,
            }),
            Ok(_) | Err(NoCheckpoint::NotSpoken) => Ok(Delta::TooFarBehind),
            Err(NoCheckpoint::Unreachable(error)) => Err(error),
        }
    }

    /// The endpoint's change number now, for a view that has none yet (`None` from an endpoint
    /// without change numbers, or unreachable: the next pull asks again).
    pub async fn change_number(&self) -> Option<u64> {
        if self.protocol != Protocol::Networkshop {
            return None;
        }
        self.get_since_answer(0).await.ok().map(|since| since.seq)
    }

    async fn send_checkpointed(
        &self,
        files: &UnboundedSender<Vec<BulkFile>>,
    ) -> Result<u64, NoCheckpoint> {
        // The changes after the latest checkpoint first, as they arrive: after a burst of
        // publications they are thousands until the endpoint writes its next checkpoint.
        let mut newer: BTreeSet<String> = BTreeSet::new();
        let request =
            Request::get(&format!("{}?since=0", self.url(""))).cache(RequestCache::NoStore);
        let rest = self
            .send_streamed(request, "changed", files, |name| {
                newer.insert(name.to_owned());
                true
            })
            .await?;
        let since: Since = serde_json::from_slice(&rest).map_err(|_| NoCheckpoint::NotSpoken)?;
        if let Some(link) = &since.checkpoint {
            // The endpoint links its checkpoints from its root; the file is fetched beside
            // the bundles wherever this endpoint is mounted.
            let file = link.url.rsplit('/').next().unwrap_or_default();
            // A checkpoint never changes: kept as the browser's cache sees fit.
            let request = Request::get(&self.url(&format!("checkpoints/{file}")))
                .cache(RequestCache::Default);
            // The changes are newer than the checkpoint: its version of those files is skipped.
            self.send_streamed(request, "bundles", files, |name| !newer.contains(name))
                .await?;
        }
        Ok(since.seq)
    }

    /// Reads one bulk answer as it arrives, sending the entries of its `array` that `take`
    /// wants; returns the rest of the answer (the array emptied). Cut off, what came is sent,
    /// and the listing's comparison fetches the rest alone.
    async fn send_streamed(
        &self,
        request: RequestBuilder,
        array: &'static str,
        files: &UnboundedSender<Vec<BulkFile>>,
        mut take: impl FnMut(&str) -> bool,
    ) -> Result<Vec<u8>, NoCheckpoint> {
        let mut splitter = EntrySplitter::new(array);
        let streamed = stream(request, BULK_SILENCE, |piece| {
            let entries: Vec<BulkFile> = splitter
                .feed(piece)
                .iter()
                .filter_map(|bytes| serde_json::from_slice::<Entry>(bytes).ok())
                .filter(|entry| take(&entry.name))
                .map(Entry::into_file)
                .collect();
            if !entries.is_empty() {
                let _ = files.unbounded_send(entries);
            }
        })
        .await;
        match streamed {
            Ok(200) => Ok(splitter.skeleton().to_vec()),
            Ok(_) => Err(NoCheckpoint::NotSpoken),
            Err(error) => Err(NoCheckpoint::Unreachable(error)),
        }
    }

    /// `?since=N`, which changes at every write: never taken from the browser's cache.
    async fn get_since_answer(&self, seq: u64) -> Result<Since, NoCheckpoint> {
        let url = format!("{}?since={seq}", self.url(""));
        self.get_json(&url, RequestCache::NoStore).await
    }

    /// `?since` answers change at every write (never kept); a checkpoint never changes (kept
    /// as the browser's cache sees fit).
    async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        cache: RequestCache,
    ) -> Result<T, NoCheckpoint> {
        let request = Request::get(url).cache(cache);
        let answer = exchange(request, None, BULK_DEADLINE, None)
            .await
            .map_err(NoCheckpoint::Unreachable)?;
        if answer.status != 200 {
            return Err(NoCheckpoint::NotSpoken);
        }
        serde_json::from_slice(&answer.bytes).map_err(|_| NoCheckpoint::NotSpoken)
    }

    async fn get_listed_with_contents(&self) -> Result<Vec<BulkFile>, SyncError> {
        let request =
            Request::get(&format!("{}?content=1", self.url(""))).cache(RequestCache::NoStore);
        let answer = exchange(request, None, BULK_DEADLINE, None).await?;
        if answer.status != 200 {
            return Err(answer.error());
        }
        let entries: Vec<Entry> =
            serde_json::from_slice(&answer.bytes).map_err(|_| bad_listing(200))?;
        Ok(entries.into_iter().map(Entry::into_file).collect())
    }
}
