//! Fields a participant fills in words while the record stores codes: languages by name,
//! the time zone by city. The text typed stays as typed until the participant leaves the
//! field; then it becomes codes (see `crate::human_inputs`).

use leptos::prelude::*;

use super::fields::error_link;

use crate::human_inputs::{
    complete_time_zone, language_choices, language_codes, language_name, time_zone_choices,
};
use crate::i18n::use_lang;

/// Shared by both fields: the label, the suggestions list and the error under the field.
#[component]
fn WordField(
    id: String,
    label: Signal<&'static str>,
    choices: Signal<Vec<(String, String)>>,
    /// What the stored value reads as, in words.
    shown: Signal<String>,
    on_input: Callback<()>,
    /// Called with the text when the participant leaves the field.
    on_leave: Callback<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let list_id = format!("{id}-choices");
    let (error_id, described) = error_link(&id, move || error.get());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" list=list_id.clone() autocomplete="off"
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=described
                prop:value=shown on:input=move |_| on_input.run(())
                on:change=move |ev| on_leave.run(event_target_value(&ev))/>
            <datalist id=list_id>
                {move || choices.get().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </datalist>
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// Languages by name ("français, anglais"); codes typed by hand are kept.
#[component]
pub(super) fn LanguagesField(
    id: String,
    label: Signal<&'static str>,
    codes: Signal<Vec<String>>,
    on_input: Callback<()>,
    on_change: Callback<Vec<String>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let shown = Signal::derive(move || {
        let lang = lang.get();
        codes
            .get()
            .iter()
            .map(|code| language_name(code, lang))
            .collect::<Vec<_>>()
            .join(", ")
    });
    // A list of names makes the browser suggest one name for the whole field; the names are
    // offered as whole values, which is right for the first language and harmless after.
    let choices = Signal::derive(move || {
        language_choices(lang.get())
            .into_iter()
            .map(|(_, name)| (name.clone(), name))
            .collect()
    });
    view! {
        <WordField id=id label=label choices=choices shown=shown on_input=on_input
            on_leave=Callback::new(move |typed: String| on_change.run(language_codes(&typed))) error=error/>
    }
}

/// The time zone from a list of cities and zones in the interface language.
#[component]
pub(super) fn TimeZoneField(
    id: String,
    label: Signal<&'static str>,
    zone: Signal<String>,
    on_input: Callback<()>,
    on_change: Callback<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let choices = Signal::derive(move || time_zone_choices(lang.get()));
    view! {
        <WordField id=id label=label choices=choices shown=zone on_input=on_input
            on_leave=Callback::new(move |typed: String| on_change.run(complete_time_zone(&typed, lang.get_untracked()))) error=error/>
    }
}
