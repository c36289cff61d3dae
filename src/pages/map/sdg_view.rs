//! The map by Sustainable Development Goal: the same picture and table with the 17 goals in
//! place of the action lines (core `sdg_layout`, `sdg_rows`). A goal's disc is drawn in its
//! official colour; touching a goal filters the map to it (and touching it again lifts it).

use leptos::prelude::*;
use networkshop_core::catalogue::Sdg;
use networkshop_core::map::{bubble_radius, count_font, sdg_layout, wrap, SdgRow, NARROW, WIDE};

use super::query::MapAddress;
use crate::components::topic_picture::{narrow_screen, BlockHeader};
use crate::i18n::{tr, tr_count, use_lang};

fn toggle(address: MapAddress, goal: u8) {
    address.change(|q| {
        q.filters.sdg = if q.filters.sdg == Some(goal) {
            None
        } else {
            Some(goal)
        };
    });
}

#[component]
pub(super) fn SdgPicture(rows: Memo<Vec<SdgRow>>, address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    let narrow = narrow_screen();
    let layout = Memo::new(move |_| sdg_layout(if narrow.get() { NARROW } else { WIDE }));
    let view_box = move || layout.with(|l| format!("0 0 {} {}", l.width, l.height));
    let chosen = move || address.query.with(|q| q.filters.sdg);
    view! {
        <svg class="topic-picture sdg-picture" viewBox=view_box aria-hidden="true" data-testid="sdg-picture" preserveAspectRatio="xMidYMid meet">
            <For each=move || layout.with(|l| l.blocks.iter().cloned().zip(l.places.iter().cloned()).collect::<Vec<_>>())
                key=|(b, p)| format!("{}@{},{}", b.id, p.cx, p.cy) let:item>
                {
                    let (block, place) = item;
                    let goal: u8 = block.id.parse().unwrap_or(1);
                    let sdg = Sdg::get(goal).copied();
                    let header = layout.with_untracked(|l| l.header);
                    let resources = move || rows.with(|r| r.get(usize::from(goal) - 1).map_or(0, |r| r.resources));
                    let actors = move || {
                        let count = rows.with(|r| r.get(usize::from(goal) - 1).map_or(0, |r| r.actors));
                        tr_count!(lang.get(), actors_single, actors_several, count)
                    };
                    let lines = move || wrap(sdg.map(|s| s.name(lang.get())).unwrap_or_default(), header.chars_per_line, header.max_lines);
                    let radius = move || bubble_radius(resources(), place.slot);
                    let font = move || count_font(resources(), radius(), place.slot, 34.0);
                    let band = (block.x, block.y, block.width);
                    view! {
                        <g class="block sdg-block" data-sdg=goal class:selected=move || chosen() == Some(goal)
                            on:click=move |_| toggle(address, goal)>
                            <BlockHeader block=block header=header label=goal.to_string() actors=Signal::derive(actors) lines=Signal::derive(lines)/>
                            <rect class="sdg-band" x=band.0 y=band.1 width=band.2 height="8" rx="4" fill=sdg.map(|s| s.colour)/>
                            <g class="sdg-disc" class:empty=move || resources() == 0>
                                <circle cx=place.cx cy=place.cy r=radius fill=sdg.map(|s| s.colour)/>
                                <text class="disc-count" x=place.cx y=move || place.cy + font() * 0.35 text-anchor="middle" font-size=font>
                                    {move || match resources() { 0 => String::new(), n => n.to_string() }}
                                </text>
                            </g>
                        </g>
                    }
                }
            </For>
        </svg>
    }
}

/// The same numbers as the goals' picture, for screen readers and keyboards.
#[component]
pub(super) fn SdgTable(rows: Memo<Vec<SdgRow>>, address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    let chosen = move || address.query.with(|q| q.filters.sdg);
    view! {
        <table class="topic-table sdg-table">
            <caption>{move || tr!(lang.get(), sdg_table_caption)}</caption>
            <thead><tr>
                <th scope="col">{move || tr!(lang.get(), sdg)}</th>
                <th scope="col">{move || tr!(lang.get(), actors)}</th>
                <th scope="col">{move || tr!(lang.get(), resources)}</th>
            </tr></thead>
            <tbody>
                <For each=move || { (1u8..=17).collect::<Vec<u8>>() } key=|n| *n let:goal>
                    {
                        let row = move || rows.with(|r| r.get(usize::from(goal) - 1).cloned());
                        let name = move || {
                            let lang = lang.get();
                            let name = Sdg::get(goal).map(|s| s.name(lang)).unwrap_or_default();
                            tr!(lang, sdg_named, number = goal, name).to_string()
                        };
                        view! {
                            <tr data-sdg=goal class:selected=move || chosen() == Some(goal)>
                                <th scope="row">
                                    <button type="button" class="link" aria-pressed=move || (chosen() == Some(goal)).to_string()
                                        on:click=move |_| toggle(address, goal)>{name}</button>
                                </th>
                                <td data-label=move || tr!(lang.get(), actors)>{move || row().map_or(0, |r| r.actors)}</td>
                                <td data-label=move || tr!(lang.get(), resources)>{move || row().map_or(0, |r| r.resources)}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
