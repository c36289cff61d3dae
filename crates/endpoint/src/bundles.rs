//! The bundle store: one file per author in the data folder, written atomically, guarded by
//! strong ETags (no lost update), by each author's write token (no foreign overwrite) and by
//! the public key pinned on their first accepted write (no change of signing key).
//!
//! The folder stays the source of truth: an operator may back it up with `cp` or drop a bundle
//! in by hand; ETags are derived from the bytes on disk, never cached.

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use networkshop_core::validate::is_valid_author_id;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::atomic::{remove_temporaries, write_atomically};

/// Hidden folder (never listed, never served) holding, per author, the hash of their write
/// token (`.tokens/<author>`) and their pinned public key (`.tokens/<author>.key`). Author ids
/// hold no dot, so the two names never meet another author's.
const TOKENS_DIR: &str = ".tokens";

/// Appended to an author's id for the file of their pinned key.
///
/// Both checks apply to every write, because each stops what the other cannot:
/// - the write token stops anyone else from replacing an author's file, including with an
///   older file the author really signed (every published file can be fetched, signature
///   and all, so a signature alone would let anyone roll an author back);
/// - the pin keeps what is served as an author's file signed by the key readers pinned for
///   them: a file signed by another key, even sent with the right token (leaked, or restored
///   from a backup without the key), would be refused by every reader (`key_changed`), so the
///   endpoint refuses it first and keeps serving the file readers trust.
///
/// A participant who lost their key recovers it by restoring their backup, which holds it. An
/// operator who must let a participant start over with a new key deletes that author's pin
/// file (and token file, for a new token); the next accepted write claims both again.
const PIN_SUFFIX: &str = ".key";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub author: String,
    pub size: u64,
    pub etag: String,
    /// RFC 3339, UTC.
    pub modified: String,
}

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

pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

    fn token_path(&self, author: &str) -> PathBuf {
        self.root.join(TOKENS_DIR).join(author)
    }

    fn pin_path(&self, author: &str) -> PathBuf {
        self.root
            .join(TOKENS_DIR)
            .join(format!("{author}{PIN_SUFFIX}"))
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

    /// The listing with each file's bytes as read for its ETag, so the two always match.
    pub fn list_with_contents(&self) -> std::io::Result<Vec<(Listed, Vec<u8>)>> {
        let mut listed = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(author) = author_of_file_name(&name) else {
                continue;
            };
            let metadata = entry.metadata()?;
            if !metadata.is_file() {
                continue;
            }
            let bytes = fs::read(entry.path())?;
            let modified = metadata
                .modified()
                .ok()
                .map(time::OffsetDateTime::from)
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            listed.push((
                Listed {
                    author: author.to_owned(),
                    name,
                    size: bytes.len() as u64,
                    etag: etag_of(&bytes),
                    modified,
                },
                bytes,
            ));
        }
        listed.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(listed)
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

/// `If-Match` may list several ETags, or be `*`.
fn etag_list_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_must_be_plain_author_ids() {
        assert_eq!(author_of_file_name("alice.json"), Some("alice"));
        for bad in [
            "../alice.json",
            ".tokens.json",
            "alice",
            "a/b.json",
            "Alice.json",
            ".json",
            "-x.json",
        ] {
            assert_eq!(author_of_file_name(bad), None, "{bad}");
        }
    }

    fn write(
        store: &BundleStore,
        bytes: &[u8],
        if_match: Option<&str>,
        if_none_match_any: bool,
        token: Option<&str>,
    ) -> Result<String, WriteError> {
        write_signed(store, "key-1", bytes, if_match, if_none_match_any, token)
    }

    fn write_signed(
        store: &BundleStore,
        public_key: &str,
        bytes: &[u8],
        if_match: Option<&str>,
        if_none_match_any: bool,
        token: Option<&str>,
    ) -> Result<String, WriteError> {
        store
            .write_locked(&Write {
                author: "alice".into(),
                bytes: bytes.to_vec(),
                if_match: if_match.map(str::to_owned),
                if_none_match_any,
                token: token.map(str::to_owned),
                public_key: public_key.into(),
            })
            .map(|written| written.etag)
    }

    #[test]
    fn writes_need_the_right_token_then_the_right_precondition() {
        let dir = tempfile::tempdir().unwrap();
        let store = BundleStore::new(dir.path().to_owned());
        assert_eq!(
            write(&store, b"v1", None, true, None),
            Err(WriteError::TokenRequired)
        );
        let e1 = write(&store, b"v1", None, true, Some("secret")).unwrap();
        assert_eq!(
            write(&store, b"v2", None, true, Some("secret")),
            Err(WriteError::PreconditionFailed)
        );
        assert_eq!(
            write(&store, b"v2", None, false, Some("secret")),
            Err(WriteError::PreconditionRequired)
        );
        assert_eq!(
            write(&store, b"v2", Some("\"other\""), false, Some("secret")),
            Err(WriteError::PreconditionFailed)
        );
        // Refused whatever the precondition: the token comes first.
        for (if_match, if_none_match_any) in
            [(Some(e1.as_str()), false), (None, true), (None, false)]
        {
            assert_eq!(
                write(&store, b"v2", if_match, if_none_match_any, Some("stolen")),
                Err(WriteError::Forbidden)
            );
            assert_eq!(
                write(&store, b"v2", if_match, if_none_match_any, None),
                Err(WriteError::TokenRequired)
            );
        }
        let e2 = write(&store, b"v2", Some(&e1), false, Some("secret")).unwrap();
        assert_ne!(e1, e2);
        assert_eq!(store.read("alice").unwrap().unwrap(), b"v2");
        let listed = store.list_with_contents().unwrap();
        assert_eq!(listed.len(), 1, "the tokens folder is never listed");
        assert_eq!(listed[0].0.etag, e2);
    }

    #[test]
    fn a_refused_first_write_claims_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BundleStore::new(dir.path().to_owned());
        assert_eq!(
            write(&store, b"v1", Some("\"x\""), false, Some("early")),
            Err(WriteError::PreconditionFailed)
        );
        write(&store, b"v1", None, true, Some("owner")).unwrap();
        assert_eq!(
            write(&store, b"v2", None, true, Some("early")),
            Err(WriteError::Forbidden)
        );
    }

    #[test]
    fn the_first_accepted_key_is_pinned_and_checked_after_the_token() {
        let dir = tempfile::tempdir().unwrap();
        let store = BundleStore::new(dir.path().to_owned());
        // A refused first write pins nothing.
        assert_eq!(
            write_signed(&store, "key-0", b"v1", Some("\"x\""), false, Some("t")),
            Err(WriteError::PreconditionFailed)
        );
        let e1 = write_signed(&store, "key-1", b"v1", None, true, Some("t")).unwrap();
        let pin = dir.path().join(".tokens/alice.key");
        assert_eq!(fs::read_to_string(&pin).unwrap(), "key-1");
        // Another key is refused with the right token, whatever the precondition; a wrong
        // token is told so first.
        for (if_match, if_none_match_any) in [(Some(e1.as_str()), false), (None, true)] {
            assert_eq!(
                write_signed(
                    &store,
                    "key-2",
                    b"v2",
                    if_match,
                    if_none_match_any,
                    Some("t")
                ),
                Err(WriteError::KeyChanged)
            );
        }
        assert_eq!(
            write_signed(&store, "key-2", b"v2", Some(&e1), false, Some("other")),
            Err(WriteError::Forbidden)
        );
        assert_eq!(store.read("alice").unwrap().unwrap(), b"v1");
        let e2 = write_signed(&store, "key-1", b"v2", Some(&e1), false, Some("t")).unwrap();
        // An operator lets the author start over by deleting the pin: the next write pins.
        fs::remove_file(&pin).unwrap();
        write_signed(&store, "key-2", b"v3", Some(&e2), false, Some("t")).unwrap();
        assert_eq!(fs::read_to_string(&pin).unwrap(), "key-2");
        assert_eq!(store.list_with_contents().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_write_its_caller_gave_up_on_lands_before_the_next_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let store = BundleStore::new(dir.path().to_owned())
            .with_write_delay(Some(Duration::from_millis(300)));
        let e0 = write(&store, b"v0", None, true, Some("t")).unwrap();
        let put = |bytes: Vec<u8>| Write {
            author: "alice".into(),
            bytes,
            if_match: Some(e0.clone()),
            if_none_match_any: false,
            token: Some("t".into()),
            public_key: "key-1".into(),
        };
        let abandoned = vec![b' '; 1024 * 1024];
        let first = store.write(put(abandoned.clone()));
        assert!(
            tokio::time::timeout(Duration::from_millis(50), first)
                .await
                .is_err(),
            "the first write is still sleeping when its caller gives up"
        );
        assert_eq!(
            store.write(put(b"v1".to_vec())).await,
            Err(WriteError::PreconditionFailed)
        );
        assert_eq!(store.read("alice").unwrap().unwrap(), abandoned);
    }
}
