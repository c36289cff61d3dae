//! The part of a community that passes the map's filters, made a few authors at a time: at
//! 10,000 authors a filter change made it in one go, a task the page could not answer a click
//! in. [`Community::filtered_with_author`] is this made in one step.

use std::ops::Bound;
use std::sync::Arc;

use super::{Community, RecordKey};
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
