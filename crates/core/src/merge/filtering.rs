//! The part of a community that passes the map's filters, made a few authors at a time: at
//! 10,000 authors a filter change made it in one go, a task the page could not answer a click
//! in. [`Community::filtered_with_author`] is this made in one step. Once made, a view follows
//! the community's in-place merges ([`Community::follow_into`]).

use std::collections::btree_map::Entry;
use std::ops::Bound;
use std::sync::Arc;

use super::{Changes, Community, RecordKey};
use crate::record::{AuthorProfile, Record};

/// A filtered view being made from a community that does not change between steps.
#[derive(Debug, Default)]
pub struct FilterInSteps {
    view: Community,
    kept: Vec<(RecordKey, Arc<Record>)>,
    /// The last author gone through.
    after: Option<String>,
}

impl FilterInSteps {
    pub fn new() -> FilterInSteps {
        FilterInSteps::default()
    }

    /// Goes through the next authors of `from` (each with all their records) until at least
    /// `most` records have been looked at; true once every author is gone through.
    pub fn step(
        &mut self,
        from: &Community,
        most: usize,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&AuthorProfile, &Record) -> bool,
    ) -> bool {
        let start = self
            .after
            .as_deref()
            .map_or(Bound::Unbounded, Bound::Excluded);
        let mut looked = 0;
        for (id, entry) in from.authors.range::<str, _>((start, Bound::Unbounded)) {
            if looked >= most {
                return false;
            }
            self.after = Some(id.clone());
            if !keep_author(&entry.profile) {
                continue;
            }
            self.view.authors.insert(id.clone(), entry.clone());
            for (key, record) in from.held_by(id) {
                looked += 1;
                if keep_record(&entry.profile, record) {
                    *self.view.holders.entry(key.id).or_insert(0) += 1;
                    self.kept.push((key.clone(), Arc::clone(record)));
                }
            }
        }
        true
    }

    /// The view of the authors gone through.
    pub fn finish(self) -> Community {
        let mut view = self.view;
        // Authors come in order and each one's records in key order: the map is built in bulk.
        view.records = self.kept.into_iter().collect();
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
}

impl Community {
    /// Brings `view`, the part of this community's earlier state that passed the filters,
    /// up to date with `changes` (what the community changed since), and says what it changed
    /// in the view; a new bundle then costs its own records, not a copy of every kept one.
    /// `None`, the view untouched, when the change takes something out of the view or brings
    /// back what an author's earlier profile kept out (a record deleted, hidden or no longer
    /// passing, a profile changed): it is made again.
    pub fn follow_into(
        &self,
        view: &mut Community,
        changes: &Changes,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&AuthorProfile, &Record) -> bool,
    ) -> Option<Changes> {
        let mut authors = Vec::new();
        for id in &changes.authors {
            let now = self.authors.get(id)?;
            match view.authors.get(id) {
                Some(before) if before.profile != now.profile => return None,
                Some(_) => authors.push((id, now)),
                None if !keep_author(&now.profile) => {}
                // An author seen before under another profile has records the change does
                // not name.
                None if self
                    .held_by(id)
                    .any(|(key, _)| !changes.records.contains(key)) =>
                {
                    return None
                }
                None => authors.push((id, now)),
            }
        }
        let mut kept = Vec::new();
        for key in &changes.records {
            let record = self.records.get(key)?;
            let author = self.authors.get(&*key.author)?;
            let passes = !record.deleted
                && keep_author(&author.profile)
                && keep_record(&author.profile, record);
            // A record kept never goes without its author (whom `changes` would have named).
            let author_in_view = || {
                view.authors.contains_key(&*key.author)
                    || authors.iter().any(|(id, _)| ***id == *key.author)
            };
            match (passes, view.records.contains_key(key)) {
                (true, _) if !author_in_view() => return None,
                (true, _) => kept.push((key, record)),
                (false, true) => return None,
                (false, false) => {}
            }
        }
        let mut changed = Changes::default();
        for (id, entry) in authors {
            view.authors.insert(id.clone(), entry.clone());
            changed.authors.insert(id.clone());
        }
        for (key, record) in kept {
            match view.records.entry(key.clone()) {
                Entry::Occupied(mut held) => {
                    held.insert(Arc::clone(record));
                }
                Entry::Vacant(slot) => {
                    slot.insert(Arc::clone(record));
                    view.note_holder(key.id, &key.author);
                }
            }
            changed.records.insert(key.clone());
        }
        Some(changed)
    }
}
