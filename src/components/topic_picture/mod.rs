//! The map's picture: one block per action line, one disc per topic, in places that depend
//! only on the catalogue and the depth (see `networkshop_core::map::layout`), so nothing moves
//! when counts change; discs are keyed by topic, place and depth, and only their radius, count
//! and "+N" mark update (`disc.rs`).
//!
//! The picture is for the eyes (and the mouse); the table next to it holds the same numbers
//! for screen readers and keyboard users, so the picture is hidden from assistive technology.

mod disc;

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{layout, wrap, Block, Header, TopicRow, NARROW, WIDE};

use crate::i18n::{tr_count, use_lang};
use disc::Disc;

/// The colour class of a topic's action line (`hue-0` … `hue-13`, in catalogue order; the
/// colours are in the map's stylesheet, as inline styles are refused by the page's policy).
fn hue(id: &str) -> String {
    let line = Catalogue::wsis().action_line(id).map(|l| l.id.as_str());
    let index = Catalogue::wsis()
        .roots()
        .position(|t| Some(t.id.as_str()) == line)
        .unwrap_or(0);
    format!("hue-{index}")
}

/// Keeps a label to `max` characters as an abbreviation ("e-gov."): the only long ids under a
/// line are C7's "e-…" ones, which differ right after "e-", and a cut in the middle
/// ("e-go…nt") read as noise from the back of a room.
fn fit(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let head: String = label.chars().take(max.saturating_sub(1)).collect();
    format!("{}.", head.trim_end_matches('-'))
}

/// Narrower than 40rem, a phone held upright.
fn is_narrow() -> bool {
    window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 640.0)
}

/// Whether the screen is a phone's, kept up to date while the calling component lives: its
/// pictures put two blocks a row, so titles stay readable; five (or six) on anything wider.
pub fn narrow_screen() -> Signal<bool> {
    let narrow = RwSignal::new(is_narrow());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        let now = is_narrow();
        if narrow.get_untracked() != now {
            narrow.set(now);
        }
    });
    on_cleanup(move || resize.remove());
    narrow.into()
}

#[component]
pub fn TopicPicture(
    depth: Memo<u8>,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    /// Per topic, the contributions that arrived a short while ago ("+N" on its disc).
    fresh: Memo<BTreeMap<String, usize>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let narrow = narrow_screen();
    let layout = Memo::new(move |_| {
        let columns = if narrow.get() { NARROW } else { WIDE };
        layout(Catalogue::wsis(), depth.get(), columns)
    });
    let view_box = move || layout.with(|l| format!("0 0 {} {}", l.width, l.height));
    view! {
        <svg class="topic-picture" viewBox=view_box aria-hidden="true" data-testid="topic-picture"
            preserveAspectRatio="xMidYMid meet">
            <For each=move || layout.with(|l| l.blocks.iter().map(|b| (b.clone(), l.header)).collect::<Vec<_>>())
                key=|(b, h)| (b.id.clone(), h.max_lines) let:item>
                <LineBlock block=item.0 header=item.1 rows=rows selected=selected on_select=on_select/>
            </For>
            // Keyed by place and depth: a disc is drawn for one depth (its count's least size, its
            // label), and one that is going away is not redrawn first.
            <For each=move || { let depth = depth.get(); layout.with(|l| l.places.iter().map(|p| (p.clone(), depth)).collect::<Vec<_>>()) }
                key=|(p, depth)| format!("{}@{},{},{}/{depth}", p.id, p.cx, p.cy, p.slot) let:((place, depth))>
                <Disc place=place depth=depth rows=rows selected=selected fresh=fresh on_select=on_select/>
            </For>
        </svg>
    }
}

#[component]
fn LineBlock(
    block: Block,
    header: Header,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = block.id.clone();
    let lines = {
        let id = id.clone();
        move || {
            let title = Catalogue::wsis()
                .get(&id)
                .map(|t| t.short_title(lang.get()).to_owned())
                .unwrap_or_default();
            wrap(&title, header.chars_per_line, header.max_lines)
        }
    };
    let actors = {
        let id = id.clone();
        move || {
            let count = rows.with(|rows| rows.iter().find(|r| r.id == id).map_or(0, |r| r.actors));
            tr_count!(lang.get(), actors_single, actors_several, count)
        }
    };
    let is_selected = {
        let id = id.clone();
        move || {
            selected.with(|s| {
                s.as_deref()
                    .and_then(|s| Catalogue::wsis().action_line(s))
                    .is_some_and(|l| l.id == id)
            })
        }
    };
    let target = id.clone();
    view! {
        <g class=format!("block {}", hue(&id)) class:selected=is_selected
            on:click=move |_| on_select.run(target.clone())>
            <BlockHeader block=block header=header label=id.clone() actors=Signal::derive(actors) lines=Signal::derive(lines)/>
        </g>
    }
}

/// A block's frame and header: its id (or number) on the left, its actors on the right, its
/// title wrapped below; shared by the action lines' picture and the goals'.
#[component]
pub fn BlockHeader(
    block: Block,
    header: Header,
    #[prop(into)] label: String,
    actors: Signal<String>,
    lines: Signal<Vec<String>>,
) -> impl IntoView {
    let baseline = block.y + 10.0 + header.id_font * 0.8;
    let first_line = block.y + 10.0 + header.id_font + 6.0 + header.line_height * 0.8;
    let left = block.x + 12.0;
    view! {
        <rect class="frame" x=block.x y=block.y width=block.width height=block.height rx="14"/>
        <text class="block-id" x=left y=baseline font-size=header.id_font>{label}</text>
        <text class="block-actors" x=block.x + block.width - 12.0 y=baseline text-anchor="end" font-size=header.title_font * 0.85>{actors}</text>
        <text class="block-title" font-size=header.title_font>
            {move || lines.get().into_iter().enumerate().map(|(i, line)| view! {
                <tspan x=left y=first_line + i as f32 * header.line_height>{line}</tspan>
            }).collect_view()}
        </text>
    }
}
