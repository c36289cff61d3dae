//! Edges of a network with too many actors to draw one by one: one edge per pair of
//! stakeholder groups whose actors share tagged topics, weighted by how many of their actors
//! do (each actor tagged a topic someone of the other group tagged too).
//!
//! Under an action line of a 10,000-participant room, 9,000 actors are 40 million pairs: no
//! pair of actors is looked at. Each actor's topics are a bit set of catalogue positions, held
//! against the union of each other group's (one AND per 64 topics).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::networks::Networks;
use crate::record::{code, AuthorProfile, StakeholderGroup};

use super::NetworkEdge;

type GroupPair = (StakeholderGroup, StakeholderGroup);

fn pair(a: StakeholderGroup, b: StakeholderGroup) -> GroupPair {
    (a.min(b), a.max(b))
}

/// The edges between groups, heaviest first (groups' order among equals), each with the
/// topics tagged on both sides in catalogue order: what the actors of
/// [`Networks::links_among`]'s links between two groups give, without making the links.
pub(super) fn group_edges(networks: &Networks, actors: &[&AuthorProfile]) -> Vec<NetworkEdge> {
    let tagged: Vec<Vec<&'static str>> = actors
        .iter()
        .map(|a| {
            networks
                .actor_topics
                .get(a.id.as_str())
                .map(|topics| topics.keys().copied().collect())
                .unwrap_or_default()
        })
        .collect();
    let mut by_topic: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (i, topics) in tagged.iter().enumerate() {
        for topic in topics {
            by_topic.entry(topic).or_default().push(i);
        }
    }

    let weights = linked_actors(networks, actors, &tagged);

    let mut shared: BTreeMap<GroupPair, Vec<String>> = BTreeMap::new();
    for (topic, members) in &by_topic {
        let groups: BTreeSet<StakeholderGroup> = members
            .iter()
            .map(|&i| actors[i].stakeholder_group)
            .collect();
        for (n, a) in groups.iter().enumerate() {
            for b in groups.iter().skip(n + 1) {
                shared
                    .entry(pair(*a, *b))
                    .or_default()
                    .push(topic.to_string());
            }
        }
    }

    let catalogue = networks.catalogue();
    let mut edges: Vec<NetworkEdge> = weights
        .into_iter()
        .map(|((a, b), weight)| {
            let mut shared = shared.remove(&(a, b)).unwrap_or_default();
            shared.sort_by_key(|t| catalogue.position(t).unwrap_or(usize::MAX));
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

/// For each pair of groups, how many of their actors tagged a topic that someone of the other
/// group tagged too: one pass over the actors against each group's topics, where counting
/// pairs of actors took a pass over every pair (1.5 s at 10,000 actors, at every new bundle).
fn linked_actors(
    networks: &Networks,
    actors: &[&AuthorProfile],
    tagged: &[Vec<&'static str>],
) -> BTreeMap<GroupPair, usize> {
    let catalogue = networks.catalogue();
    let words = catalogue.topics().len().div_ceil(64);
    let mut bits = vec![0u64; actors.len() * words];
    let mut by_group = vec![0u64; StakeholderGroup::ALL.len() * words];
    for (i, topics) in tagged.iter().enumerate() {
        let group = actors[i].stakeholder_group as usize;
        for position in topics.iter().filter_map(|t| catalogue.position(t)) {
            let (word, bit) = (position / 64, 1 << (position % 64));
            bits[i * words + word] |= bit;
            by_group[group * words + word] |= bit;
        }
    }
    let mut counts = BTreeMap::new();
    for (i, actor) in actors.iter().enumerate() {
        let mine = &bits[i * words..(i + 1) * words];
        for other in StakeholderGroup::ALL {
            let theirs = &by_group[other as usize * words..(other as usize + 1) * words];
            if other != actor.stakeholder_group && mine.iter().zip(theirs).any(|(a, b)| a & b != 0)
            {
                *counts
                    .entry(pair(actor.stakeholder_group, other))
                    .or_default() += 1;
            }
        }
    }
    counts
}
