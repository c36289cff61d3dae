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
mod contribution;
mod queries;
use contribution::{Contribution, Gathered};

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::Serialize;
use time::OffsetDateTime;

use crate::catalogue::Catalogue;
use crate::merge::{Changes, Community, RecordKey};
use crate::record::{Kind, Region, StakeholderGroup};
use crate::staleness::STALE_AFTER;

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
    /// By key, as the community holds its records: built in bulk from them in order.
    contributions: BTreeMap<RecordKey, Contribution>,
    /// Keyed by the catalogue's ids only, hence Fx (see `Catalogue`).
    topics: FxHashMap<&'static str, TopicEntry>,
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
            contributions: BTreeMap::new(),
            topics: FxHashMap::default(),
            actor_topics: HashMap::new(),
            confirmed: BTreeMap::new(),
        }
    }

    /// Builds the index of a whole community view. Records come in key order, by author: each
    /// author's counts are gathered first and written once per topic, and the maps keyed by
    /// record or by author are built in bulk from sorted entries, not searched per entry (a
    /// filter change rebuilds this for its view).
    pub fn build(community: &Community, catalogue: &'static Catalogue) -> Networks {
        let mut networks = Networks::new(catalogue);
        let mut gathered = Gathered::default();
        let mut contributions: Vec<(RecordKey, Contribution)> = Vec::new();
        let mut author: Option<&str> = None;
        for record in community.records() {
            if author != Some(record.author.as_str()) {
                if let Some(author) = author {
                    networks.add_author(author, &mut gathered);
                }
                author = Some(&record.author);
            }
            let contribution = Contribution::of(record, catalogue);
            for topic in &contribution.rolled {
                *gathered.under.entry(topic).or_default() += 1;
                networks.count(topic, contribution.kind);
            }
            for topic in &contribution.tagged {
                *gathered.tagged.entry(topic).or_default() += 1;
            }
            *networks
                .confirmed
                .entry(contribution.last_confirmed)
                .or_default() += 1;
            contributions.push((RecordKey::of(record), contribution));
        }
        if let Some(author) = author {
            networks.add_author(author, &mut gathered);
        }
        networks.contributions = contributions.into_iter().collect();
        for (topic, actors) in gathered.actors {
            networks.topics.entry(topic).or_default().actors = actors.into_iter().collect();
        }
        networks
    }

    /// One author's gathered counts into the index (`build`), leaving the gatherers empty.
    fn add_author(&mut self, author: &str, gathered: &mut Gathered) {
        for (topic, n) in gathered.under.drain() {
            let actors = gathered.actors.entry(topic).or_default();
            actors.push((author.to_owned(), n));
        }
        let topics = self.actor_topics.entry(author.to_owned()).or_default();
        for (topic, n) in std::mem::take(&mut gathered.tagged) {
            *topics.entry(topic).or_default() += n;
        }
    }

    fn count(&mut self, topic: &'static str, kind: Kind) {
        let entry = self.topics.entry(topic).or_default();
        entry.resources += 1;
        entry.by_kind[kind.index()] += 1;
    }

    /// Brings the index up to date after a merge that reported `changes`.
    pub fn apply(&mut self, community: &Community, changes: &Changes) {
        for key in &changes.records {
            self.refresh(community, key.clone());
        }
    }

    fn refresh(&mut self, community: &Community, id: RecordKey) {
        let new = community
            .record(&id)
            .map(|record| Contribution::of(record, self.catalogue));
        if self.contributions.get(&id) == new.as_ref() {
            return;
        }
        if let Some(old) = self.contributions.remove(&id) {
            self.withdraw(&id.author, &old);
        }
        if let Some(new) = new {
            self.add(&id.author, &new);
            self.contributions.insert(id, new);
        }
    }

    fn add(&mut self, author: &str, c: &Contribution) {
        for topic in &c.rolled {
            let actors = &mut self.topics.entry(topic).or_default().actors;
            // Looked up before `entry`, which would copy the author's id for every topic.
            match actors.get_mut(author) {
                Some(n) => *n += 1,
                None => {
                    actors.insert(author.to_owned(), 1);
                }
            }
            self.count(topic, c.kind);
        }
        let topics = match self.actor_topics.get_mut(author) {
            Some(topics) => topics,
            None => self.actor_topics.entry(author.to_owned()).or_default(),
        };
        for topic in &c.tagged {
            *topics.entry(topic).or_default() += 1;
        }
        *self.confirmed.entry(c.last_confirmed).or_default() += 1;
    }

    fn withdraw(&mut self, author: &str, c: &Contribution) {
        for topic in &c.rolled {
            let Some(entry) = self.topics.get_mut(topic) else {
                continue;
            };
            decrement(&mut entry.actors, author);
            entry.resources -= 1;
            entry.by_kind[c.kind.index()] -= 1;
            if entry.resources == 0 {
                self.topics.remove(topic);
            }
        }
        if let Some(topics) = self.actor_topics.get_mut(author) {
            for topic in &c.tagged {
                decrement(topics, topic);
            }
            if topics.is_empty() {
                self.actor_topics.remove(author);
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

    /// The records under a topic (its descendants included), by author then id (the index's
    /// order): one pass over the index, for the one topic a screen opens.
    pub fn records_under(&self, topic: &str) -> Vec<&RecordKey> {
        self.contributions
            .iter()
            .filter(|(_, c)| c.rolled.contains(&topic))
            .map(|(key, _)| key)
            .collect()
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
