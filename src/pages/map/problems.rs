//! Files the map skipped or partly ignored, each with its reasons (the first few, the rest
//! counted). Drawn below the picture, so nothing a hostile file holds can push the map away.

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::merge::IdCollision;
use networkshop_core::BundleError;

use crate::i18n::{bundle_error_reasons, tr, use_lang, REASONS_SHOWN};
use crate::services::use_community;

#[component]
pub(super) fn FileProblems() -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let rejected = Memo::new(move |_| community.cache.with(|c| c.rejected.clone()));
    // Per author file: how many of its record ids others use too, and who.
    let shared = Memo::new(move |_| {
        let collisions = community.live.with(|l| l.community().id_collisions());
        shared_ids(&collisions)
    });
    let any = move || rejected.with(|r| !r.is_empty()) || shared.with(|s| !s.is_empty());
    view! {
        <Show when=any>
            <section class="file-problems" role="status" data-testid="file-problems">
                <h2>{move || tr!(lang.get(), files_skipped)}</h2>
                <ul class="problems">
                    <For each=move || rejected.get() key=|(name, error)| (name.clone(), error.code()) let((name, error))>
                        <RejectedFile name=name error=error/>
                    </For>
                    <For each=move || shared.get() key=|entry| entry.clone() let((file, (count, others)))>
                        <li>
                            <code><bdi>{file}</bdi></code>
                            <p>{move || {
                                let authors = others.join(", ");
                                tr!(lang.get(), file_shares_ids, authors, count).to_string()
                            }}</p>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn RejectedFile(name: String, error: BundleError) -> impl IntoView {
    let lang = use_lang();
    let community = use_community();
    let key_changed = matches!(error, BundleError::KeyChanged { .. });
    let file = name.clone();
    let attribute = name.clone();
    view! {
        <li data-file=attribute>
            <code><bdi>{name}</bdi></code>
            {move || {
                let lang = lang.get();
                let (reasons, more) = bundle_error_reasons(lang, &error, REASONS_SHOWN);
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
