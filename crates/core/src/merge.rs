//! Merge of bundles into one community view.
//!
//! A record belongs to the author whose bundle holds it: its identity is (author, record id).
//! Another author's bundle can neither replace, hide nor take over a record, whatever dates and
//! revisions it writes, because it can only ever touch its own author's keys. For each key the
//! view keeps the latest version (tombstones included), for each author the newest profile.
//! Joining takes componentwise maxima, so merging is commutative, associative and idempotent
//! and every browser holding the same bundles shows the same map, whatever order they came in.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::bundle::{parse_bundle, Bundle, BundleError};
use crate::record::{AuthorProfile, Record};

#[derive(Debug, Clone, PartialEq)]
struct AuthorEntry {
    generated_at: OffsetDateTime,
    profile: AuthorProfile,
}

/// Who a record belongs to and which of their records it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    pub author: String,
    pub id: Uuid,
}

impl RecordKey {
    pub fn of(record: &Record) -> RecordKey {
        RecordKey {
            author: record.author.clone(),
            id: record.id,
        }
    }
}

/// What a merge step touched, so derived views can update only that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub authors: BTreeSet<String>,
    pub records: BTreeSet<RecordKey>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.records.is_empty()
    }
}

/// A record id that several authors publish. Honest ids are random, so this is a copy or a
/// forgery: each author's record stays under that author, and the facilitator is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdCollision {
    pub record: Uuid,
    pub authors: Vec<String>,
}

/// A bundle that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub source: String,
    pub error: BundleError,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MergeReport {
    pub rejected: Vec<Rejected>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Community {
    authors: BTreeMap<String, AuthorEntry>,
    /// The latest version of every record, tombstones included.
    records: BTreeMap<RecordKey, Record>,
}

/// Ties on the ordering key are broken by the canonical JSON text, so that two different
/// documents with equal keys still have one deterministic winner.
fn canonical(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn compare_versions(a: &Record, b: &Record) -> Ordering {
    a.version_key()
        .cmp(&b.version_key())
        .then_with(|| canonical(a).cmp(&canonical(b)))
}

fn compare_profiles(a: &AuthorEntry, b: &AuthorEntry) -> Ordering {
    a.generated_at
        .cmp(&b.generated_at)
        .then_with(|| canonical(&a.profile).cmp(&canonical(&b.profile)))
}

impl Community {
    pub fn new() -> Community {
        Community::default()
    }

    /// Parses every source; good bundles merge, bad ones are reported and skipped.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> (Community, MergeReport) {
        let mut community = Community::new();
        let mut report = MergeReport::default();
        for (source, bytes) in sources {
            if let Err(error) = community.add_source(bytes) {
                report.rejected.push(Rejected {
                    source: source.to_owned(),
                    error,
                });
            }
        }
        (community, report)
    }

    pub fn add_source(&mut self, bytes: &[u8]) -> Result<Changes, BundleError> {
        Ok(self.add_bundle(parse_bundle(bytes)?))
    }

    /// Merges one already validated bundle. A record naming another author is not this
    /// bundle's to give (validation refuses it; this holds even for a bundle never validated).
    pub fn add_bundle(&mut self, bundle: Bundle) -> Changes {
        let mut changes = Changes::default();
        let author_id = bundle.author.id.clone();
        self.join_author(
            AuthorEntry {
                generated_at: bundle.generated_at,
                profile: bundle.author,
            },
            &mut changes,
        );
        for record in bundle.records {
            if record.author == author_id {
                self.join_record(record, &mut changes);
            }
        }
        changes
    }

    /// Merges another community view into this one (the semilattice join).
    pub fn join(&mut self, other: &Community) -> Changes {
        let mut changes = Changes::default();
        for entry in other.authors.values() {
            self.join_author(entry.clone(), &mut changes);
        }
        for record in other.records.values() {
            self.join_record(record.clone(), &mut changes);
        }
        changes
    }

    fn join_author(&mut self, entry: AuthorEntry, changes: &mut Changes) {
        let id = entry.profile.id.clone();
        match self.authors.get_mut(&id) {
            Some(current) if compare_profiles(&entry, current) != Ordering::Greater => {}
            Some(current) => {
                *current = entry;
                changes.authors.insert(id);
            }
            None => {
                self.authors.insert(id.clone(), entry);
                changes.authors.insert(id);
            }
        }
    }

    fn join_record(&mut self, record: Record, changes: &mut Changes) {
        let key = RecordKey::of(&record);
        match self.records.get_mut(&key) {
            Some(current) if compare_versions(&record, current) != Ordering::Greater => {}
            Some(current) => {
                *current = record;
                changes.records.insert(key);
            }
            None => {
                self.records.insert(key.clone(), record);
                changes.records.insert(key);
            }
        }
    }

    /// The current version of a record, `None` when unknown or deleted.
    pub fn record(&self, key: &RecordKey) -> Option<&Record> {
        self.records.get(key).filter(|r| !r.deleted)
    }

    /// Every visible record, by author then id.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.values().filter(|r| !r.deleted)
    }

    pub fn author(&self, id: &str) -> Option<&AuthorProfile> {
        self.authors.get(id).map(|entry| &entry.profile)
    }

    pub fn authors(&self) -> impl Iterator<Item = &AuthorProfile> {
        self.authors.values().map(|entry| &entry.profile)
    }

    /// Records of one author as they stand in the community view.
    pub fn records_of<'a>(&'a self, author: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        let from = RecordKey {
            author: author.to_owned(),
            id: Uuid::nil(),
        };
        self.records
            .range(from..)
            .take_while(move |(key, _)| key.author == author)
            .map(|(_, record)| record)
            .filter(|r| !r.deleted)
    }

    /// Record ids that more than one author publishes (tombstones count: a tombstone for
    /// another author's id is an attempt to hide it).
    pub fn id_collisions(&self) -> Vec<IdCollision> {
        let mut by_id: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
        for key in self.records.keys() {
            by_id.entry(key.id).or_default().push(key.author.clone());
        }
        by_id
            .into_iter()
            .filter(|(_, authors)| authors.len() > 1)
            .map(|(record, authors)| IdCollision { record, authors })
            .collect()
    }

    /// The part of the view that passes the filters (the map's stakeholder group, region and
    /// resource-kind filters): authors failing `keep_author` disappear with their records.
    pub fn filtered(
        &self,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&Record) -> bool,
    ) -> Community {
        let mut view = Community::new();
        for mut bundle in self
            .bundles()
            .into_iter()
            .filter(|b| keep_author(&b.author))
        {
            bundle.records.retain(|r| keep_record(r));
            view.add_bundle(bundle);
        }
        view
    }

    /// The whole merged view as one bundle-shaped document per author, e.g. for export.
    pub fn bundles(&self) -> Vec<Bundle> {
        // One pass over the records: asking `records_of` per author is authors × records.
        let mut by_author: BTreeMap<&str, Vec<Record>> = BTreeMap::new();
        for record in self.records() {
            by_author
                .entry(&record.author)
                .or_default()
                .push(record.clone());
        }
        self.authors
            .values()
            .map(|entry| {
                let records = by_author
                    .remove(entry.profile.id.as_str())
                    .unwrap_or_default();
                Bundle::new(entry.profile.clone(), records, entry.generated_at)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn profile(id: &str) -> AuthorProfile {
        test_support::profile(id, StakeholderGroup::CivilSociety, Region::Europe)
    }

    fn record(
        id: u128,
        author: &str,
        revision: u64,
        minute: u8,
        deleted: bool,
        title: &str,
    ) -> Record {
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
}
