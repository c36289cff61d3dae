//! What one record adds to the networks index.

use time::OffsetDateTime;

use crate::catalogue::{Catalogue, MOST_TOPICS};
use crate::record::{Kind, Record};

/// What one visible record adds to the index; kept so that it can be taken out again. Its
/// topics are bits at their catalogue positions: two lists per record were most of what
/// indexing 200,000 records allocated, and a filtered view's index copies a record's
/// contribution from the whole view's index. The author is the record key's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Contribution {
    pub(super) kind: Kind,
    pub(super) last_confirmed: OffsetDateTime,
    /// The topics the record is tagged with.
    pub(super) tagged: TopicSet,
    /// Those topics and all their ancestors.
    pub(super) rolled: TopicSet,
}

impl Contribution {
    pub(super) fn of(record: &Record, catalogue: &Catalogue) -> Contribution {
        let mut tagged = TopicSet::default();
        let mut rolled = TopicSet::default();
        for position in record.topics.iter().filter_map(|t| catalogue.position(t)) {
            tagged.insert(position);
            for ancestor in catalogue.lineage_at(position) {
                rolled.insert(ancestor);
            }
        }
        Contribution {
            kind: record.kind,
            last_confirmed: record.last_confirmed(),
            rolled,
            tagged,
        }
    }
}

const WORDS: usize = MOST_TOPICS / 64;

/// Catalogue positions, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct TopicSet([u64; WORDS]);

impl TopicSet {
    fn insert(&mut self, position: usize) {
        self.0[position / 64] |= 1 << (position % 64);
    }

    pub(super) fn contains(&self, position: usize) -> bool {
        self.0
            .get(position / 64)
            .is_some_and(|word| word & (1 << (position % 64)) != 0)
    }

    /// The topics' ids, in catalogue order.
    pub(super) fn ids(self, catalogue: &'static Catalogue) -> impl Iterator<Item = &'static str> {
        let topics = catalogue.topics();
        self.positions()
            .map(move |position| topics[position].id.as_str())
    }

    /// The topics' catalogue positions, in order.
    pub(super) fn positions(self) -> impl Iterator<Item = usize> {
        self.0.into_iter().enumerate().flat_map(|(word, bits)| {
            std::iter::successors((bits != 0).then_some(bits), |&rest| {
                let rest = rest & (rest - 1);
                (rest != 0).then_some(rest)
            })
            .map(move |rest| word * 64 + rest.trailing_zeros() as usize)
        })
    }

    /// Whether the two have a topic in common.
    pub(super) fn meets(&self, other: &TopicSet) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    /// The topics in both.
    pub(super) fn both(self, other: TopicSet) -> TopicSet {
        let mut both = self;
        for (word, other) in both.0.iter_mut().zip(other.0) {
            *word &= other;
        }
        both
    }

    /// Adds `other`'s topics.
    pub(super) fn extend(&mut self, other: TopicSet) {
        for (word, more) in self.0.iter_mut().zip(other.0) {
            *word |= more;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_set_holds_the_positions_put_in_and_names_them_in_catalogue_order() {
        let catalogue = Catalogue::wsis();
        let mut set = TopicSet::default();
        let last = catalogue.topics().len() - 1;
        for position in [last, 0, 63, 64, 5] {
            set.insert(position);
        }
        let names: Vec<&str> = set.ids(catalogue).collect();
        let expected: Vec<&str> = [0, 5, 63, 64, last]
            .iter()
            .map(|&p| catalogue.topics()[p].id.as_str())
            .collect();
        assert_eq!(names, expected);
        assert!(set.contains(64) && !set.contains(65) && !set.contains(MOST_TOPICS + 1));
    }
}
