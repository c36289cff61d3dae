//! The map's filtered view (the records that pass the filters, and their index) made in steps
//! the page can give the browser its turn between: at 10,000 authors, made in one go, it was a
//! task of 110–200 ms after every filter change.

use super::ViewFilters;
use crate::merge::{Changes, Community, FilterInSteps};
use crate::networks::{IndexWithin, Networks};

/// A filtered view being made of a live community and its index, neither of which may change
/// between steps (start again when they do).
pub struct FilteredBuild {
    filters: ViewFilters,
    choosing: FilterInSteps,
    /// Once every author is gone through: the view, being indexed.
    indexing: Option<(Community, IndexWithin)>,
}

impl FilteredBuild {
    pub fn new(filters: ViewFilters) -> FilteredBuild {
        FilteredBuild {
            filters,
            choosing: FilterInSteps::new(),
            indexing: None,
        }
    }

    /// Does about `most` records' worth of work; true once only [`FilteredBuild::finish`],
    /// a short one, is left.
    pub fn step(&mut self, live: &Community, index: &Networks, most: usize) -> bool {
        if let Some((view, build)) = &mut self.indexing {
            return build.step(index, view, most);
        }
        let filters = &self.filters;
        let chosen = self.choosing.step(
            live,
            most,
            |a| filters.keeps_author(a),
            |a, r| filters.keeps_record_of(a, r),
        );
        if chosen {
            let view = std::mem::take(&mut self.choosing).finish();
            self.indexing = Some((view, IndexWithin::new(index)));
        }
        false
    }

    /// The view and its index, whatever is left done now.
    pub fn finish(mut self, live: &Community, index: &Networks) -> (Community, Networks) {
        loop {
            if let Some((view, build)) = self.indexing.take() {
                return (view, build.finish());
            }
            self.step(live, index, usize::MAX);
        }
    }
}

/// A filtered view and its index brought up to date with `changes` of the live community
/// they were made from (see [`Community::follow_into`]): a new bundle costs the map its own
/// records, where making the view again was 200–300 ms at 10,000 authors. False, both left as
/// they were, when the view must be made again.
pub fn follow_live(
    filters: &ViewFilters,
    live: &Community,
    changes: &Changes,
    view: &mut Community,
    index: &mut Networks,
) -> bool {
    let followed = live.follow_into(
        view,
        changes,
        |a| filters.keeps_author(a),
        |a, r| filters.keeps_record_of(a, r),
    );
    match followed {
        Some(changed) => {
            index.apply(view, &changed);
            true
        }
        None => false,
    }
}
