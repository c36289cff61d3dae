//! The data folder as an object store: bundles at its top (`alice.json`, so an operator can
//! back it up with `cp` or drop a file in by hand), every other area in a hidden folder
//! (`.tokens/`, `.changes/`, `.checkpoints/`) that is never listed as bundles nor served.
//!
//! A version is the hash of the bytes on disk, never cached. Creating is a hard link (the
//! file system refuses a second one); replacing holds the key's lock from the version check
//! to the rename, in a blocking task that finishes even if its caller stops waiting.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Condition, Entry, Objects, PutError, Stored, Version, PAGE};
use crate::atomic::{create_atomically, remove_temporaries, write_atomically};
use crate::bundles::etag_of;

/// The areas other than bundles, each a hidden folder of the data folder.
const HIDDEN_AREAS: [&str; 3] = ["tokens", "changes", "checkpoints"];

#[derive(Clone)]
pub struct FolderObjects {
    root: PathBuf,
    /// One lock per replaced key: check-then-rename is atomic within this process, which is
    /// the only one writing a data folder.
    locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    write_delay_per_mib: Option<Duration>,
}

impl FolderObjects {
    pub fn new(root: PathBuf) -> FolderObjects {
        FolderObjects {
            root,
            locks: Arc::default(),
            write_delay_per_mib: None,
        }
    }

    /// The test hook of [`crate::Config::write_delay_per_mib`].
    pub fn with_write_delay(mut self, per_mib: Option<Duration>) -> FolderObjects {
        self.write_delay_per_mib = per_mib;
        self
    }

    fn area_folder(&self, area: &str) -> io::Result<PathBuf> {
        match area {
            "bundles" => Ok(self.root.clone()),
            hidden if HIDDEN_AREAS.contains(&hidden) => Ok(self.root.join(format!(".{hidden}"))),
            other => Err(io::Error::other(format!("no area {other}"))),
        }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let (area, name) = key
            .split_once('/')
            .ok_or_else(|| io::Error::other(format!("no area in {key}")))?;
        // Names come from validated author ids and numbers; this keeps any other out.
        if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
            return Err(io::Error::other(format!("bad name {name}")));
        }
        Ok(self.area_folder(area)?.join(name))
    }

    fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().expect("lock table poisoned");
        locks.entry(key.to_owned()).or_default().clone()
    }

    fn delay_for(&self, bytes: usize) -> Option<Duration> {
        self.write_delay_per_mib
            .map(|per_mib| per_mib.mul_f64(bytes as f64 / (1024.0 * 1024.0)))
    }

    /// Removes what writes interrupted by a crash left behind. Call before serving.
    pub fn remove_temporaries(&self) -> io::Result<usize> {
        let mut removed = remove_temporaries(&self.root)?;
        for area in HIDDEN_AREAS {
            removed += remove_temporaries(&self.area_folder(area)?)?;
        }
        Ok(removed)
    }
}

fn read(path: &Path) -> io::Result<Option<Stored>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(Some(Stored {
        version: etag_of(&bytes),
        bytes,
        modified,
    }))
}

fn replace_if(
    path: &Path,
    bytes: &[u8],
    expected: &Version,
    delay: Option<Duration>,
) -> Result<Version, PutError> {
    match read(path).map_err(PutError::Failed)? {
        Some(current) if &current.version == expected => {}
        _ => return Err(PutError::Conflict),
    }
    write_atomically(path, bytes, delay).map_err(PutError::Failed)?;
    Ok(etag_of(bytes))
}

impl Objects for FolderObjects {
    const LISTING_IS_LOCAL: bool = true;

    async fn get(&self, key: &str) -> io::Result<Option<Stored>> {
        let path = self.path(key)?;
        tokio::task::spawn_blocking(move || read(&path))
            .await
            .map_err(io::Error::other)?
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        condition: Condition,
    ) -> Result<Version, PutError> {
        let path = self.path(key).map_err(PutError::Failed)?;
        fs::create_dir_all(path.parent().expect("area folder")).map_err(PutError::Failed)?;
        let delay = self.delay_for(bytes.len());
        let task = match condition {
            Condition::Absent => {
                tokio::task::spawn_blocking(move || match create_atomically(&path, &bytes, delay) {
                    Ok(()) => Ok(etag_of(&bytes)),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(PutError::Conflict),
                    Err(e) => Err(PutError::Failed(e)),
                })
            }
            Condition::Is(expected) => {
                let guard = self.lock_for(key).lock_owned().await;
                // No await between taking the lock and spawning: once held, it belongs to the
                // write, released only when the rename is done even if our caller gave up.
                tokio::task::spawn_blocking(move || {
                    let _held_until_written = guard;
                    replace_if(&path, &bytes, &expected, delay)
                })
            }
        };
        task.await
            .unwrap_or_else(|e| Err(PutError::Failed(io::Error::other(e))))
    }

    async fn list(&self, area: &str, start_after: &str) -> io::Result<Vec<Entry>> {
        let folder = self.area_folder(area)?;
        let start_after = start_after.to_owned();
        tokio::task::spawn_blocking(move || {
            let entries = match fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(e),
            };
            let mut listed = Vec::new();
            for entry in entries {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || name.as_str() <= start_after.as_str() {
                    continue;
                }
                let metadata = entry.metadata()?;
                if metadata.is_file() {
                    listed.push(Entry {
                        name,
                        version: None,
                    });
                }
            }
            listed.sort_by(|a, b| a.name.cmp(&b.name));
            listed.truncate(PAGE);
            Ok(listed)
        })
        .await
        .map_err(io::Error::other)?
    }
}
