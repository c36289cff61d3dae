//! What the topic map shows: the rows of the table and the places of the picture.
//!
//! The picture's layout depends on the catalogue and the chosen depth only, never on the
//! counts: a topic keeps its place however the others grow, so a projected map never jumps.
//! Counts change a bubble's radius, on an absolute scale capped by its slot, so a bubble never
//! covers its neighbour.

use serde::Serialize;

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
            let summary = networks.summary(community, &t.id);
            TopicRow {
                id: t.id.clone(),
                level: t.level,
                actors: summary.actors,
                resources: summary.resources,
                empty: gaps.empty.contains(&t.id),
                single_group: gaps.single_group.iter().any(|(id, _)| *id == t.id),
            }
        })
        .collect()
}

pub const MAP_WIDTH: f32 = 1400.0;
pub const MAP_HEIGHT: f32 = 820.0;
const COLUMNS: usize = 7;
const HEADER: f32 = 56.0;
const GUTTER: f32 = 10.0;

/// An action line's rectangle (its header carries the line's id and title).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub id: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// Where one topic's bubble goes: its centre and the largest radius it may take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub id: String,
    pub cx: f32,
    pub cy: f32,
    pub slot: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLayout {
    pub width: f32,
    pub height: f32,
    pub blocks: Vec<Block>,
    pub places: Vec<Place>,
}

/// The grid with the biggest square cells for `n` items in a `width` × `height` area.
fn grid(n: usize, width: f32, height: f32) -> (usize, f32) {
    (1..=n.max(1))
        .map(|columns| {
            let rows = n.max(1).div_ceil(columns);
            (columns, (width / columns as f32).min(height / rows as f32))
        })
        .fold((1, 0.0), |best, candidate| {
            if candidate.1 > best.1 {
                candidate
            } else {
                best
            }
        })
}

/// Places for the topics of granularity `depth` or coarser: one block per action line (two
/// rows of seven), the line itself at depth 1, its sub-topics in a grid below its header at
/// depths 2 and 3.
pub fn layout(catalogue: &Catalogue, depth: u8) -> MapLayout {
    let lines: Vec<_> = catalogue.topics().iter().filter(|t| t.level == 1).collect();
    let rows = lines.len().div_ceil(COLUMNS).max(1);
    let block_width = MAP_WIDTH / COLUMNS as f32;
    let block_height = MAP_HEIGHT / rows as f32;
    let mut blocks = Vec::new();
    let mut places = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let x = (i % COLUMNS) as f32 * block_width;
        let y = (i / COLUMNS) as f32 * block_height;
        blocks.push(Block {
            id: line.id.clone(),
            x: x + GUTTER / 2.0,
            y: y + GUTTER / 2.0,
            width: block_width - GUTTER,
            height: block_height - GUTTER,
        });
        let inner_x = x + GUTTER;
        let inner_y = y + HEADER;
        let inner_width = block_width - 2.0 * GUTTER;
        let inner_height = block_height - HEADER - GUTTER;
        let members: Vec<&str> = if depth <= 1 {
            vec![line.id.as_str()]
        } else {
            catalogue
                .topics()
                .iter()
                .filter(|t| t.level >= 2 && t.level <= depth)
                .filter(|t| {
                    catalogue
                        .action_line(&t.id)
                        .is_some_and(|l| l.id == line.id)
                })
                .map(|t| t.id.as_str())
                .collect()
        };
        let (columns, cell) = grid(members.len(), inner_width, inner_height);
        let used_rows = members.len().max(1).div_ceil(columns);
        // Centre the grid in the block.
        let offset_x = (inner_width - columns as f32 * cell) / 2.0;
        let offset_y = (inner_height - used_rows as f32 * cell) / 2.0;
        for (k, id) in members.into_iter().enumerate() {
            places.push(Place {
                id: id.to_owned(),
                cx: inner_x + offset_x + ((k % columns) as f32 + 0.5) * cell,
                cy: inner_y + offset_y + ((k / columns) as f32 + 0.5) * cell,
                slot: cell / 2.0 * 0.92,
            });
        }
    }
    MapLayout {
        width: MAP_WIDTH,
        height: MAP_HEIGHT,
        blocks,
        places,
    }
}

/// A bubble's radius for a number of resources: area grows with the count on a fixed scale
/// (one resource, a third of the slot; the slot is full from 100), never beyond the slot, and
/// an empty topic keeps a visible ring.
pub fn bubble_radius(resources: usize, slot: f32) -> f32 {
    let empty = (slot * 0.2).max(3.0);
    if resources == 0 {
        return empty;
    }
    let smallest = slot * 0.3;
    let grown = smallest + (slot - smallest) * (((resources - 1) as f32).sqrt() / 10.0);
    grown.clamp(smallest, slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support::{profile, record};
    use time::macros::datetime;

    fn catalogue() -> &'static Catalogue {
        Catalogue::wsis()
    }

    #[test]
    fn every_topic_of_the_depth_has_one_place() {
        for (depth, count) in [(1, 14), (2, 39), (3, 169)] {
            let layout = layout(catalogue(), depth);
            let expected: Vec<&str> = catalogue()
                .topics()
                .iter()
                .filter(|t| t.level <= depth && (depth == 1 || t.level >= 2))
                .map(|t| t.id.as_str())
                .collect();
            let mut placed: Vec<&str> = layout.places.iter().map(|p| p.id.as_str()).collect();
            placed.sort_by_key(|id| catalogue().position(id));
            assert_eq!(placed, expected, "depth {depth}");
            // The action lines themselves are the blocks at depths 2 and 3.
            let lines = if depth == 1 { 0 } else { 14 };
            assert_eq!(placed.len() + lines, count, "depth {depth}");
        }
    }

    #[test]
    fn places_are_inside_their_block_and_never_overlap_even_when_full() {
        for depth in 1..=3 {
            let layout = layout(catalogue(), depth);
            for place in &layout.places {
                let line = catalogue().action_line(&place.id).unwrap();
                let block = layout.blocks.iter().find(|b| b.id == line.id).unwrap();
                assert!(place.slot >= 6.0, "{} has room to be seen", place.id);
                assert!(
                    place.cx - place.slot >= block.x
                        && place.cx + place.slot <= block.x + block.width
                );
                assert!(
                    place.cy - place.slot >= block.y
                        && place.cy + place.slot <= block.y + block.height
                );
            }
            for (i, a) in layout.places.iter().enumerate() {
                for b in &layout.places[i + 1..] {
                    let distance = ((a.cx - b.cx).powi(2) + (a.cy - b.cy).powi(2)).sqrt();
                    assert!(distance >= a.slot + b.slot, "{} and {} overlap", a.id, b.id);
                }
            }
        }
    }

    #[test]
    fn the_layout_is_deterministic() {
        for depth in 1..=3 {
            assert_eq!(layout(catalogue(), depth), layout(catalogue(), depth));
        }
    }

    #[test]
    fn a_growing_topic_changes_its_radius_only() {
        // The layout takes no counts at all; the radius grows monotonically and stays in its slot.
        let slot = layout(catalogue(), 3).places[0].slot;
        let mut previous = 0.0;
        for resources in [0, 1, 2, 5, 50, 101, 10_000] {
            let r = bubble_radius(resources, slot);
            assert!(r >= previous && r <= slot, "{resources}: {r}");
            previous = r;
        }
        assert!(bubble_radius(1, slot) > bubble_radius(0, slot));
    }

    #[test]
    fn rows_roll_counts_up_and_mark_gaps() {
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
            vec![record(3, "jean", Kind::Document, &["C7.e-health"])],
            at,
        ));
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
}
