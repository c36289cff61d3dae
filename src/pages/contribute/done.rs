//! "Done": a complete record goes on the map (published at once when automatic publishing is
//! on); an incomplete one stays open and says what is missing, field by field.

use leptos::prelude::*;
use networkshop_core::validate::FieldError;

use crate::i18n::{field_label, tr, use_lang, Lang};
use crate::services::{use_drafts, use_publishing};

/// "Title, Topics of the Plan of Action": the fields `errors` name, each once, in form order.
pub(super) fn fields_in_words(lang: Lang, errors: &[FieldError]) -> String {
    let mut labels: Vec<&'static str> = Vec::new();
    for error in errors {
        let label = field_label(lang, &error.form_field());
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(", ")
}

#[component]
pub(super) fn DoneButtons(
    errors: Memo<Vec<FieldError>>,
    /// Called when Done is pressed on an incomplete record: every error is then shown.
    on_incomplete: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let publishing = use_publishing();
    let tried = RwSignal::new(false);
    let done = move |_| {
        if errors.with_untracked(Vec::is_empty) {
            drafts.editing.set(None);
            if publishing.settings.with_untracked(|s| s.auto_publish) {
                publishing.request();
            }
        } else {
            tried.set(true);
            on_incomplete.run(());
        }
    };
    let missing = move || {
        let lang = lang.get();
        errors.with(|e| {
            (tried.get() && !e.is_empty()).then(|| {
                let fields = fields_in_words(lang, e);
                tr!(lang, done_but_incomplete, fields).to_string()
            })
        })
    };
    view! {
        <p role="alert" class="error done-missing">{missing}</p>
        <div class="done-buttons">
            <button type="button" class="primary" on:click=done>{move || tr!(lang.get(), done)}</button>
            {move || (tried.get() && errors.with(|e| !e.is_empty())).then(|| view! {
                " "
                <button type="button" on:click=move |_| drafts.editing.set(None)>{move || tr!(lang.get(), keep_as_draft_and_close)}</button>
            })}
        </div>
    }
}
