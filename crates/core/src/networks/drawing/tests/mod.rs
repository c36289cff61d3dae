use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use time::macros::datetime;

use super::*;
use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::record::{EventDetails, Record, Region};
use crate::test_support::{profile, record};

mod listing;

const TOPIC: &str = "C7.e-health";
const T: time::OffsetDateTime = datetime!(2005-01-01 10:00 UTC);

fn event(id: u128, author: &str, title: &str, starts_on: &str) -> Record {
    Record {
        title: title.into(),
        event: Some(EventDetails {
            starts_on: starts_on.into(),
            ends_on: starts_on.into(),
            time_zone: "UTC".into(),
            place: None,
            online_url: None,
            ..Default::default()
        }),
        ..record(id, author, Kind::Event, &["C7.e-health.a"])
    }
}

fn named(id: &str, name: &str, group: StakeholderGroup) -> AuthorProfile {
    AuthorProfile {
        display_name: name.into(),
        ..profile(id, group, Region::Africa)
    }
}

/// Four actors of three groups, in no particular order.
fn bundles() -> Vec<Bundle> {
    use StakeholderGroup::*;
    vec![
        Bundle::new(
            named("z1", "Zoé", CivilSociety),
            vec![
                event(1, "z1", "Forum", "2005-11-16"),
                record(2, "z1", Kind::Project, &["C7.e-health.b", "C4"]),
                record(3, "z1", Kind::Project, &["C7.e-health.a"]),
            ],
            T,
        ),
        Bundle::new(
            named("a9", "Ana", CivilSociety),
            vec![
                event(4, "a9", "Atelier", "2005-11-16"),
                event(5, "a9", "Bilan", "2005-10-01"),
            ],
            T,
        ),
        Bundle::new(
            named("m1", "Ministry", Government),
            vec![record(6, "m1", Kind::Document, &["C7.e-health.b", "C4"])],
            T,
        ),
        Bundle::new(
            named("u1", "Uni", AcademicTechnical),
            vec![record(7, "u1", Kind::Network, &["C9"])],
            T,
        ),
    ]
}

fn merged(bundles: impl IntoIterator<Item = Bundle>) -> (Community, Networks) {
    let mut community = Community::new();
    for bundle in bundles {
        community.add_bundle(bundle);
    }
    let networks = Networks::build(&community, Catalogue::wsis());
    (community, networks)
}

#[test]
fn actors_resources_links_and_events_of_one_topic() {
    let (community, networks) = merged(bundles());
    let drawing = draw_network(&community, &networks, TOPIC, 60);
    assert!(!drawing.grouped);
    let order: Vec<&str> = drawing.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(order, ["m1", "a9", "z1"], "by group, then display name");
    let zoe = &drawing.nodes[2];
    assert_eq!(zoe.label, "Zoé");
    assert_eq!(zoe.resources, [(Kind::Event, 1), (Kind::Project, 2)]);
    assert!(zoe.r > drawing.nodes[0].r, "more resources, larger disc");
    assert_eq!(
        drawing.edges,
        [
            NetworkEdge {
                a: "m1".into(),
                b: "z1".into(),
                shared: vec!["C4".into(), "C7.e-health.b".into()],
                weight: 2,
            },
            NetworkEdge {
                a: "a9".into(),
                b: "z1".into(),
                shared: vec!["C7.e-health.a".into()],
                weight: 1,
            }
        ]
    );
    let events: Vec<(&str, &str, &str)> = drawing
        .events
        .iter()
        .map(|e| (e.starts_on.as_str(), e.title.as_str(), e.author.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("2005-10-01", "Bilan", "Ana"),
            ("2005-11-16", "Atelier", "Ana"),
            ("2005-11-16", "Forum", "Zoé"),
        ]
    );
}

#[test]
fn the_same_bundles_give_the_same_picture_in_any_order() {
    let (community, networks) = merged(bundles());
    let first = draw_network(&community, &networks, TOPIC, 60);
    assert_eq!(first, draw_network(&community, &networks, TOPIC, 60));
    let (other, other_networks) = merged(bundles().into_iter().rev());
    assert_eq!(first, draw_network(&other, &other_networks, TOPIC, 60));
    let (grouped, grouped_networks) = merged([1, 3, 0, 2].map(|i| bundles()[i].clone()));
    assert_eq!(
        draw_network(&community, &networks, TOPIC, 2),
        draw_network(&grouped, &grouped_networks, TOPIC, 2)
    );
}

#[test]
fn past_max_nodes_one_node_per_group() {
    let (community, networks) = merged(bundles());
    let drawing = draw_network(&community, &networks, TOPIC, 2);
    assert!(drawing.grouped);
    let nodes: Vec<(&str, &str, usize)> = drawing
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str(), n.members))
        .collect();
    assert_eq!(nodes, [("government", "", 1), ("civil_society", "", 2)]);
    assert_eq!(
        drawing.nodes[1].resources,
        [(Kind::Event, 3), (Kind::Project, 2)]
    );
    assert_eq!(drawing.edges.len(), 1);
    assert_eq!(
        (drawing.edges[0].a.as_str(), drawing.edges[0].b.as_str()),
        ("government", "civil_society")
    );
    assert_eq!(
        drawing.edges[0].weight, 2,
        "the two actors linked across the groups; a link within a group adds none"
    );
    assert_eq!(drawing.events.len(), 3);
}

#[test]
fn no_actor_gives_an_empty_frame_and_one_actor_sits_in_its_centre() {
    let (community, networks) = merged(bundles());
    for topic in ["C1", "nothing"] {
        let empty = draw_network(&community, &networks, topic, 60);
        assert!(empty.nodes.is_empty() && empty.edges.is_empty() && empty.events.is_empty());
        assert_eq!((empty.width, empty.height), FRAME);
    }
    let one = draw_network(&community, &networks, "C9", 60);
    assert_eq!(one.nodes.len(), 1);
    assert_eq!(
        (one.nodes[0].x, one.nodes[0].y),
        (one.width / 2.0, one.height / 2.0)
    );
}

/// Discs apart by `GAP` (up to rounding), inside the frame with room for their labels.
fn assert_drawable(drawing: &NetworkDrawing) -> Result<(), TestCaseError> {
    let (w, h) = (drawing.width, drawing.height);
    prop_assert!(((w / h) - FRAME.0 / FRAME.1).abs() < 1e-3);
    for (i, a) in drawing.nodes.iter().enumerate() {
        prop_assert!(a.x - a.r >= 0.0 && a.x + a.r <= w, "{} outside", a.id);
        prop_assert!(
            a.y - a.r >= 0.0 && a.y + a.r + LABEL_ROOM <= h,
            "{} outside",
            a.id
        );
        for b in &drawing.nodes[i + 1..] {
            let apart = (a.x - b.x).hypot(a.y - b.y);
            let needed = a.r + b.r + GAP;
            prop_assert!(
                apart >= needed * 0.999,
                "{} {} {apart} < {needed}",
                a.id,
                b.id
            );
        }
    }
    let ids: BTreeSet<&str> = drawing.nodes.iter().map(|n| n.id.as_str()).collect();
    for edge in &drawing.edges {
        prop_assert!(ids.contains(edge.a.as_str()) && ids.contains(edge.b.as_str()));
        prop_assert!(edge.a != edge.b && edge.weight > 0);
    }
    Ok(())
}

const SUBTOPICS: [&str; 3] = ["C7.e-health.a", "C7.e-health.b", "C4"];

/// `actors` actors, each of a random group (its index in `StakeholderGroup::ALL`) with 1 to
/// `most` resources drawn from `resource`.
fn arb_actors<R: std::fmt::Debug>(
    actors: impl Strategy<Value = usize>,
    resource: impl Strategy<Value = R> + Clone,
    most: usize,
) -> impl Strategy<Value = Vec<(usize, Vec<R>)>> {
    actors.prop_flat_map(move |n| {
        prop::collection::vec(
            (0..5usize, prop::collection::vec(resource.clone(), 1..=most)),
            n,
        )
    })
}

/// Actors of random groups with 1 to 12 resources of random kinds and topics.
fn arb_room(actors: impl Strategy<Value = usize>) -> impl Strategy<Value = Vec<Bundle>> {
    arb_actors(actors, (0..5usize, 0..3usize), 12).prop_map(|actors| {
        room(actors, |id, author, (kind, topic)| {
            record(id, author, Kind::ALL[kind], &[SUBTOPICS[topic], TOPIC])
        })
    })
}

/// One bundle per actor (`a000`, `a001`…) of the given group, each resource made a record by
/// `record_of` with a record id unique in the room.
fn room<R>(
    actors: Vec<(usize, Vec<R>)>,
    record_of: impl Fn(u128, &str, R) -> Record,
) -> Vec<Bundle> {
    actors
        .into_iter()
        .enumerate()
        .map(|(i, (group, resources))| {
            let id = format!("a{i:03}");
            let records = resources
                .into_iter()
                .enumerate()
                .map(|(j, resource)| record_of((i * 100 + j) as u128, &id, resource))
                .collect();
            let group = StakeholderGroup::ALL[group];
            Bundle::new(profile(&id, group, Region::Europe), records, T)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_disc_is_apart_and_in_the_frame(
        room in arb_room(prop::sample::select(vec![0usize, 1, 2, 7, 30, 60]))
    ) {
        let actors = room.len();
        let (community, networks) = merged(room);
        let drawing = draw_network(&community, &networks, TOPIC, 60);
        prop_assert!(!drawing.grouped);
        prop_assert_eq!(drawing.nodes.len(), actors);
        assert_drawable(&drawing)?;
    }

    #[test]
    fn past_max_nodes_groups_count_their_members(room in arb_room(61usize..90)) {
        let mut members = [0usize; 5];
        for bundle in &room {
            members[bundle.author.stakeholder_group as usize] += 1;
        }
        let (community, networks) = merged(room);
        let drawing = draw_network(&community, &networks, TOPIC, 60);
        prop_assert!(drawing.grouped);
        let expected: Vec<(String, usize)> = StakeholderGroup::ALL
            .iter()
            .zip(members)
            .filter(|(_, n)| *n > 0)
            .map(|(g, n)| (code(g), n))
            .collect();
        let drawn: Vec<(String, usize)> =
            drawing.nodes.iter().map(|n| (n.id.clone(), n.members)).collect();
        prop_assert_eq!(drawn, expected);
        assert_drawable(&drawing)?;
    }
}

/// Topics under C7 for rooms whose actors share some topics and not others.
fn c7_topics() -> Vec<&'static str> {
    let catalogue = Catalogue::wsis();
    catalogue
        .topics()
        .iter()
        .filter(|t| t.id != "C7" && catalogue.ancestors(&t.id).iter().any(|a| a.id == "C7"))
        .map(|t| t.id.as_str())
        .take(8)
        .collect()
}

/// Actors of random groups, each with 1 to 4 resources tagged with a topic under C7 and one
/// under C7 or elsewhere (a group's links count what its actors tagged anywhere).
fn arb_sparse_room(actors: impl Strategy<Value = usize>) -> impl Strategy<Value = Vec<Bundle>> {
    arb_actors(actors, (0..8usize, 0..8usize), 4).prop_map(|actors| {
        let topics = c7_topics();
        let anywhere = [&topics[..4], &["C1", "C4.a", "B", "D"]].concat();
        room(actors, |id, author, (a, b)| {
            record(id, author, Kind::Project, &[topics[a], anywhere[b]])
        })
    })
}

/// The group edges from every pair of actors tried: the actors of the links between two groups,
/// and the topics those links share.
fn group_edges_by_every_pair(networks: &Networks, actors: &[&AuthorProfile]) -> Vec<NetworkEdge> {
    let ids: Vec<String> = actors.iter().map(|a| a.id.clone()).collect();
    let group_of: BTreeMap<&str, StakeholderGroup> = actors
        .iter()
        .map(|a| (a.id.as_str(), a.stakeholder_group))
        .collect();
    let mut between: BTreeMap<_, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for link in networks.links_among(&ids) {
        let (ga, gb) = (group_of[link.a.as_str()], group_of[link.b.as_str()]);
        if ga != gb {
            let (linked, shared) = between.entry((ga.min(gb), ga.max(gb))).or_default();
            linked.extend([link.a, link.b]);
            shared.extend(link.shared);
        }
    }
    let mut edges: Vec<NetworkEdge> = between
        .into_iter()
        .map(|((ga, gb), (linked, shared))| {
            let mut shared: Vec<String> = shared.into_iter().collect();
            shared.sort_by_key(|t| networks.catalogue().position(t).unwrap_or(usize::MAX));
            NetworkEdge {
                a: code(&ga),
                b: code(&gb),
                shared,
                weight: linked.len(),
            }
        })
        .collect();
    edges.sort_by_key(|edge| std::cmp::Reverse(edge.weight));
    edges
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn group_edges_count_the_actors_of_the_links_between_groups(room in arb_sparse_room(2usize..40)) {
        let (community, networks) = merged(room);
        // Every actor has a record under C7.
        let actors: Vec<&AuthorProfile> = community.authors().collect();
        let drawing = draw_network(&community, &networks, "C7", 1);
        prop_assert_eq!(drawing.grouped, actors.len() > 1);
        if drawing.grouped {
            prop_assert_eq!(&drawing.edges, &group_edges_by_every_pair(&networks, &actors));
        }
    }
}
