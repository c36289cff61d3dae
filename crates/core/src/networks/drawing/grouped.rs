//! Edges of a network with too many actors to draw one by one: one edge per pair of
//! stakeholder groups whose actors share tagged topics, weighted by how many of their actors
//! do (each actor tagged a topic someone of the other group tagged too).
//!
//! Under an action line of a 10,000-participant room, 9,000 actors are 40 million pairs: no
//! pair of actors is looked at. Each actor's topics are a bit set of catalogue positions, held
//! against the union of each other group's (one AND per 64 topics).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::networks::Networks;
use crate::record::{code, AuthorProfile, StakeholderGroup};

use super::NetworkEdge;

/// Topics tagged, as bits at their catalogue positions.
struct TopicBits {
    words: usize,
    /// One row of `words` per actor, then one per group (the union of its actors' rows).
    actors: Vec<u64>,
    groups: Vec<u64>,
}

impl TopicBits {
    fn of(networks: &Networks, actors: &[&AuthorProfile]) -> TopicBits {
        let catalogue = networks.catalogue();
        let words = catalogue.topics().len().div_ceil(64);
        let mut bits = TopicBits {
            words,
            actors: vec![0; actors.len() * words],
            groups: vec![0; StakeholderGroup::ALL.len() * words],
        };
        for (i, actor) in actors.iter().enumerate() {
            let group = actor.stakeholder_group as usize;
            let tagged = networks.tally.actor_topics.get(actor.id.as_str());
            for position in tagged
                .into_iter()
                .flat_map(|topics| topics.keys())
                .filter_map(|t| catalogue.position(t))
            {
                let (word, bit) = (position / 64, 1 << (position % 64));
                bits.actors[i * words + word] |= bit;
                bits.groups[group * words + word] |= bit;
            }
        }
        bits
    }

    fn actor(&self, i: usize) -> &[u64] {
        &self.actors[i * self.words..(i + 1) * self.words]
    }

    fn group(&self, group: StakeholderGroup) -> &[u64] {
        let i = group as usize;
        &self.groups[i * self.words..(i + 1) * self.words]
    }
}

fn overlap(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(a, b)| a & b != 0)
}

/// The edges between groups, heaviest first (groups' order among equals), each with the
/// topics tagged on both sides in catalogue order: what the actors of
/// [`Networks::links_among`]'s links between two groups give, without making the links.
pub(super) fn group_edges(networks: &Networks, actors: &[&AuthorProfile]) -> Vec<NetworkEdge> {
    let bits = TopicBits::of(networks, actors);
    let mut weights: BTreeMap<(StakeholderGroup, StakeholderGroup), usize> = BTreeMap::new();
    for (i, actor) in actors.iter().enumerate() {
        let own = actor.stakeholder_group;
        for other in StakeholderGroup::ALL.into_iter().filter(|g| *g != own) {
            if overlap(bits.actor(i), bits.group(other)) {
                *weights.entry((own.min(other), own.max(other))).or_default() += 1;
            }
        }
    }
    let topics = networks.catalogue().topics();
    let mut edges: Vec<NetworkEdge> = weights
        .into_iter()
        .map(|((a, b), weight)| {
            // Catalogue order is bit order.
            let both = bits.group(a).iter().zip(bits.group(b)).map(|(x, y)| x & y);
            let shared = both
                .enumerate()
                .flat_map(|(word, w)| {
                    (0..64)
                        .filter(move |bit| w & (1 << bit) != 0)
                        .map(move |bit| word * 64 + bit)
                })
                .map(|position| topics[position].id.clone())
                .collect();
            NetworkEdge {
                a: code(&a),
                b: code(&b),
                shared,
                weight,
            }
        })
        .collect();
    // Stable: ties stay in the groups' order.
    edges.sort_by_key(|edge| Reverse(edge.weight));
    edges
}
