//! One topic's thematic network, opened from the map, in words (the accessible twin of the
//! drawing). A big topic's lists stop at `LISTED` items with how many more there are (the report
//! and the exports hold everything), and past `MOST_ACTORS_DRAWN` actors its links are between
//! stakeholder groups, as the drawing shows them: an action line of a 10,000-participant room
//! has 9,000 actors and 40,000 resources, which no one reads as a list.

use super::network_drawing::MOST_ACTORS_DRAWN;
use super::stale_note::{stale, StaleNote};
use super::MapData;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::team::has_team;
use networkshop_core::networks::drawing::{first_listed, NetworkDrawing, LISTED};
use networkshop_core::record::{code, Kind, StakeholderGroup};
use networkshop_core::{Community, Networks};

use crate::clock::dates_between;
use crate::i18n::{
    group_and_region, group_label, kind_label, topics_in_words, tr, tr_count, use_lang, Lang,
};

/// One topic's thematic network: its actors, their resources by kind (events in date order),
/// and the links between the actors through the topics they share.
#[component]
pub(super) fn TopicNetwork(
    topic: String,
    data: MapData,
    drawing: Memo<Option<NetworkDrawing>>,
) -> impl IntoView {
    let lang = use_lang();
    let heading_topic = topic.clone();
    let heading = move || {
        let lang = lang.get();
        let title = Catalogue::wsis()
            .get(&heading_topic)
            .map(|t| t.title(lang))
            .unwrap_or_default();
        tr!(
            lang,
            thematic_network_of_topic,
            id = heading_topic.clone(),
            title
        )
        .to_string()
    };
    view! {
        <section class="topic-network" aria-labelledby="network-heading" data-testid="topic-network">
            <h2 id="network-heading">{heading}</h2>
            {team_link(&topic)}
            {move || data.with(|community, networks| {
                let lang = lang.get();
                view! {
                    <h3>{tr!(lang, actors)}</h3>
                    {actors(lang, community, networks, &topic)}
                    <h3>{tr!(lang, resources)}</h3>
                    {resources(lang, community, drawing)}
                    {links(lang, community, networks, &topic, drawing)}
                }
            })}
        </section>
    }
}

fn more(lang: Lang, total: usize) -> Option<impl IntoView> {
    let hidden = total.saturating_sub(LISTED);
    (hidden > 0).then(|| view! { <p class="hint">{tr_count!(lang, more_in_report_single, more_in_report_several, hidden)}</p> })
}

/// The actors, those with the most resources under the topic first.
fn actors(lang: Lang, community: &Community, networks: &Networks, topic: &str) -> impl IntoView {
    let mut counted: Vec<(&std::sync::Arc<str>, &u32)> = networks
        .topic(topic)
        .map(|entry| entry.actors.iter().collect())
        .unwrap_or_default();
    let total = counted.len();
    first_listed(&mut counted, |a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let listed: Vec<_> = counted.iter().filter_map(|(id, _)| community.author(id)).map(|a| view! {
        <li><bdi>{a.display_name.clone()}</bdi>" "<span class="hint">{group_and_region(lang, a)}</span></li>
    }).collect();
    view! { <ul class="network-actors">{listed}</ul>{more(lang, total)} }
}

fn name(community: &Community, id: &str) -> String {
    community
        .author(id)
        .map(|a| a.display_name.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// The resources by kind, as the drawing chose them: events on a timeline, everything else by
/// title.
fn resources(
    lang: Lang,
    community: &Community,
    drawing: Memo<Option<NetworkDrawing>>,
) -> impl IntoView {
    drawing.with(|d| {
        d.iter().flat_map(|d| &d.resources).map(|listed| {
            let kind = listed.kind;
            let records = listed.first.iter().filter_map(|key| community.record(key));
            view! {
                <h4>{kind_label(lang, kind)}</h4>
                <ul class=if kind == Kind::Event { "timeline" } else { "" }>
                    {records.map(|r| {
                        let when = r.event.as_ref().map(|e| view! { <time datetime=e.starts_on.clone()>{dates_between(&e.starts_on, &e.ends_on, lang)}</time>" " });
                        view! { <li class="network-resource" class:stale=stale(r)>{when}<bdi>{r.title.clone()}</bdi><span class="hint">" — "<bdi>{name(community, &r.author)}</bdi></span><StaleNote last_confirmed=r.last_confirmed()/></li> }
                    }).collect_view()}
                </ul>
                {more(lang, listed.total)}
            }
        }).collect_view()
    })
}

/// Links between actors through the topics they share; past `MOST_ACTORS_DRAWN` actors, between
/// their stakeholder groups, with how many actors of the two share topics across.
fn links(
    lang: Lang,
    community: &Community,
    networks: &Networks,
    topic: &str,
    drawing: Memo<Option<NetworkDrawing>>,
) -> impl IntoView {
    let actors = networks.topic(topic).map_or(0, |t| t.actors.len());
    let items: Vec<AnyView> = if actors > MOST_ACTORS_DRAWN {
        let group = |c: &str| {
            StakeholderGroup::ALL
                .into_iter()
                .find(|g| code(g) == c)
                .map_or("", |g| group_label(lang, g))
        };
        let edges = drawing.with(|d| d.as_ref().map(|d| d.edges.clone()).unwrap_or_default());
        edges.into_iter().map(|e| view! {
            <li>{group(&e.a)}" — "{group(&e.b)}" : "{tr_count!(lang, actors_linked_single, actors_linked_several, e.weight)}" · "{topics_in_words(lang, &e.shared)}</li>
        }.into_any()).collect()
    } else {
        let actors: Vec<String> = networks
            .topic(topic)
            .map(|t| t.actors.keys().map(|a| a.to_string()).collect())
            .unwrap_or_default();
        networks.links_among(&actors).into_iter().map(|l| view! {
            <li><bdi>{name(community, &l.a)}</bdi>" — "<bdi>{name(community, &l.b)}</bdi>" : "{topics_in_words(lang, &l.shared)}</li>
        }.into_any()).collect()
    };
    let total = items.len();
    view! {
        <h3>{tr!(lang, links_between_actors_shared_topics)}</h3>
        {if items.is_empty() {
            view! { <p class="hint">{tr!(lang, no_links_yet)}</p> }.into_any()
        } else {
            view! { <ul class="network-links">{items.into_iter().take(LISTED).collect_view()}</ul>{more(lang, total)} }.into_any()
        }}
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
