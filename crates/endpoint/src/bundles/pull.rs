//! What a reader pulls: everything (a checkpoint and the changes after it), or only what
//! changed after a number it already has.

use std::io;

use super::listing::Current;
use super::BundleStore;
use crate::objects::Objects;

/// A reader this many changes behind the latest checkpoint is sent to it rather than given
/// every change since: the delta would cost more than the checkpoint.
pub const DELTA_LIMIT: u64 = 1000;

/// The answer to `?since=<n>` read whole (the route sends it as its files are read), for tests.
#[cfg(test)]
pub struct Pull {
    /// The checkpoint to read first, when the reader is too far behind (or new).
    pub checkpoint: Option<u64>,
    /// The last change number covered: the reader's next `since`.
    pub seq: u64,
    /// The files changed after the checkpoint (or after `n`), as they are now.
    pub changed: Vec<Current>,
}

/// What `?since=<n>` will answer, before any file is read: the files are then read as the
/// answer is sent ([`BundleStore::current_files`]).
pub struct PullPlan {
    pub checkpoint: Option<u64>,
    pub seq: u64,
    /// The authors whose files changed after the checkpoint (or after `n`).
    pub authors: Vec<String>,
}

impl<O: Objects> BundleStore<O> {
    #[cfg(test)]
    pub async fn pull_since(&self, since: u64) -> io::Result<Pull> {
        let plan = self.plan_pull(since).await?;
        Ok(Pull {
            checkpoint: plan.checkpoint,
            seq: plan.seq,
            changed: self.read_current(&plan.authors).await?,
        })
    }

    pub async fn plan_pull(&self, since: u64) -> io::Result<PullPlan> {
        let latest = self.checkpoints.latest_seq().await?;
        if let Some(latest) = latest {
            self.changes.note_at_least(latest);
        }
        let checkpoint = latest.filter(|&c| since < c && (since == 0 || c - since > DELTA_LIMIT));
        let delta = self.changes.since(checkpoint.unwrap_or(since)).await?;
        Ok(PullPlan {
            checkpoint,
            seq: delta.seq.max(since),
            authors: delta.authors,
        })
    }

    /// Every bundle as it is now, from the latest checkpoint and the changes after it,
    /// without listing the bucket.
    pub(super) async fn snapshot(&self) -> io::Result<Vec<Current>> {
        let held = self.checkpoints.latest().await?;
        let since = held.as_ref().map_or(0, |held| held.seq);
        let delta = self.changes.since(since).await?;
        let mut bundles = held.map(|held| held.bundles.clone()).unwrap_or_default();
        for current in self.read_current(&delta.authors).await? {
            bundles.insert(current.0.name.clone(), current);
        }
        let mut all: Vec<Current> = bundles.into_values().collect();
        all.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(all)
    }
}
