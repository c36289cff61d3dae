//! The community view: everyone's published resources, pulled from the endpoint every few
//! seconds, drawn as a picture of the Plan of Action's topics beside a live feed, with one
//! topic's network drawn and a table holding the same numbers in words. The address carries
//! the whole view (`MapQuery`), so a view can be bookmarked, shared or projected.

mod actor;
mod chart_picture;
mod charts;
mod controls;
mod data;
mod feed;
mod heading;
mod marks;
mod network;
mod network_drawing;
mod people;
mod problems;
mod query;
mod sdg_view;
mod stale_note;
mod table;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{about_topic, sdg_rows, topic_rows};
use networkshop_core::map_query::CHARTS;

use crate::components::export_menu::ExportMenu;
use crate::components::topic_picture::TopicPicture;
use crate::i18n::{tr, use_lang};
use crate::services::{use_community, Community};
use actor::ActorPanel;
use chart_picture::ChartPicture;
use charts::MapCharts;
use controls::MapControls;
pub use data::MapData;
use feed::Feed;
use heading::MapHeading;
use marks::fresh_marks;
use network::TopicNetwork;
use network_drawing::{open_network, NetworkPicture};
use people::{JoinCode, Participants};
use problems::FileProblems;
use query::MapAddress;
use sdg_view::{SdgPicture, SdgTable};
use table::TopicTable;

const POLL_EVERY: Duration = Duration::from_secs(5);
/// How long the auto-tour stays on an action line, unless the address says (`tour_every`).
const TOUR_STEP: Duration = Duration::from_secs(12);
/// How long a new contribution stays marked "+N", unless the address says (`fade`).
const FADE: Duration = Duration::from_secs(180);

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let state = use_community();
    let address = MapAddress::new();
    let query = address.query;
    let clock = poll(state);

    let filters = Memo::new(move |_| query.with(|q| q.filters.clone()));
    let depth = Memo::new(move |_| query.with(|q| q.depth));
    let selected = Memo::new(move |_| query.with(|q| q.topic.clone()));
    let actor = Memo::new(move |_| query.with(|q| q.actor.clone()));
    let projector = Memo::new(move |_| query.with(|q| q.projector));
    let by_sdg = Memo::new(move |_| query.with(|q| q.by_sdg));
    let chart = Memo::new(move |_| query.with(|q| q.chart));
    let data = MapData::new(state, filters);
    let rows = Memo::new(move |_| {
        let depth = depth.get();
        data.with(|community, networks| topic_rows(community, networks, depth))
    });
    let goal_rows = Memo::new(move |_| {
        if !by_sdg.get() {
            return Vec::new();
        }
        data.with(|community, _| sdg_rows(community, Catalogue::wsis()))
    });

    projector_class(projector);
    tour(address);

    let (arrivals, fresh_topics, fresh_count) = fresh_marks(state, clock, query, data);
    let drawing = open_network(data, selected);

    let select_topic = Callback::new(move |id: String| address.toggle_topic(id));
    let participant_address = move || {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/")
    };
    let export_name = Signal::derive(move || query.with(|q| q.export_name()));
    let export_source = Callback::new(move |_: ()| {
        let topic = selected.get_untracked();
        data.with_untracked(|community, _| match topic {
            Some(topic) => about_topic(community, Catalogue::wsis(), &topic),
            None => community.clone(),
        })
    });
    let report_href =
        Signal::derive(move || query.with(|q| format!("/report?{}", q.report_search())));

    view! {
        <div class="map-page" class:projector-view=projector>
        <MapHeading address=address data=data/>
        <MapControls address=address depth=depth by_sdg=by_sdg/>
        <div class="map-stage">
            <div class="map-main" aria-busy=move || data.busy().then_some("true")>
                {move || match (projector.get(), selected.get(), by_sdg.get()) {
                    _ if chart.get().is_some() => view! { <ChartPicture number=chart data=data address=address/> }.into_any(),
                    (true, Some(topic), _) => view! { <NetworkPicture topic=topic drawing=drawing address=address/> }.into_any(),
                    (_, _, true) => view! { <SdgPicture rows=goal_rows address=address/> }.into_any(),
                    _ => view! { <TopicPicture depth=depth rows=rows selected=selected fresh=fresh_topics on_select=select_topic/> }.into_any(),
                }}
            </div>
            <aside class="map-side">
                {move || projector.get().then(|| view! { <JoinCode address=participant_address()/> })}
                {move || match (projector.get(), selected.get()) {
                    (false, Some(topic)) => Some(view! { <NetworkPicture topic=topic drawing=drawing address=address/> }),
                    _ => None,
                }}
                {move || actor.get().filter(|_| !projector.get()).map(|actor| view! { <ActorPanel actor=actor data=data address=address/> })}
                <Feed data=data arrivals=arrivals fresh_count=fresh_count/>
            </aside>
        </div>
        <p class="map-legend hint">{move || if by_sdg.get() { tr!(lang.get(), sdg_map_legend) } else { tr!(lang.get(), map_legend) }}</p>
        {move || (!projector.get()).then(|| view! { <FileProblems/> })}
        {move || (!projector.get()).then(|| view! {
            <ExportMenu source=export_source name=export_name report_href=report_href/>
        })}
        <div class="accessible-twin">
            {move || if by_sdg.get() {
                view! { <SdgTable rows=goal_rows address=address/> }.into_any()
            } else {
                view! { <TopicTable rows=rows selected=selected fresh=fresh_topics on_select=select_topic/> }.into_any()
            }}
            {move || selected.get().map(|topic| view! { <TopicNetwork topic=topic data=data drawing=drawing/> })}
        </div>
        {move || (!projector.get()).then(|| view! { <MapCharts data=data/> })}
        {move || (!projector.get()).then(|| view! { <Participants data=data address=address/> })}
        </div>
    }
}

/// Pulls now and every `POLL_EVERY`, stopped when the page goes; the returned clock, which the
/// "+N" marks fade by, ticks with it.
fn poll(state: Community) -> RwSignal<u64> {
    let clock = RwSignal::new(now_ms());
    spawn_local(state.pull());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            clock.set(now_ms());
            spawn_local(state.pull());
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    clock
}

/// Projector mode hides the site's header and fits the map to the screen.
fn projector_class(projector: Memo<bool>) {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root
                .class_list()
                .toggle_with_force("projector", projector.get());
        }
    });
    on_cleanup(|| {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("projector");
        }
    });
}

/// The auto-tour: one action line after another, each one's network drawn in turn (or, with a
/// chart shown, one chart after another).
fn tour(address: MapAddress) {
    let query = address.query;
    let touring = Memo::new(move |_| query.with(|q| q.tour));
    let step =
        Memo::new(move |_| query.with(|q| q.tour_every.map_or(TOUR_STEP, Duration::from_secs)));
    Effect::new(move |_| {
        if !touring.get() {
            return;
        }
        let lines: Vec<String> = Catalogue::wsis().roots().map(|t| t.id.clone()).collect();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                // Showing a chart, the tour turns the charts' pages instead.
                if let Some(n) = query.with_untracked(|q| q.chart) {
                    address.change(|q| q.chart = Some(n % CHARTS + 1));
                    return;
                }
                let next = query
                    .with_untracked(|q| q.topic.clone())
                    .as_deref()
                    .and_then(|c| Catalogue::wsis().action_line(c))
                    .and_then(|line| lines.iter().position(|l| *l == line.id))
                    .map_or(0, |i| (i + 1) % lines.len());
                let topic = lines[next].clone();
                address.change(|q| q.topic = Some(topic));
            },
            step.get(),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
}
