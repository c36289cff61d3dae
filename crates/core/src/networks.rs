//! Thematic networks derived from the community view: who works on which topic, rolled up the
//! catalogue hierarchy, actor–actor links, partner suggestions and gaps.
//!
//! [`Networks`] is an index kept in step with a [`Community`]: after a merge, [`Networks::apply`]
//! touches only the records the merge changed, which is what keeps the live map fast.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::merge::{Changes, Community, RecordKey};
use crate::record::{Kind, Region, StakeholderGroup};

/// What one visible record adds to the index; kept so that it can be taken out again.
#[derive(Debug, Clone, PartialEq)]
struct Contribution {
    author: String,
    kind: Kind,
    /// The topics the record is tagged with.
    tagged: Vec<String>,
    /// Those topics and all their ancestors, each once.
    rolled: Vec<String>,
}

/// Everything counted under one topic, its descendants included.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TopicEntry {
    /// Actor → number of their records under this topic.
    pub actors: BTreeMap<String, u32>,
    pub records: BTreeSet<RecordKey>,
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
    topics: HashMap<String, TopicEntry>,
    /// Actor → tagged topic → number of records.
    actor_topics: HashMap<String, BTreeMap<String, u32>>,
}

impl Networks {
    pub fn new(catalogue: &'static Catalogue) -> Networks {
        Networks {
            catalogue,
            contributions: HashMap::new(),
            topics: HashMap::new(),
            actor_topics: HashMap::new(),
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
        let new = community.record(&id).map(|record| {
            let tagged: Vec<String> = record
                .topics
                .iter()
                .filter(|t| self.catalogue.contains(t))
                .cloned()
                .collect();
            let rolled: BTreeSet<&str> = tagged
                .iter()
                .flat_map(|t| self.catalogue.self_and_ancestors(t))
                .map(|t| t.id.as_str())
                .collect();
            Contribution {
                author: record.author.clone(),
                kind: record.kind,
                rolled: rolled.into_iter().map(str::to_owned).collect(),
                tagged,
            }
        });
        if self.contributions.get(&id) == new.as_ref() {
            return;
        }
        if let Some(old) = self.contributions.remove(&id) {
            self.withdraw(id.clone(), &old);
        }
        if let Some(new) = new {
            self.add(id.clone(), &new);
            self.contributions.insert(id, new);
        }
    }

    fn add(&mut self, id: RecordKey, c: &Contribution) {
        for topic in &c.rolled {
            let entry = self.topics.entry(topic.clone()).or_default();
            *entry.actors.entry(c.author.clone()).or_default() += 1;
            entry.records.insert(id.clone());
            entry.by_kind[c.kind.index()] += 1;
        }
        let topics = self.actor_topics.entry(c.author.clone()).or_default();
        for topic in &c.tagged {
            *topics.entry(topic.clone()).or_default() += 1;
        }
    }

    fn withdraw(&mut self, id: RecordKey, c: &Contribution) {
        for topic in &c.rolled {
            let Some(entry) = self.topics.get_mut(topic) else {
                continue;
            };
            decrement(&mut entry.actors, &c.author);
            entry.records.remove(&id);
            entry.by_kind[c.kind.index()] -= 1;
            if entry.records.is_empty() {
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
    }

    pub fn catalogue(&self) -> &'static Catalogue {
        self.catalogue
    }

    pub fn topic(&self, id: &str) -> Option<&TopicEntry> {
        self.topics.get(id)
    }

    pub fn summary(&self, community: &Community, topic: &str) -> TopicSummary {
        let mut summary = TopicSummary {
            topic: topic.to_owned(),
            ..Default::default()
        };
        let Some(entry) = self.topics.get(topic) else {
            return summary;
        };
        summary.actors = entry.actors.len();
        summary.resources = entry.records.len();
        summary.by_kind = entry.by_kind;
        for author in entry.actors.keys().filter_map(|a| community.author(a)) {
            *summary
                .by_group
                .entry(author.stakeholder_group)
                .or_default() += 1;
            *summary.by_region.entry(author.region).or_default() += 1;
        }
        summary
    }

    /// Topics an actor tagged, catalogue order.
    pub fn topics_of(&self, author: &str) -> Vec<String> {
        let mut topics: Vec<String> = self
            .actor_topics
            .get(author)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        self.sort_by_catalogue(&mut topics);
        topics
    }

    fn sort_by_catalogue(&self, topics: &mut [String]) {
        topics.sort_by_key(|t| self.catalogue.position(t).unwrap_or(usize::MAX));
    }

    fn shared_tagged(&self, a: &str, b: &str) -> Vec<String> {
        let (Some(ta), Some(tb)) = (self.actor_topics.get(a), self.actor_topics.get(b)) else {
            return Vec::new();
        };
        let mut shared: Vec<String> = ta.keys().filter(|t| tb.contains_key(*t)).cloned().collect();
        self.sort_by_catalogue(&mut shared);
        shared
    }

    /// Links between the given actors, weighted by the topics both tagged.
    pub fn links_among(&self, actors: &[String]) -> Vec<ActorLink> {
        let mut links = Vec::new();
        for (i, a) in actors.iter().enumerate() {
            for b in &actors[i + 1..] {
                let shared = self.shared_tagged(a, b);
                if !shared.is_empty() {
                    let (a, b) = if a < b { (a, b) } else { (b, a) };
                    links.push(ActorLink {
                        a: a.clone(),
                        b: b.clone(),
                        shared,
                    });
                }
            }
        }
        links.sort_by(|x, y| {
            y.shared
                .len()
                .cmp(&x.shared.len())
                .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
        });
        links
    }

    fn rolled_of(&self, author: &str) -> BTreeSet<&str> {
        self.actor_topics
            .get(author)
            .into_iter()
            .flat_map(|t| t.keys())
            .flat_map(|t| self.catalogue.self_and_ancestors(t))
            .map(|t| t.id.as_str())
            .collect()
    }

    /// Others working on an actor's topics, best first: most topics tagged in common, then most
    /// broader areas in common, then another stakeholder group, then another region (seed 003's
    /// "identify potential partners": complementary actors on the same subject).
    pub fn partner_suggestions(
        &self,
        community: &Community,
        author: &str,
        limit: usize,
    ) -> Vec<PartnerSuggestion> {
        let mine = self.rolled_of(author);
        let me = community.author(author);
        let mut candidates = BTreeSet::new();
        for topic in &mine {
            if let Some(entry) = self.topics.get(*topic) {
                candidates.extend(entry.actors.keys().filter(|a| a.as_str() != author));
            }
        }
        let mut suggestions: Vec<PartnerSuggestion> = candidates
            .into_iter()
            .map(|other| {
                let theirs = self.rolled_of(other);
                let mut shared_areas: Vec<String> = mine
                    .intersection(&theirs)
                    .map(|t| (*t).to_owned())
                    .collect();
                self.sort_by_catalogue(&mut shared_areas);
                let profile = community.author(other);
                let differs = |f: &dyn Fn(&crate::record::AuthorProfile) -> u8| match (me, profile)
                {
                    (Some(me), Some(p)) => f(me) != f(p),
                    _ => false,
                };
                PartnerSuggestion {
                    author: other.clone(),
                    shared_topics: self.shared_tagged(author, other),
                    shared_areas,
                    other_group: differs(&|p| p.stakeholder_group as u8),
                    other_region: differs(&|p| p.region as u8),
                }
            })
            .collect();
        suggestions.sort_by(|x, y| {
            (
                y.shared_topics.len(),
                y.shared_areas.len(),
                y.other_group,
                y.other_region,
            )
                .cmp(&(
                    x.shared_topics.len(),
                    x.shared_areas.len(),
                    x.other_group,
                    x.other_region,
                ))
                .then_with(|| x.author.cmp(&y.author))
        });
        suggestions.truncate(limit);
        suggestions
    }

    /// Gaps among the topics of granularity `max_level` or coarser.
    pub fn gaps(&self, community: &Community, max_level: u8) -> Gaps {
        let mut gaps = Gaps::default();
        for topic in self
            .catalogue
            .topics()
            .iter()
            .filter(|t| t.level <= max_level)
        {
            match self.topics.get(&topic.id) {
                None => gaps.empty.push(topic.id.clone()),
                Some(entry) => {
                    let groups: BTreeSet<StakeholderGroup> = entry
                        .actors
                        .keys()
                        .filter_map(|a| community.author(a))
                        .map(|p| p.stakeholder_group)
                        .collect();
                    if groups.len() == 1 {
                        gaps.single_group
                            .push((topic.id.clone(), *groups.first().unwrap()));
                    }
                }
            }
        }
        gaps
    }
}

impl PartialEq for Networks {
    fn eq(&self, other: &Networks) -> bool {
        std::ptr::eq(self.catalogue, other.catalogue)
            && self.contributions == other.contributions
            && self.topics == other.topics
            && self.actor_topics == other.actor_topics
    }
}

fn decrement(counts: &mut BTreeMap<String, u32>, key: &str) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::record::Record;
    use proptest::prelude::*;
    use time::macros::datetime;

    use crate::test_support::profile;

    fn record(
        id: u128,
        author: &str,
        kind: Kind,
        topics: &[&str],
        revision: u64,
        deleted: bool,
    ) -> Record {
        Record {
            revision,
            deleted,
            ..crate::test_support::record(id, author, kind, topics)
        }
    }

    fn room() -> Community {
        use Region::*;
        use StakeholderGroup::*;
        let mut c = Community::new();
        let t = datetime!(2005-01-01 10:00 UTC);
        c.add_bundle(Bundle::new(
            profile("alice", CivilSociety, Africa),
            vec![
                record(1, "alice", Kind::Network, &["C7.e-health.a"], 1, false),
                record(2, "alice", Kind::Event, &["C4"], 1, false),
            ],
            t,
        ));
        c.add_bundle(Bundle::new(
            profile("bob", Government, Europe),
            vec![record(
                3,
                "bob",
                Kind::Project,
                &["C7.e-health.a", "C4"],
                1,
                false,
            )],
            t,
        ));
        c.add_bundle(Bundle::new(
            profile("chen", CivilSociety, Africa),
            vec![record(
                4,
                "chen",
                Kind::Document,
                &["C7.e-health.b"],
                1,
                false,
            )],
            t,
        ));
        c
    }

    #[test]
    fn counts_roll_up_the_hierarchy() {
        let c = room();
        let n = Networks::build(&c, Catalogue::wsis());
        let c7 = n.summary(&c, "C7");
        assert_eq!((c7.actors, c7.resources), (3, 3));
        assert_eq!(c7.by_group[&StakeholderGroup::CivilSociety], 2);
        assert_eq!(c7.by_group[&StakeholderGroup::Government], 1);
        let health = n.summary(&c, "C7.e-health");
        assert_eq!(health.by_kind[Kind::Network.index()], 1);
        assert_eq!(health.by_kind[Kind::Document.index()], 1);
        assert_eq!(n.summary(&c, "C7.e-health.a").actors, 2);
        assert_eq!(n.summary(&c, "C9").actors, 0);
    }

    #[test]
    fn links_and_partner_suggestions_rank_shared_topics_then_complementarity() {
        let c = room();
        let n = Networks::build(&c, Catalogue::wsis());
        let links = n.links_among(&["alice".into(), "bob".into(), "chen".into()]);
        assert_eq!(
            links,
            vec![ActorLink {
                a: "alice".into(),
                b: "bob".into(),
                shared: vec!["C4".into(), "C7.e-health.a".into()]
            }]
        );
        let suggestions = n.partner_suggestions(&c, "alice", 10);
        let order: Vec<_> = suggestions.iter().map(|s| s.author.as_str()).collect();
        assert_eq!(order, vec!["bob", "chen"]);
        assert!(suggestions[0].other_group && suggestions[0].other_region);
        assert!(suggestions[1].shared_topics.is_empty());
        assert_eq!(suggestions[1].shared_areas, vec!["C7", "C7.e-health"]);
    }

    #[test]
    fn gaps_show_empty_and_single_group_topics() {
        let c = room();
        let n = Networks::build(&c, Catalogue::wsis());
        let gaps = n.gaps(&c, 1);
        assert!(gaps.empty.contains(&"C9".to_string()));
        assert!(!gaps.empty.contains(&"C4".to_string()));
        assert_eq!(gaps.empty.len(), 14 - 2);
        assert!(gaps.single_group.is_empty());
        let gaps = n.gaps(&c, 3);
        assert!(gaps
            .single_group
            .contains(&("C7.e-health.b".into(), StakeholderGroup::CivilSociety)));
    }

    const TOPICS: [&str; 5] = ["C4", "C7.e-health.a", "C7.e-health.b", "C2.a", "B.a"];
    const AUTHORS: [&str; 3] = ["alice", "bob", "chen"];

    fn arb_bundle() -> impl Strategy<Value = Bundle> {
        (
            0..3usize,
            prop::collection::vec(
                (
                    0u128..8,
                    prop::sample::subsequence(TOPICS.to_vec(), 1..3),
                    1u64..4,
                    any::<bool>(),
                ),
                0..5,
            ),
        )
            .prop_map(|(a, recs)| {
                let author = AUTHORS[a];
                let mut seen = BTreeSet::new();
                let records = recs
                    .into_iter()
                    .filter(|(id, ..)| seen.insert(*id))
                    .map(|(id, topics, rev, del)| {
                        record(id, author, Kind::ALL[(id % 5) as usize], &topics, rev, del)
                    })
                    .collect();
                Bundle::new(
                    profile(author, StakeholderGroup::ALL[a], Region::ALL[a]),
                    records,
                    datetime!(2005-01-01 10:00 UTC),
                )
            })
    }

    proptest! {
        #[test]
        fn incremental_update_equals_a_full_rebuild(first in prop::collection::vec(arb_bundle(), 0..5), later in prop::collection::vec(arb_bundle(), 1..4)) {
            let mut community = Community::new();
            for b in first { community.add_bundle(b); }
            let mut live = Networks::build(&community, Catalogue::wsis());
            for b in later {
                let changes = community.add_bundle(b);
                live.apply(&community, &changes);
            }
            prop_assert_eq!(live, Networks::build(&community, Catalogue::wsis()));
        }
    }
}
