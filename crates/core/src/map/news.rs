//! What is new on a facilitator's screen: when this screen first saw each record, so a new
//! contribution is marked for a while ("+N" on its topics) and then fades back into the map,
//! and the feed lists the latest contributions.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

use crate::catalogue::Catalogue;
use crate::live::LiveCommunity;
use crate::merge::{Community, RecordKey};
use crate::record::Record;

/// When each record was first seen, in milliseconds of the screen's clock. What the first look
/// finds is not news: it is the room's starting point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arrivals {
    /// What the first look found (seen at time 0): its records' keys in key order, as the
    /// community lists them. The first look at 200,000 records is one task on the page: a copy
    /// of each key (its author shared) costs no hashing and no growing set, and the few records
    /// looked up later are found by a binary search.
    at_start: Vec<RecordKey>,
    /// Record id → its holders (by author) and when each was first seen, for what arrived
    /// after the first look.
    first_seen: HashMap<Uuid, Vec<(String, u64)>>,
    /// What arrived after the first look, oldest first: the fading marks only ever read its
    /// end, not every record the screen holds.
    arrived: Vec<(u64, RecordKey)>,
    started: bool,
    /// The live view's generation at the last look, if the last look was at a live view.
    looked_at: Option<u64>,
}

impl Arrivals {
    /// Notes the records present now; those never seen before arrived at `now_ms`, except at
    /// the first look.
    pub fn observe(&mut self, community: &Community, now_ms: u64) {
        if self.started {
            for record in community.records() {
                self.note(&record.author, record.id, now_ms);
            }
        } else {
            self.at_start = community
                .keyed_records()
                .map(|(key, _)| key.clone())
                .collect();
        }
        self.started = true;
        self.looked_at = None;
    }

    /// The same as [`Arrivals::observe`] on the live view, looking only at the records changed
    /// since the last look when the view can tell which.
    pub fn observe_live(&mut self, live: &LiveCommunity, now_ms: u64) {
        let changed = self.looked_at.and_then(|g| live.changed_since(g));
        let Some(changed) = changed else {
            self.observe(live.community(), now_ms);
            self.looked_at = Some(live.generation());
            return;
        };
        for key in changed {
            if live.community().record(&key).is_some() {
                self.note(&key.author, key.id, now_ms);
            }
        }
        self.started = true;
        self.looked_at = Some(live.generation());
    }

    /// Only after the first look (which [`Arrivals::observe`] makes whole): before it, no
    /// generation is known, so [`Arrivals::observe_live`] looks at everything.
    fn note(&mut self, author: &str, id: Uuid, now_ms: u64) {
        if self.first_seen_at(author, &id).is_some() {
            return;
        }
        let key = RecordKey {
            author: author.into(),
            id,
        };
        self.arrived.push((now_ms, key));
        let holders = self.first_seen.entry(id).or_default();
        let place = holders.partition_point(|(a, _)| a.as_str() < author);
        holders.insert(place, (author.to_owned(), now_ms));
    }

    fn first_seen_at(&self, author: &str, id: &Uuid) -> Option<u64> {
        self.arrived_at(author, id).or_else(|| {
            self.at_start
                .binary_search_by(|key| (&*key.author, key.id).cmp(&(author, *id)))
                .is_ok()
                .then_some(0)
        })
    }

    /// When a record arrived after the first look, if it did.
    fn arrived_at(&self, author: &str, id: &Uuid) -> Option<u64> {
        self.first_seen
            .get(id)?
            .iter()
            .find(|(a, _)| a == author)
            .map(|(_, at)| *at)
    }

    pub fn has_started(&self) -> bool {
        self.started
    }

    /// The records that arrived less than `fade_ms` ago.
    pub fn fresh(&self, now_ms: u64, fade_ms: u64) -> BTreeSet<RecordKey> {
        self.arrived
            .iter()
            .rev()
            .take_while(|(at, _)| now_ms.saturating_sub(*at) < fade_ms)
            .map(|(_, key)| key.clone())
            .collect()
    }

    /// [`Arrivals::latest`] after an update, from the previous answer: when the records the
    /// update touched are known (`changed`) and none of the `previous` is among them, only
    /// those, the previous and what arrived are compared. A pass over a 200,000-record room
    /// took a tenth of a second at every redraw while nothing had arrived yet.
    pub fn latest_since<'a>(
        &self,
        community: &'a Community,
        n: usize,
        previous: &[RecordKey],
        changed: Option<&BTreeSet<RecordKey>>,
    ) -> Vec<&'a Record> {
        let untouched = changed.filter(|changed| !previous.iter().any(|k| changed.contains(k)));
        let Some(changed) = untouched.filter(|_| self.arrived.len() < n) else {
            return self.latest(community, n);
        };
        let arrived = self.arrived.iter().map(|(_, key)| key);
        let keys: BTreeSet<&RecordKey> = previous.iter().chain(changed).chain(arrived).collect();
        let mut best: Vec<(u64, &Record)> = keys
            .into_iter()
            .filter_map(|key| community.record(key))
            .map(|record| (self.seen_at(record), record))
            .collect();
        best.sort_by(newest_first);
        best.truncate(n);
        best.into_iter().map(|(_, record)| record).collect()
    }

    /// When the feed places a record: when it arrived after the first look, 0 for anything
    /// else (what the first look found, and what no look has noted yet, until the next). No
    /// lookup at all while nothing has arrived: the feed orders a 200,000-record room at every
    /// redraw of a first load.
    fn seen_at(&self, record: &Record) -> u64 {
        if self.first_seen.is_empty() {
            return 0;
        }
        self.arrived_at(&record.author, &record.id).unwrap_or(0)
    }

    /// The `n` latest contributions: the last arrived first, then the most recently updated.
    /// When `n` of the records that arrived are still shown, only the end of the arrivals is
    /// read; otherwise one pass keeping the best `n`, not a sort of everything: this runs on
    /// every update of a map that may hold 200,000 records.
    pub fn latest<'a>(&self, community: &'a Community, n: usize) -> Vec<&'a Record> {
        // Arrivals come after everything first seen at the start; those arrived at the same
        // moment as the n-th are all taken, for the order to decide among them.
        let mut arrived: Vec<(u64, &Record)> = Vec::new();
        let mut cut = None;
        for (at, key) in self.arrived.iter().rev() {
            if cut.is_some_and(|cut| *at < cut) {
                break;
            }
            if let Some(record) = community.record(key) {
                arrived.push((*at, record));
                if arrived.len() == n {
                    cut = Some(*at);
                }
            }
        }
        if n > 0 && arrived.len() >= n {
            arrived.sort_by(newest_first);
            arrived.truncate(n);
            return arrived.into_iter().map(|(_, record)| record).collect();
        }
        // Each record's first sight looked up once, not at every comparison. Records come in
        // key order, the order's last tie-break: one seen and updated no later than the last
        // kept comes after it, without comparing authors' names (200,000 of them, mostly tied).
        let mut best: Vec<(u64, &Record)> = Vec::with_capacity(n + 1);
        for record in community.records() {
            let candidate = (self.seen_at(record), record);
            if best.len() == n
                && best.last().is_none_or(|(seen, last)| {
                    (candidate.0, record.updated_at) <= (*seen, last.updated_at)
                })
            {
                continue;
            }
            let at = best.partition_point(|kept| newest_first(kept, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(n);
        }
        best.into_iter().map(|(_, record)| record).collect()
    }
}

/// The feed's order of (first seen, record): the last seen first, then the most recently
/// updated, then by author and id.
fn newest_first((seen_a, a): &(u64, &Record), (seen_b, b): &(u64, &Record)) -> Ordering {
    seen_b
        .cmp(seen_a)
        .then(b.updated_at.cmp(&a.updated_at))
        .then_with(|| (&a.author, a.id).cmp(&(&b.author, b.id)))
}

/// How many of the `fresh` records each topic holds, itself or below it: the "+N" on its disc.
pub fn fresh_per_topic(
    community: &Community,
    catalogue: &Catalogue,
    fresh: &BTreeSet<RecordKey>,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for key in fresh {
        let Some(record) = community.record(key) else {
            continue;
        };
        let topics: BTreeSet<&str> = record
            .topics
            .iter()
            .flat_map(|t| catalogue.self_and_ancestors(t))
            .map(|t| t.id.as_str())
            .collect();
        for topic in topics {
            *counts.entry(topic.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests;
