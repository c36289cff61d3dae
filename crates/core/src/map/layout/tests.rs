use super::*;
use crate::catalogue::Lang;
use crate::map::wrap;

fn catalogue() -> &'static Catalogue {
    Catalogue::wsis()
}

#[test]
fn every_action_line_is_drawn_at_every_depth() {
    for depth in 1..=3 {
        let layout = layout(catalogue(), depth, WIDE);
        assert_eq!(layout.blocks.len(), 14);
        for block in &layout.blocks {
            assert!(
                layout.places.iter().any(|p| catalogue()
                    .action_line(&p.id)
                    .is_some_and(|l| l.id == block.id)),
                "{} has a disc at depth {depth}",
                block.id
            );
        }
    }
    // At the middle depth the lines without level-2 topics show their own disc.
    let middle = layout(catalogue(), 2, WIDE);
    for line in ["C1", "C6", "C11"] {
        assert!(middle.places.iter().any(|p| p.id == line));
    }
    assert!(!middle.places.iter().any(|p| p.id == "C7"));
    assert_eq!(
        middle
            .places
            .iter()
            .filter(|p| p.id.starts_with("C7."))
            .count(),
        8
    );
}

#[test]
fn every_topic_of_the_depth_has_one_place() {
    for depth in 1..=3 {
        let layout = layout(catalogue(), depth, WIDE);
        for topic in catalogue().topics() {
            let placed = layout.places.iter().filter(|p| p.id == topic.id).count();
            let shown = topic.level == depth
                || (topic.level < depth
                    && topic.level == 1
                    && !catalogue().topics().iter().any(|t| {
                        t.level >= 2
                            && t.level <= depth
                            && catalogue()
                                .action_line(&t.id)
                                .is_some_and(|l| l.id == topic.id)
                    }))
                || (depth == 3 && topic.level == 2);
            assert_eq!(placed, usize::from(shown), "{} at depth {depth}", topic.id);
        }
    }
}

#[test]
fn places_are_inside_their_block_and_never_overlap() {
    for (depth, columns) in (1..=3).flat_map(|d| [(d, WIDE), (d, NARROW)]) {
        let layout = layout(catalogue(), depth, columns);
        for block in &layout.blocks {
            assert!(block.x >= 0.0 && block.x + block.width <= layout.width);
            assert!(block.y >= 0.0 && block.y + block.height <= layout.height);
        }
        for place in &layout.places {
            let line = catalogue().action_line(&place.id).unwrap();
            let block = layout.blocks.iter().find(|b| b.id == line.id).unwrap();
            assert!(place.slot >= 6.0, "{} has room to be seen", place.id);
            assert!(place.cx - place.slot >= block.x);
            assert!(place.cx + place.slot <= block.x + block.width);
            assert!(place.cy - place.slot >= block.y + layout.header.height - 1.0);
            assert!(place.cy + place.slot <= block.y + block.height);
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
fn action_line_titles_are_never_cut_at_depth_one() {
    let header = header(1);
    for line in catalogue().topics().iter().filter(|t| t.level == 1) {
        for lang in [Lang::Fr, Lang::En] {
            let title = line.short_title(lang);
            let lines = wrap(title, header.chars_per_line, 0);
            assert!(
                lines.len() <= header.max_lines,
                "{} ({lang:?}): {lines:?}",
                line.id
            );
        }
    }
    assert!(header.title_font >= 24.0 && header.id_font >= 32.0);
}

#[test]
fn a_wide_picture_fills_a_1080p_projector_area() {
    let wide = layout(catalogue(), 1, WIDE);
    assert_eq!((wide.width, wide.height), (1370.0, 918.0));
    let narrow = layout(catalogue(), 1, NARROW);
    assert_eq!(narrow.width, 548.0);
}

#[test]
fn every_goal_has_a_block_and_a_disc_whose_name_fits() {
    for columns in [WIDE, NARROW] {
        let layout = sdg_layout(columns);
        assert_eq!(layout.blocks.len(), 17);
        assert_eq!(layout.places.len(), 17);
        for (block, place) in layout.blocks.iter().zip(&layout.places) {
            assert_eq!(block.id, place.id);
            assert!(place.cy - place.slot >= block.y + layout.header.height - 1.0);
            assert!(place.cy + place.slot <= block.y + block.height);
        }
    }
    for goal in crate::catalogue::SDGS {
        for lang in [Lang::Fr, Lang::En] {
            let lines = wrap(goal.name(lang), header(1).chars_per_line, 0);
            assert!(
                lines.len() <= header(1).max_lines,
                "{}: {lines:?}",
                goal.number
            );
        }
    }
}

#[test]
fn the_layout_is_deterministic() {
    for depth in 1..=3 {
        assert_eq!(
            layout(catalogue(), depth, WIDE),
            layout(catalogue(), depth, WIDE)
        );
    }
}
