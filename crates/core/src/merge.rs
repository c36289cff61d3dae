//! Merge of bundles into one community view.
//!
//! A record belongs to the author whose bundle holds it: its identity is (author, record id).
//! Another author's bundle can neither replace, hide nor take over a record, whatever dates and
//! revisions it writes, because it can only ever touch its own author's keys. For each key the
//! view keeps the latest version (tombstones included), for each author the newest profile.
//! Joining takes componentwise maxima, so merging is commutative, associative and idempotent
//! and every browser holding the same bundles shows the same map, whatever order they came in.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::bundle::{parse_bundle, BundleError};
use crate::record::{AuthorProfile, Record};

#[derive(Debug, Clone, PartialEq)]
struct AuthorEntry {
    generated_at: OffsetDateTime,
    profile: AuthorProfile,
}

/// Who a record belongs to and which of their records it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    /// Shared by the keys of one author's records (a map of 200,000 records held a copy of the
    /// name per key, per change noted and per index entry: most of a merge's allocations).
    pub author: Arc<str>,
    pub id: Uuid,
}

impl RecordKey {
    pub fn of(record: &Record) -> RecordKey {
        RecordKey {
            author: record.author.as_str().into(),
            id: record.id,
        }
    }

    /// The key of `author`'s record `id`, sharing the name.
    fn by(author: &Arc<str>, id: Uuid) -> RecordKey {
        RecordKey {
            author: Arc::clone(author),
            id,
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
    /// The latest version of every record, tombstones included; shared (not copied) with the
    /// files they came from and with filtered views.
    records: BTreeMap<RecordKey, Arc<Record>>,
    /// How many authors hold each record id, and the authors of the ids held by several, in
    /// order: kept as records arrive, so the map's list of shared ids is not a pass over all.
    holders: FxHashMap<Uuid, u32>,
    shared: BTreeMap<Uuid, Vec<String>>,
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

    /// The current version of a record, `None` when unknown or deleted.
    pub fn record(&self, key: &RecordKey) -> Option<&Record> {
        self.records.get(key).filter(|r| !r.deleted).map(|r| &**r)
    }

    /// Every visible record, by author then id.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.values().filter(|r| !r.deleted).map(|r| &**r)
    }

    /// The visible records with their keys, in key order.
    pub fn keyed_records(&self) -> impl Iterator<Item = (&RecordKey, &Record)> {
        self.keyed_records_after(Bound::Unbounded)
    }

    /// [`Community::keyed_records`] from `start` on: a walk resumed where it stopped.
    pub fn keyed_records_after(
        &self,
        start: Bound<&RecordKey>,
    ) -> impl Iterator<Item = (&RecordKey, &Record)> {
        self.records
            .range::<RecordKey, _>((start, Bound::Unbounded))
            .filter(|(_, r)| !r.deleted)
            .map(|(key, r)| (key, &**r))
    }

    pub fn author(&self, id: &str) -> Option<&AuthorProfile> {
        self.authors.get(id).map(|entry| &entry.profile)
    }

    pub fn authors(&self) -> impl Iterator<Item = &AuthorProfile> {
        self.authors.values().map(|entry| &entry.profile)
    }

    /// Records of one author as they stand in the community view.
    pub fn records_of<'a>(&'a self, author: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.held_by(author).map(|(_, record)| &**record)
    }

    /// An author's visible records as held, with their keys, to share rather than copy.
    fn held_by<'a>(
        &'a self,
        author: &'a str,
    ) -> impl Iterator<Item = (&'a RecordKey, &'a Arc<Record>)> + 'a {
        let from = RecordKey {
            author: author.into(),
            id: Uuid::nil(),
        };
        self.records
            .range(from..)
            .take_while(move |(key, _)| *key.author == *author)
            .filter(|(_, r)| !r.deleted)
    }

    /// Record ids that more than one author publishes (tombstones count: a tombstone for
    /// another author's id is an attempt to hide it).
    pub fn id_collisions(&self) -> Vec<IdCollision> {
        self.shared
            .iter()
            .map(|(record, authors)| IdCollision {
                record: *record,
                authors: authors.clone(),
            })
            .collect()
    }
}

mod filtering;
pub use filtering::FilterInSteps;
mod joining;
mod views;

#[cfg(test)]
mod tests;
