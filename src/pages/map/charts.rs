//! The map's charts, under the picture on a laptop: the same view (filters included) counted
//! by region, domain, action line and month. Counted only while open, so a big room's updates
//! cost nothing for those who do not look.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::export::speaker_totals;
use networkshop_core::map::charts::charts;

use super::MapData;
use crate::components::view_charts::{SpeakerBalance, ViewCharts};
use crate::i18n::{tr, use_lang};

#[component]
pub(super) fn MapCharts(data: MapData) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let counted = Memo::new(move |_| {
        open.get().then(|| {
            data.with(|community, _| {
                (
                    charts(community, Catalogue::wsis()),
                    speaker_totals(community),
                )
            })
        })
    });
    view! {
        <details class="map-charts" on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary>{move || tr!(lang.get(), show_charts)}</summary>
            {move || counted.get().map(|(charts, speakers)| view! {
                <SpeakerBalance speakers=speakers/>
                <ViewCharts charts=charts/>
            })}
        </details>
    }
}
