use super::*;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::test_support::{profile, record};
use proptest::prelude::*;
use time::macros::datetime;
use time::Duration;

const AUTHORS: [&str; 3] = ["alice", "bob", "chen"];
const TOPICS: [&str; 4] = ["C1", "C1.a", "C7.e-health", "B.a"];

fn bundle(author: usize, minute: i64, records: &[(u128, u64, usize, bool)]) -> Bundle {
    let name = AUTHORS[author];
    let records = records
        .iter()
        .map(|&(id, revision, topic, deleted)| {
            let mut r = record(id, name, Kind::ALL[(id % 5) as usize], &[TOPICS[topic]]);
            r.revision = revision;
            r.updated_at += Duration::minutes(revision as i64);
            r.deleted = deleted;
            r.title = format!("{name} {id} v{revision}");
            r
        })
        .collect();
    Bundle::new(
        profile(name, StakeholderGroup::ALL[author], Region::ALL[author]),
        records,
        datetime!(2005-01-01 10:00 UTC) + Duration::minutes(minute),
    )
}

fn fresh(live: &LiveCommunity) -> LiveCommunity {
    LiveCommunity::from_sources(
        live.source_bundles().map(|(k, v)| (k.clone(), v)),
        Catalogue::wsis(),
    )
}

#[test]
fn a_newer_file_of_the_same_author_merges_in_place() {
    let mut live = LiveCommunity::new(Catalogue::wsis());
    live.upsert("alice.json", bundle(0, 0, &[(1, 1, 0, false)]));
    let update = live.upsert(
        "alice.json",
        bundle(0, 1, &[(1, 2, 1, false), (2, 1, 2, false)]),
    );
    let Update::Merged(changes) = update else {
        panic!("expected an in-place merge, got {update:?}");
    };
    assert_eq!(changes.records.len(), 2);
    assert_eq!(live.networks().topic("C1").unwrap().resources, 1);
    assert_eq!(live.networks().topic("C7").unwrap().resources, 1);
}

#[test]
fn a_record_dropped_from_a_file_disappears() {
    let mut live = LiveCommunity::new(Catalogue::wsis());
    live.upsert(
        "alice.json",
        bundle(0, 0, &[(1, 1, 0, false), (2, 1, 2, false)]),
    );
    assert_eq!(
        live.upsert("alice.json", bundle(0, 1, &[(1, 1, 0, false)])),
        Update::Rebuilt
    );
    assert_eq!(live.community().records().count(), 1);
    assert!(live.networks().topic("C7").is_none_or(|t| t.resources == 0));
}

#[test]
fn a_removed_file_takes_its_author_away() {
    let mut live = LiveCommunity::new(Catalogue::wsis());
    live.upsert("alice.json", bundle(0, 0, &[(1, 1, 0, false)]));
    live.upsert("bob.json", bundle(1, 0, &[(2, 1, 0, false)]));
    live.remove("alice.json");
    assert_eq!(live.community().authors().count(), 1);
    assert_eq!(live.networks().topic("C1").unwrap().actors.len(), 1);
}

#[derive(Debug, Clone)]
enum Op {
    Put(usize, usize, i64, Vec<(u128, u64, usize, bool)>),
    Remove(usize),
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (
            0..3usize,
            0..3usize,
            0i64..3,
            prop::collection::vec((0u128..6, 1u64..4, 0..TOPICS.len(), prop::bool::weighted(0.2)), 0..4)
        )
            .prop_map(|(file, author, minute, mut records)| {
                records.sort_by_key(|r| r.0);
                records.dedup_by_key(|r| r.0);
                Op::Put(file, author, minute, records)
            }),
        1 => (0..3usize).prop_map(Op::Remove),
    ]
}

/// One step of a live view: files are named freely, so one author may appear under two names.
fn apply(live: &mut LiveCommunity, op: Op) {
    match op {
        Op::Put(file, author, minute, records) => {
            live.upsert(&format!("f{file}.json"), bundle(author, minute, &records));
        }
        Op::Remove(file) => {
            live.remove(&format!("f{file}.json"));
        }
    }
}

/// Adds the puts among `ops` to `load`, and to `files` as a fresh merge would take them.
fn add_puts(load: &mut LiveLoad, files: &mut BTreeMap<String, Bundle>, ops: Vec<Op>) {
    for op in ops {
        if let Op::Put(file, author, minute, records) = op {
            let name = format!("f{file}.json");
            load.add(name.clone(), bundle(author, minute, &records));
            files.insert(name, bundle(author, minute, &records));
        }
    }
}

/// `load` indexed `part` records at a time, and a fresh merge of `files`: the same view?
fn loaded_and_fresh(
    load: LiveLoad,
    files: BTreeMap<String, Bundle>,
    part: usize,
) -> Result<LiveCommunity, TestCaseError> {
    let mut indexing = load.indexing();
    while !indexing.step(part) {}
    let loaded = indexing.finish();
    let expected = LiveCommunity::from_sources(files, Catalogue::wsis());
    prop_assert_eq!(loaded.community(), expected.community());
    prop_assert_eq!(loaded.networks(), expected.networks());
    prop_assert!(loaded.source_names().eq(expected.source_names()));
    Ok(loaded)
}

proptest! {
    #[test]
    fn a_view_loaded_at_once_equals_a_fresh_merge_of_its_files(
        ops in prop::collection::vec(arb_op(), 0..12),
        part in 1usize..8,
    ) {
        let mut load = LiveLoad::new(Catalogue::wsis());
        let mut files = BTreeMap::new();
        add_puts(&mut load, &mut files, ops);
        let loaded = loaded_and_fresh(load, files, part)?;
        prop_assert_eq!(loaded.changed_since(0), None);
    }

    #[test]
    fn a_load_going_on_from_a_live_view_equals_a_fresh_merge_of_every_file(
        before in prop::collection::vec(arb_op(), 0..8),
        after in prop::collection::vec(arb_op(), 0..8),
        part in 1usize..8,
    ) {
        let mut live = LiveCommunity::new(Catalogue::wsis());
        for op in before {
            apply(&mut live, op);
        }
        let shown = fresh(&live);
        let mut files: BTreeMap<String, Bundle> =
            live.source_bundles().map(|(k, v)| (k.clone(), v)).collect();
        let mut load = LiveLoad::going_on_from(&live);
        add_puts(&mut load, &mut files, after);
        // The view shown meanwhile is left as it was.
        prop_assert_eq!(live.community(), shown.community());
        loaded_and_fresh(load, files, part)?;
    }

    #[test]
    fn the_live_view_always_equals_a_fresh_merge_of_the_current_files(ops in prop::collection::vec(arb_op(), 1..12)) {
        let mut live = LiveCommunity::new(Catalogue::wsis());
        for op in ops {
            apply(&mut live, op);
            let expected = fresh(&live);
            prop_assert_eq!(live.community(), expected.community());
            prop_assert_eq!(live.networks(), expected.networks());
        }
    }
}
