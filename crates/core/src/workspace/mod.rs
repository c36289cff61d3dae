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

mod published;

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

/// What opening a bundle file would do, for the participant to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// The file's author becomes this device's profile (a backup opened on a new device).
    pub adopt_profile: Option<AuthorProfile>,
    /// Records to add as they are (same author) or as copies with new ids (another author).
    pub added: Vec<Record>,
    /// Records this device already has in the same version.
    pub unchanged: usize,
    /// (ours, theirs): the file has another version of a record this device holds.
    pub conflicts: Vec<(Record, Record)>,
    /// The file comes from another author; its records are copied under this device's author.
    pub copied_from: Option<String>,
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
                extra: Default::default(),
            }),
            document: None,
            partnership: (kind == Kind::Partnership).then(|| PartnershipDetails {
                partners: Vec::new(),
                objectives: String::new(),
                expected_results: String::new(),
                timeline: String::new(),
                funding: crate::record::Funding::None,
                agreement: crate::record::AgreementType::Mou,
                extra: Default::default(),
            }),
            extra: Default::default(),
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

    /// What opening `bundle` would change; nothing is applied until [`Workspace::apply_import`].
    /// `new_ids` supplies fresh ids for copies of another author's records.
    pub fn plan_import(&self, bundle: &Bundle, new_ids: &mut dyn FnMut() -> Uuid) -> ImportPlan {
        let mine = self.profile.as_ref().map(|p| p.id.clone());
        let same_author = mine.as_deref().is_none_or(|m| m == bundle.author.id);
        let mut plan = ImportPlan {
            adopt_profile: mine.is_none().then(|| bundle.author.clone()),
            added: Vec::new(),
            unchanged: 0,
            conflicts: Vec::new(),
            copied_from: (!same_author).then(|| bundle.author.display_name.clone()),
        };
        for incoming in bundle.records.iter().filter(|r| !r.deleted || same_author) {
            if !same_author {
                let mut copy = incoming.clone();
                copy.id = new_ids();
                copy.author = mine.clone().unwrap_or_default();
                copy.revision = 1;
                plan.added.push(copy);
                continue;
            }
            match self.records.get(&incoming.id) {
                None => plan.added.push(incoming.clone()),
                Some(local) if local.record.version_key() == incoming.version_key() => {
                    plan.unchanged += 1
                }
                Some(local) => plan
                    .conflicts
                    .push((local.record.clone(), incoming.clone())),
            }
        }
        plan
    }

    /// Applies a confirmed plan; `take_theirs` says, per conflict, whether the file's version
    /// replaces this device's. Returns the ids written.
    pub fn apply_import(
        &mut self,
        plan: ImportPlan,
        take_theirs: &[bool],
        now: OffsetDateTime,
    ) -> Vec<Uuid> {
        let mut written = Vec::new();
        if let Some(profile) = plan.adopt_profile {
            self.profile = Some(profile);
        }
        for record in plan.added {
            written.push(record.id);
            self.records.insert(
                record.id,
                LocalRecord {
                    record,
                    published_revision: None,
                },
            );
        }
        for ((ours, theirs), take) in plan.conflicts.into_iter().zip(take_theirs) {
            if *take {
                let mut replacement = theirs;
                // Above both versions, so the choice also wins on every other device.
                replacement.revision = ours.revision.max(replacement.revision);
                written.push(replacement.id);
                self.save(replacement, now);
            }
        }
        written
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
        extra: Default::default(),
        ..record.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::parse_bundle;
    use crate::record::{Region, StakeholderGroup};
    use time::macros::datetime;

    fn profile(id: &str) -> AuthorProfile {
        crate::test_support::profile(id, StakeholderGroup::AcademicTechnical, Region::AsiaPacific)
    }

    const T0: OffsetDateTime = datetime!(2005-02-01 09:00 UTC);
    const T1: OffsetDateTime = datetime!(2005-02-01 09:05 UTC);
    const T2: OffsetDateTime = datetime!(2005-02-01 09:10 UTC);

    fn with_one_record() -> (Workspace, Uuid) {
        let mut w = Workspace {
            profile: Some(profile("alice")),
            ..Default::default()
        };
        let id = Uuid::from_u128(7);
        let mut r = w.new_record(id, Kind::Project, "alice", T0);
        r.title = "Télécentres".into();
        r.topics = vec!["C2.i".into()];
        w.save(r, T0);
        (w, id)
    }

    #[test]
    fn states_follow_publishing_and_edits() {
        let (mut w, id) = with_one_record();
        assert_eq!(w.records[&id].state(), PublishState::Draft);
        let bundle = w.bundle(T1).unwrap();
        w.mark_published(&bundle);
        assert_eq!(w.records[&id].state(), PublishState::Published);
        let mut r = w.records[&id].record.clone();
        r.title = "Télécentres ruraux".into();
        w.save(r.clone(), T2);
        assert_eq!(w.records[&id].state(), PublishState::Changed);
        assert_eq!(w.records[&id].record.revision, 2);
        // More edits before the next publish stay on the same revision.
        w.save(r, T2);
        assert_eq!(w.records[&id].record.revision, 2);
    }

    #[test]
    fn delete_is_an_undoable_tombstone_without_content_in_the_bundle() {
        let (mut w, id) = with_one_record();
        w.delete(id, T1);
        assert!(w.visible().is_empty());
        let bundle = w.bundle(T1).unwrap();
        assert!(bundle.records[0].deleted);
        assert!(bundle.records[0].title.is_empty());
        assert!(parse_bundle(bundle.to_json().as_bytes()).is_ok());
        w.undelete(id, T2);
        assert_eq!(w.visible()[0].record.title, "Télécentres");
    }

    #[test]
    fn a_backup_opened_on_a_new_device_restores_profile_and_records() {
        let (w, _) = with_one_record();
        let backup = w.bundle(T1).unwrap();
        let mut fresh = Workspace::default();
        let plan = fresh.plan_import(&backup, &mut || unreachable!());
        assert_eq!(plan.adopt_profile.as_ref().unwrap().id, "alice");
        fresh.apply_import(plan, &[], T2);
        assert_eq!(
            fresh.records.keys().collect::<Vec<_>>(),
            w.records.keys().collect::<Vec<_>>()
        );
        assert_eq!(fresh.profile, w.profile);
    }

    #[test]
    fn importing_never_overwrites_without_asking() {
        let (mut w, id) = with_one_record();
        let mut other_device = w.clone();
        let mut theirs = other_device.records[&id].record.clone();
        theirs.title = "Version de l'autre appareil".into();
        other_device.save(theirs, T2);
        let file = other_device.bundle(T2).unwrap();

        let plan = w.plan_import(&file, &mut || unreachable!());
        assert_eq!(plan.conflicts.len(), 1);
        w.apply_import(plan.clone(), &[false], T2);
        assert_eq!(w.records[&id].record.title, "Télécentres");
        w.apply_import(plan, &[true], T2);
        assert_eq!(w.records[&id].record.title, "Version de l'autre appareil");
        // The same file again: nothing left to ask.
        let again = w.plan_import(&file, &mut || unreachable!());
        assert!(again.conflicts.is_empty() && again.added.is_empty());
    }

    #[test]
    fn publishing_holds_back_incomplete_drafts() {
        let (mut w, id) = with_one_record();
        let incomplete = w.new_record(Uuid::from_u128(8), Kind::Event, "alice", T1);
        let (bundle, held_back) = w.publishable_bundle(T1, Catalogue::wsis()).unwrap();
        assert_eq!(held_back, vec![incomplete.id]);
        assert_eq!(
            bundle.records.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![id]
        );
        assert!(parse_bundle(bundle.to_json().as_bytes()).is_ok());
    }

    #[test]
    fn a_remote_version_from_another_device_merges_record_by_record() {
        let (mut laptop, id) = with_one_record();
        let mut phone = laptop.clone();
        // The phone edits the shared record and adds one; the laptop adds its own.
        let mut edited = phone.records[&id].record.clone();
        edited.title = "Édité sur le téléphone".into();
        edited.revision = 2;
        phone.save(edited, T2);
        let mut from_phone = phone.new_record(Uuid::from_u128(20), Kind::Project, "alice", T2);
        from_phone.title = "Du téléphone".into();
        from_phone.topics = vec!["C4".into()];
        phone.save(from_phone, T2);
        let mut from_laptop = laptop.new_record(Uuid::from_u128(30), Kind::Project, "alice", T1);
        from_laptop.title = "Du portable".into();
        laptop.save(from_laptop, T1);

        let stored = phone.bundle(T2).unwrap();
        let mut changed = laptop.absorb_remote(&stored);
        changed.sort();
        assert_eq!(changed, vec![id, Uuid::from_u128(20)]);
        assert_eq!(laptop.records[&id].record.title, "Édité sur le téléphone");
        assert!(laptop.records.contains_key(&Uuid::from_u128(30)));
        assert_eq!(laptop.records[&id].state(), PublishState::Published);
        // Absorbing the same bundle again changes nothing.
        assert!(laptop.absorb_remote(&stored).is_empty());
    }

    #[test]
    fn a_colleagues_file_is_copied_under_new_ids() {
        let (w, id) = with_one_record();
        let mut bob = Workspace {
            profile: Some(profile("bob")),
            ..Default::default()
        };
        let plan = bob.plan_import(&w.bundle(T1).unwrap(), &mut || Uuid::from_u128(99));
        assert_eq!(plan.copied_from.as_deref(), Some("alice"));
        bob.apply_import(plan, &[], T2);
        let copy = &bob.records[&Uuid::from_u128(99)].record;
        assert_eq!(
            (copy.author.as_str(), copy.title.as_str()),
            ("bob", "Télécentres")
        );
        assert!(!bob.records.contains_key(&id));
    }
}
