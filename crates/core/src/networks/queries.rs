//! What the index answers: topic summaries, actor links, partner suggestions and gaps.

use std::collections::BTreeSet;

use crate::merge::Community;
use crate::record::StakeholderGroup;

use super::{ActorLink, Gaps, Networks, PartnerSuggestion, TopicSummary};

impl Networks {
    pub fn summary(&self, community: &Community, topic: &str) -> TopicSummary {
        let mut summary = TopicSummary {
            topic: topic.to_owned(),
            ..Default::default()
        };
        let Some(entry) = self.tally.topics.get(topic) else {
            return summary;
        };
        summary.actors = entry.actors.len();
        summary.resources = entry.resources;
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
            .tally
            .actor_topics
            .get(author)
            .map(|t| t.keys().map(|t| t.to_string()).collect())
            .unwrap_or_default();
        self.sort_by_catalogue(&mut topics);
        topics
    }

    fn sort_by_catalogue(&self, topics: &mut [String]) {
        topics.sort_by_key(|t| self.catalogue.position(t).unwrap_or(usize::MAX));
    }

    fn shared_tagged(&self, a: &str, b: &str) -> Vec<String> {
        let (Some(ta), Some(tb)) = (
            self.tally.actor_topics.get(a),
            self.tally.actor_topics.get(b),
        ) else {
            return Vec::new();
        };
        let mut shared: Vec<String> = ta
            .keys()
            .filter(|t| tb.contains_key(*t))
            .map(|t| t.to_string())
            .collect();
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
        self.tally
            .actor_topics
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
            if let Some(entry) = self.tally.topics.get(*topic) {
                candidates.extend(entry.actors.keys().filter(|&a| &**a != author));
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
                    author: other.to_string(),
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
            if !self.tally.topics.contains_key(topic.id.as_str()) {
                gaps.empty.push(topic.id.clone());
            } else if let Some(group) = self.single_group(community, &topic.id) {
                gaps.single_group.push((topic.id.clone(), group));
            }
        }
        gaps
    }

    /// The one stakeholder group of a topic's actors when they all share it (`None` when the
    /// topic has no actor with a known profile). Stops at the second group it meets: an action
    /// line of 10,000 actors is answered after a few.
    pub fn single_group(&self, community: &Community, topic: &str) -> Option<StakeholderGroup> {
        let entry = self.tally.topics.get(topic)?;
        let mut groups = entry
            .actors
            .keys()
            .filter_map(|a| community.author(a))
            .map(|p| p.stakeholder_group);
        let first = groups.next()?;
        groups.all(|g| g == first).then_some(first)
    }

    /// Actors and resources on a topic (or below it), read from the index alone.
    pub fn counts(&self, topic: &str) -> (usize, usize) {
        self.tally
            .topics
            .get(topic)
            .map_or((0, 0), |entry| (entry.actors.len(), entry.resources))
    }
}
