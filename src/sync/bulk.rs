//! Every file at once, for a pull that lacks many (a first visit): the changes after the
//! endpoint's latest checkpoint (`?since=0`), then that checkpoint, one immutable gzip file that
//! any cache may keep, each read as it downloads; from an endpoint that has no checkpoint yet,
//! `?since=0` alone carries every file; from one that predates change numbers, the listing with
//! contents (`?content=1`). And what changed after a change number the reader holds
//! (`?since=N`).

use std::collections::BTreeSet;

use futures::channel::mpsc::UnboundedSender;
use futures::channel::oneshot;
use gloo_net::http::{Request, RequestBuilder};
use networkshop_core::bulk_stream::{read_entry, EntrySplitter};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use web_sys::RequestCache;

use super::exchange::exchange;
use super::stream::{open, Opened};
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
        // publications they are thousands until the endpoint writes its next checkpoint. The
        // endpoint names the checkpoint before them, and it is asked for then, its bytes read
        // once the changes are all in.
        let mut newer: BTreeSet<String> = BTreeSet::new();
        let (named, checkpoint_named) = oneshot::channel::<String>();
        let mut named = Some(named);
        // Moved into the reading, so the channel closes with it when no checkpoint was named.
        let watch = move |skeleton: &[u8]| {
            if named.is_some() {
                if let Some(file) = checkpoint_file(skeleton) {
                    let _ = named.take().map(|named| named.send(file));
                }
            }
        };
        let request =
            Request::get(&format!("{}?since=0", self.url(""))).cache(RequestCache::NoStore);
        let changes = self.send_streamed(
            open(request, BULK_SILENCE).await,
            "changed",
            files,
            |name| {
                newer.insert(name.to_owned());
                true
            },
            watch,
        );
        let early = async {
            let file = checkpoint_named.await.ok()?;
            Some((
                open(self.checkpoint_request(&file), BULK_SILENCE).await,
                file,
            ))
        };
        let (rest, early) = futures::join!(changes, early);
        let since: Since = serde_json::from_slice(&rest?).map_err(|_| NoCheckpoint::NotSpoken)?;
        if let Some(link) = &since.checkpoint {
            let file = link.url.rsplit('/').next().unwrap_or_default();
            let opened = match early {
                Some((opened, early_file)) if early_file == file => opened,
                _ => open(self.checkpoint_request(file), BULK_SILENCE).await,
            };
            // The changes are newer than the checkpoint: its version of those files is skipped.
            self.send_streamed(
                opened,
                "bundles",
                files,
                |name| !newer.contains(name),
                |_| {},
            )
            .await?;
        }
        Ok(since.seq)
    }

    /// A checkpoint never changes: kept as the browser's cache sees fit. The endpoint links
    /// its checkpoints from its root; the file is fetched beside the bundles wherever this
    /// endpoint is mounted.
    fn checkpoint_request(&self, file: &str) -> RequestBuilder {
        Request::get(&self.url(&format!("checkpoints/{file}"))).cache(RequestCache::Default)
    }

    /// Reads one bulk answer as it arrives, sending the entries of its `array` that `take`
    /// wants, and showing `skeleton` the answer so far without them; returns the rest of the
    /// answer (the array emptied). Cut off, what came is sent, and the listing's comparison
    /// fetches the rest alone.
    async fn send_streamed(
        &self,
        opened: Result<Opened, SyncError>,
        array: &'static str,
        files: &UnboundedSender<Vec<BulkFile>>,
        mut take: impl FnMut(&str) -> bool,
        mut skeleton: impl FnMut(&[u8]),
    ) -> Result<Vec<u8>, NoCheckpoint> {
        let mut splitter = EntrySplitter::new(array);
        let streamed = match opened {
            Ok(opened) => {
                opened
                    .read(BULK_SILENCE, |piece| {
                        let entries: Vec<BulkFile> = splitter
                            .feed(piece)
                            .iter()
                            .filter_map(|bytes| entry_file(bytes))
                            .filter(|(name, ..)| take(name))
                            .collect();
                        if !entries.is_empty() {
                            let _ = files.unbounded_send(entries);
                        }
                        skeleton(splitter.skeleton());
                    })
                    .await
            }
            Err(error) => Err(error),
        };
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

/// A bulk answer's entry as a file, its file's bytes found, not read (see the core's
/// `read_entry`); an entry of another shape read as JSON.
fn entry_file(element: &[u8]) -> Option<BulkFile> {
    match read_entry(element) {
        Some((name, etag, file)) => {
            let text = match file {
                Some(bytes) => Some(std::str::from_utf8(bytes).ok()?.to_owned()),
                None => None,
            };
            Some((name, etag, text))
        }
        None => serde_json::from_slice::<Entry>(element)
            .ok()
            .map(Entry::into_file),
    }
}

/// The checkpoint's file, once the answer so far (its files left out) has named it: the answer
/// closed where it stands parses.
fn checkpoint_file(skeleton: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Head {
        checkpoint: Option<CheckpointLink>,
    }
    if !skeleton.ends_with(b"[") {
        return None;
    }
    let mut closed = skeleton.to_vec();
    closed.extend_from_slice(b"]}");
    let head: Head = serde_json::from_slice(&closed).ok()?;
    Some(head.checkpoint?.url.rsplit('/').next()?.to_owned())
}
