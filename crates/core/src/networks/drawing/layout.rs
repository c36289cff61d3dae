//! Where a network's discs go: on a circle (two past `RING_SPLIT`), in the order given, each
//! disc given an arc in proportion to its size, and the circles made just large enough that
//! no two discs come closer than `GAP`, nor two neighbours closer than their labels need; the
//! circle is then stretched sideways into an ellipse that fills a wide screen (stretching
//! never brings two points closer). Pure geometry: the same radii give the same picture.

use std::f32::consts::{PI, TAU};

/// The frame's width and height when the network fits; a larger one keeps these proportions,
/// so the picture scales evenly in the map's panel.
pub const FRAME: (f32, f32) = (1400.0, 820.0);
/// Room kept below every disc for its two lines of label (22 and 18 units, see the app).
pub const LABEL_ROOM: f32 = 52.0;
/// Half the width kept for a label centred under a disc.
const LABEL_HALF_WIDTH: f32 = 70.0;
const MARGIN: f32 = 24.0;
/// Space between two discs, enough for the labels of neighbours not to run into each other.
pub const GAP: f32 = 24.0;
/// The smallest circle: a few actors on a tighter one read as a clump, not a ring.
const MIN_RING: f32 = 260.0;
/// How much wider than tall the ring is drawn, about a projector's proportions.
const STRETCH: f32 = 1.7;
/// The least distance between neighbours' centres, so that their names (about 20 characters
/// at 22 units, or 12 past `RING_SPLIT`, see the app) do not run into each other.
const LABEL_SPACING: f32 = 170.0;
const LABEL_SPACING_CROWDED: f32 = 120.0;
/// Past this many discs one circle grows wider than a projector shows.
const RING_SPLIT: usize = 24;

/// A disc's radius for `count` things (resources or members): area in proportion to the count,
/// from one thing's disc up to `max`.
pub fn disc_radius(count: usize, max: f32) -> f32 {
    const ONE: f32 = 14.0;
    (ONE * (count.max(1) as f32).sqrt()).min(max)
}

pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub centres: Vec<(f32, f32)>,
}

/// Places discs of the given radii; neighbours in the slice are neighbours on the circle.
pub fn place(radii: &[f32]) -> Layout {
    let around_origin = match radii.len() {
        0 => Vec::new(),
        1 => vec![(0.0, 0.0)],
        _ => rings(radii),
    };
    frame(radii, around_origin)
}

fn rings(radii: &[f32]) -> Vec<(f32, f32)> {
    let n = radii.len();
    // Alternate discs go to the inner circle, so each group still spans one arc of both.
    let ring = |i: usize| if n > RING_SPLIT { i % 2 } else { 0 };
    let demand = |i: usize| {
        let next = (i + 1) % n;
        // Two neighbours on one circle between neighbours on two (the last and first of an
        // odd number) need the arc of two steps.
        let steps = if n > RING_SPLIT && ring(i) == ring(next) {
            2.0
        } else {
            1.0
        };
        let spacing = if n > RING_SPLIT {
            LABEL_SPACING_CROWDED
        } else {
            LABEL_SPACING
        };
        steps * (radii[i] + radii[next] + GAP).max(spacing)
    };
    let total: f32 = (0..n).map(demand).sum();
    let mut angles = Vec::with_capacity(n);
    let mut angle = -PI / 2.0;
    for i in 0..n {
        angles.push(angle);
        angle += TAU * demand(i) / total;
    }
    // The chord between two discs on a circle of radius R is 2R·sin(Δ/2): each pair on the
    // same circle asks for a least R, and the largest ask is the circle's radius.
    let mut least = [MIN_RING; 2];
    for a in 0..n {
        for b in a + 1..n {
            if ring(a) == ring(b) {
                let half_sin = ((angles[b] - angles[a]) / 2.0).sin();
                let ask = (radii[a] + radii[b] + GAP) / (2.0 * half_sin.abs().max(1e-3));
                least[ring(a)] = least[ring(a)].max(ask);
            }
        }
    }
    let mut circle = least;
    if n > RING_SPLIT {
        let widest = |r: usize| {
            (0..n)
                .filter(|i| ring(*i) == r)
                .map(|i| radii[i])
                .fold(0.0, f32::max)
        };
        // Two discs on different circles are at least the circles' difference apart.
        // The inner circle's labels hang below its discs, towards the outer one.
        circle[0] = circle[0].max(circle[1] + widest(0) + widest(1) + GAP + LABEL_ROOM * 2.0);
    }
    (0..n)
        .map(|i| {
            let r = circle[ring(i)];
            (STRETCH * r * angles[i].cos(), r * angles[i].sin())
        })
        .collect()
}

/// The frame around discs placed about the origin, with the origin in its centre.
fn frame(radii: &[f32], around_origin: Vec<(f32, f32)>) -> Layout {
    let mut half = (0.0f32, 0.0f32);
    for (&(x, y), &r) in around_origin.iter().zip(radii) {
        half.0 = half.0.max(x.abs() + r.max(LABEL_HALF_WIDTH));
        half.1 = half.1.max((y - r).abs()).max(y + r + LABEL_ROOM);
    }
    let needed = (2.0 * (half.0 + MARGIN), 2.0 * (half.1 + MARGIN));
    let scale = (needed.0 / FRAME.0).max(needed.1 / FRAME.1).max(1.0);
    let (width, height) = (FRAME.0 * scale, FRAME.1 * scale);
    let centres = around_origin
        .into_iter()
        .map(|(x, y)| (x + width / 2.0, y + height / 2.0))
        .collect();
    Layout {
        width,
        height,
        centres,
    }
}
