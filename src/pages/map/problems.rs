//! Files the map skipped or partly ignored, each with its reasons (the first few, the rest
//! counted). Drawn below the picture, so nothing a hostile file holds can push the map away.

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::merge::IdCollision;
use networkshop_core::BundleError;

use crate::i18n::{bundle_error_reasons, tr, use_lang, REASONS_SHOWN};
use crate::services::use_community;

/// What is wrong with one file: refused (with why), and/or record ids others use too.
#[derive(Clone, PartialEq, Default)]
struct Problems {
    refused: Option<BundleError>,
    shared: Option<(usize, Vec<String>)>,
}

#[component]
pub(super) fn FileProblems() -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let rejected = Memo::new(move |_| community.cache.with(|c| c.rejected.clone()));
    let shared = Memo::new(move |_| {
        community.live.with(|live| {
            let community = live.community();
            let mut shared = shared_ids(&community.id_collisions());
            // People, not ids: the facilitator knows who Alice is, not her file's name.
            for (_, (_, others)) in &mut shared {
                for other in others.iter_mut() {
                    if let Some(profile) = community.author(other) {
                        *other = profile.display_name.clone();
                    }
                }
            }
            shared
        })
    });
    let files = Memo::new(move |_| {
        let mut files: BTreeMap<String, Problems> = BTreeMap::new();
        for (name, error) in rejected.get() {
            files.entry(name).or_default().refused = Some(error);
        }
        for (name, entry) in shared.get() {
            files.entry(name).or_default().shared = Some(entry);
        }
        files.into_iter().collect::<Vec<_>>()
    });
    view! {
        <Show when=move || files.with(|f| !f.is_empty())>
            <section class="file-problems" role="status" data-testid="file-problems">
                <h2>{move || tr!(lang.get(), files_skipped)}</h2>
                <ul class="problems">
                    <For each=move || files.get() key=|(name, problems)| (name.clone(), problems.refused.as_ref().map(BundleError::code), problems.shared.clone()) let((name, problems))>
                        <FileProblem name=name problems=problems/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn FileProblem(name: String, problems: Problems) -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let key_changed = matches!(problems.refused, Some(BundleError::KeyChanged { .. }));
    let file = name.clone();
    let attribute = name.clone();
    view! {
        <li data-file=attribute>
            <code><bdi>{name}</bdi></code>
            {move || {
                let lang = lang.get();
                let (mut reasons, more) = match &problems.refused {
                    Some(error) => bundle_error_reasons(lang, error, REASONS_SHOWN),
                    None => (Vec::new(), 0),
                };
                if let Some((count, others)) = &problems.shared {
                    let authors = others.join(", ");
                    reasons.push(tr!(lang, file_shares_ids, authors, count).to_string());
                }
                view! {
                    <ul class="reasons">
                        {reasons.into_iter().map(|r| view! { <li><bdi>{r}</bdi></li> }).collect_view()}
                        {(more > 0).then(|| view! { <li class="hint">{tr!(lang, more_problems, count = more).to_string()}</li> })}
                    </ul>
                }
            }}
            {key_changed.then(|| view! {
                <button type="button" on:click=move |_| community.trust_new_key(&file)>
                    {move || tr!(lang.get(), trust_new_key)}
                </button>
            })}
        </li>
    }
}

/// `author.json` → (number of its record ids others use, those others).
fn shared_ids(collisions: &[IdCollision]) -> Vec<(String, (usize, Vec<String>))> {
    let mut by_author: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    for collision in collisions {
        for author in &collision.authors {
            let entry = by_author.entry(author).or_default();
            entry.0 += 1;
            for other in collision.authors.iter().filter(|a| *a != author) {
                if !entry.1.contains(other) {
                    entry.1.push(other.clone());
                }
            }
        }
    }
    by_author
        .into_iter()
        .map(|(author, entry)| (format!("{author}.json"), entry))
        .collect()
}
