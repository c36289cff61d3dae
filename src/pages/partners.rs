//! "Others working on your topics": the core's partner suggestions, on a page of its own in
//! the facilitator's app because it needs everyone's bundles, which a participant starting out
//! does not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::networks::partner_matches;

use crate::i18n::{domain_label, group_label, region_label, topics_in_words, tr, use_lang};
use crate::services::{use_community, use_drafts};

/// "Others working on your topics": the core's ranked partner suggestions over the community
/// view as last pulled plus this device's own current records.
#[component]
pub fn Partners() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let community = use_community();
    // One pull when the page opens; the map page keeps pulling while it is open.
    spawn_local(community.pull());
    // Kept while only titles or descriptions change (see `Workspace::partner_query`).
    let mine = Memo::new(move |_| drafts.workspace.with(|w| w.partner_query()));
    let suggestions = Memo::new(move |_| {
        let mine = mine.get()?;
        Some(
            community
                .live
                .with(|live| partner_matches(live.community(), mine, Catalogue::wsis(), 10)),
        )
    });
    view! {
        <section aria-labelledby="partners-heading">
            <h1 id="partners-heading">{move || tr!(lang.get(), others_working_on_your_topics)}</h1>
            {move || match suggestions.get() {
                Some(list) if !list.is_empty() => view! {
                    <ol class="partners">
                        {list.into_iter().map(|m| {
                            let lang = lang.get();
                            let (profile, s) = (m.profile, m.suggestion);
                            let regions = m.shared_regions.iter().map(|r| region_label(lang, *r)).collect::<Vec<_>>().join(", ");
                            let domains = m.shared_domains.iter().map(|d| domain_label(lang, *d)).collect::<Vec<_>>().join(", ");
                            let shared = if s.shared_topics.is_empty() { s.shared_areas.clone() } else { s.shared_topics.clone() };
                            view! {
                                <li class="partner" data-author=profile.id.clone()>
                                    <strong><bdi>{profile.display_name.clone()}</bdi></strong>
                                    {(!profile.organisation.is_empty()).then(|| view! { " — "<bdi>{profile.organisation.clone()}</bdi> })}
                                    <span class="hint">{format!(" ({}, {})", group_label(lang, profile.stakeholder_group), region_label(lang, profile.region))}</span>
                                    <br/>
                                    <span>{tr!(lang, shared_topics)}{topics_in_words(lang, &shared)}</span>
                                    {m.new_group.then(|| view! { <br/><span class="partner-why">{tr!(lang, partner_new_group)}</span> })}
                                    {(!regions.is_empty()).then(|| view! { <br/><span class="partner-why">{tr!(lang, partner_shared_regions, regions).to_string()}</span> })}
                                    {(!domains.is_empty()).then(|| view! { <br/><span class="partner-why">{tr!(lang, partner_shared_domains, domains).to_string()}</span> })}
                                    {profile.contact.clone().map(|c| view! { <br/><span>{tr!(lang, contact)}{c}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
                _ => view! {
                    <p class="hint">{move || tr!(lang.get(), nobody_else_yet_suggestions_appear_when)}</p>
                }.into_any(),
            }}
        </section>
    }
}
