//! One topic's thematic network, opened from the map.

use super::stale_note::{stale, StaleNote};
use super::MapData;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::team::has_team;
use networkshop_core::record::Kind;

use crate::i18n::{group_label, kind_label, region_label, topics_in_words, tr, use_lang};

/// One topic's thematic network: its actors, their resources by kind (events in date order),
/// and the links between the actors through the topics they share.
#[component]
pub(super) fn TopicNetwork(topic: String, data: MapData) -> impl IntoView {
    let lang = use_lang();
    let heading_topic = topic.clone();
    view! {
        <section class="topic-network" aria-labelledby="network-heading" data-testid="topic-network">
            <h2 id="network-heading">{move || format!("{} {heading_topic} — {}", tr!(lang.get(), thematic_network), Catalogue::wsis().get(&heading_topic).map(|t| t.title(lang.get())).unwrap_or_default())}</h2>
            {team_link(&topic)}
            {move || data.with(|community, networks| {
                let lang = lang.get();
                let entry = networks.topic(&topic).cloned().unwrap_or_default();
                let under = networks.records_under(&topic);
                let actors: Vec<String> = entry.actors.keys().cloned().collect();
                let links = networks.links_among(&actors);
                let name = |id: &str| community.author(id).map(|a| a.display_name.clone()).unwrap_or_else(|| id.to_owned());
                view! {
                    <h3>{tr!(lang, actors)}</h3>
                    <ul class="network-actors">
                        {actors.iter().filter_map(|id| community.author(id)).map(|a| view! {
                            <li><bdi>{a.display_name.clone()}</bdi><span class="hint">{format!(" ({}, {})", group_label(lang, a.stakeholder_group), region_label(lang, a.region))}</span></li>
                        }).collect_view()}
                    </ul>
                    <h3>{tr!(lang, resources)}</h3>
                    {Kind::ALL.iter().map(|kind| {
                        let mut records: Vec<_> = under.iter().filter_map(|id| community.record(id)).filter(|r| r.kind == *kind).collect();
                        // Events on a timeline; everything else by title.
                        records.sort_by(|a, b| {
                            let start = |r: &networkshop_core::Record| r.event.as_ref().map(|e| e.starts_on.clone());
                            start(a).cmp(&start(b)).then_with(|| a.title.cmp(&b.title))
                        });
                        (!records.is_empty()).then(|| view! {
                            <h4>{kind_label(lang, *kind)}</h4>
                            <ul class=if *kind == Kind::Event { "timeline" } else { "" }>
                                {records.into_iter().map(|r| {
                                    let when = r.event.as_ref().map(|e| format!("{} → {} ", e.starts_on, e.ends_on));
                                    view! { <li class="network-resource" class:stale=stale(r)>{when.map(|w| view! { <time>{w}</time> })}<bdi>{r.title.clone()}</bdi><span class="hint">" — "<bdi>{name(&r.author)}</bdi></span><StaleNote record=r.clone()/></li> }
                                }).collect_view()}
                            </ul>
                        })
                    }).collect_view()}
                    <h3>{tr!(lang, links_between_actors_shared_topics)}</h3>
                    {if links.is_empty() {
                        view! { <p class="hint">{tr!(lang, no_links_yet)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="network-links">
                                {links.iter().map(|l| view! { <li><bdi>{name(&l.a)}</bdi>" — "<bdi>{name(&l.b)}</bdi>" : "{topics_in_words(lang, &l.shared)}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }
            })}
        </section>
    }
}

/// A link to the action line's team page, for the lines that have one.
fn team_link(topic: &str) -> Option<impl IntoView> {
    let lang = use_lang();
    let line = Catalogue::wsis().get(topic).filter(|t| has_team(t))?;
    let href = format!("/team?line={}", line.id);
    Some(
        view! { <p><a href=href data-testid="team-link">{move || tr!(lang.get(), stakeholder_team)}</a></p> },
    )
}
