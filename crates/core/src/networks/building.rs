//! The networks index built from records in key order, so by author: each author's counts are
//! gathered first and written once per topic, and each topic's actors put in their map in
//! order, not searched per record. A filter change builds one at once for its view, its map of
//! contributions built in bulk from the sorted entries; a view made of many files at once (the
//! kept copies read back) builds its own in steps, the browser getting its turn between them.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::contribution::Contribution;
use super::Networks;
use crate::catalogue::Catalogue;
use crate::merge::{Community, RecordKey};

/// An index being built from contributions given in key order.
pub struct IndexBuild {
    networks: Networks,
    /// The author being read, and their records under each topic (rolled up) and tagged with
    /// each topic.
    author: Option<Arc<str>>,
    under: FxHashMap<&'static str, u32>,
    tagged: BTreeMap<&'static str, u32>,
    /// Each topic's actors, in author order.
    actors: FxHashMap<&'static str, Vec<(Arc<str>, u32)>>,
    /// Whether every record is read: what is left is putting the actors in place.
    read: bool,
}

/// Topics whose actors are put in their map in one step: all at once, at 10,000 actors, the
/// actors and the contributions were a long task of their own (68 ms in the browser).
const TOPICS_PER_STEP: usize = 40;

impl IndexBuild {
    pub fn new(catalogue: &'static Catalogue) -> IndexBuild {
        IndexBuild {
            networks: Networks::new(catalogue),
            author: None,
            under: FxHashMap::default(),
            tagged: BTreeMap::new(),
            actors: FxHashMap::default(),
            read: false,
        }
    }

    /// The index of contributions given in key order.
    pub(super) fn of(
        catalogue: &'static Catalogue,
        keyed: impl Iterator<Item = (RecordKey, Contribution)>,
    ) -> Networks {
        let mut build = IndexBuild::new(catalogue);
        let contributions: Vec<(RecordKey, Contribution)> = keyed
            .map(|(key, contribution)| {
                build.count(&key, &contribution);
                (key, contribution)
            })
            .collect();
        build.networks.contributions = contributions.into_iter().collect();
        build.finish()
    }

    /// Indexes up to `most` more of `community`'s visible records, after those indexed so far,
    /// or once they all are, puts some topics' actors in place; true once the index is built.
    /// The community must not change between steps.
    pub fn step(&mut self, community: &Community, most: usize) -> bool {
        if self.read {
            self.place_actors(TOPICS_PER_STEP);
            return self.actors.is_empty();
        }
        let after = self
            .networks
            .contributions
            .last_key_value()
            .map(|(k, _)| k.clone());
        let bound = after.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let catalogue = self.networks.catalogue;
        let mut records = community.keyed_records_after(bound);
        for (key, record) in records.by_ref().take(most) {
            let contribution = Contribution::of(record, catalogue);
            self.count(key, &contribution);
            // At the map's end: the records come in key order. (Bulk-built at the end, the
            // map was the long task; put in one by one, its nodes are about half full, as the
            // index kept in step with a merge has them.)
            self.networks
                .contributions
                .insert(key.clone(), contribution);
        }
        if records.next().is_none() {
            self.settle_author();
            self.read = true;
        }
        false
    }

    /// Counts a contribution (records come in key order, so each author's together).
    fn count(&mut self, key: &RecordKey, contribution: &Contribution) {
        if self.author.as_deref() != Some(&*key.author) {
            self.settle_author();
            self.author = Some(Arc::clone(&key.author));
        }
        let catalogue = self.networks.catalogue;
        for topic in contribution.rolled.ids(catalogue) {
            *self.under.entry(topic).or_default() += 1;
            self.networks.tally.count(topic, contribution.kind);
        }
        for topic in contribution.tagged.ids(catalogue) {
            *self.tagged.entry(topic).or_default() += 1;
        }
        *self
            .networks
            .tally
            .confirmed
            .entry(contribution.last_confirmed)
            .or_default() += 1;
    }

    /// The author read so far: their gathered counts into the index, the gatherers emptied.
    fn settle_author(&mut self) {
        let Some(author) = self.author.take() else {
            return;
        };
        for (topic, n) in self.under.drain() {
            let actors = self.actors.entry(topic).or_default();
            actors.push((Arc::clone(&author), n));
        }
        let topics = self.networks.tally.actor_topics.entry(author).or_default();
        for (topic, n) in std::mem::take(&mut self.tagged) {
            *topics.entry(topic).or_default() += n;
        }
    }

    fn place_actors(&mut self, topics: usize) {
        let placed: Vec<&'static str> = self.actors.keys().take(topics).copied().collect();
        for topic in placed {
            let actors = self.actors.remove(topic).unwrap_or_default();
            self.networks.tally.topics.entry(topic).or_default().actors =
                actors.into_iter().collect();
        }
    }

    /// The index of everything counted so far, what is left done now.
    pub fn finish(mut self) -> Networks {
        self.settle_author();
        self.place_actors(usize::MAX);
        self.networks
    }
}
