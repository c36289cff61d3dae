//! Merge of bundles into one community view.
//!
//! The merged state is a join-semilattice: for each (record id, author) it keeps the author's
//! earliest claim and latest version, for each author the newest profile. Joining takes
//! componentwise minima and maxima, so merging is commutative, associative and idempotent and
//! every browser holding the same bundles shows the same map, whatever order they came in.

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

/// One author's hold on one record id.
#[derive(Debug, Clone, PartialEq)]
struct Claim {
    /// (revision, updated_at) of the earliest version seen: who claimed the id first owns it.
    first: (u64, OffsetDateTime),
    latest: Record,
}

/// What a merge step touched, so derived views can update only that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub authors: BTreeSet<String>,
    pub records: BTreeSet<Uuid>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.records.is_empty()
    }
}

/// A record id that two authors both publish: kept under its owner, reported to the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipConflict {
    pub record: Uuid,
    pub owner: String,
    pub claimants: Vec<String>,
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
    claims: BTreeMap<Uuid, BTreeMap<String, Claim>>,
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

    /// Merges one already validated bundle.
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
            let claim = Claim {
                first: (record.revision, record.updated_at),
                latest: record,
            };
            self.join_claim(author_id.clone(), claim, &mut changes);
        }
        changes
    }

    /// Merges another community view into this one (the semilattice join).
    pub fn join(&mut self, other: &Community) -> Changes {
        let mut changes = Changes::default();
        for entry in other.authors.values() {
            self.join_author(entry.clone(), &mut changes);
        }
        for by_author in other.claims.values() {
            for (author, claim) in by_author {
                self.join_claim(author.clone(), claim.clone(), &mut changes);
            }
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

    fn join_claim(&mut self, author: String, claim: Claim, changes: &mut Changes) {
        let id = claim.latest.id;
        let by_author = self.claims.entry(id).or_default();
        match by_author.get_mut(&author) {
            None => {
                by_author.insert(author, claim);
                changes.records.insert(id);
            }
            Some(current) => {
                if claim.first < current.first {
                    current.first = claim.first;
                    changes.records.insert(id);
                }
                if compare_versions(&claim.latest, &current.latest) == Ordering::Greater {
                    current.latest = claim.latest;
                    changes.records.insert(id);
                }
            }
        }
    }

    fn owner_claim(by_author: &BTreeMap<String, Claim>) -> Option<(&String, &Claim)> {
        by_author
            .iter()
            .min_by(|a, b| (a.1.first, a.0).cmp(&(b.1.first, b.0)))
    }

    /// The current version of a record, `None` when unknown or deleted.
    pub fn record(&self, id: &Uuid) -> Option<&Record> {
        let (_, claim) = Self::owner_claim(self.claims.get(id)?)?;
        (!claim.latest.deleted).then_some(&claim.latest)
    }

    /// Every visible record, by id.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.claims.keys().filter_map(|id| self.record(id))
    }

    /// Whether an author other than `author` publishes a record with this id.
    pub fn claimed_by_another(&self, id: &Uuid, author: &str) -> bool {
        self.claims
            .get(id)
            .is_some_and(|by| by.keys().any(|a| a != author))
    }

    pub fn author(&self, id: &str) -> Option<&AuthorProfile> {
        self.authors.get(id).map(|entry| &entry.profile)
    }

    pub fn authors(&self) -> impl Iterator<Item = &AuthorProfile> {
        self.authors.values().map(|entry| &entry.profile)
    }

    /// Records of one author as they stand in the community view.
    pub fn records_of<'a>(&'a self, author: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records().filter(move |r| r.author == author)
    }

    pub fn ownership_conflicts(&self) -> Vec<OwnershipConflict> {
        self.claims
            .iter()
            .filter(|(_, by_author)| by_author.len() > 1)
            .filter_map(|(id, by_author)| {
                let (owner, _) = Self::owner_claim(by_author)?;
                let claimants = by_author.keys().filter(|a| *a != owner).cloned().collect();
                Some(OwnershipConflict {
                    record: *id,
                    owner: owner.clone(),
                    claimants,
                })
            })
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
        assert_eq!(c.record(&Uuid::from_u128(1)).unwrap().title, "new");
        assert!(c.record(&Uuid::from_u128(2)).is_none());
        assert_eq!(c.records().count(), 1);
    }

    #[test]
    fn a_record_claimed_by_two_authors_stays_with_the_first_and_is_reported() {
        let c = merged(&[
            bundle("bob", 1, vec![record(1, "bob", 3, 9, false, "bob's copy")]),
            bundle(
                "alice",
                1,
                vec![record(1, "alice", 1, 0, false, "alice's original")],
            ),
        ]);
        assert_eq!(
            c.record(&Uuid::from_u128(1)).unwrap().title,
            "alice's original"
        );
        assert_eq!(
            c.ownership_conflicts(),
            vec![OwnershipConflict {
                record: Uuid::from_u128(1),
                owner: "alice".into(),
                claimants: vec!["bob".into()]
            }]
        );
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
