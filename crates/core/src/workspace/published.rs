//! What the endpoint holds of this device's records, learnt from a publish that succeeded, from
//! the author's bundle fetched after a conflict, or from another tab's stored copy.
//!
//! One rule keeps "Published" honest: `published_revision` is the revision the endpoint holds,
//! and a record counts as published only while its content is the content sent at that
//! revision. Whenever a different content meets a revision the endpoint already holds, that
//! content moves to the next revision, so it reads "Changed" and goes out with the next publish.

use uuid::Uuid;

use super::{published_form, LocalRecord, Workspace};
use crate::bundle::Bundle;
use crate::record::Record;

impl Workspace {
    /// A publish of `sent` succeeded. Records still as they were sent become published; records
    /// edited while the publish was on its way stay changed, above the revision now held.
    /// Returns the ids whose local copy changed (to be stored again).
    pub fn mark_published(&mut self, sent: &Bundle) -> Vec<Uuid> {
        sent.records
            .iter()
            .filter(|record| self.learn_held(record))
            .map(|record| record.id)
            .collect()
    }

    /// Takes in this author's bundle as stored on the endpoint (published from another device or
    /// by a publish whose answer was lost): each record keeps the newer of the two versions.
    /// Returns the ids that changed here.
    pub fn absorb_remote(&mut self, remote: &Bundle) -> Vec<Uuid> {
        let mut changed = Vec::new();
        for incoming in &remote.records {
            let newer = self
                .records
                .get(&incoming.id)
                .is_none_or(|local| incoming.version_key() > local.record.version_key());
            if newer {
                self.records.insert(
                    incoming.id,
                    LocalRecord {
                        record: incoming.clone(),
                        published_revision: Some(incoming.revision),
                    },
                );
                changed.push(incoming.id);
            } else if self.learn_held(incoming) {
                changed.push(incoming.id);
            }
        }
        changed
    }

    /// Takes another tab's stored copy of a record: the newer version wins, and what either copy
    /// knows of the endpoint is kept. Returns whether this tab's copy changed.
    pub fn absorb_stored(&mut self, stored: LocalRecord) -> bool {
        let id = stored.record.id;
        let Some(local) = self.records.get(&id) else {
            self.records.insert(id, stored);
            return true;
        };
        if *local == stored {
            return false;
        }
        let before = local.clone();
        if stored.record.version_key() > local.record.version_key() {
            let held_before = local.published_revision;
            let held_content =
                (local.state() == super::PublishState::Published).then(|| local.record.clone());
            self.records.insert(id, stored);
            match (held_before, held_content) {
                (Some(_), Some(content)) => {
                    self.learn_held(&published_form(&content));
                }
                (Some(held), None) => {
                    let local = self.records.get_mut(&id).expect("just inserted");
                    let known = local.published_revision.unwrap_or(0);
                    local.published_revision = Some(known.max(held));
                    if local.record.revision <= held {
                        local.record.revision = held + 1;
                    }
                }
                _ => {}
            }
        } else if let Some(held) = stored.published_revision {
            if stored.state() == super::PublishState::Published {
                self.learn_held(&published_form(&stored.record));
            } else {
                // The other tab knows the endpoint holds `held`, not with which content.
                let local = self.records.get_mut(&id).expect("present");
                if local.published_revision.is_none_or(|p| p < held) {
                    local.published_revision = Some(held);
                    if local.record.revision <= held {
                        local.record.revision = held + 1;
                    }
                }
            }
        }
        self.records.get(&id) != Some(&before)
    }

    /// The endpoint holds `held` (a record as published). Returns whether the local copy changed.
    fn learn_held(&mut self, held: &Record) -> bool {
        let Some(local) = self.records.get_mut(&held.id) else {
            return false;
        };
        let before = local.clone();
        let known = local.published_revision.unwrap_or(0);
        local.published_revision = Some(known.max(held.revision));
        if published_form(&local.record) != *held && local.record.revision <= held.revision {
            // Another content at a revision the endpoint holds: only a newer one can win.
            local.record.revision = held.revision + 1;
        }
        *local != before
    }
}
