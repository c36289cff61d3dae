//! Each author's write token, kept as a hash, and the public key pinned on their first
//! accepted write: where the store keeps them.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::BundleStore;

/// Hidden folder (never listed, never served) holding, per author, the hash of their write
/// token (`.tokens/<author>`) and their pinned public key (`.tokens/<author>.key`). Author ids
/// hold no dot, so the two names never meet another author's.
pub(super) const TOKENS_DIR: &str = ".tokens";

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

pub(super) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl BundleStore {
    pub(super) fn token_path(&self, author: &str) -> PathBuf {
        self.root.join(TOKENS_DIR).join(author)
    }

    pub(super) fn pin_path(&self, author: &str) -> PathBuf {
        self.root
            .join(TOKENS_DIR)
            .join(format!("{author}{PIN_SUFFIX}"))
    }
}
