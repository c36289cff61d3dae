use super::*;
use crate::bundle::Bundle;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::test_support::{profile, record};
use time::macros::datetime;

fn community(records: &[(u128, &[&str])]) -> Community {
    let mut community = Community::new();
    community.add_bundle(Bundle::new(
        profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
        records
            .iter()
            .map(|(n, topics)| record(*n, "amina", Kind::Project, topics))
            .collect(),
        datetime!(2026-11-25 10:00 UTC),
    ));
    community
}

#[test]
fn the_first_look_is_not_news_and_later_arrivals_fade() {
    let mut arrivals = Arrivals::default();
    arrivals.observe(&community(&[(1, &["C4"])]), 1_000);
    assert!(arrivals.fresh(1_000, 60_000).is_empty());
    let later = community(&[(1, &["C4"]), (2, &["C7.e-health.a", "C7.e-health.b"])]);
    arrivals.observe(&later, 5_000);
    let fresh = arrivals.fresh(6_000, 60_000);
    assert_eq!(fresh.len(), 1);
    let counts = fresh_per_topic(&later, Catalogue::wsis(), &fresh);
    // One record counts once for each topic above it, however many of its topics share it.
    assert_eq!(counts.get("C7"), Some(&1));
    assert_eq!(counts.get("C7.e-health"), Some(&1));
    assert_eq!(counts.get("C7.e-health.a"), Some(&1));
    assert_eq!(counts.get("C4"), None);
    assert!(arrivals.fresh(65_000, 60_000).is_empty(), "faded");
    // Seeing it again does not make it new again.
    arrivals.observe(&later, 70_000);
    assert!(arrivals.fresh(71_000, 60_000).is_empty());
}

#[test]
fn the_latest_come_first() {
    let mut arrivals = Arrivals::default();
    arrivals.observe(&community(&[(1, &["C4"])]), 1_000);
    let later = community(&[(1, &["C4"]), (2, &["C9"])]);
    arrivals.observe(&later, 5_000);
    let latest = arrivals.latest(&later, 5);
    assert_eq!(latest.len(), 2);
    assert_eq!(latest[0].topics, vec!["C9".to_owned()]);
    assert_eq!(arrivals.latest(&later, 1).len(), 1);
}

#[test]
fn the_latest_are_those_a_full_sort_would_give() {
    let mut arrivals = Arrivals::default();
    let first: Vec<(u128, &[&str])> = (1..=20).map(|n| (n, &["C4"][..])).collect();
    arrivals.observe(&community(&first), 1_000);
    let more: Vec<(u128, &[&str])> = (1..=40).map(|n| (n, &["C9"][..])).collect();
    let later = community(&more);
    arrivals.observe(&later, 5_000);
    for n in [0, 1, 5, 25, 40, 100] {
        assert_eq!(
            arrivals.latest(&later, n),
            full_sort(&arrivals, &later, n),
            "n = {n}"
        );
    }
}

fn full_sort<'a>(arrivals: &Arrivals, community: &'a Community, n: usize) -> Vec<&'a Record> {
    let mut all: Vec<&Record> = community.records().collect();
    all.sort_by(|a, b| {
        arrivals
            .seen_at(b)
            .cmp(&arrivals.seen_at(a))
            .then(b.updated_at.cmp(&a.updated_at))
            .then(RecordKey::of(a).cmp(&RecordKey::of(b)))
    });
    all.truncate(n);
    all
}

proptest::proptest! {
    /// Looking at the changed records only notes what looking at everything would, and the
    /// feed's short way gives what a full sort would.
    #[test]
    fn looking_at_the_changes_sees_what_looking_at_everything_sees(
        steps in proptest::collection::vec(
            (0..3usize, proptest::collection::vec((0u128..8, 0u32..3, proptest::bool::weighted(0.2)), 0..5), proptest::bool::weighted(0.15)),
            1..12,
        )
    ) {
        let authors = ["amina", "bruno", "chen"];
        let mut live = LiveCommunity::new(Catalogue::wsis());
        let (mut incremental, mut whole) = (Arrivals::default(), Arrivals::default());
        let (mut previous, mut looked): (Vec<RecordKey>, Option<u64>) = (Vec::new(), None);
        for (minute, (author, records, remove)) in steps.into_iter().enumerate() {
            let name = authors[author];
            let source = format!("{name}.json");
            if remove {
                live.remove(&source);
            } else {
                let records = records.iter().map(|&(id, revision, deleted)| {
                    let mut r = record(id, name, Kind::Project, &["C4"]);
                    r.revision = u64::from(revision) + 1;
                    r.updated_at += time::Duration::minutes(i64::from(revision));
                    r.deleted = deleted;
                    r
                }).collect();
                let at = datetime!(2026-11-25 10:00 UTC) + time::Duration::minutes(minute as i64);
                live.upsert(&source, Bundle::new(profile(name, StakeholderGroup::CivilSociety, Region::Africa), records, at));
            }
            let now = 1_000 * (minute as u64 + 1);
            incremental.observe_live(&live, now);
            whole.observe(live.community(), now);
            proptest::prop_assert_eq!(&incremental.first_seen, &whole.first_seen);
            proptest::prop_assert_eq!(&incremental.arrived, &whole.arrived);
            for n in [1, 3, 5] {
                proptest::prop_assert_eq!(incremental.latest(live.community(), n), full_sort(&whole, live.community(), n));
            }
            // The feed as a screen keeps it: from its last answer and what changed since.
            let changed = looked.and_then(|generation| live.changed_since(generation));
            let since = incremental.latest_since(live.community(), 3, &previous, changed.as_ref());
            proptest::prop_assert_eq!(&since, &full_sort(&whole, live.community(), 3));
            previous = since.into_iter().map(RecordKey::of).collect();
            looked = Some(live.generation());
        }
    }
}

#[test]
fn a_record_the_first_look_found_is_not_news_when_revised_but_the_same_id_from_someone_else_is() {
    let bundle = |name: &str, revision: u64| {
        let mut r = record(1, name, Kind::Project, &["C4"]);
        r.revision = revision;
        Bundle::new(
            profile(name, StakeholderGroup::CivilSociety, Region::Africa),
            vec![r],
            datetime!(2026-11-25 10:00 UTC),
        )
    };
    let mut community = Community::new();
    community.add_bundle(bundle("bruno", 1));
    community.add_bundle(bundle("amina", 1));
    let mut arrivals = Arrivals::default();
    arrivals.observe(&community, 1_000);
    community.add_bundle(bundle("amina", 2));
    arrivals.observe(&community, 2_000);
    assert!(
        arrivals.fresh(2_000, 60_000).is_empty(),
        "a revision is not news"
    );
    community.add_bundle(bundle("chen", 1));
    arrivals.observe(&community, 3_000);
    let fresh: Vec<String> = arrivals
        .fresh(3_000, 60_000)
        .into_iter()
        .map(|key| key.author.to_string())
        .collect();
    assert_eq!(fresh, ["chen"]);
}
