//! The open topic's resources in words: the first of each kind, in the order the text twin
//! lists them, and how many there are. Chosen in the drawing's own walk over the topic's
//! records: an action line of a 10,000-participant room holds 40,000 of them, and walking them
//! again for the list was a good part of opening it.

use std::cmp::Ordering;

use crate::merge::RecordKey;
use crate::record::{Kind, Record};

/// Items a list shows before "and N more" (the report and the exports hold everything).
pub const LISTED: usize = 100;

/// One kind's resources under the topic.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedKind {
    pub kind: Kind,
    /// All of this kind under the topic.
    pub total: usize,
    /// The first [`LISTED`]: events by their first day, everything else by title; ties by
    /// author and id.
    pub first: Vec<RecordKey>,
}

/// The kinds present under the topic, in `Kind::ALL` order.
pub(super) fn listed_by_kind(under: &[&Record]) -> Vec<ListedKind> {
    // Borrowed, not copied: a busy action line sorts thousands of records.
    fn order(r: &Record) -> (Option<&str>, &str, &str, uuid::Uuid) {
        let start = r.event.as_ref().map(|e| e.starts_on.as_str());
        (start, &r.title, &r.author, r.id)
    }
    let mut by_kind: [Vec<&Record>; 5] = Default::default();
    for record in under {
        by_kind[record.kind.index()].push(record);
    }
    Kind::ALL
        .iter()
        .filter_map(|kind| {
            let mut records = std::mem::take(&mut by_kind[kind.index()]);
            let total = records.len();
            if total == 0 {
                return None;
            }
            first_listed(&mut records, |a, b| order(a).cmp(&order(b)));
            Some(ListedKind {
                kind: *kind,
                total,
                first: records.into_iter().map(RecordKey::of).collect(),
            })
        })
        .collect()
}

/// Keeps the first [`LISTED`] of `items` in `order`, sorted: a busy action line has 40,000
/// resources and 9,000 actors, of which a list shows a hundred. Most items are compared once,
/// with the last of the best hundred so far, and dropped: sorting them all, then selecting
/// among them all, was a good part of opening it (each comparison reads two records).
pub fn first_listed<T>(items: &mut Vec<T>, mut order: impl FnMut(&T, &T) -> Ordering) {
    if items.len() > 2 * LISTED {
        let mut kept: Vec<T> = Vec::with_capacity(2 * LISTED);
        // Once `kept` has been cut to the best hundred, `kept[LISTED - 1]` is the last of them.
        let mut cut = false;
        for item in items.drain(..) {
            if cut && order(&item, &kept[LISTED - 1]) != Ordering::Less {
                continue;
            }
            kept.push(item);
            if kept.len() == 2 * LISTED {
                kept.select_nth_unstable_by(LISTED - 1, &mut order);
                kept.truncate(LISTED);
                cut = true;
            }
        }
        *items = kept;
    }
    if items.len() > LISTED {
        items.select_nth_unstable_by(LISTED - 1, &mut order);
        items.truncate(LISTED);
    }
    items.sort_by(order);
}

#[cfg(test)]
mod tests {
    use super::{first_listed, LISTED};

    #[test]
    fn the_first_listed_are_those_a_whole_sort_puts_first() {
        // Distinct values in a shuffled order (1,009 is prime).
        let mut many: Vec<u64> = (0..1_000u64).map(|n| n * 7_919 % 1_009).collect();
        let mut sorted = many.clone();
        sorted.sort_unstable();
        sorted.truncate(LISTED);
        first_listed(&mut many, |a, b| b.cmp(a).reverse());
        assert_eq!(many, sorted);
        let mut few = vec![3, 1, 2];
        first_listed(&mut few, |a, b| a.cmp(b));
        assert_eq!(few, [1, 2, 3]);
    }
}
