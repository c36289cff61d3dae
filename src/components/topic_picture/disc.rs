//! One topic's disc in the map's picture: its size, count, label and "+N" mark.
//!
//! A depth change builds 155 discs at once, and each reactive part of a disc costs the page's
//! main thread, so a disc has three: the memo of what it shows, its class, and its contents,
//! rebuilt in place (the same elements, changed attributes) when what it shows changes.

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{bubble_radius, count_font, Place, TopicRow};

use super::{fit, hue};
use crate::components::class_list;
use crate::i18n::{topics_in_words, tr, tr_count, use_lang, Lang};

/// What a disc shows of its topic, compared as a whole: a poll that leaves a topic alone
/// touches nothing of its disc.
#[derive(Clone, Copy, PartialEq)]
struct DiscState {
    actors: usize,
    resources: usize,
    empty: bool,
    single_group: bool,
    selected: bool,
    /// Contributions that arrived a short while ago ("+N").
    arrived: usize,
    /// Turns over each time the count changes: the count's animation takes another name
    /// (`pop-again`), which plays its "pop" again on the same element.
    popped: bool,
}

/// Where a disc's parts go, from its place alone.
struct Shape {
    cx: f32,
    cy: f32,
    slot: f32,
    /// The slot of the disc itself, smaller when a label sits under it.
    disc_slot: f32,
    label: Option<(String, f32)>,
    mark_font: f32,
}

impl Shape {
    fn of(place: &Place) -> Shape {
        // An action line's own disc is named by its block's header; a deeper topic carries its
        // id without the line's prefix ("e-health", "a") under it.
        let is_action_line = Catalogue::wsis()
            .get(&place.id)
            .is_some_and(|t| t.level == 1);
        let label_font = (place.slot * 0.4).clamp(14.0, 22.0);
        let label = (!is_action_line).then(|| {
            let short = place
                .id
                .rsplit_once('.')
                .map_or(place.id.as_str(), |(_, rest)| rest);
            // Neighbouring centres are 2.17 slots apart; a bold character is about 0.62 em wide.
            let fits = ((place.slot * 1.9) / (label_font * 0.62)).floor().max(3.0) as usize;
            (fit(short, fits), label_font)
        });
        let below = if label.is_some() { 0.2 } else { 0.0 };
        Shape {
            cx: place.cx,
            cy: place.cy - place.slot * below,
            slot: place.slot,
            disc_slot: if label.is_some() {
                place.slot * 0.74
            } else {
                place.slot
            },
            label,
            mark_font: (label_font * 1.15).max(if is_action_line { 34.0 } else { 20.0 }),
        }
    }
}

fn state_of(id: &str, rows: &[TopicRow], arrived: usize, selected: bool) -> DiscState {
    let row = rows.iter().find(|r| r.id == id);
    DiscState {
        actors: row.map_or(0, |r| r.actors),
        resources: row.map_or(0, |r| r.resources),
        empty: row.is_none_or(|r| r.empty),
        single_group: row.is_some_and(|r| r.single_group),
        selected,
        arrived,
        popped: false,
    }
}

fn tooltip(lang: Lang, id: &str, s: DiscState) -> String {
    let topic = topics_in_words(lang, &[id.to_owned()]);
    let actors = tr_count!(lang, actors_single, actors_several, s.actors);
    let resources = tr_count!(lang, resources_single, resources_several, s.resources);
    tr!(lang, disc_tooltip, topic, actors, resources).to_string()
}

#[component]
pub(super) fn Disc(
    place: Place,
    depth: u8,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<BTreeMap<String, usize>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = place.id.clone();
    let state = {
        let id = id.clone();
        Memo::new(move |before: Option<&DiscState>| {
            let arrived = fresh.with(|f| f.get(&id).copied().unwrap_or(0));
            let is_selected = selected.with(|s| s.as_deref() == Some(id.as_str()));
            let now = rows.with(|rows| state_of(&id, rows, arrived, is_selected));
            let popped = before.is_some_and(|b| b.popped ^ (b.resources != now.resources));
            DiscState { popped, ..now }
        })
    };
    let class = {
        let hue = hue(&id);
        move || {
            let s = state.get();
            let flags = [
                (s.empty, "empty"),
                (s.single_group, "single"),
                (s.selected, "selected"),
                (s.arrived > 0, "new"),
            ];
            class_list(format!("disc {hue}"), &flags)
        }
    };
    let shape = Shape::of(&place);
    let contents = {
        let id = id.clone();
        move || {
            let (s, lang) = (state.get(), lang.get());
            let Shape {
                cx,
                cy,
                slot,
                disc_slot,
                ref label,
                mark_font,
            } = shape;
            let r = bubble_radius(s.resources, disc_slot);
            // Counts stay readable from the back of the room however small the disc: at least
            // 34 units at the action-line level (about 34 px on a 1080p projector).
            let font = count_font(s.resources, r, slot, if depth <= 1 { 34.0 } else { 18.0 });
            // At the finest depth only the topics with resources are named: 169 labels are a
            // texture from the back of a room, a dozen are a summary.
            let label = label.clone().filter(|_| depth < 3 || s.resources > 0);
            view! {
                <title>{tooltip(lang, &id, s)}</title>
                <circle cx=cx cy=cy r=r/>
                <text class=if s.popped { "disc-count pop-again" } else { "disc-count" }
                    x=cx y=cy + font * 0.35 font-size=font>
                    {(s.resources > 0).then(|| s.resources.to_string())}
                </text>
                {label.map(|(label, font)| view! {
                    <text class="disc-label" x=cx y=place.cy + slot * 0.92 font-size=font>{label}</text>
                })}
                {(s.arrived > 0).then(|| view! {
                    <text class="fresh-mark" x=cx + r * 0.7 y=cy - r * 0.7 font-size=mark_font>{format!("+{}", s.arrived)}</text>
                })}
            }
        }
    };
    let target = id.clone();
    view! {
        <g class=class data-topic=id on:click=move |ev| { ev.stop_propagation(); on_select.run(target.clone()); }>
            {contents}
        </g>
    }
}
