//! The files of a bulk answer (the endpoint's checkpoint and the changes after it) believed and
//! merged in slices as they arrive: checked by the believer worker a few batches ahead of the
//! merge where it is ready, by the page itself otherwise. The page then only reads each
//! believed file, which costs about what reading a kept copy costs.

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc;
use futures::future::{select, Either};
use leptos::prelude::{Notify, UpdateValue};
use networkshop_core::live::LiveLoad;
use networkshop_core::trust::KeyPins;
use networkshop_core::BundleError;

use super::arrivals::Arrivals;
use super::arriving::{Arriving, BulkText};
use super::believer::{Answer, Believer};
use super::{Community, CommunityCache};
use crate::perf;
use crate::slices::{Slices, MERGE_GROUP};
use crate::sync::{Endpoint, Fetched};
use crate::timer::sleep;

/// Files per batch posted to the worker: about 1.5 MB of bundles at 20 records each.
const BATCH: usize = 250;
/// Batches posted ahead: the worker checks the next while the page merges one.
const AHEAD: usize = 4;
/// How long the files wait for the worker to start when they arrive first (it normally
/// starts in a fraction of a second; the page checks files itself meanwhile after that).
const WORKER_START: Duration = Duration::from_secs(2);
/// How long one batch may take the worker before the page checks the rest itself (it takes
/// about a tenth of a second).
const WORKER_SILENT: Duration = Duration::from_secs(20);

/// What a pull has read so far and told the map.
#[derive(Default)]
pub(super) struct PullState {
    pub(super) cache: CommunityCache,
    pub(super) pins: KeyPins,
    pub(super) batch: Arrivals,
    /// (author, key) pinned by this pull for the first time.
    pub(super) pinned: Vec<(String, String)>,
    /// Slices merged without telling the map.
    pub(super) unshown: bool,
    /// How many files the pull expects, once known (the listing's count), for the progress.
    pub(super) expected: Rc<Cell<Option<usize>>>,
    /// The files gathered beside the view once they piled up (see `gathered.rs`).
    pub(super) gathered: Option<LiveLoad>,
}

impl Community {
    /// Every file in one request where the endpoint can (see `Endpoint::send_all`), read as
    /// it arrives. Returns the change number the files are as of, and those it brought.
    pub(super) async fn read_all(
        self,
        endpoint: &Endpoint,
        read: &mut PullState,
    ) -> (Option<u64>, BTreeMap<String, String>) {
        // Started with the page (a first visit) or now: the worker loads while the first files
        // download.
        let believer = self
            .early_believer
            .try_update_value(Option::take)
            .flatten()
            .or_else(Believer::start);
        let (files, incoming) = mpsc::unbounded();
        let mut arriving = Arriving::new(incoming);
        let send = async move {
            let sent = endpoint.send_all(&files).await;
            // Closed here: the reading ends once it has read what came.
            drop(files);
            sent
        };
        let (sent, ()) = futures::join!(send, self.read_bulk(&mut arriving, believer, read));
        let seq = sent.and_then(Result::ok).flatten();
        (seq, arriving.delivered)
    }

    /// Believes and merges the files of `arriving` as they come, the map shown what is merged
    /// now and then with how many are read.
    async fn read_bulk(
        self,
        arriving: &mut Arriving,
        mut believer: Option<Believer>,
        read: &mut PullState,
    ) {
        let mut posted: VecDeque<(Vec<BulkText>, Answer)> = VecDeque::new();
        let mut slices = Slices::new();
        let mut done = 0;
        let mut waited_for_worker = false;
        loop {
            arriving.take_arrived(&read.cache);
            // The worker loads while the first files download: they wait for it (briefly)
            // rather than be checked here, where a worker that never starts costs that wait.
            if !waited_for_worker && arriving.queued() > 0 {
                waited_for_worker = true;
                if let Some(believer) = believer.as_mut() {
                    believer.wait_ready(WORKER_START).await;
                    slices.restart();
                }
            }
            if let Some(believer) = believer.as_mut().filter(|b| b.ready()) {
                // Whole batches while more arrive; what is there when the worker is idle.
                while posted.len() < AHEAD
                    && (arriving.queued() >= BATCH
                        || arriving.queued() > 0 && (!arriving.open || posted.is_empty()))
                {
                    let group = arriving.group(BATCH);
                    let answer =
                        believer.check(group.iter().map(|(n, _, t)| (n.as_str(), t.as_str())));
                    posted.push_back((group, answer));
                }
            }
            let (group, verdicts) = match posted.pop_front() {
                Some((group, answer)) => {
                    let verdicts = self
                        .verdicts(answer, believer.as_ref(), read, &mut slices, done)
                        .await;
                    let verdicts = verdicts.filter(|v| v.len() == group.len());
                    (group, verdicts)
                }
                None if arriving.queued() > 0 => (arriving.group(BATCH), None),
                None if arriving.open => {
                    // Nothing to read until more arrives: the map is shown what is read.
                    self.merge_read(read);
                    self.show_read_when_due(read, &mut slices, done);
                    arriving.wait(&read.cache).await;
                    slices.restart();
                    continue;
                }
                None => break,
            };
            // Waiting to be read: queued, and posted to the worker.
            let behind = arriving.queued() + posted.iter().map(|(g, _)| g.len()).sum::<usize>();
            self.gather_if_behind(read, behind, done);
            let mut verdicts = verdicts.map(Vec::into_iter);
            for (name, etag, text) in group {
                let file = (text.into_bytes(), Some(etag));
                match verdicts.as_mut().and_then(Iterator::next) {
                    Some(verdict) => read.batch.take_checked(
                        &mut read.cache,
                        &mut read.pins,
                        &name,
                        file,
                        verdict,
                    ),
                    None => {
                        let (bytes, etag) = file;
                        read.batch.take(
                            &mut read.cache,
                            &mut read.pins,
                            &name,
                            Ok(Fetched::Body { bytes, etag }),
                        );
                    }
                }
                done += 1;
                if read.batch.arrived.len() >= MERGE_GROUP || slices.over() {
                    self.merge_read(read);
                }
                if slices.over() {
                    slices.next_showing(|| self.show_read(read, done)).await;
                }
            }
        }
        self.merge_read(read);
        self.finish_gathering(read, &mut slices).await;
    }

    /// The worker's verdicts on a posted batch; while it is behind, what is read so far is
    /// merged, and after [`WORKER_SILENT`] the page stops relying on it (`None`: the page
    /// checks the files itself).
    async fn verdicts(
        self,
        mut answer: Answer,
        believer: Option<&Believer>,
        read: &mut PullState,
        slices: &mut Slices,
        done: usize,
    ) -> Option<Vec<Result<String, BundleError>>> {
        let verdicts = match answer.try_recv() {
            Ok(Some(verdicts)) => verdicts,
            Ok(None) => {
                self.merge_read(read);
                self.show_read_when_due(read, slices, done);
                let timeout = Box::pin(sleep(WORKER_SILENT));
                let waiting = perf::start("networkshop:waiting-for-worker");
                let answered = select(answer, timeout).await;
                waiting.end();
                let verdicts = match answered {
                    Either::Left((answered, _)) => answered.ok().flatten(),
                    Either::Right(_) => {
                        if let Some(believer) = believer {
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
        verdicts.map(|v| v.verdicts)
    }

    /// Merges what is read so far, without telling the map ([`Community::show_read`] does).
    pub(super) fn merge_read(self, read: &mut PullState) {
        if read.batch.arrived.is_empty() && read.batch.to_keep.is_empty() {
            return;
        }
        read.unshown = true;
        read.pinned.append(&mut read.batch.pinned);
        let batch = std::mem::take(&mut read.batch);
        if let Some(batch) = self.gather(read, batch) {
            self.keep_and_merge(batch, &[], false);
        }
    }

    /// Shows the map what is merged, with how many files are read.
    pub(super) fn show_read(self, read: &mut PullState, done: usize) {
        if !std::mem::take(&mut read.unshown) {
            return;
        }
        // What is gathered is shown at the end; the heading counts it meanwhile.
        if read.gathered.is_none() {
            self.live.notify();
        }
        let total = read.expected.get().map(|expected| expected.max(done));
        self.say_progress(done, total);
    }

    /// [`Community::show_read`] when it is time to (the page is about to wait anyway).
    fn show_read_when_due(self, read: &mut PullState, slices: &mut Slices, done: usize) {
        if slices.time_to_show() {
            self.show_read(read, done);
        }
    }
}
