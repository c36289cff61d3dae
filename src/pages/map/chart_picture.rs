//! One chart in the picture's place (`chart=N`), sized for the back of the hall: the projector
//! shows the room's numbers one chart at a time, and the auto-tour turns the pages.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::charts::charts;
use networkshop_core::map_query::CHARTS;

use super::query::MapAddress;
use super::MapData;
use crate::components::chart::Chart;
use crate::components::view_charts::chart_list;
use crate::i18n::{tr, use_lang};

#[component]
pub(super) fn ChartPicture(
    number: Memo<Option<u8>>,
    data: MapData,
    address: MapAddress,
) -> impl IntoView {
    let lang = use_lang();
    let counted =
        Memo::new(move |_| data.with(|community, _| charts(community, Catalogue::wsis())));
    let step = move |by: u8| {
        address.change(|q| {
            let now = q.chart.unwrap_or(1);
            q.chart = Some((now - 1 + by) % CHARTS + 1);
        })
    };
    view! {
        <div class="chart-picture" data-testid="chart-picture">
            {move || {
                let index = usize::from(number.get().unwrap_or(1) - 1);
                counted.with(|c| chart_list(c, lang.get()).into_iter().nth(index)).map(|(id, caption, data)| view! {
                    <Chart test_id=id caption=caption data=data/>
                })
            }}
            <div class="chart-steps">
                <button type="button" on:click=move |_| step(CHARTS - 1)>{move || tr!(lang.get(), previous_chart)}</button>
                <span>{move || { let (n, of) = (number.get().unwrap_or(1), CHARTS); tr!(lang.get(), chart_n_of, n, of).to_string() }}</span>
                <button type="button" on:click=move |_| step(1)>{move || tr!(lang.get(), next_chart)}</button>
                <button type="button" on:click=move |_| address.change(|q| q.chart = None)>{move || tr!(lang.get(), back_to_the_topics)}</button>
            </div>
        </div>
    }
}
