//! The files of a bulk answer (the endpoint's checkpoint and the changes after it) believed and
//! merged in slices: checked by the believer worker a few batches ahead of the merge where it
//! is ready, by the page itself otherwise. The page then only reads each believed file, which
//! costs about what reading a kept copy costs.

use std::collections::VecDeque;
use std::time::Duration;

use futures::future::{select, Either};
use networkshop_core::trust::KeyPins;

use super::arrivals::Arrivals;
use super::believer::{Answer, Believer};
use super::slices::Slices;
use super::{Community, CommunityCache};
use crate::sync::Fetched;
use crate::timer::sleep;

/// Files per batch posted to the worker: about 1.5 MB of bundles at 20 records each.
const BATCH: usize = 250;
/// Batches posted ahead: the worker checks the next while the page merges one.
const AHEAD: usize = 2;
/// How long the files wait for the worker to start when they arrive first (it normally
/// starts in a fraction of a second; the page checks files itself meanwhile after that).
const WORKER_START: Duration = Duration::from_secs(2);
/// How long one batch may take the worker before the page checks the rest itself (it takes
/// about a tenth of a second).
const WORKER_SILENT: Duration = Duration::from_secs(20);

/// A file of the bulk answer: name, ETag, text.
pub(super) type BulkText = (String, String, String);

/// One bulk pull's files and what it has told the map.
pub(super) struct BulkRead<'a> {
    pub(super) cache: &'a mut CommunityCache,
    pub(super) pins: &'a mut KeyPins,
    pub(super) batch: &'a mut Arrivals,
    pub(super) pinned: &'a mut Vec<(String, String)>,
    /// Slices merged without telling the map.
    pub(super) unshown: bool,
}

impl Community {
    /// Believes and merges `files`, the map shown what is merged now and then with how many
    /// are read.
    pub(super) async fn read_bulk(
        self,
        files: Vec<BulkText>,
        mut believer: Option<Believer>,
        read: &mut BulkRead<'_>,
    ) {
        let total = files.len();
        let mut files = files.into_iter();
        let mut waiting: VecDeque<Vec<BulkText>> = std::iter::from_fn(|| {
            Some(files.by_ref().take(BATCH).collect::<Vec<_>>()).filter(|g| !g.is_empty())
        })
        .collect();
        // One batch is soon checked here: only more are worth waiting for the worker.
        if let Some(believer) = believer.as_mut().filter(|_| total > BATCH) {
            believer.wait_ready(WORKER_START).await;
        }
        let mut posted: VecDeque<(Vec<BulkText>, Answer)> = VecDeque::new();
        let mut slices = Slices::new();
        let mut done = 0;
        loop {
            if let Some(believer) = believer.as_mut().filter(|b| b.ready()) {
                while posted.len() < AHEAD {
                    let Some(group) = waiting.pop_front() else {
                        break;
                    };
                    let answer =
                        believer.check(group.iter().map(|(n, _, t)| (n.as_str(), t.as_str())));
                    posted.push_back((group, answer));
                }
            }
            let (group, verdicts) = match posted.pop_front() {
                Some((group, mut answer)) => {
                    let verdicts = match answer.try_recv() {
                        Ok(Some(verdicts)) => verdicts,
                        Ok(None) => {
                            // The worker is behind: what is read so far is merged meanwhile.
                            self.merge_read(read, &mut slices, done, total);
                            let timeout = Box::pin(sleep(WORKER_SILENT));
                            let verdicts = match select(answer, timeout).await {
                                Either::Left((answered, _)) => answered.ok().flatten(),
                                Either::Right(_) => {
                                    if let Some(believer) = &believer {
                                        believer.give_up();
                                    }
                                    None
                                }
                            };
                            // The wait was the browser's turn.
                            slices.restart();
                            verdicts
                        }
                        Err(_) => None,
                    };
                    let count = group.len();
                    let verdicts = verdicts.map(|v| v.verdicts);
                    (group, verdicts.filter(|v| v.len() == count))
                }
                None => match waiting.pop_front() {
                    Some(group) => (group, None),
                    None => break,
                },
            };
            let mut verdicts = verdicts.map(Vec::into_iter);
            for (name, etag, text) in group {
                let file = (text.into_bytes(), Some(etag));
                match verdicts.as_mut().and_then(Iterator::next) {
                    Some(verdict) => read
                        .batch
                        .take_checked(read.cache, read.pins, &name, file, verdict),
                    None => {
                        let (bytes, etag) = file;
                        read.batch.take(
                            read.cache,
                            read.pins,
                            &name,
                            Ok(Fetched::Body { bytes, etag }),
                        );
                    }
                }
                done += 1;
                if slices.over() {
                    self.merge_read(read, &mut slices, done, total);
                    slices.next().await;
                }
            }
        }
    }

    /// Merges what is read so far; the map is shown it, with how many files are read, when
    /// it is time to.
    fn merge_read(self, read: &mut BulkRead<'_>, slices: &mut Slices, done: usize, total: usize) {
        if read.batch.arrived.is_empty() && read.batch.to_keep.is_empty() {
            return;
        }
        let show = slices.time_to_show();
        read.unshown |= !show;
        read.pinned.append(&mut read.batch.pinned);
        self.keep_and_merge(std::mem::take(read.batch), &[], show);
        if show {
            self.say_progress(done, total);
        }
    }
}
