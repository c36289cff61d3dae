use super::*;
use crate::bundle::Bundle;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::test_support;
use proptest::prelude::*;
use time::macros::datetime;

fn profile(id: &str) -> AuthorProfile {
    test_support::profile(id, StakeholderGroup::CivilSociety, Region::Europe)
}

fn record(id: u128, author: &str, revision: u64, minute: u8, deleted: bool, title: &str) -> Record {
    Record {
        title: title.into(),
        revision,
        updated_at: datetime!(2005-01-01 10:00 UTC) + time::Duration::minutes(minute.into()),
        deleted,
        ..test_support::record(id, author, Kind::Project, &["C4"])
    }
}

fn bundle(author: &str, minute: u8, records: Vec<Record>) -> Bundle {
    Bundle::new(
        profile(author),
        records,
        datetime!(2005-01-01 10:00 UTC) + time::Duration::minutes(minute.into()),
    )
}

fn key(author: &str, id: u128) -> RecordKey {
    RecordKey {
        author: author.into(),
        id: Uuid::from_u128(id),
    }
}

fn merged(bundles: &[Bundle]) -> Community {
    let mut community = Community::new();
    for b in bundles {
        community.add_bundle(b.clone());
    }
    community
}

#[test]
fn highest_revision_wins_and_tombstones_hide() {
    let c = merged(&[
        bundle(
            "alice",
            1,
            vec![
                record(1, "alice", 1, 0, false, "old"),
                record(2, "alice", 1, 0, false, "kept"),
            ],
        ),
        bundle(
            "alice",
            2,
            vec![
                record(1, "alice", 2, 5, false, "new"),
                record(2, "alice", 2, 5, true, ""),
            ],
        ),
    ]);
    assert_eq!(c.record(&key("alice", 1)).unwrap().title, "new");
    assert!(c.record(&key("alice", 2)).is_none());
    assert_eq!(c.records().count(), 1);
}

#[test]
fn a_forged_claim_or_tombstone_leaves_the_other_authors_record_alone() {
    let bobs = bundle(
        "bob",
        5,
        vec![record(1, "bob", 3, 9, false, "bob's record")],
    );
    let forged = bundle(
        "mallory",
        0,
        vec![record(1, "mallory", 1, 0, false, "mallory's copy")],
    );
    let tombstone = bundle("mallory", 1, vec![record(1, "mallory", 9, 0, true, "")]);
    let c = merged(&[forged, bobs.clone(), tombstone]);
    assert_eq!(c.record(&key("bob", 1)).unwrap().title, "bob's record");
    assert_eq!(c.records_of("bob").count(), 1);
    assert_eq!(c.records_of("mallory").count(), 0);
    assert_eq!(
        c.id_collisions(),
        vec![IdCollision {
            record: Uuid::from_u128(1),
            authors: vec!["bob".into(), "mallory".into()]
        }]
    );
}

#[test]
fn a_record_naming_another_author_is_not_merged_from_an_unvalidated_bundle() {
    let c = merged(&[bundle(
        "mallory",
        0,
        vec![record(1, "bob", 1, 0, false, "forged")],
    )]);
    assert_eq!(c.records().count(), 0);
}

#[test]
fn a_bad_source_is_reported_and_the_others_merge() {
    let good = bundle("alice", 1, vec![record(1, "alice", 1, 0, false, "fine")]).to_json();
    let (c, report) = Community::from_sources([
        ("alice.json", good.as_bytes()),
        ("broken.json", b"{ not json".as_slice()),
    ]);
    assert_eq!(c.records().count(), 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].source, "broken.json");
    assert_eq!(report.rejected[0].error.code(), "not_json");
}

#[test]
fn filtering_keeps_matching_authors_and_records() {
    let mut bob = bundle("bob", 1, vec![record(2, "bob", 1, 0, false, "b")]);
    bob.author.stakeholder_group = StakeholderGroup::Government;
    let c = merged(&[
        bundle(
            "alice",
            1,
            vec![
                record(1, "alice", 1, 0, false, "a"),
                record(3, "alice", 1, 0, false, "x"),
            ],
        ),
        bob,
    ]);
    let civil = c.filtered(
        |a| a.stakeholder_group == StakeholderGroup::CivilSociety,
        |r| r.title != "x",
    );
    assert_eq!(
        civil
            .records()
            .map(|r| r.title.as_str())
            .collect::<Vec<_>>(),
        vec!["a"]
    );
    assert!(civil.author("bob").is_none());
}

const AUTHORS: [&str; 3] = ["alice", "bob", "chen"];
const TITLES: [&str; 3] = ["a", "b", "c"];

fn arb_bundle() -> impl Strategy<Value = Bundle> {
    (
        0..AUTHORS.len(),
        0u8..4,
        prop::collection::vec(
            (0u128..6, 1u64..4, 0u8..3, any::<bool>(), 0..TITLES.len()),
            0..6,
        ),
    )
        .prop_map(|(a, minute, recs)| {
            let author = AUTHORS[a];
            let mut seen = BTreeSet::new();
            let records = recs
                .into_iter()
                .filter(|(id, ..)| seen.insert(*id))
                .map(|(id, rev, min, del, t)| record(id, author, rev, min, del, TITLES[t]))
                .collect();
            let mut b = bundle(author, minute, records);
            // Profiles with equal timestamps but different content exercise the tie-break.
            b.author.organisation = TITLES[(minute as usize) % 3].into();
            b
        })
}

/// Mallory's bundle: any ids (the honest authors' among them), any revision and date,
/// tombstones, and records that name another author (never validated).
fn arb_forged() -> impl Strategy<Value = Bundle> {
    prop::collection::vec(
        (
            0u128..6,
            any::<u64>(),
            any::<u8>(),
            any::<bool>(),
            0..=AUTHORS.len(),
        ),
        0..8,
    )
    .prop_map(|recs| {
        let records = recs
            .into_iter()
            .map(|(id, rev, min, del, who)| {
                let author = AUTHORS.get(who).copied().unwrap_or("mallory");
                let mut r = record(id, author, rev, min % 60, del, "forged");
                r.updated_at = datetime!(2000-01-01 0:00 UTC);
                r
            })
            .collect();
        bundle("mallory", 0, records)
    })
}

proptest! {
    #[test]
    fn merge_is_order_independent(bundles in prop::collection::vec(arb_bundle(), 0..8), seed in any::<u64>()) {
        let mut shuffled = bundles.clone();
        // A deterministic shuffle from the seed; proptest shrinks both.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(merged(&bundles), merged(&shuffled));
    }

    #[test]
    fn shared_ids_are_those_a_pass_over_every_record_finds(
        bundles in prop::collection::vec(arb_bundle(), 0..8),
        forged in prop::collection::vec(arb_forged(), 0..3),
    ) {
        let all: Vec<Bundle> = bundles.into_iter().chain(forged).collect();
        let community = merged(&all);
        let mut by_id: BTreeMap<Uuid, BTreeSet<String>> = BTreeMap::new();
        for bundle in &all {
            for r in bundle.records.iter().filter(|r| r.author == bundle.author.id) {
                by_id.entry(r.id).or_default().insert(r.author.clone());
            }
        }
        let expected: Vec<IdCollision> = by_id
            .into_iter()
            .filter(|(_, authors)| authors.len() > 1)
            .map(|(record, authors)| IdCollision { record, authors: authors.into_iter().collect() })
            .collect();
        prop_assert_eq!(community.id_collisions(), expected);
    }

    #[test]
    fn a_filtered_view_is_the_merge_of_what_it_keeps(
        bundles in prop::collection::vec(arb_bundle(), 0..8),
        forged in prop::collection::vec(arb_forged(), 0..3),
        author_bit in 0u8..4,
        record_bit in 0u8..4,
    ) {
        let all: Vec<Bundle> = bundles.into_iter().chain(forged).collect();
        let community = merged(&all);
        let keep_author = |a: &AuthorProfile| a.id.len() % 4 != author_bit as usize;
        let keep_record = |r: &Record| r.revision % 4 != u64::from(record_bit);
        // The reference merges what the filter keeps, bundle by bundle, as the view once was.
        let mut expected = Community::new();
        for author in community.authors().filter(|a| keep_author(a)) {
            let kept: Vec<Record> = community.records_of(&author.id).filter(|r| keep_record(r)).cloned().collect();
            let generated_at = all.iter().filter(|b| b.author.id == author.id).map(|b| b.generated_at).max().unwrap();
            expected.add_bundle(Bundle::new(author.clone(), kept, generated_at));
        }
        prop_assert_eq!(community.filtered(keep_author, keep_record), expected);
    }

    #[test]
    fn join_is_associative_and_commutative(
        a in prop::collection::vec(arb_bundle(), 0..4),
        b in prop::collection::vec(arb_bundle(), 0..4),
        c in prop::collection::vec(arb_bundle(), 0..4),
    ) {
        let (ca, cb, cc) = (merged(&a), merged(&b), merged(&c));
        let mut left = ca.clone();
        left.join(&cb);
        left.join(&cc);
        let mut bc = cb.clone();
        bc.join(&cc);
        let mut right = ca.clone();
        right.join(&bc);
        prop_assert_eq!(&left, &right);
        let mut ab = ca.clone();
        ab.join(&cb);
        let mut ba = cb.clone();
        ba.join(&ca);
        prop_assert_eq!(ab, ba);
    }

    #[test]
    fn no_bundle_however_forged_changes_another_authors_records(
        honest in prop::collection::vec(arb_bundle(), 0..6),
        forged in prop::collection::vec(arb_forged(), 1..4),
        at in any::<prop::sample::Index>(),
    ) {
        let before = merged(&honest);
        let mut all = honest.clone();
        for (i, f) in forged.into_iter().enumerate() {
            let n = all.len();
            all.insert((at.index(n + 1) + i) % (n + 1), f);
        }
        let after = merged(&all);
        for author in AUTHORS {
            prop_assert_eq!(before.author(author), after.author(author));
            prop_assert_eq!(
                before.records_of(author).collect::<Vec<_>>(),
                after.records_of(author).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn merge_is_idempotent(bundles in prop::collection::vec(arb_bundle(), 0..6)) {
        let once = merged(&bundles);
        let mut twice = once.clone();
        for b in &bundles {
            prop_assert!(twice.add_bundle(b.clone()).is_empty());
        }
        prop_assert_eq!(&twice, &once);
        let mut self_joined = once.clone();
        prop_assert!(self_joined.join(&once).is_empty());
        prop_assert_eq!(self_joined, once);
    }
}
