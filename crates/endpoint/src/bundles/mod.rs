//! The bundle store: one object per author, guarded by strong ETags (no lost update), by each
//! author's write token (no foreign overwrite) and by the public key pinned on their first
//! accepted write (no change of signing key), over either object store (`objects/`).
//!
//! Nothing here is remembered between requests that another process would need: every check
//! reads the store, and every change is a conditional write, so any number of endpoint
//! processes may share one bucket. ETags are derived from the bytes, so every process gives
//! the same one for the same file.
//!
//! Here the write; the listing and its ETags in `listing.rs`; token hashes and pinned keys in
//! `tokens.rs`; the change sequence in `changes.rs`; checkpoints in `checkpoint.rs`.

mod changes;
mod checkpoint;
mod listing;
mod pull;
mod tokens;

#[cfg(test)]
pub(crate) mod tests;

use networkshop_core::validate::is_valid_author_id;

use crate::objects::{Condition, Objects, PutError, Stored};
use changes::ChangeLog;
pub use checkpoint::checkpoint_name;
pub use checkpoint::CheckpointSettings;
use checkpoint::Checkpoints;
use listing::etag_list_matches;
pub use listing::{etag_of, Current, Listed};
#[cfg(test)]
pub use pull::Pull;
pub use pull::{PullPlan, DELTA_LIMIT};

/// How often a conditional write that lost (or that the store could not decide) is re-read
/// and tried again while the client's precondition still holds.
const WRITE_ATTEMPTS: usize = 8;

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

impl From<std::io::Error> for WriteError {
    fn from(e: std::io::Error) -> WriteError {
        WriteError::Io(e.to_string())
    }
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

fn bundle_key(author: &str) -> String {
    format!("bundles/{author}.json")
}

#[derive(Clone)]
pub struct BundleStore<O: Objects> {
    objects: O,
    changes: ChangeLog<O>,
    checkpoints: Checkpoints<O>,
}

impl<O: Objects> BundleStore<O> {
    pub fn new(objects: O, settings: CheckpointSettings) -> BundleStore<O> {
        BundleStore {
            changes: ChangeLog::new(objects.clone()),
            checkpoints: Checkpoints::new(objects.clone(), settings),
            objects,
        }
    }

    /// The stored bytes of an author's bundle, if any.
    pub async fn read(&self, author: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(self
            .objects
            .get(&bundle_key(author))
            .await?
            .map(|s| s.bytes))
    }

    /// Checks the token, then the pinned key, then the preconditions, then replaces the file
    /// with a conditional write and records the change.
    ///
    /// Cancel-safe: the work runs in its own task, so a caller that stops waiting (a client
    /// that hung up) does not stop a write half-way: a write that began is checked, written
    /// and recorded as if its caller were still there, and a later write based on the old
    /// version fails its condition.
    pub async fn write(&self, write: Write) -> Result<Written, WriteError> {
        let store = self.clone();
        tokio::spawn(async move { store.write_detached(write).await })
            .await
            .unwrap_or_else(|e| Err(WriteError::Io(e.to_string())))
    }

    async fn write_detached(&self, write: Write) -> Result<Written, WriteError> {
        // Authorization before preconditions (RFC 9110 §13.2.1): a client that may not write
        // is told so whatever version it based its change on, instead of being sent into a
        // merge-and-retry loop by a 412 or 428 it can never get past.
        // The key is checked like the token, before the preconditions and for the same reason.
        // The three reads go out together (one round trip to a bucket, not three); their
        // answers are judged in that order.
        let key = bundle_key(&write.author);
        let (claim, pin, current) = tokio::join!(
            self.check_token(&write),
            self.check_pin(&write),
            self.objects.get(&key)
        );
        let (claim, pin, mut current) = (claim?, pin?, current?);
        if let Err(refusal) = check_preconditions(&current, &write) {
            return Err(self
                .refusal_after_race(&write, claim.is_some(), refusal)
                .await);
        }
        let created = current.is_none();

        // Claimed only once the preconditions hold; a claim another process won first is
        // checked again as the author's (exactly one token ever owns an author).
        if let Some(token) = claim {
            self.claim_token(&write.author, token).await?;
        }
        // Pinned before the bundle lands, as the token is claimed: a crash in between leaves a
        // pin whose owner's retry passes it, never a served file whose key nobody pinned.
        if pin {
            self.pin_key(&write.author, &write.public_key).await?;
        }
        for _ in 0..WRITE_ATTEMPTS {
            let condition = match &current {
                None => Condition::Absent,
                Some(stored) => Condition::Is(stored.version.clone()),
            };
            match self.objects.put(&key, write.bytes.clone(), condition).await {
                Ok(_) => return self.written(&write, created).await,
                // Someone else wrote first, or the store could not tell: what is there now
                // decides, as if this request had come after it.
                Err(PutError::Conflict) => {
                    current = self.objects.get(&key).await?;
                    // A store that failed the request after applying it (an error reply to
                    // a write that landed) holds exactly these bytes: the write is done.
                    if current.as_ref().is_some_and(|s| s.bytes == write.bytes) {
                        return self.written(&write, created).await;
                    }
                    if let Err(refusal) = check_preconditions(&current, &write) {
                        return Err(self.refusal_after_race(&write, false, refusal).await);
                    }
                }
                Err(PutError::Failed(e)) => return Err(e.into()),
            }
        }
        Err(WriteError::PreconditionFailed)
    }
}

impl<O: Objects> BundleStore<O> {
    /// The write landed: its change number, a checkpoint if one is due, the answer.
    async fn written(&self, write: &Write, created: bool) -> Result<Written, WriteError> {
        self.changes.append(&write.author).await?;
        self.after_change();
        Ok(Written {
            etag: etag_of(&write.bytes),
            created,
        })
    }

    /// A precondition failed for a write that found no token: if a token was claimed in the
    /// meantime (another first write, maybe in another process), the answer is the token's,
    /// as it would have been had this request come a moment later.
    async fn refusal_after_race(
        &self,
        write: &Write,
        found_no_token: bool,
        refusal: WriteError,
    ) -> WriteError {
        if !found_no_token {
            return refusal;
        }
        match self.check_token(write).await {
            Err(e @ (WriteError::Forbidden | WriteError::TokenRequired)) => e,
            _ => refusal,
        }
    }
}

fn check_preconditions(current: &Option<Stored>, write: &Write) -> Result<(), WriteError> {
    match (current, &write.if_match, write.if_none_match_any) {
        (Some(_), _, true) => Err(WriteError::PreconditionFailed),
        (Some(stored), Some(expected), false) => {
            if etag_list_matches(expected, &etag_of(&stored.bytes)) {
                Ok(())
            } else {
                Err(WriteError::PreconditionFailed)
            }
        }
        (Some(_), None, false) => Err(WriteError::PreconditionRequired),
        (None, Some(_), _) => Err(WriteError::PreconditionFailed),
        (None, None, _) => Ok(()),
    }
}
