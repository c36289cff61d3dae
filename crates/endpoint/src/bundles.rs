//! The bundle store: one file per author in the data folder, written atomically, guarded by
//! strong ETags (no lost update) and by each author's write token (no foreign overwrite).
//!
//! The folder stays the source of truth: an operator may back it up with `cp` or drop a bundle
//! in by hand; ETags are derived from the bytes on disk, never cached.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use networkshop_core::validate::is_valid_author_id;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Hidden folder (never listed, never served) holding the hash of each author's write token.
const TOKENS_DIR: &str = ".tokens";

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
    Io(String),
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
}

impl BundleStore {
    pub fn new(root: PathBuf) -> BundleStore {
        BundleStore {
            root,
            locks: Arc::default(),
        }
    }

    fn path(&self, author: &str) -> PathBuf {
        self.root.join(format!("{author}.json"))
    }

    fn token_path(&self, author: &str) -> PathBuf {
        self.root.join(TOKENS_DIR).join(author)
    }

    pub fn lock_for(&self, author: &str) -> Arc<tokio::sync::Mutex<()>> {
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

    /// Checks the preconditions and the token, then replaces the file atomically. Call with the
    /// author's lock held. Returns the new ETag.
    pub fn write(
        &self,
        author: &str,
        bytes: &[u8],
        if_match: Option<&str>,
        if_none_match_any: bool,
        token: Option<&str>,
    ) -> Result<String, WriteError> {
        let io = |e: std::io::Error| WriteError::Io(e.to_string());
        let current = self.read(author).map_err(io)?;
        match (&current, if_match, if_none_match_any) {
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

        let token_path = self.token_path(author);
        match fs::read_to_string(&token_path) {
            Ok(stored_hash) => match token {
                Some(token) if hash_token(token) == stored_hash.trim() => {}
                Some(_) => return Err(WriteError::Forbidden),
                None => return Err(WriteError::TokenRequired),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // First write of this author (or a bundle dropped in by hand): the token that
                // comes with it becomes the owner's.
                let Some(token) = token else {
                    return Err(WriteError::TokenRequired);
                };
                fs::create_dir_all(token_path.parent().expect("tokens folder")).map_err(io)?;
                write_atomically(&token_path, hash_token(token).as_bytes()).map_err(io)?;
            }
            Err(e) => return Err(io(e)),
        }

        write_atomically(&self.path(author), bytes).map_err(io)?;
        Ok(etag_of(bytes))
    }
}

/// `If-Match` may list several ETags, or be `*`.
fn etag_list_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate == etag)
}

/// Temporary file in the same folder, fsync, rename over the target, fsync the folder: a crash
/// leaves the old file or the new one, never a torn one.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let temporary = folder.join(format!(".tmp-{}", uuid::Uuid::new_v4()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, target)?;
        fs::File::open(folder)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
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

    #[test]
    fn writes_need_the_right_precondition_and_token() {
        let dir = tempfile::tempdir().unwrap();
        let store = BundleStore::new(dir.path().to_owned());
        assert_eq!(
            store.write("alice", b"v1", None, true, None),
            Err(WriteError::TokenRequired)
        );
        let e1 = store
            .write("alice", b"v1", None, true, Some("secret"))
            .unwrap();
        assert_eq!(
            store.write("alice", b"v2", None, true, Some("secret")),
            Err(WriteError::PreconditionFailed)
        );
        assert_eq!(
            store.write("alice", b"v2", None, false, Some("secret")),
            Err(WriteError::PreconditionRequired)
        );
        assert_eq!(
            store.write("alice", b"v2", Some("\"other\""), false, Some("secret")),
            Err(WriteError::PreconditionFailed)
        );
        assert_eq!(
            store.write("alice", b"v2", Some(&e1), false, Some("stolen")),
            Err(WriteError::Forbidden)
        );
        let e2 = store
            .write("alice", b"v2", Some(&e1), false, Some("secret"))
            .unwrap();
        assert_ne!(e1, e2);
        assert_eq!(store.read("alice").unwrap().unwrap(), b"v2");
        let listed = store.list_with_contents().unwrap();
        assert_eq!(listed.len(), 1, "the tokens folder is never listed");
        assert_eq!(listed[0].0.etag, e2);
    }
}
