//! One actor's page: what one participant or organisation registered, its topics by action
//! line, and its public contact. Opened from the network's picture or the participants' list;
//! its address is the map's with `actor=`.

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::records_by_action_line;

use super::query::MapAddress;
use super::stale_note::{stale, StaleNote};
use super::MapData;
use crate::i18n::{group_label, kind_label, region_label, topics_in_words, tr, use_lang};

#[component]
pub(super) fn ActorPanel(actor: String, data: MapData, address: MapAddress) -> impl IntoView {
    let lang = use_lang();
    // Opened from the participants' list far below, the panel comes into view.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = panel.get() {
            section.scroll_into_view();
        }
    });
    view! {
        <section node_ref=panel class="actor-panel topic-network" aria-labelledby="actor-heading" data-testid="actor-panel">
            {move || data.with(|community, _| {
                let lang = lang.get();
                let Some(author) = community.author(&actor) else {
                    return view! { <p class="hint">{tr!(lang, this_participant_is_not_on_the_map)}</p> }.into_any();
                };
                let lines = records_by_action_line(community, Catalogue::wsis(), &actor);
                view! {
                    <h2 id="actor-heading"><bdi>{author.display_name.clone()}</bdi></h2>
                    <p>
                        {(!author.organisation.is_empty()).then(|| view! { <bdi>{author.organisation.clone()}</bdi>" · " })}
                        {group_label(lang, author.stakeholder_group)}" · "{region_label(lang, author.region)}
                    </p>
                    {author.contact.clone().filter(|c| !c.trim().is_empty()).map(|contact| view! {
                        <p>{tr!(lang, contact)}<bdi>{contact}</bdi></p>
                    })}
                    {lines.into_iter().map(|(line, records)| {
                        let title = Catalogue::wsis().get(&line).map(|t| t.short_title(lang).to_owned()).unwrap_or_default();
                        view! {
                            <h3><code>{line.clone()}</code>" "{title}</h3>
                            <ul>
                                {records.into_iter().map(|r| view! {
                                    <li class:stale=stale(r)><bdi>{r.title.clone()}</bdi><span class="hint">" — "{kind_label(lang, r.kind)}" · "{topics_in_words(lang, &r.topics)}</span><StaleNote last_confirmed=r.last_confirmed()/></li>
                                }).collect_view()}
                            </ul>
                        }
                    }).collect_view()}
                }.into_any()
            })}
            <button type="button" on:click=move |_| address.change(|q| q.actor = None)>{move || tr!(lang.get(), close)}</button>
        </section>
    }
}
