//! The files of a bulk answer as they arrive (the checkpoint's while it downloads, then the
//! changes after it), queued for reading in groups.

use std::collections::{BTreeMap, VecDeque};

use futures::channel::mpsc::{TryRecvError, UnboundedReceiver};
use futures::StreamExt;

use super::CommunityCache;
use crate::sync::BulkFile;

/// A file of the bulk answer: name, ETag, text.
pub(super) type BulkText = (String, String, String);

pub(super) struct Arriving {
    incoming: UnboundedReceiver<Vec<BulkFile>>,
    /// Whether more may arrive.
    pub(super) open: bool,
    queue: VecDeque<BulkText>,
    /// Every file the answer brought with its content, with the ETag it came with: read here,
    /// never fetched alone after it.
    pub(super) delivered: BTreeMap<String, String>,
}

impl Arriving {
    pub(super) fn new(incoming: UnboundedReceiver<Vec<BulkFile>>) -> Arriving {
        Arriving {
            incoming,
            open: true,
            queue: VecDeque::new(),
            delivered: BTreeMap::new(),
        }
    }

    /// Queues what has arrived, without waiting.
    pub(super) fn take_arrived(&mut self, cache: &CommunityCache) {
        while self.open {
            match self.incoming.try_recv() {
                Ok(files) => self.queue_files(files, cache),
                Err(TryRecvError::Closed) => self.open = false,
                Err(TryRecvError::Empty) => break,
            }
        }
    }

    /// Waits for the next files; `false` when no more will come.
    pub(super) async fn wait(&mut self, cache: &CommunityCache) -> bool {
        match self.incoming.next().await {
            Some(files) => {
                self.queue_files(files, cache);
                true
            }
            None => {
                self.open = false;
                false
            }
        }
    }

    /// Files sent without content are fetched alone later; a version already merged is not
    /// read again.
    fn queue_files(&mut self, files: Vec<BulkFile>, cache: &CommunityCache) {
        for (name, etag, text) in files {
            let Some(text) = text else {
                continue;
            };
            self.delivered.insert(name.clone(), etag.clone());
            if cache.etags.get(&name).and_then(Option::as_deref) != Some(etag.as_str()) {
                self.queue.push_back((name, etag, text));
            }
        }
    }

    pub(super) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Up to `most` files, oldest first.
    pub(super) fn group(&mut self, most: usize) -> Vec<BulkText> {
        let count = most.min(self.queue.len());
        self.queue.drain(..count).collect()
    }
}
