//! What is new on a facilitator's screen: when this screen first saw each record, so a new
//! contribution is marked for a while ("+N" on its topics) and then fades back into the map,
//! and the feed lists the latest contributions.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use uuid::Uuid;

use crate::catalogue::Catalogue;
use crate::live::LiveCommunity;
use crate::merge::{Community, RecordKey};
use crate::record::Record;

/// When each record was first seen, in milliseconds of the screen's clock. What the first look
/// finds is not news: it is the room's starting point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arrivals {
    /// What the first look found (seen at time 0), as record id and a hash of its author
    /// ([`author_mark`]): no copy of an author's id and no list per record, since the first
    /// look at 200,000 records is one task on the page (it took a quarter of a second).
    at_start: HashSet<(Uuid, u64)>,
    /// Record id → its holders (by author) and when each was first seen, for what arrived
    /// after the first look.
    first_seen: HashMap<Uuid, Vec<(String, u64)>>,
    /// What arrived after the first look, oldest first: the fading marks only ever read its
    /// end, not every record the screen holds.
    arrived: Vec<(u64, RecordKey)>,
    started: bool,
    /// The live view's generation at the last look, if the last look was at a live view.
    looked_at: Option<u64>,
}

impl Arrivals {
    /// Notes the records present now; those never seen before arrived at `now_ms`, except at
    /// the first look.
    pub fn observe(&mut self, community: &Community, now_ms: u64) {
        for record in community.records() {
            self.note(&record.author, record.id, now_ms);
        }
        self.started = true;
        self.looked_at = None;
    }

    /// The same as [`Arrivals::observe`] on the live view, looking only at the records changed
    /// since the last look when the view can tell which.
    pub fn observe_live(&mut self, live: &LiveCommunity, now_ms: u64) {
        let changed = self.looked_at.and_then(|g| live.changed_since(g));
        let Some(changed) = changed else {
            self.observe(live.community(), now_ms);
            self.looked_at = Some(live.generation());
            return;
        };
        for key in changed {
            if live.community().record(&key).is_some() {
                self.note(&key.author, key.id, now_ms);
            }
        }
        self.started = true;
        self.looked_at = Some(live.generation());
    }

    fn note(&mut self, author: &str, id: Uuid, now_ms: u64) {
        if !self.started {
            self.at_start.insert((id, author_mark(author)));
            return;
        }
        if self.first_seen_at(author, &id).is_some() {
            return;
        }
        let key = RecordKey {
            author: author.to_owned(),
            id,
        };
        self.arrived.push((now_ms, key));
        let holders = self.first_seen.entry(id).or_default();
        let place = holders.partition_point(|(a, _)| a.as_str() < author);
        holders.insert(place, (author.to_owned(), now_ms));
    }

    fn first_seen_at(&self, author: &str, id: &Uuid) -> Option<u64> {
        let after_start = self
            .first_seen
            .get(id)
            .and_then(|holders| holders.iter().find(|(a, _)| a == author))
            .map(|(_, at)| *at);
        after_start.or_else(|| {
            self.at_start
                .contains(&(*id, author_mark(author)))
                .then_some(0)
        })
    }

    pub fn has_started(&self) -> bool {
        self.started
    }

    /// The records that arrived less than `fade_ms` ago.
    pub fn fresh(&self, now_ms: u64, fade_ms: u64) -> BTreeSet<RecordKey> {
        self.arrived
            .iter()
            .rev()
            .take_while(|(at, _)| now_ms.saturating_sub(*at) < fade_ms)
            .map(|(_, key)| key.clone())
            .collect()
    }

    /// When the feed places a record: when it arrived after the first look, 0 for anything
    /// else (what the first look found, and what no look has noted yet, until the next). No
    /// lookup at all while nothing has arrived: the feed orders a 200,000-record room at every
    /// redraw of a first load.
    fn seen_at(&self, record: &Record) -> u64 {
        if self.first_seen.is_empty() {
            return 0;
        }
        self.first_seen
            .get(&record.id)
            .and_then(|holders| holders.iter().find(|(a, _)| *a == record.author))
            .map_or(0, |(_, at)| *at)
    }

    /// The `n` latest contributions: the last arrived first, then the most recently updated.
    /// When `n` of the records that arrived are still shown, only the end of the arrivals is
    /// read; otherwise one pass keeping the best `n`, not a sort of everything: this runs on
    /// every update of a map that may hold 200,000 records.
    pub fn latest<'a>(&self, community: &'a Community, n: usize) -> Vec<&'a Record> {
        // Arrivals come after everything first seen at the start; those arrived at the same
        // moment as the n-th are all taken, for the order to decide among them.
        let mut arrived: Vec<(u64, &Record)> = Vec::new();
        let mut cut = None;
        for (at, key) in self.arrived.iter().rev() {
            if cut.is_some_and(|cut| *at < cut) {
                break;
            }
            if let Some(record) = community.record(key) {
                arrived.push((*at, record));
                if arrived.len() == n {
                    cut = Some(*at);
                }
            }
        }
        if n > 0 && arrived.len() >= n {
            arrived.sort_by(newest_first);
            arrived.truncate(n);
            return arrived.into_iter().map(|(_, record)| record).collect();
        }
        // Each record's first sight looked up once, not at every comparison.
        let mut best: Vec<(u64, &Record)> = Vec::with_capacity(n + 1);
        for record in community.records() {
            let candidate = (self.seen_at(record), record);
            if best.len() == n
                && best
                    .last()
                    .is_none_or(|last| newest_first(&candidate, last).is_ge())
            {
                continue;
            }
            let at = best.partition_point(|kept| newest_first(kept, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(n);
        }
        best.into_iter().map(|(_, record)| record).collect()
    }
}

/// An author's id as the first look keeps it: a hash, the same at every look (two authors
/// sharing one only share a record id by forging it, and then one mark is missed).
fn author_mark(author: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    author.hash(&mut hasher);
    hasher.finish()
}

/// The feed's order of (first seen, record): the last seen first, then the most recently
/// updated, then by author and id.
fn newest_first((seen_a, a): &(u64, &Record), (seen_b, b): &(u64, &Record)) -> Ordering {
    seen_b
        .cmp(seen_a)
        .then(b.updated_at.cmp(&a.updated_at))
        .then_with(|| (&a.author, a.id).cmp(&(&b.author, b.id)))
}

/// How many of the `fresh` records each topic holds, itself or below it: the "+N" on its disc.
pub fn fresh_per_topic(
    community: &Community,
    catalogue: &Catalogue,
    fresh: &BTreeSet<RecordKey>,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for key in fresh {
        let Some(record) = community.record(key) else {
            continue;
        };
        let topics: BTreeSet<&str> = record
            .topics
            .iter()
            .flat_map(|t| catalogue.self_and_ancestors(t))
            .map(|t| t.id.as_str())
            .collect();
        for topic in topics {
            *counts.entry(topic.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support::{profile, record};
    use time::macros::datetime;

    fn community(records: &[(u128, &[&str])]) -> Community {
        let mut community = Community::new();
        community.add_bundle(Bundle::new(
            profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
            records
                .iter()
                .map(|(n, topics)| record(*n, "amina", Kind::Project, topics))
                .collect(),
            datetime!(2026-11-25 10:00 UTC),
        ));
        community
    }

    #[test]
    fn the_first_look_is_not_news_and_later_arrivals_fade() {
        let mut arrivals = Arrivals::default();
        arrivals.observe(&community(&[(1, &["C4"])]), 1_000);
        assert!(arrivals.fresh(1_000, 60_000).is_empty());
        let later = community(&[(1, &["C4"]), (2, &["C7.e-health.a", "C7.e-health.b"])]);
        arrivals.observe(&later, 5_000);
        let fresh = arrivals.fresh(6_000, 60_000);
        assert_eq!(fresh.len(), 1);
        let counts = fresh_per_topic(&later, Catalogue::wsis(), &fresh);
        // One record counts once for each topic above it, however many of its topics share it.
        assert_eq!(counts.get("C7"), Some(&1));
        assert_eq!(counts.get("C7.e-health"), Some(&1));
        assert_eq!(counts.get("C7.e-health.a"), Some(&1));
        assert_eq!(counts.get("C4"), None);
        assert!(arrivals.fresh(65_000, 60_000).is_empty(), "faded");
        // Seeing it again does not make it new again.
        arrivals.observe(&later, 70_000);
        assert!(arrivals.fresh(71_000, 60_000).is_empty());
    }

    #[test]
    fn the_latest_come_first() {
        let mut arrivals = Arrivals::default();
        arrivals.observe(&community(&[(1, &["C4"])]), 1_000);
        let later = community(&[(1, &["C4"]), (2, &["C9"])]);
        arrivals.observe(&later, 5_000);
        let latest = arrivals.latest(&later, 5);
        assert_eq!(latest.len(), 2);
        assert_eq!(latest[0].topics, vec!["C9".to_owned()]);
        assert_eq!(arrivals.latest(&later, 1).len(), 1);
    }

    #[test]
    fn the_latest_are_those_a_full_sort_would_give() {
        let mut arrivals = Arrivals::default();
        let first: Vec<(u128, &[&str])> = (1..=20).map(|n| (n, &["C4"][..])).collect();
        arrivals.observe(&community(&first), 1_000);
        let more: Vec<(u128, &[&str])> = (1..=40).map(|n| (n, &["C9"][..])).collect();
        let later = community(&more);
        arrivals.observe(&later, 5_000);
        for n in [0, 1, 5, 25, 40, 100] {
            assert_eq!(
                arrivals.latest(&later, n),
                full_sort(&arrivals, &later, n),
                "n = {n}"
            );
        }
    }

    fn full_sort<'a>(arrivals: &Arrivals, community: &'a Community, n: usize) -> Vec<&'a Record> {
        let mut all: Vec<&Record> = community.records().collect();
        all.sort_by(|a, b| {
            arrivals
                .seen_at(b)
                .cmp(&arrivals.seen_at(a))
                .then(b.updated_at.cmp(&a.updated_at))
                .then(RecordKey::of(a).cmp(&RecordKey::of(b)))
        });
        all.truncate(n);
        all
    }

    proptest::proptest! {
        /// Looking at the changed records only notes what looking at everything would, and the
        /// feed's short way gives what a full sort would.
        #[test]
        fn looking_at_the_changes_sees_what_looking_at_everything_sees(
            steps in proptest::collection::vec(
                (0..3usize, proptest::collection::vec((0u128..8, 0u32..3, proptest::bool::weighted(0.2)), 0..5), proptest::bool::weighted(0.15)),
                1..12,
            )
        ) {
            let authors = ["amina", "bruno", "chen"];
            let mut live = LiveCommunity::new(Catalogue::wsis());
            let (mut incremental, mut whole) = (Arrivals::default(), Arrivals::default());
            for (minute, (author, records, remove)) in steps.into_iter().enumerate() {
                let name = authors[author];
                let source = format!("{name}.json");
                if remove {
                    live.remove(&source);
                } else {
                    let records = records.iter().map(|&(id, revision, deleted)| {
                        let mut r = record(id, name, Kind::Project, &["C4"]);
                        r.revision = u64::from(revision) + 1;
                        r.updated_at += time::Duration::minutes(i64::from(revision));
                        r.deleted = deleted;
                        r
                    }).collect();
                    let at = datetime!(2026-11-25 10:00 UTC) + time::Duration::minutes(minute as i64);
                    live.upsert(&source, Bundle::new(profile(name, StakeholderGroup::CivilSociety, Region::Africa), records, at));
                }
                let now = 1_000 * (minute as u64 + 1);
                incremental.observe_live(&live, now);
                whole.observe(live.community(), now);
                proptest::prop_assert_eq!(&incremental.first_seen, &whole.first_seen);
                proptest::prop_assert_eq!(&incremental.arrived, &whole.arrived);
                for n in [1, 3, 5] {
                    proptest::prop_assert_eq!(incremental.latest(live.community(), n), full_sort(&whole, live.community(), n));
                }
            }
        }
    }
}
