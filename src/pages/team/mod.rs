//! One action line's stakeholder team (seed 002): who is on it, by stakeholder group and
//! region; its facilitators (designated in 2006); its meetings as a timeline; and its yearly
//! contribution to the inventory, printable and exportable. The address says which line and
//! year: `/team?line=C3&year=2026`.

mod contribution;
mod meetings;
mod members;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::team::{action_line_team, team_lines};

use crate::i18n::{tr, use_lang};
use crate::services::use_community;
use contribution::YearlyContribution;
use meetings::Meetings;
use members::{Facilitators, Members};

#[component]
pub fn TeamPage() -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let query = use_query_map();
    let navigate = use_navigate();
    spawn_local(community.pull());
    let line = Memo::new(move |_| {
        query
            .with(|q| q.get("line"))
            .filter(|l| team_lines(Catalogue::wsis()).any(|t| t.id == *l))
            .unwrap_or_else(|| "C1".to_owned())
    });
    let team = Memo::new(move |_| {
        let line = line.get();
        community
            .live
            .with(|live| action_line_team(live.community(), Catalogue::wsis(), &line))
    });
    let year = Memo::new(move |_| {
        let current = js_sys::Date::new_0().get_full_year() as i32;
        query
            .with(|q| q.get("year"))
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(current)
    });
    let go = move |line: String, year: i32| {
        navigate(
            &format!("/team?line={line}&year={year}"),
            Default::default(),
        );
    };
    let title = move || {
        Catalogue::wsis()
            .get(&line.get())
            .map(|t| t.title(lang.get()).to_owned())
            .unwrap_or_default()
    };
    view! {
        <article class="team-page" data-testid="team-page">
            <h1>{move || { let (id, title) = (line.get(), title()); tr!(lang.get(), team_of_line, id, title).to_string() }}</h1>
            <p class="lead">{move || tr!(lang.get(), team_lead)}</p>
            <div class="field no-print">
                <label for="team-line">{move || tr!(lang.get(), action_line_label)}</label>
                <select id="team-line" on:change={let go = go.clone(); move |ev| go(event_target_value(&ev), year.get_untracked())}>
                    {team_lines(Catalogue::wsis()).map(|t| {
                        let (value, this, id) = (t.id.clone(), t.id.clone(), t.id.clone());
                        view! { <option value=value selected=move || line.get() == this>{move || format!("{id} — {}", t.short_title(lang.get()))}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || team.get().map(|team| view! {
                <Facilitators facilitators=team.facilitators.clone()/>
                <Members team=team.clone()/>
                <Meetings meetings=team.meetings.clone()/>
            })}
            <YearlyContribution line=line year=year years=Signal::derive(move || team.with(|t| t.as_ref().map(|t| t.years.clone()).unwrap_or_default()))
                on_year=Callback::new(move |y: i32| go(line.get_untracked(), y))/>
        </article>
    }
}
