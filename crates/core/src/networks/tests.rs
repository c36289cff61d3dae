use super::*;
use crate::bundle::Bundle;
use crate::record::{Kind, Record};
use proptest::prelude::*;
use std::collections::BTreeMap;
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
    // The early-stopping check agrees with the set of groups on every topic.
    for topic in Catalogue::wsis().topics() {
        let groups: std::collections::BTreeSet<_> = n
            .tally
            .topics
            .get(topic.id.as_str())
            .map(|entry| {
                entry
                    .actors
                    .keys()
                    .filter_map(|a| c.author(a))
                    .map(|p| p.stakeholder_group)
                    .collect()
            })
            .unwrap_or_default();
        let expected = (groups.len() == 1).then(|| *groups.first().unwrap());
        assert_eq!(n.single_group(&c, &topic.id), expected, "{}", topic.id);
        let (actors, resources) = n.counts(&topic.id);
        let summary = n.summary(&c, &topic.id);
        assert_eq!((actors, resources), (summary.actors, summary.resources));
    }
}

const TOPICS: [&str; 5] = ["C4", "C7.e-health.a", "C7.e-health.b", "C2.a", "B.a"];
const AUTHORS: [&str; 3] = ["alice", "bob", "chen"];

/// An author's next file: their records kept, some at a later revision (another kind, other
/// topics, deleted) or new, and now and then another stakeholder group: merged in place.
type Edit = (usize, Vec<(u128, Vec<&'static str>, bool, bool)>, bool);

fn arb_edit() -> impl Strategy<Value = Edit> {
    (
        0..3usize,
        prop::collection::vec(
            (
                0u128..8,
                prop::sample::subsequence(TOPICS.to_vec(), 1..3),
                prop::bool::weighted(0.2),
                prop::bool::weighted(0.2),
            ),
            0..4,
        ),
        prop::bool::weighted(0.15),
    )
}

fn edited(current: Option<&Bundle>, (a, changes, regroup): Edit) -> Bundle {
    let author = AUTHORS[a];
    let mut next = current.cloned().unwrap_or_else(|| {
        Bundle::new(
            profile(author, StakeholderGroup::ALL[a], Region::ALL[a]),
            vec![],
            datetime!(2005-01-01 10:00 UTC),
        )
    });
    next.generated_at += time::Duration::days(1);
    if regroup {
        let at = StakeholderGroup::ALL
            .iter()
            .position(|g| *g == next.author.stakeholder_group)
            .unwrap_or(0);
        next.author.stakeholder_group =
            StakeholderGroup::ALL[(at + 1) % StakeholderGroup::ALL.len()];
    }
    for (id, topics, deleted, rekind) in changes {
        let at = next
            .records
            .iter()
            .position(|r| r.id == uuid::Uuid::from_u128(id));
        let revision = at.map_or(1, |at| next.records[at].revision + 1);
        let kind = Kind::ALL[((id + u128::from(rekind) * u128::from(revision)) % 5) as usize];
        let record = record(id, author, kind, &topics, revision, deleted);
        match at {
            Some(at) => next.records[at] = record,
            None => next.records.push(record),
        }
    }
    next
}

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
            let mut seen = std::collections::BTreeSet::new();
            let records = recs
                .into_iter()
                .filter(|(id, ..)| seen.insert(*id))
                .map(|(id, topics, rev, del)| {
                    let mut r = record(id, author, Kind::ALL[(id % 5) as usize], &topics, rev, del);
                    // Later revisions, later dates: some records stale at a given moment, some not.
                    r.updated_at += time::Duration::days(150 * rev as i64);
                    r
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
        let mut before = live.clone();
        for b in later {
            before = live.clone();
            let changes = community.add_bundle(b);
            live.apply(&community, &changes);
        }
        prop_assert_eq!(&live, &Networks::build(&community, Catalogue::wsis()));
        prop_assert_eq!(live.resources(), community.records().count());
        for now in [datetime!(2006-06-01 0:00 UTC), datetime!(2007-01-01 0:00 UTC), datetime!(2007-03-27 10:00 UTC), datetime!(2007-03-27 10:01 UTC)] {
            let stale = community.records().filter(|r| crate::staleness::is_stale(r, now)).count();
            prop_assert_eq!(live.stale_count(now), stale);
        }
        // The records under a topic, found from the index, are those tagged with it or below it.
        let catalogue = Catalogue::wsis();
        for topic in catalogue.topics() {
            let expected: Vec<RecordKey> = community
                .records()
                .filter(|r| r.topics.iter().any(|t| catalogue.self_and_ancestors(t).iter().any(|a| a.id == topic.id)))
                .map(RecordKey::of)
                .collect();
            let found: Vec<RecordKey> = live.records_under(&topic.id).into_iter().cloned().collect();
            prop_assert_eq!(&found, &expected, "{}", topic.id);
            let held: Vec<RecordKey> = live.records_under_in(&community, &topic.id).into_iter().map(RecordKey::of).collect();
            prop_assert_eq!(&held, &expected, "{} as the view holds them", topic.id);
            // An index out of step with the view (one bundle behind) still finds what it lists.
            let behind: Vec<RecordKey> = before.records_under_in(&community, &topic.id).into_iter().map(RecordKey::of).collect();
            let listed: Vec<RecordKey> = before.records_under(&topic.id).into_iter().filter(|k| community.record(k).is_some()).cloned().collect();
            prop_assert_eq!(behind, listed, "{} one bundle behind", topic.id);
        }
    }

    #[test]
    fn the_index_of_a_filtered_view_equals_one_built_for_it(first in prop::collection::vec(arb_bundle(), 0..5), later in prop::collection::vec(arb_bundle(), 0..4), group in 0..5usize, kind in 0..5usize) {
        let catalogue = Catalogue::wsis();
        let mut community = Community::new();
        for b in first { community.add_bundle(b); }
        for b in later { community.add_bundle(b); }
        let now = Networks::build(&community, catalogue);
        let views = [
            community.filtered(|a| a.stakeholder_group != StakeholderGroup::ALL[group], |_| true),
            community.filtered(|_| true, |r| r.kind != Kind::ALL[kind]),
            community.clone(),
        ];
        for view in &views {
            let built = Networks::build(view, catalogue);
            prop_assert!(now.within(view) == built);
        }
    }

    #[test]
    fn a_filtered_view_made_in_steps_equals_one_made_at_once(bundles in prop::collection::vec(arb_bundle(), 0..8), group in prop::option::of(0..5usize), kind in prop::option::of(0..5usize), most in 1..6usize) {
        let catalogue = Catalogue::wsis();
        let mut live = Community::new();
        for b in bundles { live.add_bundle(b); }
        let index = Networks::build(&live, catalogue);
        let filters = crate::map_query::ViewFilters {
            group: group.map(|g| StakeholderGroup::ALL[g]),
            kind: kind.map(|k| Kind::ALL[k]),
            ..Default::default()
        };
        let mut build = crate::map_query::FilteredBuild::new(filters.clone());
        let mut steps = 0;
        while !build.step(&live, &index, most) {
            steps += 1;
            prop_assert!(steps < 1_000, "never ends");
        }
        let (view, view_index) = build.finish(&live, &index);
        let at_once = filters.apply(&live);
        prop_assert!(view_index == index.within(&at_once));
        prop_assert!(view_index == Networks::build(&at_once, catalogue));
        prop_assert_eq!(view, at_once);
    }

    #[test]
    fn a_filtered_view_following_the_live_one_equals_one_made_again(first in prop::collection::vec(arb_bundle(), 0..6), later in prop::collection::vec(prop::collection::vec(arb_edit(), 1..3), 1..5), group in prop::option::of(0..5usize), kind in prop::option::of(0..5usize)) {
        let catalogue = Catalogue::wsis();
        let mut files: BTreeMap<String, Bundle> = first.into_iter().map(|b| (b.author.id.clone(), b)).collect();
        let mut live = crate::live::LiveCommunity::from_sources(files.clone(), catalogue);
        let filters = crate::map_query::ViewFilters {
            group: group.map(|g| StakeholderGroup::ALL[g]),
            kind: kind.map(|k| Kind::ALL[k]),
            ..Default::default()
        };
        let made = |live: &crate::live::LiveCommunity| {
            let view = filters.apply(live.community());
            let index = Networks::build(&view, catalogue);
            (view, index, live.generation())
        };
        let (mut view, mut index, mut of) = made(&live);
        // Several merges between two looks, as polls come while the map is busy.
        for edits in later {
            for edit in edits {
                let next = edited(files.get(AUTHORS[edit.0]), edit);
                files.insert(next.author.id.clone(), next.clone());
                live.upsert(&next.author.id.clone(), next);
            }
            let followed = live.changes_since_at_most(of, usize::MAX).is_some_and(|changes| {
                crate::map_query::follow_live(&filters, live.community(), &changes, &mut view, &mut index)
            });
            if followed {
                let again = filters.apply(live.community());
                prop_assert!(index == Networks::build(&again, catalogue));
                prop_assert_eq!(&view, &again);
                of = live.generation();
            } else {
                (view, index, of) = made(&live);
            }
        }
    }
}
