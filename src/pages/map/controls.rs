//! The map's view controls: the level of detail and the filters, all kept in the address.

use std::sync::Arc;

use leptos::prelude::*;
use networkshop_core::catalogue::SDGS;
use networkshop_core::record::{code, Kind, Region, StakeholderGroup};

use super::query::MapAddress;
use crate::i18n::{group_label, kind_label, region_label, tr, use_lang, Lang};

/// A filter choice: its value in the address and its label in a language.
type FilterOption = (String, Arc<dyn Fn(Lang) -> String + Send + Sync>);

fn options<T: Copy + serde::Serialize + Send + Sync + 'static>(
    all: &[T],
    label: fn(Lang, T) -> &'static str,
) -> Vec<FilterOption> {
    all.iter()
        .map(|v| {
            let v = *v;
            let label: Arc<dyn Fn(Lang) -> String + Send + Sync> =
                Arc::new(move |lang| label(lang, v).to_owned());
            (code(&v), label)
        })
        .collect()
}

/// The 17 goals, named "SDG 3 — Good health and well-being".
fn goal_options() -> Vec<FilterOption> {
    SDGS.iter()
        .map(|sdg| {
            let label: Arc<dyn Fn(Lang) -> String + Send + Sync> = Arc::new(move |lang| {
                let (number, name) = (sdg.number, sdg.name(lang));
                tr!(lang, sdg_named, number, name).to_string()
            });
            (sdg.number.to_string(), label)
        })
        .collect()
}

/// The one choice of the `ready` filter: partnerships ready to announce.
fn ready_options() -> Vec<FilterOption> {
    let label: Arc<dyn Fn(Lang) -> String + Send + Sync> =
        Arc::new(|lang| tr!(lang, only_ready_to_announce).to_owned());
    vec![("1".to_owned(), label)]
}

/// "Confirmed this year": the core has no clock, so the year is the device's; a year the
/// address already asks for is offered too, so the control shows what filters the view.
fn confirmed_options(address: MapAddress) -> Vec<FilterOption> {
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let asked = address.query.with_untracked(|q| q.filters.confirmed);
    let mut years = vec![this_year];
    years.extend(asked.filter(|y| *y != this_year));
    years
        .into_iter()
        .map(|year| {
            let label: Arc<dyn Fn(Lang) -> String + Send + Sync> =
                Arc::new(move |lang| tr!(lang, confirmed_this_year, year).to_string());
            (year.to_string(), label)
        })
        .collect()
}

/// `depth` and `by_sdg` are the page's memos of the address: each control follows only the
/// part of the address it is about, so a change touches that control alone.
#[component]
pub(super) fn MapControls(
    address: MapAddress,
    depth: Memo<u8>,
    by_sdg: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="map-controls">
            <legend>{move || tr!(lang.get(), view)}</legend>
            <div class="field">
                <label for="map-view">{move || tr!(lang.get(), view_by)}</label>
                <select id="map-view" on:change=move |ev| {
                    let sdg = event_target_value(&ev) == "sdg";
                    address.change(|q| q.by_sdg = sdg);
                }>
                    <option value="" selected=move || !by_sdg.get()>{move || tr!(lang.get(), view_by_action_line)}</option>
                    <option value="sdg" selected=by_sdg>{move || tr!(lang.get(), view_by_sdg)}</option>
                </select>
            </div>
            <div class="field">
                <label for="map-depth">{move || tr!(lang.get(), level_of_detail)}</label>
                <select id="map-depth" on:change=move |ev| {
                    let depth = event_target_value(&ev).parse().unwrap_or(1);
                    address.change(|q| q.depth = depth);
                }>
                    <option value="1" selected=move || depth.get() == 1>{move || tr!(lang.get(), action_lines_and_sections_14)}</option>
                    <option value="2" selected=move || depth.get() == 2>{move || tr!(lang.get(), and_e_applications_targets_39)}</option>
                    <option value="3" selected=move || depth.get() == 3>{move || tr!(lang.get(), all_topics_169)}</option>
                </select>
            </div>
            <SelectFilter id="map-group" key="group" label=|l| tr!(l, filter_group) options=options(&StakeholderGroup::ALL, group_label) address=address/>
            <SelectFilter id="map-region" key="region" label=|l| tr!(l, filter_region) options=options(&Region::ALL, region_label) address=address/>
            <SelectFilter id="map-kind" key="kind" label=|l| tr!(l, filter_kind) options=options(&Kind::ALL, kind_label) address=address/>
            <SelectFilter id="map-sdg" key="sdg" label=|l| tr!(l, filter_sdg) options=goal_options() address=address/>
            <DateFilter id="map-from" key="from" label=|l| tr!(l, filter_from) address=address/>
            <DateFilter id="map-to" key="to" label=|l| tr!(l, filter_to) address=address/>
            <SelectFilter id="map-ready" key="ready" label=|l| tr!(l, filter_partnerships) options=ready_options() address=address/>
            <SelectFilter id="map-confirmed" key="confirmed" label=|l| tr!(l, filter_confirmed) options=confirmed_options(address) address=address/>
        </fieldset>
    }
}

/// A filter's value in the address ("" when unset), followed alone: other changes of the
/// address leave its control alone.
fn filter_value(address: MapAddress, key: &'static str) -> Memo<String> {
    Memo::new(move |_| {
        address
            .query
            .with(|q| q.filters.get(key))
            .unwrap_or_default()
    })
}

#[component]
fn SelectFilter(
    id: &'static str,
    /// The filter's key in the address (`group`, `region`, `kind`, `sdg`).
    key: &'static str,
    label: fn(Lang) -> &'static str,
    options: Vec<FilterOption>,
    address: MapAddress,
) -> impl IntoView {
    let lang = use_lang();
    let now = filter_value(address, key);
    view! {
        <div class="field">
            <label for=id>{move || label(lang.get())}</label>
            <select id=id on:change=move |ev| {
                let value = event_target_value(&ev);
                address.change(|q| { q.filters.set(key, &value); });
            }>
                <option value="" selected=move || now.with(String::is_empty)>{move || tr!(lang.get(), all)}</option>
                {options.into_iter().map(|(value, text)| {
                    let this = value.clone();
                    view! { <option value=value selected=move || now.with(|now| *now == this)>{move || text(lang.get())}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn DateFilter(
    id: &'static str,
    /// `from` or `to`.
    key: &'static str,
    label: fn(Lang) -> &'static str,
    address: MapAddress,
) -> impl IntoView {
    let lang = use_lang();
    let now = filter_value(address, key);
    view! {
        <div class="field">
            <label for=id>{move || label(lang.get())}</label>
            <input id=id type="date" prop:value=now
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    address.change(|q| { q.filters.set(key, &value); });
                }/>
        </div>
    }
}
