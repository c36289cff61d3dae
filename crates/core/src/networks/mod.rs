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
mod queries;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::OffsetDateTime;

use crate::catalogue::Catalogue;
use crate::merge::{Changes, Community, RecordKey};
use crate::record::{Kind, Region, StakeholderGroup};
use crate::staleness::STALE_AFTER;

/// What one visible record adds to the index; kept so that it can be taken out again. Topic
/// ids are the catalogue's own (`'static`): 200,000 records index without a string copy per
/// topic.
#[derive(Debug, Clone, PartialEq)]
struct Contribution {
    author: String,
    kind: Kind,
    last_confirmed: OffsetDateTime,
    /// The topics the record is tagged with.
    tagged: Vec<&'static str>,
    /// Those topics and all their ancestors, each once.
    rolled: Vec<&'static str>,
}

/// Everything counted under one topic, its descendants included. The records themselves are
/// not listed here ([`Networks::records_under`] finds them): a set of keys per topic copied
/// every record's key five or six times, most of the index's time and memory at 200,000.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TopicEntry {
    /// Actor → number of their records under this topic.
    pub actors: BTreeMap<String, u32>,
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
    contributions: HashMap<RecordKey, Contribution>,
    topics: HashMap<&'static str, TopicEntry>,
    /// Actor → tagged topic → number of records.
    actor_topics: HashMap<String, BTreeMap<&'static str, u32>>,
    /// Records by the moment they were last confirmed, so the view's stale records are counted
    /// without looking at each.
    confirmed: BTreeMap<OffsetDateTime, u32>,
}

impl Networks {
    pub fn new(catalogue: &'static Catalogue) -> Networks {
        Networks {
            catalogue,
            contributions: HashMap::new(),
            topics: HashMap::new(),
            actor_topics: HashMap::new(),
            confirmed: BTreeMap::new(),
        }
    }

    /// Builds the index of a whole community view.
    pub fn build(community: &Community, catalogue: &'static Catalogue) -> Networks {
        let mut networks = Networks::new(catalogue);
        for record in community.records() {
            networks.refresh(community, RecordKey::of(record));
        }
        networks
    }

    /// Brings the index up to date after a merge that reported `changes`.
    pub fn apply(&mut self, community: &Community, changes: &Changes) {
        for key in &changes.records {
            self.refresh(community, key.clone());
        }
    }

    fn refresh(&mut self, community: &Community, id: RecordKey) {
        let catalogue = self.catalogue;
        let new = community.record(&id).map(|record| {
            let tagged: Vec<&'static str> = record
                .topics
                .iter()
                .filter_map(|t| catalogue.get(t))
                .map(|t| t.id.as_str())
                .collect();
            let mut rolled: Vec<&'static str> = tagged
                .iter()
                .flat_map(|t| catalogue.self_and_ancestors(t))
                .map(|t| t.id.as_str())
                .collect();
            rolled.sort_unstable();
            rolled.dedup();
            Contribution {
                author: record.author.clone(),
                kind: record.kind,
                last_confirmed: record.last_confirmed(),
                rolled,
                tagged,
            }
        });
        if self.contributions.get(&id) == new.as_ref() {
            return;
        }
        if let Some(old) = self.contributions.remove(&id) {
            self.withdraw(&old);
        }
        if let Some(new) = new {
            self.add(&new);
            self.contributions.insert(id, new);
        }
    }

    fn add(&mut self, c: &Contribution) {
        for topic in &c.rolled {
            let entry = self.topics.entry(topic).or_default();
            // Looked up before `entry`, which would copy the author's id for every topic.
            match entry.actors.get_mut(&c.author) {
                Some(n) => *n += 1,
                None => {
                    entry.actors.insert(c.author.clone(), 1);
                }
            }
            entry.resources += 1;
            entry.by_kind[c.kind.index()] += 1;
        }
        let topics = match self.actor_topics.get_mut(&c.author) {
            Some(topics) => topics,
            None => self.actor_topics.entry(c.author.clone()).or_default(),
        };
        for topic in &c.tagged {
            *topics.entry(topic).or_default() += 1;
        }
        *self.confirmed.entry(c.last_confirmed).or_default() += 1;
    }

    fn withdraw(&mut self, c: &Contribution) {
        for topic in &c.rolled {
            let Some(entry) = self.topics.get_mut(topic) else {
                continue;
            };
            decrement(&mut entry.actors, c.author.as_str());
            entry.resources -= 1;
            entry.by_kind[c.kind.index()] -= 1;
            if entry.resources == 0 {
                self.topics.remove(topic);
            }
        }
        if let Some(topics) = self.actor_topics.get_mut(&c.author) {
            for topic in &c.tagged {
                decrement(topics, topic);
            }
            if topics.is_empty() {
                self.actor_topics.remove(&c.author);
            }
        }
        if let Some(n) = self.confirmed.get_mut(&c.last_confirmed) {
            *n -= 1;
            if *n == 0 {
                self.confirmed.remove(&c.last_confirmed);
            }
        }
    }

    pub fn catalogue(&self) -> &'static Catalogue {
        self.catalogue
    }

    pub fn topic(&self, id: &str) -> Option<&TopicEntry> {
        self.topics.get(id)
    }

    /// How many records the view shows.
    pub fn resources(&self) -> usize {
        self.contributions.len()
    }

    /// How many of them are stale at `now` ([`crate::staleness::is_stale`]).
    pub fn stale_count(&self, now: OffsetDateTime) -> usize {
        let confirmed_before = now - STALE_AFTER;
        self.confirmed
            .range(..confirmed_before)
            .map(|(_, n)| *n as usize)
            .sum()
    }

    /// The records under a topic (its descendants included), by author then id: one pass over
    /// the index, for the one topic a screen opens.
    pub fn records_under(&self, topic: &str) -> Vec<&RecordKey> {
        let mut keys: Vec<&RecordKey> = self
            .contributions
            .iter()
            .filter(|(_, c)| c.rolled.contains(&topic))
            .map(|(key, _)| key)
            .collect();
        keys.sort_unstable();
        keys
    }
}

impl PartialEq for Networks {
    fn eq(&self, other: &Networks) -> bool {
        std::ptr::eq(self.catalogue, other.catalogue)
            && self.contributions == other.contributions
            && self.topics == other.topics
            && self.actor_topics == other.actor_topics
            && self.confirmed == other.confirmed
    }
}

fn decrement<K: std::borrow::Borrow<str> + Ord>(counts: &mut BTreeMap<K, u32>, key: &str) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

#[cfg(test)]
mod tests;
