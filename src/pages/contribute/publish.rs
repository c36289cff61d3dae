//! Publishing on the page: "Publish now" with the status in words above the resources; what is held back,
//! automatic publishing and the sharing-server settings at the bottom.

use leptos::prelude::*;
use networkshop_core::publishing::{Failure, Status, StopReason};

use super::done::fields_in_words;
use super::fields::{InputKind, TextField};
use crate::clock::time_of_day;
use crate::i18n::{tr, tr_count, use_lang, Lang};
use crate::services::{use_drafts, use_publishing, SyncSettings};
use networkshop_core::catalogue::Catalogue;
use networkshop_core::validate::validate_record;

/// The publishing status in words; every failure says whether it tries again and what to do.
fn status_message(lang: Lang, status: &Status, last_published: Option<&str>) -> String {
    match status {
        Status::Idle => match last_published {
            Some(at) => {
                let time = time_of_day(at, lang);
                tr!(lang, pub_last_published_at_time, time).to_string()
            }
            None => tr!(lang, not_published_yet).to_owned(),
        },
        Status::Working => tr!(lang, publishing).to_owned(),
        Status::Published {
            at,
            held_back,
            merged,
        } => {
            let rfc = at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            let time = time_of_day(&rfc, lang);
            let mut text = tr!(lang, pub_published_at_time, time).to_string();
            if *merged > 0 {
                let count = *merged;
                text.push(' ');
                text.push_str(&tr_count!(
                    lang,
                    merged_from_other_device_single,
                    merged_from_other_device_several,
                    count
                ));
            }
            if !held_back.is_empty() {
                let count = held_back.len();
                text.push(' ');
                text.push_str(&tr_count!(lang, held_back_single, held_back_several, count));
            }
            text
        }
        Status::Retrying {
            failure,
            retry_in_ms,
            ..
        } => {
            let seconds = retry_in_ms.div_ceil(1000);
            match failure {
                Failure::Unreachable => tr!(lang, pub_retry_unreachable, seconds).to_string(),
                Failure::Timeout => tr!(lang, pub_retry_timeout, seconds).to_string(),
                Failure::Server(status) => {
                    let status = *status;
                    tr!(lang, pub_retry_server, status, seconds).to_string()
                }
            }
        }
        Status::Stopped(reason) => stop_message(lang, reason),
    }
}

fn stop_message(lang: Lang, reason: &StopReason) -> String {
    match reason {
        StopReason::ProfileIncomplete => tr!(lang, complete_your_profile_at_least_the).to_owned(),
        StopReason::GaveUp { attempts, .. } => {
            let attempts = *attempts;
            tr!(lang, pub_gave_up, attempts).to_string()
        }
        StopReason::Conflicts => tr!(lang, pub_conflicts).to_owned(),
        StopReason::TokenRefused => tr!(lang, this_endpoint_already_holds_a_file).to_owned(),
        StopReason::TokenRequired => tr!(lang, pub_token_required).to_owned(),
        StopReason::UploadKey => tr!(lang, this_endpoint_asks_for_an_upload).to_owned(),
        StopReason::Rejected(code) => {
            let code = code.clone();
            tr!(lang, pub_rejected, code).to_string()
        }
        StopReason::NoSecureRandom => tr!(lang, pub_no_secure_random).to_owned(),
        StopReason::Storage => tr!(lang, pub_key_not_stored).to_owned(),
    }
}

/// "Publish now" and the publishing status between the profile and the resources, so neither is
/// below a long list.
#[component]
pub(super) fn PublishBar() -> impl IntoView {
    let lang = use_lang();
    let publishing = use_publishing();
    let status = move || {
        let last = publishing.meta.with(|m| m.last_published.clone());
        publishing
            .status
            .with(|s| status_message(lang.get(), s, last.as_deref()))
    };
    let failed = move || {
        publishing
            .status
            .with(|s| matches!(s, Status::Retrying { .. } | Status::Stopped(_)))
    };
    view! {
        <div class="publish-bar">
            <p role="status" data-testid="publish-status" class:error=failed>{status}</p>
            <button type="button" class="primary" on:click=move |_| publishing.request()
                disabled=move || publishing.is_working()>
                {move || tr!(lang.get(), publish_now)}
            </button>
        </div>
    }
}

/// What publishing does, what is held back and why, and the settings.
#[component]
pub(super) fn Publish() -> impl IntoView {
    let lang = use_lang();
    let publishing = use_publishing();
    let settings = move || publishing.settings.get();
    let edit = move |f: &dyn Fn(&mut SyncSettings)| {
        let mut current = publishing.settings.get_untracked();
        f(&mut current);
        publishing.save_settings(current);
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    view! {
        <section aria-labelledby="publish-heading">
            <h2 id="publish-heading">{move || tr!(lang.get(), publish)}</h2>
            <p class="hint">{move || tr!(lang.get(), publishing_sends_your_profile_and_complete)}</p>
            <HeldBack/>
            <label class="inline">
                <input type="checkbox" prop:checked=move || settings().auto_publish
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.auto_publish = on) }/>
                {move || tr!(lang.get(), publish_automatically_after_each_change)}
            </label>
            <details>
                <summary>{move || tr!(lang.get(), endpoint)}</summary>
                <TextField id={"endpoint-address"} label={move || tr!(lang.get(), endpoint_address_empty_this_site)} value={move || settings().endpoint}
                on_input={move |v: String| edit(&|s| s.endpoint = v.trim().to_owned())} error={|| None} kind=InputKind::WebAddress/>
                <p class="hint">{move || tr!(lang.get(), default_endpoint, origin = origin.clone()).to_string()}</p>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || settings().webdav
                        on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.webdav = on) }/>
                    {move || tr!(lang.get(), webdav_server_the_address_is_then)}
                </label>
                <TextField id={"upload-key"} label={move || tr!(lang.get(), upload_key_if_the_facilitator_set)} value={move || settings().upload_key.unwrap_or_default()}
                on_input={move |v: String| edit(&|s| s.upload_key = (!v.is_empty()).then(|| v.clone()))} error={|| None}/>
            </details>
        </section>
    }
}

/// The records kept off the map, by title, each with what it lacks.
#[component]
fn HeldBack() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let held = Memo::new(move |_| {
        drafts.workspace.with(|w| {
            w.visible()
                .into_iter()
                .filter_map(|local| {
                    let errors = validate_record(&local.record, Catalogue::wsis());
                    (!errors.is_empty())
                        .then(|| (local.record.id, local.record.title.clone(), errors))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || held.with(|h| !h.is_empty())>
            <div class="held-back" data-testid="held-back">
                <p>{move || tr!(lang.get(), not_on_the_map_yet)}</p>
                <ul>
                    <For each=move || held.get() key=|(id, title, errors)| (*id, title.clone(), errors.len()) let:item>
                        <li>
                            <bdi>{if item.1.trim().is_empty() { tr!(lang.get_untracked(), untitled).to_owned() } else { item.1.clone() }}</bdi>
                            " — " {move || { let fields = fields_in_words(lang.get(), &item.2); tr!(lang.get(), state_incomplete, fields).to_string() }}
                        </li>
                    </For>
                </ul>
            </div>
        </Show>
    }
}
