//! Checkpoints: every bundle as of a change number, in one gzip-compressed JSON object
//! `checkpoints/<number>.json.gz` that never changes once written (so a CDN may keep it a
//! year). A first visit reads the latest checkpoint and the delta after it: two requests,
//! however many authors there are.
//!
//! A checkpoint is built from a listing of every bundle, not from the change log, so it also
//! carries what no change announced (a writer that crashed before claiming its number, a
//! file an operator put in by hand). Bundles whose stored version the listing shows unchanged
//! are taken from the previous checkpoint instead of being read again.

use std::collections::HashMap;
use std::io::{self, Read, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::changes::{name_of, seq_of};
use super::listing::{Current, Listed};
use super::BundleStore;
use crate::objects::{list_all, Condition, Objects, PutError};

/// When a new checkpoint is written: after this many writes (or a tenth of the files, when
/// more), or this long after a change.
#[derive(Debug, Clone, Copy)]
pub struct CheckpointSettings {
    pub every_changes: u64,
    pub every: Duration,
}

impl Default for CheckpointSettings {
    fn default() -> CheckpointSettings {
        CheckpointSettings {
            every_changes: 500,
            every: Duration::from_secs(60),
        }
    }
}

/// One bundle in a checkpoint: the listing's entry, the file itself, and the store's version
/// of it (for the next checkpoint, not for clients).
#[derive(Serialize)]
struct SavedOut<'a> {
    #[serde(flatten)]
    listed: &'a Listed,
    bundle: &'a RawValue,
    stored_version: &'a str,
}

#[derive(Serialize)]
struct FileOut<'a> {
    seq: u64,
    bundles: Vec<SavedOut<'a>>,
}

#[derive(Deserialize)]
struct SavedIn {
    #[serde(flatten)]
    listed: Listed,
    bundle: Box<RawValue>,
    stored_version: String,
}

#[derive(Deserialize)]
struct FileIn {
    seq: u64,
    bundles: Vec<SavedIn>,
}

/// A checkpoint as held in memory, by file name.
pub(super) struct Held {
    pub seq: u64,
    pub bundles: HashMap<String, Current>,
}

pub fn checkpoint_name(seq: u64) -> String {
    format!("{}.json.gz", name_of(seq))
}

fn encode(seq: u64, bundles: &[Current]) -> io::Result<Vec<u8>> {
    let mut saved = Vec::with_capacity(bundles.len());
    for (listed, bytes, stored_version) in bundles {
        // A file that is not JSON (dropped in by hand) stays out: clients fetch it alone.
        let Some(bundle) = std::str::from_utf8(&bytes[..])
            .ok()
            .and_then(|text| serde_json::from_str::<&RawValue>(text).ok())
        else {
            continue;
        };
        saved.push(SavedOut {
            listed,
            bundle,
            stored_version,
        });
    }
    let json = serde_json::to_vec(&FileOut {
        seq,
        bundles: saved,
    })?;
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json)?;
    gz.finish()
}

fn decode(gz: &[u8]) -> io::Result<Held> {
    let mut json = Vec::new();
    GzDecoder::new(gz).read_to_end(&mut json)?;
    let file: FileIn = serde_json::from_slice(&json)?;
    let bundles = file
        .bundles
        .into_iter()
        .map(|saved| {
            let bytes = Arc::new(saved.bundle.get().as_bytes().to_vec());
            (saved.listed, bytes, saved.stored_version)
        })
        // The bytes must be the ones the ETag was made of; any other is read again.
        .filter(|(listed, bytes, _)| super::etag_of(bytes) == listed.etag)
        .map(|current| (current.0.name.clone(), current))
        .collect();
    Ok(Held {
        seq: file.seq,
        bundles,
    })
}

#[derive(Clone)]
pub(super) struct Checkpoints<O: Objects> {
    objects: O,
    settings: CheckpointSettings,
    /// The latest checkpoint this process has read or written: it never changes, so it is
    /// a cache, never state another process needs.
    held: Arc<Mutex<Option<Arc<Held>>>>,
    building: Arc<AtomicBool>,
}

impl<O: Objects> Checkpoints<O> {
    pub(super) fn new(objects: O, settings: CheckpointSettings) -> Checkpoints<O> {
        Checkpoints {
            objects,
            settings,
            held: Arc::default(),
            building: Arc::default(),
        }
    }

    fn held(&self) -> Option<Arc<Held>> {
        self.held.lock().expect("checkpoint cache poisoned").clone()
    }

    fn held_seq(&self) -> u64 {
        self.held().map_or(0, |held| held.seq)
    }

    /// The number of the latest checkpoint in the store, if any.
    pub(super) async fn latest_seq(&self) -> io::Result<Option<u64>> {
        let after = match self.held_seq() {
            0 => String::new(),
            seq => checkpoint_name(seq),
        };
        let listed = list_all(&self.objects, "checkpoints", &after).await?;
        let newest = listed.iter().filter_map(|e| seq_of(&e.name)).max();
        Ok(newest.or(self.held().map(|held| held.seq)))
    }

    /// The latest checkpoint, read (once per process) if another process wrote it.
    pub(super) async fn latest(&self) -> io::Result<Option<Arc<Held>>> {
        let Some(seq) = self.latest_seq().await? else {
            return Ok(None);
        };
        if let Some(held) = self.held().filter(|held| held.seq == seq) {
            return Ok(Some(held));
        }
        let Some(stored) = self
            .objects
            .get(&format!("checkpoints/{}", checkpoint_name(seq)))
            .await?
        else {
            return Ok(None);
        };
        let held = Arc::new(decode(&stored.bytes)?);
        self.keep(held.clone());
        Ok(Some(held))
    }

    fn keep(&self, held: Arc<Held>) {
        let mut slot = self.held.lock().expect("checkpoint cache poisoned");
        if slot.as_ref().is_none_or(|old| old.seq < held.seq) {
            *slot = Some(held);
        }
    }

    pub(super) async fn file(&self, seq: u64) -> io::Result<Option<Vec<u8>>> {
        let key = format!("checkpoints/{}", checkpoint_name(seq));
        Ok(self.objects.get(&key).await?.map(|s| s.bytes))
    }
}

impl<O: Objects> BundleStore<O> {
    /// The compressed checkpoint numbered `seq`, for clients.
    pub async fn checkpoint_file(&self, seq: u64) -> io::Result<Option<Vec<u8>>> {
        self.checkpoints.file(seq).await
    }

    /// Writes a checkpoint as of the last change number this process can see, unless the
    /// latest checkpoint is already there. Returns its number.
    pub async fn write_checkpoint(&self) -> io::Result<Option<u64>> {
        let previous = self.checkpoints.latest().await?;
        let floor = previous.as_ref().map_or(0, |held| held.seq);
        self.changes.note_at_least(floor);
        // Everything claimed up to `seq` was written before this listing starts.
        let mut seq = self.changes.last().await?;
        if seq <= floor {
            // Only the first checkpoint can find bundles no number covers; later timers with
            // nothing new list nothing.
            if previous.is_some() {
                return Ok(None);
            }
            let listed = self.objects.list("bundles", "").await?;
            if !listed
                .iter()
                .any(|entry| super::author_of_file_name(&entry.name).is_some())
            {
                return Ok(None);
            }
            // Bundles from before change numbers (an older endpoint, files put in by hand):
            // a first number, naming no one, so that a checkpoint can carry them.
            seq = self.changes.append("").await?;
        }
        let bundles = self
            .read_every_bundle(|entry| {
                let held = previous.as_ref()?.bundles.get(&entry.name)?;
                (Some(&held.2) == entry.version.as_ref()).then(|| held.clone())
            })
            .await?;
        let gz = tokio::task::spawn_blocking({
            let bundles = bundles.clone();
            move || encode(seq, &bundles)
        })
        .await
        .map_err(io::Error::other)??;
        let key = format!("checkpoints/{}", checkpoint_name(seq));
        match self.objects.put(&key, gz, Condition::Absent).await {
            // Another process wrote the same number first: the same files as of it.
            Ok(_) | Err(PutError::Conflict) => {}
            Err(PutError::Failed(e)) => return Err(e),
        }
        let bundles = bundles
            .into_iter()
            .map(|current| (current.0.name.clone(), current))
            .collect();
        self.checkpoints.keep(Arc::new(Held { seq, bundles }));
        Ok(Some(seq))
    }

    /// After a change: starts a checkpoint in the background when enough writes have gathered
    /// since the last one, unless this process is building one. Writes, not change numbers:
    /// a burst of 10,000 publications took about 1,600 numbers (each a group of writes), so
    /// counting numbers left thousands of files after the latest checkpoint.
    ///
    /// A checkpoint is every file again, so it waits for a tenth of the files to change when
    /// that is more: a burst of publications then costs ten checkpoints' worth of writing
    /// whatever the room's size, and a first visit after it reads at most a tenth of the files
    /// from the change log.
    pub(super) fn after_change(&self) {
        let held = self.checkpoints.held();
        let (seq, files) = held.map_or((0, 0), |held| (held.seq, held.bundles.len() as u64));
        let due = self.changes.writes_after(seq)
            >= self.checkpoints.settings.every_changes.max(files / 10);
        if due {
            self.checkpoint_in_background();
        }
    }

    fn checkpoint_in_background(&self) {
        if self.checkpoints.building.swap(true, Ordering::SeqCst) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            let written = store.write_checkpoint().await;
            if let Err(e) = &written {
                tracing::warn!(error = %e, "could not write a checkpoint");
            }
            store.checkpoints.building.store(false, Ordering::SeqCst);
            // The writes that came while it was built (a burst of publications) start the
            // next one now, not at the next write or the timer's next tick.
            if let Ok(Some(_)) = written {
                store.after_change();
            }
        });
    }

    /// Every `every`, writes a checkpoint if changes came since the last: called once by the
    /// binary, so a quiet room still gets one soon after its last change.
    pub fn spawn_checkpoint_timer(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(store.checkpoints.settings.every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                store.checkpoint_in_background();
            }
        });
    }
}
