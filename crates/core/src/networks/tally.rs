//! What the networks index adds up from its records' contributions: the counts under each
//! topic, each actor's tagged topics and the records by when they were last confirmed.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use time::OffsetDateTime;

use super::contribution::Contribution;
use super::TopicEntry;
use crate::catalogue::Catalogue;
use crate::record::Kind;

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Tally {
    /// Keyed by the catalogue's ids only, hence Fx (see `Catalogue`).
    pub(super) topics: FxHashMap<&'static str, TopicEntry>,
    /// Actor → tagged topic → number of records.
    pub(super) actor_topics: HashMap<Arc<str>, BTreeMap<&'static str, u32>>,
    /// Records by the moment they were last confirmed, so the view's stale records are counted
    /// without looking at each.
    pub(super) confirmed: BTreeMap<OffsetDateTime, u32>,
}

/// One author's changes to their own counts, gathered over their records while a merge's
/// changes are applied and written once per topic ([`Tally::settle`]): an actor's count under
/// a topic is a search of that topic's actors by name, which per record and topic was most of
/// what a merge cost at 200,000 records.
#[derive(Default)]
pub(super) struct AuthorChanges {
    /// Records under each topic (rolled up), added minus withdrawn.
    under: FxHashMap<&'static str, i64>,
    /// Records tagged with each topic, added minus withdrawn.
    tagged: FxHashMap<&'static str, i64>,
}

impl Tally {
    pub(super) fn count(&mut self, topic: &'static str, kind: Kind) {
        let entry = self.topics.entry(topic).or_default();
        entry.resources += 1;
        entry.by_kind[kind.index()] += 1;
    }

    /// Counts a record's contribution: the topics' totals at once, its author's share into
    /// `author` until [`Tally::settle`].
    pub(super) fn add(
        &mut self,
        c: &Contribution,
        catalogue: &'static Catalogue,
        author: &mut AuthorChanges,
    ) {
        for topic in c.rolled.ids(catalogue) {
            self.count(topic, c.kind);
            *author.under.entry(topic).or_default() += 1;
        }
        for topic in c.tagged.ids(catalogue) {
            *author.tagged.entry(topic).or_default() += 1;
        }
        *self.confirmed.entry(c.last_confirmed).or_default() += 1;
    }

    /// Takes a record's contribution back, as [`Tally::add`] counted it. A topic left with no
    /// records stays until [`Tally::sweep`], so that the author's share settles on it first.
    pub(super) fn withdraw(
        &mut self,
        c: &Contribution,
        catalogue: &'static Catalogue,
        author: &mut AuthorChanges,
    ) {
        for topic in c.rolled.ids(catalogue) {
            if let Some(entry) = self.topics.get_mut(topic) {
                entry.resources -= 1;
                entry.by_kind[c.kind.index()] -= 1;
            }
            *author.under.entry(topic).or_default() -= 1;
        }
        for topic in c.tagged.ids(catalogue) {
            *author.tagged.entry(topic).or_default() -= 1;
        }
        if let Some(n) = self.confirmed.get_mut(&c.last_confirmed) {
            *n -= 1;
            if *n == 0 {
                self.confirmed.remove(&c.last_confirmed);
            }
        }
    }

    /// Writes one author's gathered changes, leaving the gatherer empty.
    pub(super) fn settle(&mut self, author: &Arc<str>, changes: &mut AuthorChanges) {
        for (topic, by) in changes.under.drain() {
            if let Some(entry) = self.topics.get_mut(topic) {
                adjust(&mut entry.actors, &**author, by, || Arc::clone(author));
            }
        }
        if changes.tagged.values().all(|by| *by == 0) {
            changes.tagged.clear();
            return;
        }
        let topics = match self.actor_topics.get_mut(&**author) {
            Some(topics) => topics,
            None => self.actor_topics.entry(Arc::clone(author)).or_default(),
        };
        for (topic, by) in changes.tagged.drain() {
            adjust(topics, topic, by, || topic);
        }
        if topics.is_empty() {
            self.actor_topics.remove(&**author);
        }
    }

    /// Forgets the topics no record is under any more.
    pub(super) fn sweep(&mut self) {
        self.topics.retain(|_, entry| entry.resources > 0);
    }
}

/// Moves one count by `by`, the key gone at zero. Looked up before inserting, which would
/// copy the key each time.
fn adjust<K, Q>(counts: &mut BTreeMap<K, u32>, key: &Q, by: i64, owned: impl FnOnce() -> K)
where
    K: Borrow<Q> + Ord,
    Q: Ord + ?Sized,
{
    match counts.get_mut(key) {
        Some(n) => {
            let now = i64::from(*n) + by;
            if now <= 0 {
                counts.remove(key);
            } else {
                *n = u32::try_from(now).unwrap_or(u32::MAX);
            }
        }
        None if by > 0 => {
            counts.insert(owned(), u32::try_from(by).unwrap_or(u32::MAX));
        }
        None => {}
    }
}
