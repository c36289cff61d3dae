//! The records under one topic, found in one walk over the index, with what each of their
//! authors tagged anywhere: what opening a topic on the map needs (its network is drawn from
//! the records, its groups' links from the authors' topics).

use std::sync::Arc;

use super::contribution::TopicSet;
use super::Networks;
use crate::merge::Community;
use crate::record::Record;

/// A topic's records by author (key order), and each author's topics.
pub(super) struct Under<'a> {
    pub(super) records: Vec<&'a Record>,
    /// One per author, in order: where the author's records end in `records`, and every topic
    /// the author tagged, under this topic or not.
    pub(super) authors: Vec<(usize, TopicSet)>,
}

impl<'a> Under<'a> {
    /// Each author's records under the topic, with the author's topics.
    pub(super) fn by_author(&self) -> impl Iterator<Item = (&[&'a Record], TopicSet)> {
        let mut start = 0;
        self.authors.iter().map(move |&(end, tagged)| {
            let records = &self.records[start..end];
            start = end;
            (records, tagged)
        })
    }
}

/// One author's contributions while the walk is on them.
struct Run<'n> {
    author: &'n Arc<str>,
    tagged: TopicSet,
    /// Whether a record of theirs is under the topic.
    under: bool,
}

impl Networks {
    /// The records under a topic (its descendants included), in key order, as `community`
    /// holds them, the view this index is kept in step with (the live view's, or a filtered
    /// view's from [`Networks::within`]): the two are walked side by side in key order rather
    /// than each record searched for (an action line of a 10,000-participant room holds
    /// 40,000). A record out of step is searched for.
    pub fn records_under_in<'a>(&self, community: &'a Community, topic: &str) -> Vec<&'a Record> {
        self.under_in(community, topic).records
    }

    /// [`Networks::records_under_in`], with each author's topics gathered on the way (the
    /// contributions come by author): a group's links under an action line of a 10,000-
    /// participant room were 10,000 searches by name and 300,000 of topics by name.
    pub(super) fn under_in<'a>(&self, community: &'a Community, topic: &str) -> Under<'a> {
        let under = self.under(topic);
        let mut held = community.keyed_records();
        let mut found = Under {
            records: Vec::new(),
            authors: Vec::new(),
        };
        let mut run: Option<Run> = None;
        for (key, contribution) in &self.contributions {
            // Taken for every contribution, to stay in step.
            let beside = held.next();
            match &mut run {
                Some(run) if *run.author == key.author => run.tagged.extend(contribution.tagged),
                _ => {
                    if let Some(done) = run.take().filter(|done| done.under) {
                        found.authors.push((found.records.len(), done.tagged));
                    }
                    run = Some(Run {
                        author: &key.author,
                        tagged: contribution.tagged,
                        under: false,
                    });
                }
            }
            if !under(contribution) {
                continue;
            }
            let record = match beside {
                Some((held_key, record)) if held_key == key => Some(record),
                _ => community.record(key),
            };
            if let (Some(record), Some(run)) = (record, &mut run) {
                found.records.push(record);
                run.under = true;
            }
        }
        if let Some(done) = run.filter(|done| done.under) {
            found.authors.push((found.records.len(), done.tagged));
        }
        found
    }
}
