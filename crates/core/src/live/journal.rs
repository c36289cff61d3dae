//! What changed in the live view, remembered for a while, so that a reader keeping the
//! generation it last saw (the map's arrivals) looks at those records only, not at all
//! 200,000 of them after every new bundle.

use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::merge::{Changes, RecordKey};

/// How many changed record keys are remembered; a reader further behind looks at everything.
const REMEMBERED_KEYS: usize = 50_000;

/// Generations are numbered across every view, so a number read from one view (the one
/// before a reload, say) can never pass for a number of another.
static LAST_GENERATION: AtomicU64 = AtomicU64::new(0);

fn next_generation() -> u64 {
    LAST_GENERATION.fetch_add(1, Ordering::Relaxed) + 1
}

#[derive(Debug, Clone, Default)]
pub(super) struct Journal {
    generation: u64,
    /// Every change after this generation is in `entries`; earlier ones are forgotten, or were
    /// undone by a rebuild.
    complete_after: u64,
    /// Each merge's generation, the records and the authors it changed.
    entries: VecDeque<(u64, Vec<RecordKey>, Vec<String>)>,
    /// Records and authors remembered.
    keys: usize,
}

impl Journal {
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    /// Notes an in-place merge.
    pub(super) fn merged(&mut self, changes: &Changes) {
        if changes.is_empty() {
            return;
        }
        self.generation = next_generation();
        let keys: Vec<RecordKey> = changes.records.iter().cloned().collect();
        let authors: Vec<String> = changes.authors.iter().cloned().collect();
        self.keys += keys.len() + authors.len();
        self.entries.push_back((self.generation, keys, authors));
        while self.keys > REMEMBERED_KEYS {
            let Some((generation, keys, authors)) = self.entries.pop_front() else {
                break;
            };
            self.keys -= keys.len() + authors.len();
            self.complete_after = generation;
        }
    }

    /// Notes a rebuild: any record may have changed or gone.
    pub(super) fn rebuilt(&mut self) {
        self.generation = next_generation();
        self.complete_after = self.generation;
        self.entries.clear();
        self.keys = 0;
    }

    /// The records changed after `generation`, or `None` when that is not known (a rebuild
    /// since, or forgotten) or they are more than `most`: the reader then looks at the whole
    /// view.
    pub(super) fn since(&self, generation: u64, most: usize) -> Option<BTreeSet<RecordKey>> {
        self.changes_since(generation, most)
            .map(|changes| changes.records)
    }

    /// [`Journal::since`] with the authors whose profile changed too (`most` counts both).
    pub(super) fn changes_since(&self, generation: u64, most: usize) -> Option<Changes> {
        if generation < self.complete_after || generation > self.generation {
            return None;
        }
        let after = || self.entries.iter().filter(|(at, ..)| *at > generation);
        let count: usize = after()
            .map(|(_, keys, authors)| keys.len() + authors.len())
            .sum();
        if count > most {
            return None;
        }
        let mut changes = Changes::default();
        for (_, keys, authors) in after() {
            changes.records.extend(keys.iter().cloned());
            changes.authors.extend(authors.iter().cloned());
        }
        Some(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn changes(ids: &[u128]) -> Changes {
        Changes {
            authors: BTreeSet::new(),
            records: ids
                .iter()
                .map(|&id| RecordKey {
                    author: "amina".into(),
                    id: Uuid::from_u128(id),
                })
                .collect(),
        }
    }

    #[test]
    fn a_reader_learns_what_changed_since_it_looked_until_a_rebuild() {
        let mut journal = Journal::default();
        journal.merged(&changes(&[1, 2]));
        let looked = journal.generation();
        journal.merged(&changes(&[3]));
        journal.merged(&changes(&[]));
        journal.merged(&changes(&[2]));
        let ids: Vec<u128> = journal
            .since(looked, usize::MAX)
            .unwrap()
            .iter()
            .map(|k| k.id.as_u128())
            .collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(
            journal.since(looked, 1),
            None,
            "two changed, at most one wanted"
        );
        assert_eq!(
            journal.since(journal.generation(), usize::MAX),
            Some(BTreeSet::new())
        );
        journal.rebuilt();
        assert_eq!(journal.since(looked, usize::MAX), None);
        assert_eq!(
            journal.since(journal.generation(), usize::MAX),
            Some(BTreeSet::new())
        );
    }

    #[test]
    fn a_reader_too_far_behind_is_told_to_look_at_everything() {
        let mut journal = Journal::default();
        journal.rebuilt();
        let looked = journal.generation();
        journal.merged(&changes(&[1]));
        let many: Vec<u128> = (0..REMEMBERED_KEYS as u128).collect();
        journal.merged(&changes(&many));
        assert_eq!(journal.since(looked, usize::MAX), None);
        assert_eq!(
            journal.since(journal.generation(), usize::MAX),
            Some(BTreeSet::new())
        );
    }

    #[test]
    fn another_views_generation_is_never_taken_for_this_ones() {
        let mut before = Journal::default();
        before.rebuilt();
        before.merged(&changes(&[1]));
        let mut after = Journal::default();
        after.rebuilt();
        assert_eq!(after.since(before.generation(), usize::MAX), None);
    }
}
