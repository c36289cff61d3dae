//! The team's people: its facilitators, with the year they were designated, and every actor
//! registered on the line by stakeholder group and region, with public contacts.

use leptos::prelude::*;
use networkshop_core::map::team::{self, ActionLineTeam};

use crate::i18n::{group_label, region_label, tr, tr_count, use_lang};

#[component]
pub(super) fn Facilitators(facilitators: team::Facilitators) -> impl IntoView {
    let lang = use_lang();
    let year = facilitators.designated_in;
    let line = facilitators.line.join(", ");
    view! {
        <section aria-labelledby="facilitators-heading">
            <h2 id="facilitators-heading">{move || tr!(lang.get(), moderators_facilitators)}</h2>
            {(!line.is_empty()).then(|| view! { <p data-testid="facilitators">{line.clone()}" "<span class="hint">{move || tr!(lang.get(), designated_in, year).to_string()}</span></p> })}
            {(!facilitators.e_applications.is_empty()).then(|| view! {
                <ul>
                    {facilitators.e_applications.iter().map(|(id, names)| view! {
                        <li><code>{id.clone()}</code>" "{names.join(", ")}</li>
                    }).collect_view()}
                </ul>
                <p class="hint">{move || tr!(lang.get(), designated_in, year).to_string()}</p>
            })}
        </section>
    }
}

#[component]
pub(super) fn Members(team: ActionLineTeam) -> impl IntoView {
    let lang = use_lang();
    let count = team.members;
    let missing = team.missing_groups.clone();
    view! {
        <section aria-labelledby="members-heading" data-testid="team-members">
            <h2 id="members-heading">{move || tr!(lang.get(), the_team)}" "<span class="hint">{move || tr_count!(lang.get(), actors_single, actors_several, count)}</span></h2>
            {(count == 0).then(|| view! { <p class="hint">{move || tr!(lang.get(), team_empty)}</p> })}
            {team.groups.into_iter().map(|group| view! {
                <h3>{move || group_label(lang.get(), group.group)}</h3>
                {group.regions.into_iter().map(|region| view! {
                    <h4>{move || region_label(lang.get(), region.region)}</h4>
                    <ul class="team-members">
                        {region.members.into_iter().map(|m| view! {
                            <li data-author=m.author.clone()>
                                <bdi>{m.display_name.clone()}</bdi>
                                {(!m.organisation.is_empty()).then(|| view! { ", "<bdi>{m.organisation.clone()}</bdi> })}
                                {(!m.country.is_empty()).then(|| view! { " ("<bdi>{m.country.clone()}</bdi>")" })}
                                {m.contact.clone().map(|c| view! { " · "<bdi class="contact">{c}</bdi> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }).collect_view()}
            }).collect_view()}
            {(!missing.is_empty() && count > 0).then(|| {
                let groups = move || missing.iter().map(|g| group_label(lang.get(), *g)).collect::<Vec<_>>().join(", ");
                view! { <p class="hint">{move || { let groups = groups(); tr!(lang.get(), team_missing_groups, groups).to_string() }}</p> }
            })}
        </section>
    }
}
