//! The picture's layout: one block per action line, its discs inside. It depends on the
//! catalogue and the depth only, never on the counts: a topic keeps its place however the
//! others grow, so a projected map never jumps.
//!
//! Units are the picture's own; in projector mode at 1920×1080 one unit is about one pixel,
//! which is what the header's font sizes are chosen for (titles ≥ 24 px from the back).

use serde::Serialize;

use crate::catalogue::Catalogue;

/// Blocks a row on a wide screen: five rows of three fill a 1080p projector's picture area
/// (1370 × 920 units); each block is wide enough for a 24-unit title of about 17 characters.
pub const WIDE: usize = 5;
/// Blocks a row on a phone: two, so that a 360 px screen shows titles at about 14 px.
pub const NARROW: usize = 2;
/// The 17 goals in rows of six on a wide screen (three rows, like the action lines').
const SDG_WIDE: usize = 6;
const BLOCK_WIDTH: f32 = 262.0;
const BLOCK_HEIGHT: f32 = 294.0;
const GUTTER: f32 = 12.0;
const PADDING: f32 = 12.0;
/// A conservative average glyph width, in ems, for the sans-serif fonts a projector's
/// computer has (DejaVu Sans is the widest common one).
const GLYPH_WIDTH: f32 = 0.58;

/// An action line's rectangle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub id: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// Where one topic's disc goes: its centre and the largest radius it may take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    pub id: String,
    pub cx: f32,
    pub cy: f32,
    pub slot: f32,
}

/// A block's header at a depth: the id line, then the title wrapped in at most `max_lines`.
/// At depth 1 the title is whole (the catalogue's short titles fit four lines); deeper, the
/// discs need the room and the title takes two lines.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Header {
    pub id_font: f32,
    pub title_font: f32,
    pub line_height: f32,
    pub max_lines: usize,
    pub chars_per_line: usize,
    pub height: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLayout {
    pub width: f32,
    pub height: f32,
    pub header: Header,
    pub blocks: Vec<Block>,
    pub places: Vec<Place>,
}

pub fn header(depth: u8) -> Header {
    let (id_font, title_font, line_height, max_lines) = if depth <= 1 {
        (32.0, 24.0, 28.0, 4)
    } else {
        (28.0, 22.0, 25.0, 2)
    };
    let chars_per_line =
        ((BLOCK_WIDTH - 2.0 * PADDING) / (title_font * GLYPH_WIDTH)).floor() as usize;
    Header {
        id_font,
        title_font,
        line_height,
        max_lines,
        chars_per_line,
        height: PADDING + id_font + 8.0 + max_lines as f32 * line_height,
    }
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

/// The topics drawn inside an action line's block at a depth: the line itself at depth 1, its
/// topics of levels 2 to `depth` deeper, or the line itself again when it has none there (so
/// every depth shows every action line's count).
fn members<'a>(catalogue: &'a Catalogue, line: &'a str, depth: u8) -> Vec<&'a str> {
    let inside: Vec<&str> = catalogue
        .topics()
        .iter()
        .filter(|t| t.level >= 2 && t.level <= depth)
        .filter(|t| catalogue.action_line(&t.id).is_some_and(|l| l.id == line))
        .map(|t| t.id.as_str())
        .collect();
    if depth <= 1 || inside.is_empty() {
        vec![line]
    } else {
        inside
    }
}

/// Places for the topics of the depth: blocks in rows of `columns` (`WIDE` or `NARROW`) in
/// catalogue order, the last row centred, each block's discs in a grid below its header.
pub fn layout(catalogue: &Catalogue, depth: u8, columns: usize) -> MapLayout {
    let lines: Vec<&str> = catalogue.roots().map(|t| t.id.as_str()).collect();
    arrange(
        &lines,
        |line| members(catalogue, line, depth),
        columns,
        header(depth),
    )
}

/// The picture by Sustainable Development Goal: one block and one disc per goal (ids "1" to
/// "17"), six a row on a wide screen, with the action-line picture's header.
pub fn sdg_layout(columns: usize) -> MapLayout {
    let goals: Vec<String> = crate::catalogue::SDGS
        .iter()
        .map(|s| s.number.to_string())
        .collect();
    let ids: Vec<&str> = goals.iter().map(String::as_str).collect();
    let columns = if columns >= WIDE { SDG_WIDE } else { columns };
    arrange(&ids, |goal| vec![goal], columns, header(1))
}

/// Blocks in rows of `columns`, the last row centred, each with its members' discs in the
/// biggest square grid that fits below the header.
fn arrange<'a>(
    ids: &[&'a str],
    members_of: impl Fn(&'a str) -> Vec<&'a str>,
    columns: usize,
    header: Header,
) -> MapLayout {
    let columns = columns.max(1);
    let rows = ids.len().div_ceil(columns).max(1);
    let (width, height) = (BLOCK_WIDTH, BLOCK_HEIGHT);
    let mut blocks = Vec::new();
    let mut places = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let row = i / columns;
        let in_row = (ids.len() - row * columns).min(columns);
        let centring = (columns - in_row) as f32 * (width + GUTTER) / 2.0;
        let x = GUTTER / 2.0 + centring + (i % columns) as f32 * (width + GUTTER);
        let y = GUTTER / 2.0 + row as f32 * (height + GUTTER);
        blocks.push(Block {
            id: (*id).to_owned(),
            x,
            y,
            width,
            height,
        });
        let inner_x = x + PADDING / 2.0;
        let inner_y = y + header.height;
        let inner_width = width - PADDING;
        let inner_height = height - header.height - PADDING / 2.0;
        let members = members_of(id);
        let (grid_columns, cell) = grid(members.len(), inner_width, inner_height);
        let used_rows = members.len().max(1).div_ceil(grid_columns);
        let offset_x = (inner_width - grid_columns as f32 * cell) / 2.0;
        let offset_y = (inner_height - used_rows as f32 * cell) / 2.0;
        for (k, member) in members.into_iter().enumerate() {
            places.push(Place {
                id: member.to_owned(),
                cx: inner_x + offset_x + ((k % grid_columns) as f32 + 0.5) * cell,
                cy: inner_y + offset_y + ((k / grid_columns) as f32 + 0.5) * cell,
                slot: cell / 2.0 * 0.92,
            });
        }
    }
    MapLayout {
        width: columns as f32 * (BLOCK_WIDTH + GUTTER),
        height: rows as f32 * (BLOCK_HEIGHT + GUTTER),
        header,
        blocks,
        places,
    }
}

#[cfg(test)]
mod tests;
