//! The map's picture: one block per action line, one disc per topic, in places that depend
//! only on the catalogue and the depth (see `networkshop_core::map::layout`), so nothing moves
//! when counts change; discs are keyed by topic and only their radius and colour update.
//!
//! The picture is for the eyes (and the mouse); the table next to it holds the same numbers
//! for screen readers and keyboard users, so the picture is hidden from assistive technology.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{bubble_radius, layout, Place, TopicRow};

use crate::i18n::{topics_in_words, tr, tr_count, use_lang};

/// Titles are cut to what fits on a block's header line.
fn shorten(title: &str, max: usize) -> String {
    if title.chars().count() <= max {
        title.to_owned()
    } else {
        let cut: String = title.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Cuts an id to `max` characters keeping its last two, which tell siblings apart.
fn fit(id: &str, max: usize) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= max {
        return id.to_owned();
    }
    let head: String = chars[..max.saturating_sub(3)].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

#[component]
pub fn TopicPicture(
    depth: Memo<u8>,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<std::collections::BTreeSet<String>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let layout = Memo::new(move |_| layout(Catalogue::wsis(), depth.get()));
    let view_box = move || layout.with(|l| format!("0 0 {} {}", l.width, l.height));
    let row_of = move |id: &str| rows.with(|rows| rows.iter().find(|r| r.id == id).cloned());
    view! {
        <svg class="topic-picture" viewBox=view_box aria-hidden="true" data-testid="topic-picture"
            preserveAspectRatio="xMidYMid meet">
            <For each=move || layout.with(|l| l.blocks.clone()) key=|b| b.id.clone() let:block>
                {
                    let id = block.id.clone();
                    let header = {
                        let id = id.clone();
                        move || {
                            let title = Catalogue::wsis().get(&id).map(|t| t.title(lang.get()).to_owned()).unwrap_or_default();
                            shorten(&title, 24)
                        }
                    };
                    let totals = {
                        let id = id.clone();
                        move || row_of(&id).map(|r| format!("{} · {}", r.actors, r.resources)).unwrap_or_default()
                    };
                    let target = id.clone();
                    let is_selected = {
                        let id = id.clone();
                        move || selected.with(|s| s.as_deref().and_then(|s| Catalogue::wsis().action_line(s)).is_some_and(|l| l.id == id))
                    };
                    view! {
                        <g class="block" class:selected=is_selected on:click=move |_| on_select.run(target.clone())>
                            <rect x=block.x y=block.y width=block.width height=block.height rx="10"/>
                            <text class="block-id" x=block.x + 10.0 y=block.y + 24.0>{id.clone()}</text>
                            <text class="block-totals" x=block.x + block.width - 10.0 y=block.y + 24.0 text-anchor="end">{totals}</text>
                            <text class="block-title" x=block.x + 10.0 y=block.y + 44.0>{header}</text>
                        </g>
                    }
                }
            </For>
            // Keyed by place too: a topic shown at two depths sits elsewhere at each.
            <For each=move || layout.with(|l| l.places.clone()) key=|p| format!("{}@{},{},{}", p.id, p.cx, p.cy, p.slot) let:place>
                <Disc place=place rows=rows selected=selected fresh=fresh on_select=on_select/>
            </For>
        </svg>
    }
}

#[component]
fn Disc(
    place: Place,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<std::collections::BTreeSet<String>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = place.id.clone();
    let row = {
        let id = id.clone();
        Memo::new(move |_| rows.with(|rows| rows.iter().find(|r| r.id == id).cloned()))
    };
    let resources = move || row.with(|r| r.as_ref().map_or(0, |r| r.resources));
    // At depth 1 the block's header names the disc; below, the disc carries its id without
    // the action line's prefix ("e-health.a") under it, in the bottom of its slot.
    let label_font = (place.slot * 0.36).clamp(9.0, 16.0);
    let is_action_line = Catalogue::wsis()
        .get(&place.id)
        .is_some_and(|t| t.level == 1);
    let label = (!is_action_line).then(|| {
        let short = place
            .id
            .split_once('.')
            .map_or(place.id.as_str(), |(_, rest)| rest);
        // As many characters as the slot's width holds, the end kept ("e-he…a").
        let fits = ((place.slot * 2.0) / (label_font * 0.6))
            .floor()
            .clamp(3.0, 14.0) as usize;
        fit(short, fits)
    });
    let disc_slot = if label.is_some() {
        place.slot * 0.74
    } else {
        place.slot
    };
    let cy = if label.is_some() {
        place.cy - place.slot * 0.2
    } else {
        place.cy
    };
    let radius = move || bubble_radius(resources(), disc_slot);
    let font = move || (radius() * 0.95).clamp(11.0, 72.0);
    let is_selected = {
        let id = id.clone();
        move || selected.with(|s| s.as_deref() == Some(id.as_str()))
    };
    let is_new = {
        let id = id.clone();
        move || fresh.with(|f| f.contains(&id))
    };
    let target = id.clone();
    view! {
        <g class="disc" data-topic=id.clone()
            class:empty=move || row.with(|r| r.as_ref().is_none_or(|r| r.empty))
            class:single=move || row.with(|r| r.as_ref().is_some_and(|r| r.single_group))
            class:selected=is_selected class:new=is_new
            on:click=move |ev| { ev.stop_propagation(); on_select.run(target.clone()); }>
            <title>{
                let id = id.clone();
                move || {
                    let lang = lang.get();
                    let topic = topics_in_words(lang, std::slice::from_ref(&id));
                    let (actors, resources) = row.with(|r| r.as_ref().map_or((0, 0), |r| (r.actors, r.resources)));
                    let actors = tr_count!(lang, actors_single, actors_several, actors);
                    let resources = tr_count!(lang, resources_single, resources_several, resources);
                    tr!(lang, disc_tooltip, topic, actors, resources).to_string()
                }
            }</title>
            <circle cx=place.cx cy=cy r=radius/>
            // An empty topic is its dotted ring; a number says how many resources otherwise.
            <text class="disc-count" x=place.cx y=move || cy + font() * 0.35 text-anchor="middle" font-size=font>
                {move || match resources() { 0 => String::new(), n => n.to_string() }}
            </text>
            {label.map(|label| view! {
                <text class="disc-label" x=place.cx y=place.cy + place.slot * 0.92 text-anchor="middle" font-size=label_font>{label}</text>
            })}
        </g>
    }
}
