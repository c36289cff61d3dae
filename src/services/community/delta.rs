//! A pull from the change number the view is up to date with (`?since=N`): what changed, however
//! big the room, instead of its whole listing, which at 10,000 authors is 1.5 MB the endpoint
//! writes out for every reader at every change. A file an operator dropped in or removed by hand
//! is never announced by a change, so the listing is still compared when the map opens and
//! every [`LISTING_EVERY`].

use leptos::prelude::*;
use time::Duration;

use super::arrivals::Arrivals;
use super::pull::now_rfc3339;
use super::{Community, CommunityCache};
use crate::slices::{Slices, MERGE_GROUP};
use crate::sync::{Delta, Fetched};

/// How often the whole listing is compared all the same: a file an operator drops into the
/// data folder or removes by hand shows within this time on a map left open (at once on one
/// opened), and at 10,000 authors the endpoint writes the listing out a twelfth as often as
/// with a listing every poll.
const LISTING_EVERY: Duration = Duration::minutes(1);

impl CommunityCache {
    /// The change number to pull from, unless the listing is due.
    pub(super) fn delta_from(&self) -> Option<u64> {
        let listed_at = self.listed_at?;
        (crate::services::now() - listed_at < LISTING_EVERY)
            .then_some(self.since)
            .flatten()
    }
}

impl Community {
    /// Fetches what changed after `seq` and merges it. False when the endpoint says to read
    /// everything again (too far behind, or it has no change numbers): the listing is
    /// compared instead.
    pub(super) async fn pull_delta(self, seq: u64) -> bool {
        let endpoint = self.publishing.endpoint();
        let (files, next) = match endpoint.get_since(seq).await {
            Ok(Delta::Changed { files, seq }) => (files, seq),
            Ok(Delta::TooFarBehind) => return false,
            Err(error) => {
                self.cache.update(|c| c.error = Some(error));
                return true;
            }
        };
        // The cache and the pins are changed where they are, not copied: at 10,000 authors a
        // copy of each (every file's ETag, every author's key) was 10–20 ms of every poll,
        // most of which bring nothing.
        let mut batch = Arrivals::default();
        let mut pinned = Vec::new();
        let mut slices = Slices::new();
        let mut cut_short = None;
        // Groups merged without telling the map yet.
        let mut unshown = false;
        for (name, etag, text) in files {
            let merged = self.cache.with_untracked(|cache| {
                cache.etags.get(&name).and_then(Option::as_deref) == Some(etag.as_str())
            });
            if merged {
                continue;
            }
            let answer = match text {
                Some(text) => Ok(Fetched::Body {
                    bytes: text.into_bytes(),
                    etag: Some(etag),
                }),
                // Not JSON: fetched alone, it is refused with its own reason.
                None => endpoint.get(&name, None).await,
            };
            cut_short = self
                .pins
                .try_update_value(|pins| {
                    self.cache
                        .try_update_untracked(|cache| batch.take(cache, pins, &name, answer))
                })
                .flatten()
                .flatten();
            if cut_short.is_some() {
                break;
            }
            if batch.arrived.len() >= MERGE_GROUP || slices.over() {
                pinned.append(&mut batch.pinned);
                self.keep_and_merge(std::mem::take(&mut batch), &[], false);
                unshown = true;
            }
            if slices.over() {
                slices
                    .next_showing(|| {
                        unshown = false;
                        self.live.notify();
                    })
                    .await;
            }
        }
        pinned.append(&mut batch.pinned);
        self.keep_pins(&pinned);
        if unshown && batch.arrived.is_empty() {
            self.live.notify();
        }
        self.keep_and_merge(batch, &[], true);
        self.cache.update(|cache| match cut_short {
            Some(error) => cache.error = Some(error),
            None => {
                cache.error = None;
                cache.last_pull = Some(now_rfc3339());
                self.reached(cache, Some(next));
            }
        });
        true
    }
}
