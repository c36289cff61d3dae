//! The networks index built from records in key order, so by author: each author's counts are
//! gathered first and written once per topic, and each topic's actors put in their map in
//! order, not searched per record. A rebuild makes one at once, its map of contributions built
//! in bulk from the sorted entries; a view made of many files at once (the kept copies read
//! back) builds its own in steps, the browser getting its turn between them, and so does a
//! filtered view (`within.rs`, its contributions taken from the live index).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::contribution::{Contribution, TopicSet};
use super::Networks;
use crate::catalogue::Catalogue;
use crate::merge::{Community, RecordKey};

/// An index being built from contributions given in key order. Counts are kept by the topics'
/// catalogue positions while records are read (a lookup of the topic's name per record and
/// topic was most of indexing 200,000 records) and written into the index by name once per
/// author, or once at the end for the topics' totals.
pub struct IndexBuild {
    networks: Networks,
    /// The author being read, and their records under each topic (rolled up) and tagged with
    /// each topic, by catalogue position, and the topics their records are under.
    author: Option<Arc<str>>,
    under: Vec<u32>,
    tagged: Vec<u32>,
    author_under: TopicSet,
    /// Every record's count under each topic, and by kind.
    totals: Vec<(usize, [u32; 5])>,
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
        let topics = catalogue.topics().len();
        IndexBuild {
            networks: Networks::new(catalogue),
            author: None,
            under: vec![0; topics],
            tagged: vec![0; topics],
            author_under: TopicSet::default(),
            totals: vec![(0, [0; 5]); topics],
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
        build.finish_with(contributions.into_iter().collect())
    }

    /// Indexes up to `most` more of `community`'s visible records, after those indexed so far,
    /// or once they all are, puts some topics' actors in place; true once the index is built.
    /// The community must not change between steps.
    pub fn step(&mut self, community: &Community, most: usize) -> bool {
        if self.read {
            return self.place_some_actors();
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
            self.end_reading();
        }
        false
    }

    /// Counts a contribution (records come in key order, so each author's together).
    pub(super) fn count(&mut self, key: &RecordKey, contribution: &Contribution) {
        if self.author.as_deref() != Some(&*key.author) {
            self.settle_author();
            self.author = Some(Arc::clone(&key.author));
        }
        let kind = contribution.kind.index();
        for position in contribution.rolled.positions() {
            self.under[position] += 1;
            let (resources, by_kind) = &mut self.totals[position];
            *resources += 1;
            by_kind[kind] += 1;
        }
        for position in contribution.tagged.positions() {
            self.tagged[position] += 1;
        }
        self.author_under.extend(contribution.rolled);
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
        let catalogue = self.networks.catalogue.topics();
        let tagged = self
            .networks
            .tally
            .actor_topics
            .entry(Arc::clone(&author))
            .or_default();
        // Rolled up, the topics under hold the tagged ones.
        for position in std::mem::take(&mut self.author_under).positions() {
            let topic = catalogue[position].id.as_str();
            let n = std::mem::take(&mut self.under[position]);
            if n > 0 {
                let actors = self.actors.entry(topic).or_default();
                actors.push((Arc::clone(&author), n));
            }
            let n = std::mem::take(&mut self.tagged[position]);
            if n > 0 {
                *tagged.entry(topic).or_default() += n;
            }
        }
    }

    /// Every record is read: the last author settled, the topics' totals written.
    fn end_reading(&mut self) {
        if self.read {
            return;
        }
        self.settle_author();
        let catalogue = self.networks.catalogue.topics();
        for (position, (resources, by_kind)) in
            std::mem::take(&mut self.totals).into_iter().enumerate()
        {
            if resources > 0 {
                let entry = self
                    .networks
                    .tally
                    .topics
                    .entry(catalogue[position].id.as_str())
                    .or_default();
                entry.resources += resources;
                for (total, n) in entry.by_kind.iter_mut().zip(by_kind) {
                    *total += n;
                }
            }
        }
        self.read = true;
    }

    fn place_actors(&mut self, topics: usize) {
        let placed: Vec<&'static str> = self.actors.keys().take(topics).copied().collect();
        for topic in placed {
            let actors = self.actors.remove(topic).unwrap_or_default();
            self.networks.tally.topics.entry(topic).or_default().actors =
                actors.into_iter().collect();
        }
    }

    /// Once every record is counted: puts some topics' actors in place; true once all are.
    pub(super) fn place_some_actors(&mut self) -> bool {
        self.end_reading();
        self.place_actors(TOPICS_PER_STEP);
        self.actors.is_empty()
    }

    /// [`IndexBuild::finish`] for contributions counted by [`IndexBuild::count`] and kept apart.
    pub(super) fn finish_with(
        mut self,
        contributions: BTreeMap<RecordKey, Contribution>,
    ) -> Networks {
        self.networks.contributions = contributions;
        self.finish()
    }

    /// The index of everything counted so far, what is left done now.
    pub fn finish(mut self) -> Networks {
        self.end_reading();
        self.place_actors(usize::MAX);
        self.networks
    }
}
