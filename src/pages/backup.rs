//! Backup and import: the participant's whole work in one file (drafts and publishing key
//! included), and opening such a file here after a review that changes nothing until confirmed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::workspace::ImportPlan;
use networkshop_core::{parse_backup, Bundle, Community};
use uuid::Uuid;

use crate::components::export_menu::ExportMenu;
use crate::files::download;
use crate::i18n::{bundle_error_message, tr, tr_count, use_lang};
use crate::services::author_key::SIGNING_KEY_FIELD;
use crate::services::publishing::WRITE_TOKEN_FIELD;
use crate::services::{now, use_drafts, use_publishing, SaveStatus};

/// What the participant confirms: the plan, and the file's write token and signing key when
/// they would replace this browser's.
#[derive(Clone)]
struct Proposal {
    plan: ImportPlan,
    token: Option<String>,
    signing_key: Option<String>,
}

/// A secret the backup carries when it is this participant's own file and differs from ours.
fn own_secret(
    bundle: &Bundle,
    field: &str,
    own_file: bool,
    current: Option<String>,
) -> Option<String> {
    bundle
        .extra
        .get(field)
        .and_then(|t| t.as_str())
        .filter(|t| own_file && !t.is_empty() && current.as_deref() != Some(*t))
        .map(str::to_owned)
}

#[component]
pub fn Backup() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let publishing = use_publishing();
    let message = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let plan = RwSignal::new(None::<Proposal>);

    let save_backup = move |_| {
        problem.set(None);
        let Some(mut bundle) = drafts.workspace.with_untracked(|w| w.bundle(now())) else {
            problem.set(Some(
                tr!(lang.get_untracked(), fill_in_your_profile_first).to_owned(),
            ));
            return;
        };
        spawn_local(async move {
            // The backup carries the write token and the signing key, so another device of
            // this participant can publish under the same name; the published bundle never does.
            if let Some(token) = publishing.token().await {
                bundle.extra.insert(WRITE_TOKEN_FIELD.into(), token.into());
            }
            if let Some(key) = publishing.signing_key().await {
                bundle.extra.insert(SIGNING_KEY_FIELD.into(), key.into());
            }
            let date = now().date();
            download(
                &format!("networkshop-{date}.json"),
                "application/json",
                &bundle.to_json(),
            );
            message.set(Some(tr!(lang.get_untracked(), backup_saved).to_owned()));
        });
    };

    // One's own records, drafts included, in the export formats.
    let own_records = Callback::new(move |_: ()| {
        let mut community = Community::new();
        if let Some(bundle) = drafts.workspace.with_untracked(|w| w.bundle(now())) {
            community.add_bundle(bundle);
        }
        community
    });

    let open_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        message.set(None);
        problem.set(None);
        plan.set(None);
        spawn_local(async move {
            // Bytes, not text: the browser would replace invalid UTF-8 without a word.
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    problem.set(Some(
                        tr!(lang.get_untracked(), could_not_read_this_file).to_owned(),
                    ));
                    return;
                }
            };
            // A backup restores everything it holds, drafts included; only publishing asks
            // for complete records.
            match parse_backup(&bytes) {
                Err(error) => problem.set(Some(bundle_error_message(lang.get_untracked(), &error))),
                Ok(bundle) => {
                    let own_file = drafts.workspace.with_untracked(|w| {
                        w.profile.as_ref().is_none_or(|p| p.id == bundle.author.id)
                    });
                    let token = own_secret(
                        &bundle,
                        WRITE_TOKEN_FIELD,
                        own_file,
                        publishing.token().await,
                    );
                    let signing_key = own_secret(
                        &bundle,
                        SIGNING_KEY_FIELD,
                        own_file,
                        publishing.signing_key().await,
                    );
                    let proposed = drafts
                        .workspace
                        .with_untracked(|w| w.plan_import(&bundle, &mut Uuid::new_v4));
                    if proposed.added.is_empty()
                        && proposed.conflicts.is_empty()
                        && proposed.adopt_profile.is_none()
                        && token.is_none()
                        && signing_key.is_none()
                    {
                        message.set(Some(
                            tr!(lang.get_untracked(), nothing_new_in_this_file_everything)
                                .to_owned(),
                        ));
                    } else {
                        plan.set(Some(Proposal {
                            plan: proposed,
                            token,
                            signing_key,
                        }));
                    }
                }
            }
        });
    };

    view! {
        // Nothing is saved or imported before the stored drafts (records included) are loaded,
        // so the load cannot replace it; storage that failed says so at once.
        <Show when=move || drafts.records_loaded.get() || matches!(drafts.status.get(), SaveStatus::Failed(_))>
        <section aria-labelledby="backup-heading">
            <h1 id="backup-heading">{move || tr!(lang.get(), backup_and_files)}</h1>
            <p class="hint">{move || tr!(lang.get(), save_everything_to_a_file_to)}</p>
            <button type="button" on:click=save_backup>{move || tr!(lang.get(), save_a_backup)}</button>
            <div class="field">
                <label for="open-bundle">{move || tr!(lang.get(), open_a_networkshop_file)}</label>
                <input id="open-bundle" type="file" accept=".json,application/json" on:change=open_file/>
            </div>
            <p role="status">{move || message.get()}</p>
            <ExportMenu source=own_records name=Signal::derive(|| "mine".to_owned())/>
            <div role="alert" class="error import-problem">{move || problem.get().map(|p| view! { <p class="pre">{p}</p> })}</div>
            {move || plan.get().map(|p| view! { <ImportReview proposal=p on_done=Callback::new(move |text: Option<String>| { plan.set(None); message.set(text); })/> })}
        </section>
        </Show>
    }
}

#[component]
fn ImportReview(proposal: Proposal, on_done: Callback<Option<String>>) -> impl IntoView {
    let Proposal {
        plan,
        token,
        signing_key,
    } = proposal;
    let replaces_key = token.is_some() || signing_key.is_some();
    let lang = use_lang();
    let drafts = use_drafts();
    let publishing = use_publishing();
    let choices = RwSignal::new(vec![false; plan.conflicts.len()]);
    let added = plan.added.len();
    let unchanged = plan.unchanged;
    let from = plan.copied_from.clone();
    let adopt = plan.adopt_profile.as_ref().map(|p| p.display_name.clone());
    let conflicts = plan.conflicts.clone();
    let stored = StoredValue::new(plan);
    let apply = move |_| {
        let plan = stored.get_value();
        let take = choices.get_untracked();
        let written = drafts
            .workspace
            .try_update(|w| w.apply_import(plan, &take, now()))
            .unwrap_or_default();
        drafts.write_imported(&written);
        let (token, signing_key) = (token.clone(), signing_key.clone());
        spawn_local(async move {
            // The key first: the token may restart a publish, which must sign with this key.
            if let Some(key) = signing_key {
                publishing.import_signing_key(key).await;
            }
            if let Some(token) = token {
                publishing.import_token(token);
            }
            // "Imported" only once it is stored: the participant may leave the page at once.
            drafts.saved().await;
            on_done.run(Some(tr!(lang.get_untracked(), file_imported).to_owned()));
        });
    };
    view! {
        <div class="import-review" role="region" aria-labelledby="import-heading">
            <h3 id="import-heading">{move || tr!(lang.get(), import_this_file)}</h3>
            <ul>
                {adopt.map(|name| view! { <li>{move || tr!(lang.get(), import_profile, name = name.clone()).to_string()}</li> })}
                {from.map(|name| view! { <li>{move || tr!(lang.get(), import_copied_under_your_name, name = name.clone()).to_string()}</li> })}
                <li>{move || tr_count!(lang.get(), new_resources_single, new_resources_several, added)}</li>
                <li>{move || tr_count!(lang.get(), already_here_single, already_here_several, unchanged)}</li>
                {replaces_key.then(|| view! { <li>{move || tr!(lang.get(), import_replaces_key)}</li> })}
            </ul>
            {conflicts.into_iter().enumerate().map(|(i, (ours, theirs))| view! {
                <fieldset class="conflict">
                    <legend>{let title = ours.title.clone(); move || tr!(lang.get(), two_versions_of, title = title.clone()).to_string()}</legend>
                    <label class="inline"><input type="radio" name=format!("conflict-{i}") checked=true on:change=move |_| choices.update(|c| c[i] = false)/>
                        {move || tr!(lang.get(), keep_mine)}</label>
                    <label class="inline"><input type="radio" name=format!("conflict-{i}") on:change=move |_| choices.update(|c| c[i] = true)/>
                        {let title = theirs.title.clone(); move || tr!(lang.get(), take_the_files, title = title.clone()).to_string()}</label>
                </fieldset>
            }).collect_view()}
            <button type="button" class="primary" on:click=apply>{move || tr!(lang.get(), import)}</button>
            " "
            <button type="button" on:click=move |_| on_done.run(None)>{move || tr!(lang.get(), cancel)}</button>
        </div>
    }
}
