//! What the topic map shows: the rows of the table and the places of the picture.
//!
//! The picture's layout depends on the catalogue and the chosen depth only, never on the
//! counts: a topic keeps its place however the others grow, so a projected map never jumps.
//! Counts change a bubble's radius, on an absolute scale capped by its slot, so a bubble never
//! covers its neighbour.

use serde::Serialize;

mod actor;
pub mod charts;
mod layout;
mod news;
mod sdg;
pub mod team;
mod wrap;

pub use actor::records_by_action_line;
pub use layout::{layout, sdg_layout, Block, Header, MapLayout, Place, NARROW, WIDE};
pub use news::{fresh_per_topic, Arrivals};
pub use sdg::{sdg_rows, SdgRow};
pub use wrap::wrap;

use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::networks::Networks;

/// One topic's line in the map's table (and the numbers behind its bubble).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicRow {
    pub id: String,
    pub level: u8,
    pub actors: usize,
    pub resources: usize,
    /// Nobody registered anything here.
    pub empty: bool,
    /// Everyone here comes from one stakeholder group.
    pub single_group: bool,
}

/// The table's rows: every topic of granularity `depth` or coarser, catalogue order, counts
/// rolled up the hierarchy.
pub fn topic_rows(community: &Community, networks: &Networks, depth: u8) -> Vec<TopicRow> {
    let gaps = networks.gaps(community, depth);
    networks
        .catalogue()
        .topics()
        .iter()
        .filter(|t| t.level <= depth)
        .map(|t| {
            // Counts only: a summary's groups and regions would look up every actor's profile.
            let (actors, resources) = networks.counts(&t.id);
            TopicRow {
                id: t.id.clone(),
                level: t.level,
                actors,
                resources,
                empty: gaps.empty.contains(&t.id),
                single_group: gaps.single_group.iter().any(|(id, _)| *id == t.id),
            }
        })
        .collect()
}

/// The part of the community about one topic: the records on it or below it, and their
/// authors only (what a topic-named export holds).
pub fn about_topic(community: &Community, catalogue: &Catalogue, topic: &str) -> Community {
    let on_topic = |record: &crate::record::Record| {
        record.topics.iter().any(|t| {
            catalogue
                .self_and_ancestors(t)
                .iter()
                .any(|a| a.id == topic)
        })
    };
    let authors: std::collections::BTreeSet<&str> = community
        .records()
        .filter(|r| on_topic(r))
        .map(|r| r.author.as_str())
        .collect();
    community.filtered(|a| authors.contains(a.id.as_str()), on_topic)
}

/// A bubble's radius for a number of resources: area grows with the count on a fixed scale
/// (one resource, a third of the slot; the slot is full from 50), never beyond the slot, and
/// an empty topic keeps a visible ring.
pub fn bubble_radius(resources: usize, slot: f32) -> f32 {
    let empty = (slot * 0.2).max(3.0);
    if resources == 0 {
        return empty;
    }
    let smallest = slot * 0.35;
    let grown = smallest + (slot - smallest) * (((resources - 1) as f32).sqrt() / 7.0);
    grown.clamp(smallest, slot)
}

/// The font size of a disc's count: as large as its disc allows (between `least` and 72 units,
/// readable from the back of a room), but never wider than its slot: at 200,000 records a
/// count has five digits, which at 72 units spilled over the neighbouring topics.
pub fn count_font(resources: usize, radius: f32, slot: f32, least: f32) -> f32 {
    // A bold digit is about 0.62 of the font size wide; a little less than the slot's width
    // leaves a gap between neighbouring counts.
    let digits = resources.max(1).ilog10() as f32 + 1.0;
    (radius * 0.95)
        .clamp(least, 72.0)
        .min(slot * 1.85 / (digits * 0.62))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_fills_its_disc_but_never_spills_over_its_slot() {
        let slot = 65.0;
        // Small counts keep the size their disc gives them.
        assert_eq!(count_font(7, 40.0, slot, 34.0), 38.0);
        assert_eq!(count_font(40, 80.0, slot, 34.0), 72.0);
        for resources in [9, 99, 999, 9_999, 36_776, 120_000] {
            let font = count_font(resources, slot, slot, 34.0);
            let width = resources.to_string().len() as f32 * 0.62 * font;
            assert!(
                width <= slot * 2.0 + 0.01,
                "{resources}: {width} wide in a slot of {slot}"
            );
        }
    }
    use crate::bundle::Bundle;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support::{profile, record};
    use time::macros::datetime;

    fn catalogue() -> &'static Catalogue {
        Catalogue::wsis()
    }

    #[test]
    fn a_growing_topic_changes_its_radius_only() {
        // The layout takes no counts at all; the radius grows monotonically and stays in its slot.
        let slot = layout(catalogue(), 3, WIDE).places[0].slot;
        let mut previous = 0.0;
        for resources in [0, 1, 2, 5, 50, 101, 10_000] {
            let r = bubble_radius(resources, slot);
            assert!(r >= previous && r <= slot, "{resources}: {r}");
            previous = r;
        }
        assert!(bubble_radius(1, slot) > bubble_radius(0, slot));
    }

    /// Amina (an e-health event, a C4 project) and Jean (a document on `jeans_topic`).
    fn amina_and_jean(jeans_topic: &str) -> Community {
        let mut community = Community::new();
        let at = datetime!(2005-01-01 10:00 UTC);
        community.add_bundle(Bundle::new(
            profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
            vec![
                record(1, "amina", Kind::Event, &["C7.e-health.a"]),
                record(2, "amina", Kind::Project, &["C4"]),
            ],
            at,
        ));
        community.add_bundle(Bundle::new(
            profile("jean", StakeholderGroup::Government, Region::Europe),
            vec![record(3, "jean", Kind::Document, &[jeans_topic])],
            at,
        ));
        community
    }

    #[test]
    fn rows_roll_counts_up_and_mark_gaps() {
        let community = amina_and_jean("C7.e-health");
        let networks = Networks::build(&community, catalogue());
        let rows = topic_rows(&community, &networks, 2);
        assert_eq!(rows.len(), 39);
        let row = |id: &str| rows.iter().find(|r| r.id == id).unwrap().clone();
        let c7 = row("C7");
        assert_eq!(
            (c7.actors, c7.resources, c7.empty, c7.single_group),
            (2, 2, false, false)
        );
        let health = row("C7.e-health");
        assert_eq!((health.actors, health.resources), (2, 2));
        let c4 = row("C4");
        assert_eq!((c4.actors, c4.resources, c4.single_group), (1, 1, true));
        let c1 = row("C1");
        assert!(c1.empty && !c1.single_group);
        assert!(rows.iter().all(|r| r.level <= 2));
    }

    #[test]
    fn a_topic_slice_holds_that_topics_records_and_their_authors_only() {
        let community = amina_and_jean("C9");
        let slice = about_topic(&community, catalogue(), "C7.e-health");
        let ids: Vec<u128> = slice.records().map(|r| r.id.as_u128()).collect();
        assert_eq!(ids, vec![1]);
        assert_eq!(slice.authors().count(), 1);
        assert_eq!(
            about_topic(&community, catalogue(), "C7").records().count(),
            1
        );
        assert_eq!(
            about_topic(&community, catalogue(), "C1").authors().count(),
            0
        );
    }
}
