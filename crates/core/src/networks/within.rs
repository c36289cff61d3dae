//! The index of a filtered view made a thousand records at a time, each record's contribution
//! taken from the live index (not worked out again from the catalogue); [`Networks::within`] is
//! this made in one step.

use std::ops::Bound;

use super::building::IndexBuild;
use super::contribution::Contribution;
use super::Networks;
use crate::merge::{Community, RecordKey};

/// An index of a view being made; the view and the live index do not change between steps.
pub struct IndexWithin {
    build: IndexBuild,
    contributions: Vec<(RecordKey, Contribution)>,
    /// Every record of the view is counted: what is left is putting the actors in place.
    read: bool,
}

impl IndexWithin {
    pub fn new(index: &Networks) -> IndexWithin {
        IndexWithin {
            build: IndexBuild::new(index.catalogue),
            contributions: Vec::new(),
            read: false,
        }
    }

    /// Counts up to `most` more of `view`'s records, or once all are, puts some topics'
    /// actors in place; true once only [`IndexWithin::finish`] is left.
    pub fn step(&mut self, index: &Networks, view: &Community, most: usize) -> bool {
        if self.read {
            return self.build.place_some_actors();
        }
        let after = self.contributions.last().map(|(key, _)| key.clone());
        let start = after.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let mut held = index.contributions.range(..).peekable();
        let mut author: Option<&str> = None;
        let mut records = view.keyed_records_after(start);
        for (key, record) in records.by_ref().take(most) {
            // Each author's records are found once, then walked by id: comparing the author's
            // name with every record passed was most of the work.
            if author != Some(&*key.author) {
                author = Some(&key.author);
                held = index.contributions.range(key..).peekable();
            }
            while held.next_if(|(passed, _)| passed.id < key.id).is_some() {}
            let contribution = match held.next_if(|(found, _)| *found == key) {
                Some((_, found)) => *found,
                None => Contribution::of(record, index.catalogue),
            };
            self.build.count(key, &contribution);
            self.contributions.push((key.clone(), contribution));
        }
        self.read = records.next().is_none();
        false
    }

    /// The index, with whatever is left done now.
    pub fn finish(self) -> Networks {
        // Keys came in order: the map is built in bulk.
        self.build
            .finish_with(self.contributions.into_iter().collect())
    }
}
