//! Joining a bundle or another view into a community: the newest profile per author and the
//! latest version per record key, ties broken by the canonical text; what changed noted for
//! the readers that update what they derived, or not at all for a view built at once.

use std::cmp::Ordering;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{AuthorEntry, Changes, Community, RecordKey};
use crate::bundle::Bundle;
use crate::record::{AuthorProfile, Record};

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

    pub(super) fn note_holder(&mut self, id: Uuid, author: &str) {
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
}
