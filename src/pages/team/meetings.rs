//! The team's meetings: events tagged to the line, as a timeline, with their format and the
//! balance of women and men speaking where the organisers said it.

use leptos::prelude::*;
use networkshop_core::map::team::Meeting;

use crate::clock::dates_between;
use crate::i18n::{event_format_label, tr, use_lang};

#[component]
pub(super) fn Meetings(meetings: Vec<Meeting>) -> impl IntoView {
    let lang = use_lang();
    let empty = meetings.is_empty();
    view! {
        <section aria-labelledby="meetings-heading" data-testid="team-meetings">
            <h2 id="meetings-heading">{move || tr!(lang.get(), meetings)}</h2>
            {empty.then(|| view! { <p class="hint">{move || tr!(lang.get(), no_meetings_yet)}</p> })}
            <ol class="timeline">
                {meetings.into_iter().map(|m| {
                    let event = m.event.clone();
                    let (starts, ends) = (event.starts_on.clone(), event.ends_on.clone());
                    let dates = move || dates_between(&starts, &ends, lang.get());
                    // Both numbers or none, as the report's totals count them: one alone is no balance.
                    let speakers = event.speakers_women.zip(event.speakers_men);
                    view! {
                        <li class="meeting">
                            <time>{dates}</time>" "
                            <bdi>{m.title.clone()}</bdi>
                            <span class="hint">" — "<bdi>{m.author.clone()}</bdi>
                                {event.format.map(|f| view! { " · "{move || event_format_label(lang.get(), f)} })}
                                {event.place.clone().map(|p| view! { " · "<bdi>{p}</bdi> })}
                                {speakers.map(|(women, men)| view! { " · "{move || tr!(lang.get(), speakers_balance, women, men).to_string()} })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
