//! The form's fields: a label, the input, and the error said under it and linked to it.

use leptos::prelude::*;
use networkshop_core::validate::FieldError;

use crate::i18n::{error_message, tr, use_lang, Lang};
use crate::web_address::complete_web_address;

/// The messages of the errors that belong to `field` (indexes dropped: `languages[0]` is shown
/// at `languages`), joined, or nothing.
pub(super) fn errors_for(errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
    let messages: Vec<String> = errors
        .iter()
        .filter(|e| e.form_field() == field)
        .map(|e| error_message(lang, e))
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// The id of the message under the field `id`, and its `aria-describedby`: that id while
/// there is an error, nothing otherwise.
pub(super) fn error_link(
    id: &str,
    error: impl Fn() -> Option<String> + Send + Sync + Copy + 'static,
) -> (
    String,
    impl Fn() -> Option<String> + Send + Sync + Clone + 'static,
) {
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error().map(|_| error_id.clone())
    };
    (error_id, described)
}

/// What a text field holds, which decides its element, type and keyboard.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum InputKind {
    #[default]
    Text,
    Paragraph,
    /// Completed on leaving the field (`https://`, `xn--` hosts; see `web_address.rs`).
    WebAddress,
    Date,
    Number,
}

impl InputKind {
    fn input_type(self) -> &'static str {
        match self {
            InputKind::Text | InputKind::Paragraph => "text",
            InputKind::WebAddress => "url",
            InputKind::Date => "date",
            InputKind::Number => "number",
        }
    }
}

/// Concrete props (signals and a callback, not closures): one copy of this component in the
/// wasm however many fields use it, where generic props made one per field.
#[component]
pub(super) fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] kind: InputKind,
) -> impl IntoView {
    let (error_id, described) = error_link(&id, move || error.get());
    let invalid = move || error.with(Option::is_some).to_string();
    let input = if kind == InputKind::Paragraph {
        view! {
            <textarea id=id.clone() rows="3" aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=move |ev| on_input.run(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind.input_type() aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=move |ev| on_input.run(event_target_value(&ev))
                on:change=move |ev| if kind == InputKind::WebAddress { on_input.run(complete_web_address(&event_target_value(&ev))) }/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// A labelled select over a fixed list of values (an enum's `ALL`). While `value` is `None`
/// the participant has not chosen: a "Choose…" line shows, and nothing is preselected.
#[component]
pub(super) fn SelectField<T: Copy + PartialEq + Send + Sync + 'static>(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<&'static str>,
    options: &'static [T],
    option_label: fn(Lang, T) -> &'static str,
    #[prop(into)] value: Signal<Option<T>>,
    #[prop(into)] on_change: Callback<T>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let lang = use_lang();
    let error = error.unwrap_or_default();
    let (error_id, described) = error_link(&id, move || error.get());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id aria-invalid=move || error.get().is_some().to_string() aria-describedby=described
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        if let Some(v) = options.get(i) { on_change.run(*v) }
                    }
                }>
                {move || value.get().is_none().then(|| view! {
                    <option value="" disabled=true selected=true>{move || tr!(lang.get(), choose)}</option>
                })}
                {options.iter().enumerate().map(|(i, option)| {
                    let option = *option;
                    view! { <option value=i.to_string() selected=move || value.get() == Some(option)>{move || option_label(lang.get(), option)}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A group of checkboxes over a fixed list of values (an enum's `ALL`): any number chosen,
/// kept in the list's order.
#[component]
pub(super) fn CheckboxGroup<T: Copy + PartialEq + Send + Sync + 'static>(
    #[prop(into)] id: String,
    #[prop(into)] legend: Signal<&'static str>,
    options: &'static [T],
    option_label: fn(Lang, T) -> &'static str,
    chosen: Signal<Vec<T>>,
    on_change: Callback<Vec<T>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let (error_id, described) = error_link(&id, move || error.get());
    let toggle = move |option: T, on: bool| {
        let now = chosen.get_untracked();
        let next: Vec<T> = options
            .iter()
            .copied()
            .filter(|o| if *o == option { on } else { now.contains(o) })
            .collect();
        on_change.run(next);
    };
    view! {
        <fieldset class="choices" id=id.clone() aria-describedby=described>
            <legend>{legend}</legend>
            {options.iter().enumerate().map(|(i, option)| {
                let option = *option;
                let box_id = format!("{id}-{i}");
                let label_for = box_id.clone();
                view! {
                    <label class="choice" for=label_for>
                        <input type="checkbox" id=box_id prop:checked=move || chosen.with(|c| c.contains(&option))
                            on:change=move |ev| toggle(option, event_target_checked(&ev))/>
                        {move || option_label(lang.get(), option)}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </fieldset>
    }
}

/// One checkbox with its sentence.
#[component]
pub(super) fn CheckboxField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<&'static str>,
    checked: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    view! {
        <div class="field choice">
            <input type="checkbox" id=id.clone() prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
}
