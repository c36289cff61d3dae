//! The charts of a view (seed 003's diagrams, and the same questions asked of every resource),
//! shared by the printable report and the map: partnerships by beneficiary region and by
//! domain per year, resources by region per year, resources by action line and stakeholder
//! group, events per month; and the balance of women and men speaking.

use leptos::prelude::*;
use networkshop_core::export::SpeakerTotals;
use networkshop_core::map::charts::Charts;

use super::chart::{Chart, ChartData};
use crate::clock::month_of_year;
use crate::i18n::{
    domain_label, event_format_label, group_label, region_label, tr, use_lang, Lang,
};

/// Every chart of a view in words, in `Charts` order (the map's `chart=N` counts from 1):
/// its test id, caption and numbers.
pub fn chart_list(charts: &Charts, lang: Lang) -> Vec<(&'static str, &'static str, ChartData)> {
    let year = |y: &i32| y.to_string();
    let region = |r: &networkshop_core::Region| region_label(lang, *r).to_owned();
    vec![
        (
            "chart-partnerships-region",
            tr!(lang, chart_partnerships_by_region),
            ChartData::new(&charts.partnerships_by_region, year, region),
        ),
        (
            "chart-partnerships-domain",
            tr!(lang, chart_partnerships_by_domain),
            ChartData::new(&charts.partnerships_by_domain, year, |d| {
                domain_label(lang, *d).to_owned()
            }),
        ),
        (
            "chart-resources-region",
            tr!(lang, chart_resources_by_region),
            ChartData::new(&charts.resources_by_region, year, region),
        ),
        (
            "chart-lines-groups",
            tr!(lang, chart_resources_by_line_and_group),
            ChartData::new(
                &charts.resources_by_line_and_group,
                |l| l.clone(),
                |g| group_label(lang, *g).to_owned(),
            ),
        ),
        (
            "chart-events-month",
            tr!(lang, chart_events_by_month),
            ChartData::new(
                &charts.events_by_month,
                |m| month_of_year(m.year, m.month, lang),
                |f| {
                    f.map(|f| event_format_label(lang, f))
                        .unwrap_or(tr!(lang, format_not_said))
                        .to_owned()
                },
            ),
        ),
    ]
}

#[component]
pub fn ViewCharts(charts: Charts) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        view! {
            <section class="view-charts" aria-labelledby="charts-heading" data-testid="charts">
                <h2 id="charts-heading">{tr!(lang, charts_heading)}</h2>
                <p class="hint">{tr!(lang, charts_counting_note)}</p>
                {chart_list(&charts, lang).into_iter().map(|(id, caption, data)| view! {
                    <Chart test_id=id caption=caption data=data/>
                }).collect_view()}
            </section>
        }
    }
}

/// "Women 12, men 15 speaking, in 4 of 6 events": the balance the Forum's invitation asks for.
#[component]
pub fn SpeakerBalance(speakers: SpeakerTotals) -> impl IntoView {
    let lang = use_lang();
    let SpeakerTotals {
        women,
        men,
        events_counted,
        events,
    } = speakers;
    (events > 0).then(|| {
        view! {
            <p data-testid="speaker-balance">{move || if events_counted == 0 {
                tr!(lang.get(), speakers_not_given).to_owned()
            } else {
                tr!(lang.get(), speaker_totals, women, men, events_counted, events).to_string()
            }}</p>
        }
    })
}
