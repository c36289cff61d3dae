//! One pull: what changed on the endpoint, fetched and merged into the live view, one pull at
//! a time; here the pull that compares the whole listing (the delta's is in `delta.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use futures::StreamExt;
use leptos::prelude::*;

use super::bulk_files::PullState;
use super::{Community, CommunityCache};
use crate::sync::Listing;

const FETCHES_AT_ONCE: usize = 6;
const MERGE_EVERY: usize = 120;
/// From this many files to fetch, one request for all of them is cheaper.
const BULK_FROM: usize = 8;

thread_local! {
    static PULLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Held while a pull runs; dropped (on every return path) it lets the next one start.
struct PullGuard;

impl PullGuard {
    fn take() -> Option<PullGuard> {
        // Not `then_some(PullGuard)`: that makes a guard even when refusing, and its drop
        // would free the running pull's (measured: a 10,000-file first visit pulled twice).
        if PULLING.with(|p| p.replace(true)) {
            None
        } else {
            Some(PullGuard)
        }
    }
}

impl Drop for PullGuard {
    fn drop(&mut self) {
        PULLING.with(|p| p.set(false));
    }
}

pub(super) fn now_rfc3339() -> String {
    crate::services::now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Community {
    /// Fetches what changed on the endpoint and merges it into the live view. A pull still
    /// under way (a big first one outlasts the polling interval) makes the next one stand down.
    pub async fn pull(self) {
        // Before the kept copies are loaded every file would look new and be fetched again;
        // loading ends with a pull of its own.
        if !self.loaded.get_untracked() {
            return;
        }
        let Some(_pulling) = PullGuard::take() else {
            return;
        };
        if let Some(seq) = self.cache.with_untracked(CommunityCache::delta_from) {
            if self.pull_delta(seq).await {
                self.flush_kept();
                return;
            }
            // Too far behind, or another endpoint now: the listing pull takes a new number
            // where there is one.
            self.cache.update_untracked(|c| c.since = None);
        }
        self.pull_listing().await;
        self.flush_kept();
    }

    /// Compares the endpoint's listing with the files merged, fetches those whose ETag changed
    /// and drops those no longer listed.
    async fn pull_listing(self) {
        let endpoint = self.publishing.endpoint();
        // A view that holds files but no change number (opened while the room was small, or
        // kept by an earlier build) takes one before the listing, so the next pulls ask only
        // what changed after it; what changes in between is asked again and skipped by its
        // ETag. An empty view gets its number with every file at once (below), or next time.
        let (since, holds_files, pulled, known) = self.cache.with_untracked(|c| {
            let pulled = c.last_pull.is_some();
            (c.since, !c.etags.is_empty(), pulled, c.listing_etag.clone())
        });
        let numbered = match since {
            None if holds_files => endpoint.change_number().await,
            since => since,
        };
        let mut read = PullState {
            cache: self.cache.get_untracked(),
            pins: self.pins.get_value(),
            ..PullState::default()
        };
        let mut bulk_seq = None;
        let mut delivered = BTreeMap::new();
        // A first visit wants every file: the bulk answer is asked with the listing, not after
        // it (at 10,000 authors the listing is 0.6 s before its first byte), and read as it
        // arrives, the listing's count telling the progress how many to expect.
        let first_visit = !holds_files && !pulled;
        let listing = if first_visit {
            let expected = Rc::clone(&read.expected);
            let listing = async {
                let listing = endpoint.list(known.as_deref()).await;
                if let Ok(Listing::Changed { bundles, .. }) = &listing {
                    expected.set(Some(bundles.len()));
                }
                listing
            };
            let (listing, (seq, brought)) =
                futures::join!(listing, self.read_all(&endpoint, &mut read));
            (bulk_seq, delivered) = (seq, brought);
            listing
        } else {
            endpoint.list(known.as_deref()).await
        };
        let (etag, bundles) = match listing {
            Ok(Listing::Changed { etag, bundles }) => (etag, bundles),
            unchanged_or_failed => {
                // What a first visit's bulk answer brought is kept even so.
                read.pinned.append(&mut read.batch.pinned);
                self.keep_pins(&read.pinned);
                if read.unshown && read.batch.arrived.is_empty() {
                    self.live.update(|_| {});
                }
                self.keep_and_merge(std::mem::take(&mut read.batch), &[], true);
                let mut cache = read.cache;
                match unchanged_or_failed {
                    Err(error) => cache.error = Some(error),
                    Ok(_) => {
                        cache.error = None;
                        cache.last_pull = Some(now_rfc3339());
                        cache.listed_at = Some(crate::services::now());
                        self.reached(&mut cache, numbered);
                    }
                }
                self.cache.set(cache);
                return;
            }
        };
        // A set: checked once per file held, ten thousand times at 10,000 authors.
        let listed: BTreeSet<String> = bundles.iter().map(|b| b.name.clone()).collect();
        read.cache.rejected.retain(|name, _| listed.contains(name));
        let wanted = |cache: &CommunityCache, delivered: &BTreeMap<String, String>| {
            bundles
                .iter()
                .filter_map(|entry| {
                    let cached = cache.etags.get(&entry.name).cloned().flatten();
                    let held = cached.as_deref() == Some(entry.etag.as_str())
                        || delivered.get(&entry.name) == Some(&entry.etag);
                    (!held).then(|| (entry.name.clone(), cached))
                })
                .collect::<Vec<_>>()
        };
        // Many files missing: all of them in one request where the endpoint can.
        let missing = wanted(&read.cache, &delivered).len();
        if !first_visit && missing >= BULK_FROM {
            read.expected.set(Some(missing));
            (bulk_seq, delivered) = self.read_all(&endpoint, &mut read).await;
        }
        // Whatever that did not bring comes one by one, six in flight at all times (what a
        // browser opens per host). Answers are handled as they come and merged into the view
        // every few dozen files, so a big pull fills the map as it goes.
        let one_by_one = wanted(&read.cache, &delivered);
        let unshown = read.unshown;
        let PullState {
            mut cache,
            mut pins,
            mut batch,
            mut pinned,
            ..
        } = read;
        let mut cut_short = None;
        let endpoint = &endpoint;
        let mut answers = futures::stream::iter(one_by_one)
            .map(|(name, cached)| async move {
                let answer = endpoint.get(&name, cached.as_deref()).await;
                (name, answer)
            })
            .buffered(FETCHES_AT_ONCE);
        while let Some((name, answer)) = answers.next().await {
            cut_short = batch.take(&mut cache, &mut pins, &name, answer);
            if cut_short.is_some() {
                break;
            }
            if batch.arrived.len() >= MERGE_EVERY {
                pinned.append(&mut batch.pinned);
                self.keep_and_merge(std::mem::take(&mut batch), &[], true);
            }
        }
        drop(answers);
        // What did arrive is merged even when the pull was cut short; files no longer listed
        // leave only after a complete listing (also those loaded from storage meanwhile).
        let stale: Vec<String> = if cut_short.is_none() {
            self.live.with_untracked(|live| {
                live.source_names()
                    .filter(|name| !listed.contains(*name))
                    .cloned()
                    .collect()
            })
        } else {
            Vec::new()
        };
        if unshown && batch.arrived.is_empty() && stale.is_empty() {
            // Slices merged without telling the map, and nothing is left to merge that would.
            self.live.update(|_| {});
        }
        pinned.append(&mut batch.pinned);
        self.keep_pins(&pinned);
        self.keep_and_merge(batch, &stale, true);
        if let Some(error) = cut_short {
            cache.error = Some(error);
            self.cache.set(cache);
            return;
        }
        cache.etags.retain(|name, _| listed.contains(name));
        // Only now: a pull cut short keeps asking for the listing next time.
        cache.listing_etag = etag;
        cache.error = None;
        cache.last_pull = Some(now_rfc3339());
        cache.listed_at = Some(crate::services::now());
        self.reached(&mut cache, bulk_seq.or(numbered));
        self.cache.set(cache);
    }
}

#[cfg(test)]
mod tests {
    use super::PullGuard;

    #[test]
    fn a_refused_pull_leaves_the_running_one_its_turn() {
        let running = PullGuard::take().expect("nothing is pulling");
        assert!(PullGuard::take().is_none());
        assert!(PullGuard::take().is_none(), "the refusal freed the guard");
        drop(running);
        assert!(PullGuard::take().is_some());
    }
}
