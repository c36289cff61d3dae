//! The map's heading: its title, whether the numbers are fresh, how many took part, and the
//! projector's buttons.

use leptos::prelude::*;

use super::query::MapAddress;
use super::MapData;
use crate::clock::time_of_day;
use crate::i18n::{number, tr, tr_count, use_lang};
use crate::services::{now, use_community, SyncError};

#[component]
pub(super) fn MapHeading(address: MapAddress, data: MapData) -> impl IntoView {
    let lang = use_lang();
    let state = use_community();
    let status = move || {
        let lang = lang.get();
        state.cache.with(|c| match (&c.error, &c.last_pull) {
            (Some(SyncError::Unreachable), _) => {
                tr!(lang, endpoint_unreachable_showing_the_last_version).to_owned()
            }
            (Some(SyncError::Status { status, .. }), _) => {
                tr!(lang, endpoint_error, status).to_string()
            }
            (None, Some(at)) => {
                let time = time_of_day(at, lang);
                tr!(lang, updated_at, time).to_string()
            }
            (None, None) => match c.progress {
                Some((done, Some(total))) => {
                    let (done, total) = (number(lang, done), number(lang, total));
                    tr!(lang, reading_contributions, done, total).to_string()
                }
                Some((done, None)) => {
                    let done = number(lang, done);
                    tr!(lang, reading_contributions_so_far, done).to_string()
                }
                None => tr!(lang, loading).to_owned(),
            },
        })
    };
    // Read from the index, not counted record by record: this runs after every new bundle.
    let counts = move || {
        data.with(|community, networks| {
            let lang = lang.get();
            let people = tr_count!(
                lang,
                participants_single,
                participants_several,
                community.authors().count()
            );
            let records = tr_count!(
                lang,
                resources_single,
                resources_several,
                networks.resources()
            );
            tr!(lang, community_counts, people, records).to_string()
        })
    };
    // Counted from the index on the view shown, by the device's clock (the core has none).
    let stale = Memo::new(move |_| {
        let now = now();
        data.with(|_, networks| networks.stale_count(now))
    });
    view! {
        <div class="map-heading">
            <h1>{move || tr!(lang.get(), topic_map)}</h1>
            <div class="map-facts">
                <p data-testid="community-counts" class="community-counts">{counts}</p>
                {move || (stale.get() > 0).then(|| view! { <p data-testid="stale-count" class="stale-count">{move || tr_count!(lang.get(), not_confirmed_for_a_year_single, not_confirmed_for_a_year_several, stale.get())}</p> })}
                <p role="status" data-testid="pull-status">{status}</p>
            </div>
            <ProjectorButtons address=address/>
        </div>
    }
}

#[component]
fn ProjectorButtons(address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    let projector = move || address.query.with(|q| q.projector);
    let touring = move || address.query.with(|q| q.tour);
    let charting = move || address.query.with(|q| q.chart.is_some());
    view! {
        <div class="map-actions">
            {move || if projector() {
                view! {
                    <button type="button" on:click=move |_| {
                        if let Some(root) = document().document_element() { let _ = root.request_fullscreen(); }
                    }>{tr!(lang.get(), full_screen)}</button>
                    <button type="button" aria-pressed=move || touring().to_string()
                        on:click=move |_| address.change(|q| q.tour = !q.tour)>
                        {tr!(lang.get(), auto_tour)}
                    </button>
                    <button type="button" aria-pressed=move || charting().to_string()
                        on:click=move |_| address.change(|q| q.chart = if q.chart.is_some() { None } else { Some(1) })>
                        {tr!(lang.get(), charts_heading)}
                    </button>
                    <button type="button" on:click=move |_| {
                        if document().fullscreen_element().is_some() { document().exit_fullscreen(); }
                        address.change(|q| { q.tour = false; q.tour_every = None; q.projector = false; });
                    }>{tr!(lang.get(), leave_projector_mode)}</button>
                }.into_any()
            } else {
                view! {
                    <button type="button" on:click=move |_| address.change(|q| q.projector = true)>
                        {tr!(lang.get(), projector_mode)}
                    </button>
                }.into_any()
            }}
        </div>
    }
}
