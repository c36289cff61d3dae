//! The change sequence: after accepted writes, the next number is claimed by creating
//! `changes/<number>` (create-only, so two processes never take the same one) holding the
//! authors' ids, one per line. `?since=<n>` lists the numbers after `n` and answers with those
//! authors' files as they are now.
//!
//! Every write of every process contends for the same next number, so a process commits its
//! writes in groups: while one claim is under way, the writes that finish meanwhile wait and
//! share the next claim. Two processes are then two contenders, not two hundred.
//!
//! Why the current files and not copies in the log: a reader that saw number `n` fetched the
//! files after `n` was claimed, so after the writes it stands for; whatever came later has a
//! later number, which its next poll gets. A writer that stops between its write and its
//! number (a crash) leaves a write no delta announces; the next checkpoint, which lists every
//! file, carries it.
//!
//! A claimed number never changes, so each process keeps the authors it has read in memory: a
//! cache, never state another process needs.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use futures_util::{stream, StreamExt, TryStreamExt};

use crate::objects::{list_all, Condition, Objects, PutError};

/// How many reads of the store one request keeps in flight.
pub(super) const PARALLEL_READS: usize = 32;

/// Numbers are written with leading zeros, so names sort as numbers do.
pub(super) fn name_of(seq: u64) -> String {
    format!("{seq:020}")
}

pub(super) fn seq_of(name: &str) -> Option<u64> {
    name.split('.').next()?.parse().ok()
}

/// What changed after a sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    /// The last number it covers: the client's next `since`.
    pub seq: u64,
    /// Each author whose file changed, once, in the order of their last change.
    pub authors: Vec<String>,
}

#[derive(Clone)]
pub(super) struct ChangeLog<O: Objects> {
    objects: O,
    /// The highest number this process has seen claimed.
    last_known: Arc<AtomicU64>,
    authors: Arc<Mutex<BTreeMap<u64, Vec<String>>>>,
    /// Writes waiting for a number, each told the one it got.
    waiting: Arc<Mutex<Vec<Waiting>>>,
    /// Held by the one claim under way in this process.
    claiming: Arc<tokio::sync::Mutex<()>>,
}

type Waiting = (String, oneshot::Sender<Result<u64, String>>);

impl<O: Objects> ChangeLog<O> {
    pub(super) fn new(objects: O) -> ChangeLog<O> {
        ChangeLog {
            objects,
            last_known: Arc::default(),
            authors: Arc::default(),
            waiting: Arc::default(),
            claiming: Arc::default(),
        }
    }

    pub(super) fn last_known(&self) -> u64 {
        self.last_known.load(Ordering::SeqCst)
    }

    /// How many writes the numbers after `seq` stand for, as far as this process knows: a
    /// number is a group of writes (see the module), and one it has not read counts as one.
    pub(super) fn writes_after(&self, seq: u64) -> u64 {
        let numbers = self.last_known().saturating_sub(seq);
        let known = self.authors.lock().expect("change cache poisoned");
        let (read, writes) = known
            .range(seq + 1..)
            .fold((0, 0), |(read, writes), (_, authors)| {
                (read + 1, writes + authors.len() as u64)
            });
        writes + numbers.saturating_sub(read)
    }

    /// Numbers at or below `seq` are known to be claimed (a checkpoint covers them), so
    /// looking for the last one can start there.
    pub(super) fn note_at_least(&self, seq: u64) {
        self.last_known.fetch_max(seq, Ordering::SeqCst);
    }

    /// The number of `author`'s change: the next one, shared with the other writes of this
    /// process that finish while it is being claimed.
    pub(super) async fn append(&self, author: &str) -> io::Result<u64> {
        let (told, mut answer) = oneshot::channel();
        self.waiting
            .lock()
            .expect("change queue poisoned")
            .push((author.to_owned(), told));
        let _claiming = self.claiming.lock().await;
        // The claim before ours may have taken our write with it.
        if let Ok(result) = answer.try_recv() {
            return result.map_err(io::Error::other);
        }
        let group = std::mem::take(&mut *self.waiting.lock().expect("change queue poisoned"));
        let authors: Vec<String> = group.iter().map(|(author, _)| author.clone()).collect();
        let result = self.claim_next(authors).await.map_err(|e| e.to_string());
        for (_, told) in group {
            let _ = told.send(result.clone());
        }
        result.map_err(io::Error::other)
    }

    async fn claim_next(&self, authors: Vec<String>) -> io::Result<u64> {
        let text = authors.join("\n");
        for _ in 0..64 {
            let next = self.last_known() + 1;
            let put = self
                .objects
                .put(
                    &format!("changes/{}", name_of(next)),
                    text.as_bytes().to_vec(),
                    Condition::Absent,
                )
                .await;
            match put {
                Ok(_) => {
                    self.remember(next, authors);
                    self.note_at_least(next);
                    return Ok(next);
                }
                // Taken by another process (or the store could not tell): learn how far the
                // sequence has gone and try after it.
                Err(PutError::Conflict) => {
                    self.numbers_after(self.last_known()).await?;
                }
                Err(PutError::Failed(e)) => return Err(e),
            }
        }
        Err(io::Error::other("could not claim a change number"))
    }

    fn remember(&self, seq: u64, authors: Vec<String>) {
        let mut known = self.authors.lock().expect("change cache poisoned");
        known.insert(seq, authors);
    }

    /// The claimed numbers after `seq`, in order; moves `last_known` up to the last.
    async fn numbers_after(&self, seq: u64) -> io::Result<Vec<u64>> {
        let listed = list_all(&self.objects, "changes", &name_of(seq)).await?;
        let numbers: Vec<u64> = listed.iter().filter_map(|e| seq_of(&e.name)).collect();
        if let Some(&last) = numbers.last() {
            self.note_at_least(last);
        }
        Ok(numbers)
    }

    /// The last number claimed by any process, as far as the store lists it now.
    pub(super) async fn last(&self) -> io::Result<u64> {
        self.numbers_after(self.last_known()).await?;
        Ok(self.last_known())
    }

    /// Who changed after `seq`, with the last number seen.
    pub(super) async fn since(&self, seq: u64) -> io::Result<Delta> {
        let numbers = self.numbers_after(seq).await?;
        let unknown: Vec<u64> = {
            let authors = self.authors.lock().expect("change cache poisoned");
            numbers
                .iter()
                .copied()
                .filter(|n| !authors.contains_key(n))
                .collect()
        };
        let read: Vec<(u64, Option<Vec<String>>)> = stream::iter(unknown)
            .map(|n| {
                let objects = self.objects.clone();
                async move {
                    let stored = objects.get(&format!("changes/{}", name_of(n))).await?;
                    let authors = stored.map(|s| {
                        String::from_utf8_lossy(&s.bytes)
                            .lines()
                            .map(|line| line.trim().to_owned())
                            .filter(|line| !line.is_empty())
                            .collect::<Vec<String>>()
                    });
                    Ok::<_, io::Error>((n, authors))
                }
            })
            .buffer_unordered(PARALLEL_READS)
            .try_collect()
            .await?;
        for (n, authors) in read {
            if let Some(authors) = authors {
                self.remember(n, authors);
            }
        }
        let authors = self.authors.lock().expect("change cache poisoned");
        let mut ordered: Vec<(u64, &String)> = numbers
            .iter()
            .filter_map(|n| authors.get(n).map(|group| (*n, group)))
            .flat_map(|(n, group)| group.iter().map(move |a| (n, a)))
            .collect();
        // Latest change first, so each author is kept at their last number, then back in order.
        ordered.reverse();
        let mut seen = std::collections::HashSet::new();
        ordered.retain(|(_, author)| seen.insert(author.as_str()));
        ordered.reverse();
        Ok(Delta {
            seq: numbers.last().copied().unwrap_or(seq),
            authors: ordered.into_iter().map(|(_, a)| a.clone()).collect(),
        })
    }
}
