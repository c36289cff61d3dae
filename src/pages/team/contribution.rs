//! The team's yearly contribution to the inventory (seed 002, point 6): what was registered on
//! the line for a chosen year, by kind, printable and exportable in every format.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::about_topic;
use networkshop_core::map::team::{contribution_years, yearly_contribution};
use networkshop_core::Community;

use crate::components::export_menu::ExportMenu;
use crate::i18n::{kind_label, tr, use_lang};
use crate::services::use_community;

#[component]
pub(super) fn YearlyContribution(
    line: Memo<String>,
    year: Memo<i32>,
    /// The years with a contribution, for the picker (the chosen one is always offered).
    years: Signal<Vec<i32>>,
    on_year: Callback<i32>,
) -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let contribution = Memo::new(move |_| {
        let (line, year) = (line.get(), year.get());
        community
            .live
            .with(|live| yearly_contribution(live.community(), Catalogue::wsis(), &line, year))
    });
    let choices = move || {
        let mut all = years.get();
        if !all.contains(&year.get()) {
            all.push(year.get());
            all.sort_unstable();
        }
        all
    };
    // The export holds exactly the listed records and their authors.
    let source = Callback::new(move |_| -> Community {
        let (line, year) = (line.get_untracked(), year.get_untracked());
        community.live.with_untracked(|live| {
            let that_year = about_topic(live.community(), Catalogue::wsis(), &line)
                .filtered(|_| true, |r| contribution_years(r).contains(&year));
            let authors: std::collections::BTreeSet<String> =
                that_year.records().map(|r| r.author.clone()).collect();
            that_year.filtered(|a| authors.contains(&a.id), |_| true)
        })
    });
    let name = Signal::derive(move || format!("team-{}-{}", line.get(), year.get()));
    view! {
        <section aria-labelledby="contribution-heading" data-testid="team-contribution">
            <h2 id="contribution-heading">{move || { let year = year.get(); tr!(lang.get(), yearly_contribution_heading, year).to_string() }}</h2>
            <div class="field no-print">
                <label for="team-year">{move || tr!(lang.get(), year)}</label>
                <select id="team-year" on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { on_year.run(y) }>
                    {move || choices().into_iter().map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> }).collect_view()}
                </select>
            </div>
            <p>{move || contribution.with(|c| { let (resources, actors) = (c.resources, c.actors); tr!(lang.get(), contribution_counts, resources, actors).to_string() })}</p>
            {move || contribution.get().kinds.into_iter().map(|k| view! {
                <h3>{move || kind_label(lang.get(), k.kind)}</h3>
                <ul>
                    {k.items.into_iter().map(|item| view! {
                        <li><bdi>{item.title.clone()}</bdi><span class="hint">" — "<bdi>{item.author.clone()}</bdi>
                            {(!item.organisation.is_empty()).then(|| view! { ", "<bdi>{item.organisation.clone()}</bdi> })}</span></li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
            <div class="no-print">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{move || tr!(lang.get(), print_or_save_as_pdf)}</button>
                <ExportMenu source=source name=name/>
            </div>
        </section>
    }
}
