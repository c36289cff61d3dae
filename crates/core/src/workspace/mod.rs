//! One participant's own records on one device: the drafts, what was last published, and the
//! rules for editing, deleting, backing up and importing them.
//!
//! The app keeps a `Workspace` in memory and writes each changed record to IndexedDB; nothing
//! here knows about storage or clocks (`now` is always passed in).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, EventDetails, Kind, PartnershipDetails, Record};
use crate::validate::{validate_record, FieldError};

pub mod groups;
mod import;
mod published;
#[cfg(test)]
mod tests;

pub use import::ImportPlan;

/// A record as the device holds it: the current draft and the revision last published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub record: Record,
    #[serde(default)]
    pub published_revision: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishState {
    /// Never published.
    Draft,
    Published,
    /// Published, then changed here.
    Changed,
}

impl LocalRecord {
    pub fn state(&self) -> PublishState {
        match self.published_revision {
            None => PublishState::Draft,
            Some(p) if p >= self.record.revision => PublishState::Published,
            Some(_) => PublishState::Changed,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workspace {
    pub profile: Option<AuthorProfile>,
    pub records: BTreeMap<Uuid, LocalRecord>,
}

impl Workspace {
    /// A fresh record of `kind` by this device's author, revision 1; the id is given by the
    /// caller (the browser's random UUID) so that this stays deterministic.
    pub fn new_record(
        &mut self,
        id: Uuid,
        kind: Kind,
        author: &str,
        now: OffsetDateTime,
    ) -> Record {
        let record = Record {
            id,
            kind,
            title: String::new(),
            description: String::new(),
            topics: Vec::new(),
            languages: Vec::new(),
            revision: 1,
            updated_at: now,
            author: author.to_owned(),
            deleted: false,
            url: None,
            event: (kind == Kind::Event).then(|| EventDetails {
                starts_on: String::new(),
                ends_on: String::new(),
                time_zone: "UTC".into(),
                place: None,
                online_url: None,
                ..Default::default()
            }),
            document: None,
            partnership: (kind == Kind::Partnership).then(|| PartnershipDetails {
                partners: Vec::new(),
                objectives: String::new(),
                expected_results: String::new(),
                timeline: String::new(),
                funding: crate::record::Funding::None,
                agreement: crate::record::AgreementType::Mou,
                ..Default::default()
            }),
            extra: Default::default(),
            confirmed_at: None,
        };
        self.records.insert(
            id,
            LocalRecord {
                record: record.clone(),
                published_revision: None,
            },
        );
        record
    }

    /// Stores an edited record: stamps the time and makes its revision newer than the published
    /// one, so that the next publish wins over it everywhere.
    pub fn save(&mut self, mut record: Record, now: OffsetDateTime) -> &LocalRecord {
        let published = self
            .records
            .get(&record.id)
            .and_then(|l| l.published_revision);
        let floor = published.unwrap_or(0).max(
            self.records
                .get(&record.id)
                .map_or(0, |l| l.record.revision),
        );
        record.revision = if published.is_some_and(|p| p >= floor) {
            floor + 1
        } else {
            floor.max(1)
        };
        record.updated_at = now;
        let id = record.id;
        let entry = self.records.entry(id).or_insert(LocalRecord {
            record: record.clone(),
            published_revision: None,
        });
        entry.record = record;
        entry
    }

    /// Deletion is a tombstone, so that it reaches every device; the content stays here so the
    /// participant can undo.
    pub fn delete(&mut self, id: Uuid, now: OffsetDateTime) -> Option<&LocalRecord> {
        let mut record = self.records.get(&id)?.record.clone();
        record.deleted = true;
        Some(self.save(record, now))
    }

    pub fn undelete(&mut self, id: Uuid, now: OffsetDateTime) -> Option<&LocalRecord> {
        let mut record = self.records.get(&id)?.record.clone();
        record.deleted = false;
        Some(self.save(record, now))
    }

    /// Visible (not deleted) records, newest first.
    pub fn visible(&self) -> Vec<&LocalRecord> {
        let mut list: Vec<&LocalRecord> = self
            .records
            .values()
            .filter(|l| !l.record.deleted)
            .collect();
        list.sort_by(|a, b| {
            b.record
                .updated_at
                .cmp(&a.record.updated_at)
                .then(a.record.id.cmp(&b.record.id))
        });
        list
    }

    pub fn errors(&self, id: &Uuid, catalogue: &Catalogue) -> Vec<FieldError> {
        self.records
            .get(id)
            .map(|l| validate_record(&l.record, catalogue))
            .unwrap_or_default()
    }

    /// The participant's bundle: every record, with deleted ones reduced to tombstones that
    /// carry no content.
    pub fn bundle(&self, now: OffsetDateTime) -> Option<Bundle> {
        let profile = self.profile.clone()?;
        let records = self
            .records
            .values()
            .map(|l| published_form(&l.record))
            .collect();
        Some(Bundle::new(profile, records, now))
    }

    /// The bundle to publish: the profile, every valid record and every tombstone. Records that
    /// are not valid yet stay local drafts and are returned so the app can say which.
    pub fn publishable_bundle(
        &self,
        now: OffsetDateTime,
        catalogue: &Catalogue,
    ) -> Option<(Bundle, Vec<Uuid>)> {
        let mut bundle = self.bundle(now)?;
        let held_back: Vec<Uuid> = self
            .invalid_records(catalogue)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        bundle.records.retain(|r| !held_back.contains(&r.id));
        Some((bundle, held_back))
    }

    /// Records that would stop a publish: the ids with their errors.
    pub fn invalid_records(&self, catalogue: &Catalogue) -> Vec<(Uuid, Vec<FieldError>)> {
        self.records
            .values()
            .filter(|l| !l.record.deleted)
            .map(|l| (l.record.id, validate_record(&l.record, catalogue)))
            .filter(|(_, errors)| !errors.is_empty())
            .collect()
    }
}

/// What a published bundle carries of a record: deleted ones lose their content.
pub fn published_form(record: &Record) -> Record {
    if record.deleted {
        tombstone(record)
    } else {
        record.clone()
    }
}

fn tombstone(record: &Record) -> Record {
    Record {
        title: String::new(),
        description: String::new(),
        topics: Vec::new(),
        languages: Vec::new(),
        url: None,
        event: None,
        document: None,
        partnership: None,
        confirmed_at: None,
        extra: Default::default(),
        ..record.clone()
    }
}
