//! The printable inventory: per action line, what was identified and by whom, with actors
//! counted by stakeholder group and region (the core's `inventory_report`), for the map's
//! current filters. The print stylesheet turns it into clean pages; the browser makes the PDF.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use networkshop_core::catalogue::{Catalogue, Sdg};
use networkshop_core::export::{inventory_report, ActionLineReport, InventoryReport};
use networkshop_core::map::{sdg_rows, SdgRow};
use networkshop_core::record::{Kind, Region, StakeholderGroup};

use crate::clock::day_of;
use crate::components::view_charts::{SpeakerBalance, ViewCharts};
use crate::i18n::{group_label, kind_label, region_label, tr, tr_count, use_lang, Lang};
use crate::services::use_community;
use crate::view_filters::{Filters, FromQuery as _};

fn counts<T: Copy + Ord>(
    all: &[T],
    numbers: &std::collections::BTreeMap<T, u32>,
    label: impl Fn(T) -> &'static str,
) -> String {
    all.iter()
        .filter_map(|v| numbers.get(v).map(|n| format!("{} {n}", label(*v))))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[component]
pub fn Report() -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let query = use_query_map();
    spawn_local(community.pull());
    let filters = Memo::new(move |_| query.with(Filters::from_query));
    // The inventory by action line and the counts by goal, from one (filtered) view.
    let report = Memo::new(move |_| {
        let filters = filters.get();
        community.live.with(|live| {
            let both = |view: &networkshop_core::Community| {
                (
                    inventory_report(view, Catalogue::wsis()),
                    sdg_rows(view, Catalogue::wsis()),
                )
            };
            if filters.is_empty() {
                both(live.community())
            } else {
                both(&filters.apply(live.community()))
            }
        })
    });
    let filter_line = move || {
        let lang = lang.get();
        let f = filters.get();
        let mut parts = Vec::new();
        if let Some(g) = f.group {
            parts.push(group_label(lang, g).to_owned());
        }
        if let Some(r) = f.region {
            parts.push(region_label(lang, r).to_owned());
        }
        if let Some(k) = f.kind {
            parts.push(kind_label(lang, k).to_owned());
        }
        if let Some(sdg) = f.sdg.and_then(Sdg::get) {
            let (number, name) = (sdg.number, sdg.name(lang));
            parts.push(tr!(lang, sdg_named, number, name).to_string());
        }
        if let Some(from) = f.from {
            parts.push(format!("≥ {}", crate::clock::calendar_date(&from, lang)));
        }
        if let Some(to) = f.to {
            parts.push(format!("≤ {}", crate::clock::calendar_date(&to, lang)));
        }
        if f.ready {
            parts.push(tr!(lang, only_ready_to_announce).to_owned());
        }
        if let Some(year) = f.confirmed {
            parts.push(tr!(lang, confirmed_this_year, year).to_string());
        }
        if parts.is_empty() {
            tr!(lang, all_published_contributions).to_owned()
        } else {
            tr!(lang, filter, filters = parts.join(", ")).to_string()
        }
    };
    view! {
        <article class="report" data-testid="report">
            <div class="no-print report-actions">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{move || tr!(lang.get(), print_or_save_as_pdf)}</button>
                <a href=move || format!("/map?{}", window().location().search().unwrap_or_default().trim_start_matches('?'))>{move || tr!(lang.get(), back_to_the_map)}</a>
            </div>
            <h1>{move || tr!(lang.get(), inventory_of_identified_resources)}</h1>
            <p class="report-meta">{filter_line}" — "{move || crate::files::today()}</p>
            {move || report.with(|(r, _)| view! { <Summary report=r.clone() lang=lang.get()/> })}
            {move || report.with(|(r, _)| view! { <SpeakerBalance speakers=r.speakers.clone()/> <ViewCharts charts=r.charts.clone()/> })}
            {move || report.with(|(r, _)| {
                let lang = lang.get();
                r.action_lines.iter().map(|line| view! { <LineSection line=line.clone() lang=lang/> }).collect_view()
            })}
            {move || report.with(|(_, goals)| view! { <GoalsTable rows=goals.clone() lang=lang.get()/> })}
        </article>
    }
}

/// One action line's part of the inventory: its counts and its resources, stale ones greyed.
#[component]
fn LineSection(line: ActionLineReport, lang: Lang) -> impl IntoView {
    let title = Catalogue::wsis()
        .get(&line.topic)
        .map(|t| t.title(lang).to_owned())
        .unwrap_or_default();
    view! {
        <section class="report-line" data-topic=line.topic.clone()>
            <h2><span class="report-id">{line.topic.clone()}</span>" "{title}</h2>
            {if line.resources.is_empty() {
                view! { <p class="hint">{tr!(lang, nothing_identified_yet)}</p> }.into_any()
            } else {
                view! {
                    <p class="report-counts">
                        {report_counts(lang, line.actors, line.resources.len())}<br/>
                        {counts(&StakeholderGroup::ALL, &line.actors_by_group, |g| group_label(lang, g))}<br/>
                        {counts(&Region::ALL, &line.actors_by_region, |r| region_label(lang, r))}
                    </p>
                    <table class="report-table">
                        <thead><tr>
                            <th scope="col">{tr!(lang, kind)}</th>
                            <th scope="col">{tr!(lang, resource)}</th>
                            <th scope="col">{tr!(lang, by)}</th>
                            <th scope="col">{tr!(lang, topics)}</th>
                        </tr></thead>
                        <tbody>
                            {line.resources.iter().map(|item| view! {
                                <tr class:stale=is_stale_at(item.last_confirmed)>
                                    <td>{kind_label(lang, item.kind)}</td>
                                    <td><bdi>{item.title.clone()}</bdi>{item.dates.as_ref().map(|(a, b)| format!(" ({a} → {b})"))}
                                        {is_stale_at(item.last_confirmed).then(|| { let date = day_of(item.last_confirmed, lang); view! { <span class="stale-note">{tr!(lang, not_confirmed_since, date).to_string()}</span> } })}</td>
                                    <td><bdi>{item.author.clone()}</bdi>{(!item.organisation.is_empty()).then(|| view! { ", "<bdi>{item.organisation.clone()}</bdi> })}</td>
                                    <td>{item.topics.join(", ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The same view by Sustainable Development Goal (after the WSIS–SDG matrix).
#[component]
fn GoalsTable(rows: Vec<SdgRow>, lang: Lang) -> impl IntoView {
    view! {
        <section class="report-line report-goals" data-testid="report-goals">
            <h2>{tr!(lang, by_sdg)}</h2>
            <table class="report-table">
                <caption class="hint">{tr!(lang, sdg_table_caption)}</caption>
                <thead><tr>
                    <th scope="col">{tr!(lang, sdg)}</th>
                    <th scope="col">{tr!(lang, actors)}</th>
                    <th scope="col">{tr!(lang, resources)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let name = Sdg::get(row.number).map(|s| s.name(lang)).unwrap_or_default();
                        let number = row.number;
                        view! {
                            <tr data-sdg=number>
                                <th scope="row">{tr!(lang, sdg_named, number, name).to_string()}</th>
                                <td>{row.actors}</td>
                                <td>{row.resources}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Summary(report: InventoryReport, lang: Lang) -> impl IntoView {
    let by_kind = |kind: Kind| {
        report
            .action_lines
            .iter()
            .flat_map(|l| l.resources.iter())
            .filter(|i| i.kind == kind)
            .map(|i| i.record)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    view! {
        <section class="report-summary" aria-label=tr!(lang, summary)>
            <p data-testid="report-totals">{report_counts(lang, report.actors, report.resources)}</p>
            <p>{Kind::ALL.iter().map(|k| format!("{} {}", kind_label(lang, *k), by_kind(*k))).collect::<Vec<_>>().join(" · ")}</p>
            <p>{counts(&StakeholderGroup::ALL, &report.actors_by_group, |g| group_label(lang, g))}</p>
            <p>{counts(&Region::ALL, &report.actors_by_region, |r| region_label(lang, r))}</p>
        </section>
    }
}

/// "2 actors · 3 resources".
fn report_counts(lang: Lang, actors: usize, resources: usize) -> String {
    let actors = tr_count!(lang, actors_single, actors_several, actors);
    let resources = tr_count!(lang, resources_single, resources_several, resources);
    tr!(lang, report_counts, actors, resources).to_string()
}

/// Not confirmed for a year, by the device's clock.
fn is_stale_at(last_confirmed: time::OffsetDateTime) -> bool {
    networkshop_core::staleness::stale_since(last_confirmed, crate::services::now())
}
