//! The participant's page: profile, resources (add, edit, delete with undo), publishing, and
//! links to partner suggestions and backup. Every keystroke goes to the workspace and on to
//! IndexedDB through the drafts service; there is no save button.

mod confirm;
mod done;
mod editor;
mod event_fields;
mod fields;
mod partnership_fields;
mod profile;
mod publish;
mod readiness_list;
mod record_form;
mod record_state;
mod resources;
mod word_fields;

use futures::FutureExt;
use leptos::prelude::*;

use crate::components::later::{later_fn, Later, Part};
use crate::i18n::{tr, use_lang, Lang};
use crate::services::{use_drafts, SaveStatus, StorageError};
use confirm::ConfirmReminder;
use profile::ProfileForm;
use publish::{Publish, PublishBar};
use resources::Resources;

#[component]
pub fn Contribute() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    view! {
        <h1>{move || tr!(lang.get(), contribute)}</h1>
        <p class="lead">
            {move || tr!(lang.get(), register_your_organisations_networks_and_working)}
        </p>
        <SaveStatusLine/>
        // The forms appear once the stored drafts are loaded, so nothing typed can be replaced
        // by the load that follows.
        <Show when=move || drafts.status.get() != SaveStatus::Loading>
            <ProfileForm/>
            <Later load=|| rest_of_the_page().boxed_local()/>
            <GoingFurther/>
        </Show>
    }
}

later_fn! {
    /// Everything after the profile comes in the later chunk: a phone on slow Wi-Fi can type
    /// its profile before resources, topics and publishing have arrived.
    fn rest_of_the_page() -> Part {
        let (lang, drafts) = (use_lang(), use_drafts());
        let loading = move || view! { <p class="hint" role="status">{move || tr!(lang.get(), loading_your_drafts)}</p> };
        // The record forms appear once the stored records are read, so nothing typed can be
        // replaced by the load that follows.
        Ok(view! {
            <Show when=move || drafts.records_loaded.get() fallback=loading>
                <PublishBar/>
                <ConfirmReminder/>
                <Resources/>
                <Publish/>
            </Show>
        }
        .into_any())
    }
}

/// The pages a participant needs later, in the facilitator's app: it downloads in the
/// background once this page is up, so they open at once (and offline) when asked for.
#[component]
fn GoingFurther() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="further-heading">
            <h2 id="further-heading">{move || tr!(lang.get(), going_further)}</h2>
            <ul class="further">
                <li><a href="/partners" rel="external">{move || tr!(lang.get(), find_others_working_on_your_topics)}</a></li>
                <li><a href="/backup" rel="external">{move || tr!(lang.get(), back_up_import_or_export_your_records)}</a></li>
            </ul>
        </section>
    }
}

#[component]
fn SaveStatusLine() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let nothing_yet = move || {
        drafts
            .workspace
            .with(|w| w.profile.is_none() && w.records.is_empty())
    };
    let status = move || {
        let lang = lang.get();
        match drafts.status.get() {
            SaveStatus::Loading => tr!(lang, loading_your_drafts).to_owned(),
            // Records not read yet may be there: "nothing saved" would not be true.
            SaveStatus::Saved if nothing_yet() && !drafts.records_loaded.get() => {
                tr!(lang, loading_your_drafts).to_owned()
            }
            SaveStatus::Saving => tr!(lang, saving).to_owned(),
            SaveStatus::Saved if nothing_yet() => tr!(lang, nothing_saved_yet).to_owned(),
            SaveStatus::Saved => tr!(lang, saved_on_this_device).to_owned(),
            SaveStatus::Failed(_) => String::new(),
        }
    };
    let failure = move || match drafts.status.get() {
        SaveStatus::Failed(error) => Some(storage_error_message(lang.get(), &error)),
        _ => None,
    };
    let persistence = move || match drafts.persisted.get() {
        Some(true) => Some(tr!(lang.get(), the_browser_will_keep_this_data)),
        Some(false) => Some(tr!(lang.get(), persistent_storage_not_granted_the_browser)),
        None => None,
    };
    view! {
        <div class="save-status">
            <p role="status" data-testid="save-status">{status}</p>
            <p role="alert" class="error">{failure}</p>
            <p class="hint" data-testid="persistence">{persistence}</p>
        </div>
    }
}

fn storage_error_message(lang: Lang, error: &StorageError) -> String {
    match error {
        StorageError::QuotaExceeded => tr!(lang, could_not_save_storage_is_full).to_owned(),
        StorageError::Unavailable(_) => {
            tr!(lang, this_browser_refuses_local_storage_private).to_owned()
        }
        StorageError::Failed(detail) => tr!(
            lang,
            could_not_save_your_text_stays,
            detail = detail.clone()
        )
        .to_string(),
    }
}
