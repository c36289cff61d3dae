//! The community view: everyone's published resources, pulled from the endpoint every few
//! seconds and kept for offline use. (The live topic map is built on this in the map issue.)

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::{Community, Networks};

use crate::i18n::{bundle_error_message, group_label, kind_label, region_label, tr, use_lang};
use crate::state::use_state;
use crate::sync::SyncError;

const POLL_EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    spawn_local(state.pull());
    if let Ok(handle) = set_interval_with_handle(move || spawn_local(state.pull()), POLL_EVERY) {
        on_cleanup(move || handle.clear());
    }

    let merged = Memo::new(move |_| {
        state.community.with(|cache| {
            let (community, report) = Community::from_sources(
                cache
                    .bundles
                    .iter()
                    .map(|(name, (_, text))| (name.as_str(), text.as_bytes())),
            );
            let networks = Networks::build(&community, Catalogue::wsis());
            let rows: Vec<(String, String, usize, usize)> = Catalogue::wsis()
                .roots()
                .map(|topic| {
                    let summary = networks.summary(&community, &topic.id);
                    (
                        topic.id.clone(),
                        topic.title_en.clone(),
                        summary.actors,
                        summary.resources,
                    )
                })
                .collect();
            let people: Vec<_> = community
                .authors()
                .map(|author| {
                    let records: Vec<_> = community.records_of(&author.id).cloned().collect();
                    (author.clone(), records)
                })
                .collect();
            let problems: Vec<_> = cache
                .rejected
                .iter()
                .map(|(name, error)| (name.clone(), error.clone()))
                .chain(report.rejected.into_iter().map(|r| (r.source, r.error)))
                .collect();
            (community.records().count(), rows, people, problems)
        })
    });

    let status = move || {
        let lang = lang.get();
        state.community.with(|c| match (&c.error, &c.last_pull) {
            (Some(SyncError::Unreachable), _) => tr(
                lang,
                "Point de publication injoignable : affichage de la dernière version reçue.",
                "Endpoint unreachable: showing the last version received.",
            )
            .to_owned(),
            (Some(SyncError::Status { status, .. }), _) => format!(
                "{} ({status})",
                tr(lang, "Erreur du point de publication", "Endpoint error")
            ),
            (None, Some(at)) => format!("{} {at}", tr(lang, "Mis à jour à", "Updated at")),
            (None, None) => tr(lang, "Chargement…", "Loading…").to_owned(),
        })
    };

    view! {
        <h1>{move || tr(lang.get(), "Carte des thèmes", "Topic map")}</h1>
        <p role="status" data-testid="pull-status">{status}</p>
        <p data-testid="community-counts">
            {move || merged.with(|(records, _, people, _)| match lang.get() {
                crate::i18n::Lang::Fr => format!("{} participant(s), {records} ressource(s)", people.len()),
                crate::i18n::Lang::En => format!("{} participant(s), {records} resource(s)", people.len()),
            })}
        </p>
        <div role="alert" class="error">
            {move || merged.with(|(_, _, _, problems)| (!problems.is_empty()).then(|| {
                let lang = lang.get();
                view! {
                    <p>{tr(lang, "Fichiers ignorés :", "Files skipped:")}</p>
                    <ul class="problems">
                        {problems.iter().map(|(name, error)| view! { <li><code>{name.clone()}</code>" — "{bundle_error_message(lang, error)}</li> }).collect_view()}
                    </ul>
                }
            }))}
        </div>
        <table class="topic-table">
            <caption>{move || tr(lang.get(), "Acteurs et ressources par section et grande orientation", "Actors and resources by section and action line")}</caption>
            <thead><tr>
                <th scope="col">{move || tr(lang.get(), "Thème", "Topic")}</th>
                <th scope="col">{move || tr(lang.get(), "Acteurs", "Actors")}</th>
                <th scope="col">{move || tr(lang.get(), "Ressources", "Resources")}</th>
            </tr></thead>
            <tbody>
                {move || merged.with(|(_, rows, _, _)| rows.iter().map(|(id, _, actors, resources)| {
                    let title = Catalogue::wsis().get(id).map(|t| t.title(lang.get()).to_owned()).unwrap_or_default();
                    view! { <tr data-topic=id.clone()><th scope="row"><code>{id.clone()}</code>" "{title}</th><td>{*actors}</td><td>{*resources}</td></tr> }
                }).collect_view())}
            </tbody>
        </table>
        <h2>{move || tr(lang.get(), "Participants", "Participants")}</h2>
        <ul class="people">
            {move || merged.with(|(_, _, people, _)| people.iter().map(|(author, records)| {
                let lang = lang.get();
                view! {
                    <li class="person" data-author=author.id.clone()>
                        <strong>{author.display_name.clone()}</strong>
                        {(!author.organisation.is_empty()).then(|| format!(" — {}", author.organisation))}
                        <span class="hint">{format!(" ({}, {})", group_label(lang, author.stakeholder_group), region_label(lang, author.region))}</span>
                        <ul>
                            {records.iter().map(|r| view! {
                                <li class="community-resource">{r.title.clone()}" "<span class="hint">{format!("{} · {}", kind_label(lang, r.kind), r.topics.join(", "))}</span></li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view())}
        </ul>
    }
}
