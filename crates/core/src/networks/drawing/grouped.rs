//! Edges of a network with too many actors to draw one by one: one edge per pair of
//! stakeholder groups whose actors share tagged topics, weighted by how many actor pairs do.
//!
//! Under an action line of a 10,000-participant room, 9,000 actors are 40 million pairs, each
//! with a few dozen topics tagged: pairs are tested on bit sets of catalogue positions (one AND
//! per 64 topics), never by listing shared topics or building a link per pair.

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
/// topics tagged on both sides in catalogue order: what summing [`Networks::links_among`]
/// between groups gives.
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

    let weights = pair_counts(networks, actors, &tagged);

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

/// How many pairs of actors of two different groups tagged a topic in common.
fn pair_counts(
    networks: &Networks,
    actors: &[&AuthorProfile],
    tagged: &[Vec<&'static str>],
) -> BTreeMap<GroupPair, usize> {
    let catalogue = networks.catalogue();
    let words = catalogue.topics().len().div_ceil(64);
    let mut bits = vec![0u64; actors.len() * words];
    for (i, topics) in tagged.iter().enumerate() {
        for position in topics.iter().filter_map(|t| catalogue.position(t)) {
            bits[i * words + position / 64] |= 1 << (position % 64);
        }
    }
    let row = |i: usize| &bits[i * words..(i + 1) * words];
    let mut counts = [[0usize; 5]; 5];
    for i in 0..actors.len() {
        let (group, mine) = (actors[i].stakeholder_group, row(i));
        for (j, other) in actors.iter().enumerate().skip(i + 1) {
            if other.stakeholder_group != group && mine.iter().zip(row(j)).any(|(a, b)| a & b != 0)
            {
                counts[group as usize][other.stakeholder_group as usize] += 1;
            }
        }
    }
    let mut weights = BTreeMap::new();
    for a in StakeholderGroup::ALL {
        for b in StakeholderGroup::ALL.into_iter().filter(|b| *b > a) {
            let n = counts[a as usize][b as usize] + counts[b as usize][a as usize];
            if n > 0 {
                weights.insert((a, b), n);
            }
        }
    }
    weights
}
