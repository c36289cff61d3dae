//! One resource's form: common fields, then the fields of its kind.

use leptos::prelude::*;
use networkshop_core::record::{DocumentDetails, Kind};
use uuid::Uuid;

use super::done::DoneButtons;
use super::event_fields::EventFields;
use super::fields::{InputKind, TextField};
use super::partnership_fields::PartnershipFields;
use super::record_form::RecordForm;
use super::word_fields::LanguagesField;
use crate::components::topic_picker::TopicPicker;
use crate::i18n::{error_message, kind_label, tr, use_lang};

#[component]
pub(super) fn RecordEditor(id: Uuid) -> impl IntoView {
    let lang = use_lang();
    let form = RecordForm::new(id);
    let fid = move |name: &str| form.field_id(name);
    let err = move |field: &'static str| move || form.error(field, lang.get());
    let kind = form
        .record
        .get_untracked()
        .map(|r| r.kind)
        .unwrap_or(Kind::Project);
    let topics = Signal::derive(move || form.read(|r| r.topics.clone()));
    let topic_error_id = fid("topics-error");
    let topic_error = move || {
        if !form.shown("topics") {
            return None;
        }
        form.errors.with(|e| {
            let messages: Vec<String> = e
                .iter()
                .filter(|e| e.field.starts_with("topics"))
                .map(|e| error_message(lang.get(), e))
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };

    let details = match kind {
        Kind::Event => view! { <EventFields form=form/> }.into_any(),
        Kind::Document => view! { <DocumentFields form=form/> }.into_any(),
        Kind::Partnership => view! { <PartnershipFields form=form/> }.into_any(),
        Kind::Network | Kind::Project => ().into_any(),
    };

    view! {
        <section class="editor" aria-labelledby=fid("heading")>
            <h3 id=fid("heading")>{move || tr!(lang.get(), edit_kind, kind = kind_label(lang.get(), kind)).to_string()}</h3>
            <TextField id={fid("title")} label={move || tr!(lang.get(), title)} value={move || form.read(|r| r.title.clone())}
                on_input={move |v: String| form.edit("title", |r| r.title = v)} error={err("title")}/>
            <TextField id={fid("description")} label={move || tr!(lang.get(), description)} value={move || form.read(|r| r.description.clone())}
                on_input={move |v: String| form.edit("description", |r| r.description = v)} error={err("description")} kind=InputKind::Paragraph/>
            <TextField id={fid("url")} label={move || tr!(lang.get(), web_address_optional)} value={move || form.read(|r| r.url.clone().unwrap_or_default())}
                on_input={move |v: String| form.edit("url", |r| r.url = (!v.trim().is_empty()).then(|| v.trim().to_owned()))} error={err("url")} kind=InputKind::WebAddress/>
            <LanguagesField id=fid("languages") label=Signal::derive(move || tr!(lang.get(), languages_by_name))
                codes=Signal::derive(move || form.read(|r| r.languages.clone()))
                on_input=Callback::new(move |_| form.touch("languages"))
                on_change=Callback::new(move |codes: Vec<String>| form.edit("languages", |r| r.languages = codes))
                error=Signal::derive(err("languages"))/>
            {details}
            <fieldset class="topics-field">
                <legend>{move || tr!(lang.get(), topics_of_the_plan_of_action)}</legend>
                <TopicPicker id_prefix=fid("topics") selected=topics
                    on_change=Callback::new(move |chosen: Vec<String>| form.edit("topics", |r| r.topics = chosen))
                    described_by=Signal::derive({ let id = topic_error_id.clone(); move || topic_error().map(|_| id.clone()) })/>
                <p class="field-error" id=topic_error_id>{topic_error}</p>
            </fieldset>
            <DoneButtons errors=form.errors on_incomplete=Callback::new(move |_| form.show_all.set(true))/>
        </section>
    }
}

#[component]
fn DocumentFields(form: RecordForm) -> impl IntoView {
    let lang = use_lang();
    let err = move |field: &'static str| move || form.error(field, lang.get());
    view! {
        <LanguagesField id=form.field_id("doc-language") label=Signal::derive(move || tr!(lang.get(), document_language_by_name))
            codes=Signal::derive(move || form.read(|r| r.document.as_ref().and_then(|d| d.language.clone()).into_iter().collect()))
            on_input=Callback::new(move |_| form.touch("document.language"))
            on_change=Callback::new(move |codes: Vec<String>| form.edit("document.language", |r| r.document.get_or_insert_with(DocumentDetails::default).language = codes.first().cloned()))
            error=Signal::derive(err("document.language"))/>
        <TextField id={form.field_id("doc-year")} label={move || tr!(lang.get(), year)} value={move || form.read(|r| r.document.as_ref().and_then(|d| d.year).map(|y| y.to_string()).unwrap_or_default())}
            on_input={move |v: String| form.edit("document.year", |r| r.document.get_or_insert_with(DocumentDetails::default).year = v.trim().parse().ok())} error={err("document.year")} kind=InputKind::Number/>
    }
}
