//! Opening a bundle file here: a plan the participant reviews, then applied as confirmed.

use time::OffsetDateTime;
use uuid::Uuid;

use super::{LocalRecord, Workspace};
use crate::bundle::Bundle;
use crate::record::{AuthorProfile, Record};

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

impl Workspace {
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
