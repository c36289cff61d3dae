//! The bundle store: one file per author in the data folder, written atomically, guarded by
//! strong ETags (no lost update), by each author's write token (no foreign overwrite) and by
//! the public key pinned on their first accepted write (no change of signing key).
//!
//! The folder stays the source of truth: an operator may back it up with `cp` or drop a bundle
//! in by hand; ETags are derived from the bytes on disk, never cached.
//!
//! Here the store and its writes; the listing and its ETags in `listing.rs`; where the token
//! hashes and pinned keys are kept in `tokens.rs`.

mod listing;
mod tokens;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use networkshop_core::validate::is_valid_author_id;

use crate::atomic::{remove_temporaries, write_atomically};
use listing::etag_list_matches;
pub use listing::{etag_of, Listed};
use tokens::{hash_token, TOKENS_DIR};

#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The stored file is not the version the client based its change on.
    PreconditionFailed,
    /// The file exists and the client sent neither `If-Match` nor `If-None-Match: *`.
    PreconditionRequired,
    /// No write token was sent for an author that needs one.
    TokenRequired,
    /// Another token owns this author's file.
    Forbidden,
    /// The bundle is signed by another key than the one pinned for this author.
    KeyChanged,
    Io(String),
}

/// One PUT, as the store needs it.
#[derive(Debug, Clone)]
pub struct Write {
    pub author: String,
    pub bytes: Vec<u8>,
    pub if_match: Option<String>,
    pub if_none_match_any: bool,
    pub token: Option<String>,
    /// The key that signed `bytes`, as checked by the core (`accept_published`).
    pub public_key: String,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Written {
    pub etag: String,
    /// No file was there before: 201 rather than 200.
    pub created: bool,
}

/// Parses `{author}.json` into the author id, refusing anything that is not a plain, valid id
/// (no path separators, no dot files, no traversal).
pub fn author_of_file_name(name: &str) -> Option<&str> {
    let author = name.strip_suffix(".json")?;
    is_valid_author_id(author).then_some(author)
}

#[derive(Clone)]
pub struct BundleStore {
    root: PathBuf,
    /// One lock per author: check-then-write is atomic within this process.
    locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    write_delay_per_mib: Option<Duration>,
}

impl BundleStore {
    pub fn new(root: PathBuf) -> BundleStore {
        BundleStore {
            root,
            locks: Arc::default(),
            write_delay_per_mib: None,
        }
    }

    /// The test hook of [`crate::Config::write_delay_per_mib`].
    pub fn with_write_delay(mut self, per_mib: Option<Duration>) -> BundleStore {
        self.write_delay_per_mib = per_mib;
        self
    }

    fn path(&self, author: &str) -> PathBuf {
        self.root.join(format!("{author}.json"))
    }

    fn lock_for(&self, author: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().expect("lock table poisoned");
        locks.entry(author.to_owned()).or_default().clone()
    }

    /// The stored bytes of an author's bundle, if any.
    pub fn read(&self, author: &str) -> std::io::Result<Option<Vec<u8>>> {
        match fs::read(self.path(author)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Checks the token, then the pinned key, then the preconditions, then replaces the file
    /// atomically.
    ///
    /// Cancel-safe: the author's lock is taken here and handed to the blocking write, so a
    /// caller that stops waiting (a client that hung up) releases it only once the write has
    /// finished. A write that has begun therefore lands before any later write of that author
    /// is checked, and one that had not begun never starts.
    pub async fn write(&self, write: Write) -> Result<Written, WriteError> {
        let guard = self.lock_for(&write.author).lock_owned().await;
        // No await between taking the lock and spawning: once held, it belongs to the write.
        let store = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _held_until_written = guard;
            store.write_locked(&write)
        });
        task.await
            .unwrap_or_else(|e| Err(WriteError::Io(e.to_string())))
    }

    /// The check-then-write of [`BundleStore::write`]; the caller holds the author's lock.
    fn write_locked(&self, write: &Write) -> Result<Written, WriteError> {
        let io = |e: std::io::Error| WriteError::Io(e.to_string());
        // Authorization before preconditions (RFC 9110 §13.2.1): a client that may not write
        // is told so whatever version it based its change on, instead of being sent into a
        // merge-and-retry loop by a 412 or 428 it can never get past.
        let token_path = self.token_path(&write.author);
        let claim = match fs::read_to_string(&token_path) {
            Ok(stored_hash) => match &write.token {
                Some(token) if hash_token(token) == stored_hash.trim() => None,
                Some(_) => return Err(WriteError::Forbidden),
                None => return Err(WriteError::TokenRequired),
            },
            // First write of this author (or a bundle dropped in by hand): the token that
            // comes with it becomes the owner's, once the preconditions hold.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Some(write.token.as_deref().ok_or(WriteError::TokenRequired)?)
            }
            Err(e) => return Err(io(e)),
        };
        // The key is checked like the token, before the preconditions and for the same reason.
        let pin_path = self.pin_path(&write.author);
        let pin = match fs::read_to_string(&pin_path) {
            Ok(pinned) if pinned.trim() == write.public_key => None,
            Ok(_) => return Err(WriteError::KeyChanged),
            // First accepted write of this author since pins exist (or since an operator
            // removed the pin): its key becomes the author's, once the preconditions hold.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(&write.public_key),
            Err(e) => return Err(io(e)),
        };

        let current = self.read(&write.author).map_err(io)?;
        match (&current, &write.if_match, write.if_none_match_any) {
            (Some(_), _, true) => return Err(WriteError::PreconditionFailed),
            (Some(stored), Some(expected), false) => {
                if !etag_list_matches(expected, &etag_of(stored)) {
                    return Err(WriteError::PreconditionFailed);
                }
            }
            (Some(_), None, false) => return Err(WriteError::PreconditionRequired),
            (None, Some(_), _) => return Err(WriteError::PreconditionFailed),
            (None, None, _) => {}
        }

        if let Some(token) = claim {
            fs::create_dir_all(token_path.parent().expect("tokens folder")).map_err(io)?;
            write_atomically(&token_path, hash_token(token).as_bytes(), None).map_err(io)?;
        }
        // Pinned before the bundle lands, as the token is claimed: a crash in between leaves a
        // pin whose owner's retry passes it, never a served file whose key nobody pinned.
        if let Some(key) = pin {
            fs::create_dir_all(pin_path.parent().expect("tokens folder")).map_err(io)?;
            write_atomically(&pin_path, key.as_bytes(), None).map_err(io)?;
        }
        let delay = self
            .write_delay_per_mib
            .map(|per_mib| per_mib.mul_f64(write.bytes.len() as f64 / (1024.0 * 1024.0)));
        write_atomically(&self.path(&write.author), &write.bytes, delay).map_err(io)?;
        Ok(Written {
            etag: etag_of(&write.bytes),
            created: current.is_none(),
        })
    }

    /// Removes what writes interrupted by a crash left behind. Call before serving.
    pub fn remove_temporaries(&self) -> std::io::Result<usize> {
        Ok(remove_temporaries(&self.root)? + remove_temporaries(&self.root.join(TOKENS_DIR))?)
    }
}
