//! Merge of bundles into one community view.
//!
//! A record belongs to the author whose bundle holds it: its identity is (author, record id).
//! Another author's bundle can neither replace, hide nor take over a record, whatever dates and
//! revisions it writes, because it can only ever touch its own author's keys. For each key the
//! view keeps the latest version (tombstones included), for each author the newest profile.
//! Joining takes componentwise maxima, so merging is commutative, associative and idempotent
//! and every browser holding the same bundles shows the same map, whatever order they came in.

use std::cmp::Ordering;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use rustc_hash::FxHashMap;
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

/// Where a merge step notes what it changed: [`Changes`], or nothing (`()`).
trait Noted {
    fn author(&mut self, id: &str);
    fn record(&mut self, key: &RecordKey);
}

impl Noted for Changes {
    fn author(&mut self, id: &str) {
        self.authors.insert(id.to_owned());
    }

    fn record(&mut self, key: &RecordKey) {
        self.records.insert(key.clone());
    }
}

impl Noted for () {
    fn author(&mut self, _: &str) {}

    fn record(&mut self, _: &RecordKey) {}
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
        let author: Arc<str> = bundle.author.id.as_str().into();
        self.join_author(
            AuthorEntry {
                generated_at: bundle.generated_at,
                profile: bundle.author,
            },
            &mut changes,
        );
        for record in bundle.records {
            if *record.author == *author {
                let key = RecordKey::by(&author, record.id);
                self.join_record(key, Arc::new(record), &mut changes);
            }
        }
        changes
    }

    /// [`Community::add_bundle`] for records already shared elsewhere (a live view's files):
    /// they are not copied.
    pub fn add_shared(
        &mut self,
        author: &AuthorProfile,
        generated_at: OffsetDateTime,
        records: &[Arc<Record>],
    ) -> Changes {
        let mut changes = Changes::default();
        self.join_shared(author, generated_at, records, &mut changes);
        changes
    }

    /// [`Community::add_shared`] without noting what changed, for a view built from many files
    /// at once and indexed afterwards (noting 200,000 keys only to drop them was a fifth of
    /// merging the kept copies).
    pub fn add_shared_untracked(
        &mut self,
        author: &AuthorProfile,
        generated_at: OffsetDateTime,
        records: &[Arc<Record>],
    ) {
        self.join_shared(author, generated_at, records, &mut ());
    }

    fn join_shared(
        &mut self,
        author: &AuthorProfile,
        generated_at: OffsetDateTime,
        records: &[Arc<Record>],
        changes: &mut impl Noted,
    ) {
        self.join_author(
            AuthorEntry {
                generated_at,
                profile: author.clone(),
            },
            changes,
        );
        let name: Arc<str> = author.id.as_str().into();
        for record in records {
            if record.author == author.id {
                let key = RecordKey::by(&name, record.id);
                self.join_record(key, Arc::clone(record), changes);
            }
        }
    }

    /// Merges another community view into this one (the semilattice join).
    pub fn join(&mut self, other: &Community) -> Changes {
        let mut changes = Changes::default();
        for entry in other.authors.values() {
            self.join_author(entry.clone(), &mut changes);
        }
        for (key, record) in &other.records {
            self.join_record(key.clone(), Arc::clone(record), &mut changes);
        }
        changes
    }

    fn join_author(&mut self, entry: AuthorEntry, changes: &mut impl Noted) {
        match self.authors.get_mut(&entry.profile.id) {
            Some(current) if compare_profiles(&entry, current) != Ordering::Greater => {}
            Some(current) => {
                changes.author(&entry.profile.id);
                *current = entry;
            }
            None => {
                changes.author(&entry.profile.id);
                self.authors.insert(entry.profile.id.clone(), entry);
            }
        }
    }

    /// One search of the records per record joined (a lookup, then an insert, was twice the
    /// work at 200,000 records).
    fn join_record(&mut self, key: RecordKey, record: Arc<Record>, changes: &mut impl Noted) {
        match self.records.entry(key) {
            Entry::Occupied(current)
                if compare_versions(&record, current.get()) != Ordering::Greater => {}
            Entry::Occupied(mut current) => {
                changes.record(current.key());
                current.insert(record);
            }
            Entry::Vacant(slot) => {
                changes.record(slot.key());
                let id = slot.key().id;
                let author = Arc::clone(&slot.key().author);
                slot.insert(record);
                self.note_holder(id, &author);
            }
        }
    }

    fn note_holder(&mut self, id: Uuid, author: &str) {
        let holders = self.holders.entry(id).or_insert(0);
        *holders += 1;
        if *holders < 2 {
            return;
        }
        let records = &self.records;
        // The first holder is looked for once, when a second appears: shared ids are rare.
        let authors = self.shared.entry(id).or_insert_with(|| {
            records
                .keys()
                .filter(|k| k.id == id)
                .map(|k| k.author.to_string())
                .collect()
        });
        if let Err(at) = authors.binary_search_by(|a| a.as_str().cmp(author)) {
            authors.insert(at, author.to_owned());
        }
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

    /// The part of the view that passes the filters (the map's stakeholder group, region and
    /// resource-kind filters): authors failing `keep_author` disappear with their records.
    pub fn filtered(
        &self,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&Record) -> bool,
    ) -> Community {
        self.filtered_with_author(keep_author, |_, r| keep_record(r))
    }

    /// [`Community::filtered`] for record rules that need the author: a partnership's
    /// readiness counts its author's stakeholder group.
    pub fn filtered_with_author(
        &self,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&AuthorProfile, &Record) -> bool,
    ) -> Community {
        // Records are shared with the whole view, not copied; the view is built in one pass
        // (keys come in order), not merged record by record as bundles are.
        let mut view = Community::new();
        let mut kept: Vec<(RecordKey, Arc<Record>)> = Vec::new();
        for entry in self.authors.values().filter(|e| keep_author(&e.profile)) {
            view.authors.insert(entry.profile.id.clone(), entry.clone());
            let held = self
                .held_by(&entry.profile.id)
                .filter(|(_, r)| keep_record(&entry.profile, r));
            kept.extend(held.map(|(key, record)| (key.clone(), Arc::clone(record))));
        }
        view.records = kept.into_iter().collect();
        for key in view.records.keys() {
            *view.holders.entry(key.id).or_insert(0) += 1;
        }
        for key in view.records.keys() {
            if view.holders[&key.id] > 1 {
                view.shared
                    .entry(key.id)
                    .or_default()
                    .push(key.author.to_string());
            }
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
mod tests;
