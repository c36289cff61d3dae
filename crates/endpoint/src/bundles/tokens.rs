//! Each author's write token, kept as a hash, and the public key pinned on their first
//! accepted write: how the store checks and claims them.
//!
//! Both are kept in the `tokens` area: `tokens/<author>` (the token's hash) and
//! `tokens/<author>.key` (the pinned key). Author ids hold no dot, so the two names never
//! meet another author's. Both checks apply to every write, because each stops what the
//! other cannot:
//! - the write token stops anyone else from replacing an author's file, including with an
//!   older file the author really signed (every published file can be fetched, signature
//!   and all, so a signature alone would let anyone roll an author back);
//! - the pin keeps what is served as an author's file signed by the key readers pinned for
//!   them: a file signed by another key, even sent with the right token (leaked, or restored
//!   from a backup without the key), would be refused by every reader (`key_changed`), so the
//!   endpoint refuses it first and keeps serving the file readers trust.
//!
//! A participant who lost their key recovers it by restoring their backup, which holds it. An
//! operator who must let a participant start over with a new key deletes that author's pin
//! (and token, for a new token); the next accepted write claims both again.
//!
//! Claims are create-only writes: when two processes claim one author at once, exactly one
//! write lands, and the other request is judged against it.

use sha2::{Digest, Sha256};

use super::{BundleStore, Write, WriteError};
use crate::objects::{Condition, Objects, PutError};

pub(super) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn token_key(author: &str) -> String {
    format!("tokens/{author}")
}

fn pin_key(author: &str) -> String {
    format!("tokens/{author}.key")
}

/// The stored text, trimmed (an operator may have written the file by hand).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim().to_owned()
}

impl<O: Objects> BundleStore<O> {
    /// `Some(token)` when the author has no token yet and this write's token would claim it.
    pub(super) async fn check_token<'w>(
        &self,
        write: &'w Write,
    ) -> Result<Option<&'w str>, WriteError> {
        match self.objects.get(&token_key(&write.author)).await? {
            Some(stored) => match &write.token {
                Some(token) if hash_token(token) == text(&stored.bytes) => Ok(None),
                Some(_) => Err(WriteError::Forbidden),
                None => Err(WriteError::TokenRequired),
            },
            // First write of this author (or a bundle dropped in by hand): the token that
            // comes with it becomes the owner's, once the preconditions hold.
            None => write
                .token
                .as_deref()
                .map(Some)
                .ok_or(WriteError::TokenRequired),
        }
    }

    /// Whether this write's key must be pinned (none is yet); `KeyChanged` if another is.
    pub(super) async fn check_pin(&self, write: &Write) -> Result<bool, WriteError> {
        match self.objects.get(&pin_key(&write.author)).await? {
            Some(pinned) if text(&pinned.bytes) == write.public_key => Ok(false),
            Some(_) => Err(WriteError::KeyChanged),
            None => Ok(true),
        }
    }

    pub(super) async fn claim_token(&self, author: &str, token: &str) -> Result<(), WriteError> {
        let hash = hash_token(token);
        self.claim(&token_key(author), &hash, WriteError::Forbidden)
            .await
    }

    pub(super) async fn pin_key(&self, author: &str, public_key: &str) -> Result<(), WriteError> {
        self.claim(&pin_key(author), public_key, WriteError::KeyChanged)
            .await
    }

    /// Creates `key` holding `value`; if another claim landed first, succeeds only if it
    /// holds the same value, else `lost`.
    async fn claim(&self, key: &str, value: &str, lost: WriteError) -> Result<(), WriteError> {
        for _ in 0..super::WRITE_ATTEMPTS {
            match self
                .objects
                .put(key, value.as_bytes().to_vec(), Condition::Absent)
                .await
            {
                Ok(_) => return Ok(()),
                Err(PutError::Failed(e)) => return Err(e.into()),
                Err(PutError::Conflict) => match self.objects.get(key).await? {
                    Some(stored) if text(&stored.bytes) == value => return Ok(()),
                    Some(_) => return Err(lost),
                    // The store could not tell (Ceph's 500): nothing landed, try again.
                    None => continue,
                },
            }
        }
        Err(WriteError::Io(format!("could not claim {key}")))
    }
}
