//! Edges of a network with too many actors to draw one by one: one edge per pair of
//! stakeholder groups whose actors share tagged topics, weighted by how many of their actors
//! do (each actor tagged a topic someone of the other group tagged too).
//!
//! Under an action line of a 10,000-participant room, 9,000 actors are 40 million pairs: no
//! pair of actors is looked at. Each actor's topics are a bit set of catalogue positions, held
//! against the union of each other group's (one AND per 64 topics).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::catalogue::Catalogue;
use crate::networks::contribution::TopicSet;
use crate::record::{code, StakeholderGroup};

use super::NetworkEdge;

/// The edges between groups, heaviest first (groups' order among equals), each with the
/// topics tagged on both sides in catalogue order: what the actors of
/// [`Networks::links_among`](crate::networks::Networks::links_among)'s links between two
/// groups give, without making the links. `actors` are each actor's group and every topic they
/// tagged.
pub(super) fn group_edges(
    catalogue: &'static Catalogue,
    actors: &[(StakeholderGroup, TopicSet)],
) -> Vec<NetworkEdge> {
    let mut groups = [TopicSet::default(); StakeholderGroup::ALL.len()];
    for (group, tagged) in actors {
        groups[*group as usize].extend(*tagged);
    }
    let mut weights: BTreeMap<(StakeholderGroup, StakeholderGroup), usize> = BTreeMap::new();
    for &(own, tagged) in actors {
        for other in StakeholderGroup::ALL.into_iter().filter(|g| *g != own) {
            if tagged.meets(&groups[other as usize]) {
                *weights.entry((own.min(other), own.max(other))).or_default() += 1;
            }
        }
    }
    let mut edges: Vec<NetworkEdge> = weights
        .into_iter()
        .map(|((a, b), weight)| NetworkEdge {
            a: code(&a),
            b: code(&b),
            shared: groups[a as usize]
                .both(groups[b as usize])
                .ids(catalogue)
                .map(str::to_string)
                .collect(),
            weight,
        })
        .collect();
    // Stable: ties stay in the groups' order.
    edges.sort_by_key(|edge| Reverse(edge.weight));
    edges
}
