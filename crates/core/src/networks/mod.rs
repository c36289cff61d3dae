//! Thematic networks derived from the community view: who works on which topic, rolled up the
//! catalogue hierarchy, actor–actor links, partner suggestions and gaps.
//!
//! [`Networks`] is an index kept in step with a [`Community`]: after a merge, [`Networks::apply`]
//! touches only the records the merge changed, which is what keeps the live map fast.
//!
//! This file keeps the index in step; what it answers (summaries, links, partner suggestions,
//! gaps) is in `queries`.

pub mod drawing;
mod partners;
pub use partners::{partner_matches, suggest_partners, PartnerMatch};
mod building;
mod contribution;
mod queries;
pub use building::IndexBuild;
mod tally;
mod under;
mod within;
use contribution::Contribution;
use tally::{AuthorChanges, Tally};
pub use within::IndexWithin;

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use time::OffsetDateTime;

use crate::catalogue::Catalogue;
use crate::merge::{Changes, Community, RecordKey};
use crate::record::{Region, StakeholderGroup};
use crate::staleness::STALE_AFTER;

/// Everything counted under one topic, its descendants included. The records themselves are
/// not listed here ([`Networks::records_under_in`] finds them): a set of keys per topic copied
/// every record's key five or six times, most of the index's time and memory at 200,000.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TopicEntry {
    /// Actor → number of their records under this topic.
    /// The names shared with the index's keys (one allocation per author, not per topic).
    pub actors: BTreeMap<Arc<str>, u32>,
    /// How many records are under this topic.
    pub resources: usize,
    pub by_kind: [u32; 5],
}

/// A topic's numbers with the actors' groups and regions resolved.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TopicSummary {
    pub topic: String,
    pub actors: usize,
    pub resources: usize,
    pub by_kind: [u32; 5],
    pub by_group: BTreeMap<StakeholderGroup, u32>,
    pub by_region: BTreeMap<Region, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorLink {
    pub a: String,
    pub b: String,
    /// Topics both tagged, catalogue order; the link's weight is their number.
    pub shared: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerSuggestion {
    pub author: String,
    /// Topics both tagged exactly.
    pub shared_topics: Vec<String>,
    /// Broader topics both work under (ancestors included), for actors with no exact overlap.
    pub shared_areas: Vec<String>,
    pub other_group: bool,
    pub other_region: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Gaps {
    /// Topics nobody has registered anything under.
    pub empty: Vec<String>,
    /// Topics whose actors all come from one stakeholder group.
    pub single_group: Vec<(String, StakeholderGroup)>,
}

#[derive(Debug, Clone)]
pub struct Networks {
    catalogue: &'static Catalogue,
    /// By key, as the community holds its records: built in bulk from them in order.
    contributions: BTreeMap<RecordKey, Contribution>,
    /// What the contributions add up to, apart from them so that one search of
    /// `contributions` finds a record's old contribution and counts its new one.
    tally: Tally,
}

impl Networks {
    pub fn new(catalogue: &'static Catalogue) -> Networks {
        Networks {
            catalogue,
            contributions: BTreeMap::new(),
            tally: Tally::default(),
        }
    }

    /// Builds the index of a whole community view.
    pub fn build(community: &Community, catalogue: &'static Catalogue) -> Networks {
        let contributions = community
            .keyed_records()
            .map(|(key, record)| (key.clone(), Contribution::of(record, catalogue)));
        IndexBuild::of(catalogue, contributions)
    }

    /// The index of `view`, a part of the community this index is of as it stands (a filtered
    /// view of it): each record's contribution is taken from this index, not worked out again
    /// from the catalogue.
    pub fn within(&self, view: &Community) -> Networks {
        let mut index = IndexWithin::new(self);
        index.step(self, view, usize::MAX);
        index.finish()
    }

    /// Brings the index up to date after a merge that reported `changes` (in key order, so
    /// each author's records come together and their counts are written once).
    pub fn apply(&mut self, community: &Community, changes: &Changes) {
        let mut author = AuthorChanges::default();
        let mut keys = changes.records.iter().peekable();
        while let Some(key) = keys.next() {
            self.refresh(community, key.clone(), &mut author);
            if keys.peek().is_none_or(|next| next.author != key.author) {
                self.tally.settle(&key.author, &mut author);
            }
        }
        self.tally.sweep();
    }

    /// One search of the index per record: its old contribution is found, taken back and
    /// replaced in place.
    fn refresh(&mut self, community: &Community, id: RecordKey, author: &mut AuthorChanges) {
        let new = community
            .record(&id)
            .map(|record| Contribution::of(record, self.catalogue));
        let (tally, catalogue) = (&mut self.tally, self.catalogue);
        match (self.contributions.entry(id), new) {
            (Entry::Vacant(_), None) => {}
            (Entry::Vacant(slot), Some(new)) => {
                tally.add(&new, catalogue, author);
                slot.insert(new);
            }
            (Entry::Occupied(slot), Some(new)) if *slot.get() == new => {}
            (Entry::Occupied(mut slot), Some(new)) => {
                tally.withdraw(slot.get(), catalogue, author);
                tally.add(&new, catalogue, author);
                slot.insert(new);
            }
            (Entry::Occupied(slot), None) => {
                tally.withdraw(&slot.remove(), catalogue, author);
            }
        }
    }

    pub fn catalogue(&self) -> &'static Catalogue {
        self.catalogue
    }

    pub fn topic(&self, id: &str) -> Option<&TopicEntry> {
        self.tally.topics.get(id)
    }

    /// How many records the view shows.
    pub fn resources(&self) -> usize {
        self.contributions.len()
    }

    /// How many of them are stale at `now` ([`crate::staleness::is_stale`]).
    pub fn stale_count(&self, now: OffsetDateTime) -> usize {
        let confirmed_before = now - STALE_AFTER;
        self.tally
            .confirmed
            .range(..confirmed_before)
            .map(|(_, n)| *n as usize)
            .sum()
    }

    /// The records under a topic (its descendants included), by author then id (the index's
    /// order): one pass over the index, for the one topic a screen opens.
    #[cfg(test)]
    pub(crate) fn records_under(&self, topic: &str) -> Vec<&RecordKey> {
        let under = self.under(topic);
        self.contributions
            .iter()
            .filter(|(_, c)| under(c))
            .map(|(key, _)| key)
            .collect()
    }

    /// Whether a contribution is under `topic`: its bit among the records' rolled-up topics.
    fn under(&self, topic: &str) -> impl Fn(&Contribution) -> bool {
        let position = self.catalogue.position(topic);
        move |c: &Contribution| position.is_some_and(|p| c.rolled.contains(p))
    }
}

impl PartialEq for Networks {
    fn eq(&self, other: &Networks) -> bool {
        std::ptr::eq(self.catalogue, other.catalogue)
            && self.contributions == other.contributions
            && self.tally.topics == other.tally.topics
            && self.tally.actor_topics == other.tally.actor_topics
            && self.tally.confirmed == other.tally.confirmed
    }
}

#[cfg(test)]
mod tests;
