//! A topic's network, drawn: its actors as discs coloured by stakeholder group, linked by the
//! topics they share (thicker for more), and the topic's events on a timeline. The layout is
//! the core's (`draw_network`, deterministic); the text list below the table says the same in
//! words for screen readers.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::networks::drawing::{draw_network, NetworkDrawing};
use networkshop_core::record::{code, StakeholderGroup};

use super::query::MapAddress;
use super::MapData;
use crate::clock::dates_between;
use crate::i18n::{group_label, tr, tr_count, use_lang};

/// Past this many actors the picture shows one disc per stakeholder group.
pub(super) const MOST_ACTORS_DRAWN: usize = 60;
/// Events listed under the picture; the full list is in the text view.
const EVENTS_SHOWN: usize = 4;
/// A name's characters under its disc; fewer past 24 actors, whose discs are closer (the
/// core's layout leaves room for these).
const LABEL_CHARS: usize = 20;
const LABEL_CHARS_CROWDED: usize = 12;

pub(super) fn group_colour(group: StakeholderGroup) -> &'static str {
    match group {
        StakeholderGroup::Government => "#5b9bd5",
        StakeholderGroup::PrivateSector => "#f4a340",
        StakeholderGroup::CivilSociety => "#6cc070",
        StakeholderGroup::AcademicTechnical => "#c490d1",
        StakeholderGroup::InternationalOrganisation => "#f2d44e",
    }
}

fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The open topic's drawing, made once for the picture and its text twin and made again
/// only when the topic or the data change (at 10,000 participants it is the page's largest task).
pub(super) fn open_network(
    data: MapData,
    topic: Memo<Option<String>>,
) -> Memo<Option<NetworkDrawing>> {
    Memo::new(move |_| {
        let topic = topic.get()?;
        Some(data.with(|community, networks| {
            draw_network(community, networks, &topic, MOST_ACTORS_DRAWN)
        }))
    })
}

#[component]
pub(super) fn NetworkPicture(
    topic: String,
    drawing: Memo<Option<NetworkDrawing>>,
    address: MapAddress,
) -> impl IntoView {
    let lang = use_lang();
    let heading = move || {
        let lang = lang.get();
        let title = Catalogue::wsis()
            .get(&topic)
            .map(|t| t.short_title(lang))
            .unwrap_or_default();
        tr!(lang, network_of_topic, id = topic.clone(), title).to_string()
    };
    view! {
        <section class="network-drawn" data-testid="network-picture" aria-hidden="true">
            <h2>{heading}</h2>
            {move || drawing.with(|d| d.clone().map(|d| view! { <Drawing drawing=d address=address/> }))}
            <GroupKeys drawing=drawing/>
            <ol class="timeline">
                {move || drawing.with(|d| d.iter().flat_map(|d| d.events.iter().take(EVENTS_SHOWN)).map(|e| {
                    let lang = lang.get();
                    let when = dates_between(&e.starts_on, &e.ends_on, lang);
                    view! { <li><time datetime=e.starts_on.clone()>{when}</time><bdi>{e.title.clone()}</bdi>" — "<bdi>{e.author.clone()}</bdi></li> }
                }).collect_view())}
            </ol>
        </section>
    }
}

#[component]
fn Drawing(drawing: NetworkDrawing, address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    let at = |id: &str| {
        drawing
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| (n.x, n.y))
    };
    let edges: Vec<_> = drawing
        .edges
        .iter()
        .filter_map(|e| Some((at(&e.a)?, at(&e.b)?, e.weight)))
        .collect();
    let grouped = drawing.grouped;
    let max_chars = if drawing.nodes.len() > 24 {
        LABEL_CHARS_CROWDED
    } else {
        LABEL_CHARS
    };
    view! {
        <svg class="network-picture" viewBox=format!("0 0 {} {}", drawing.width, drawing.height) preserveAspectRatio="xMidYMid meet">
            {edges.into_iter().map(|((x1, y1), (x2, y2), weight)| view! {
                <line class="edge" x1=x1 y1=y1 x2=x2 y2=y2 stroke-width=(1.5 + weight as f32 * 1.5).min(10.0)/>
            }).collect_view()}
            {drawing.nodes.into_iter().map(|node| {
                let lang = lang.get_untracked();
                let label = if grouped { group_label(lang, node.group).to_owned() } else { short(&node.label, max_chars) };
                let detail = if grouped {
                    tr_count!(lang, actors_single, actors_several, node.members)
                } else {
                    let count: usize = node.resources.iter().map(|(_, n)| n).sum();
                    tr_count!(lang, resources_single, resources_several, count)
                };
                let actor = (!grouped).then(|| node.id.clone());
                view! {
                    <g class="node" on:click=move |_| if let Some(actor) = actor.clone() { address.change(|q| q.actor = Some(actor)) }>
                        <circle cx=node.x cy=node.y r=node.r fill=group_colour(node.group)/>
                        <text class="node-label" x=node.x y=node.y + node.r + 22.0 text-anchor="middle" font-size="22">{label}</text>
                        <text class="node-detail" x=node.x y=node.y + node.r + 44.0 text-anchor="middle" font-size="18">{detail}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Which colour is which stakeholder group, for the groups in the picture.
#[component]
fn GroupKeys(drawing: Memo<Option<NetworkDrawing>>) -> impl IntoView {
    let lang = use_lang();
    let groups = move || {
        drawing.with(|d| {
            StakeholderGroup::ALL
                .iter()
                .copied()
                .filter(|g| d.iter().flat_map(|d| &d.nodes).any(|n| n.group == *g))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class="network-keys">
            {move || groups().into_iter().map(|g| view! {
                <li><span class=format!("swatch group-{}", code(&g))></span>{group_label(lang.get(), g)}</li>
            }).collect_view()}
        </ul>
    }
}
