//! One resource's form: common fields, then the fields of its kind.

use std::collections::BTreeSet;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::record::{AgreementType, Funding, Kind, Record};
use networkshop_core::validate::validate_record;
use uuid::Uuid;

use super::done::DoneButtons;
use super::fields::{errors_for, InputKind, SelectField, TextField};
use super::word_fields::{LanguagesField, TimeZoneField};
use crate::components::topic_picker::TopicPicker;
use crate::i18n::{agreement_label, error_message, funding_label, kind_label, tr, use_lang};
use crate::services::use_drafts;

#[component]
pub(super) fn RecordEditor(id: Uuid) -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let record = Memo::new(move |_| {
        drafts
            .workspace
            .with(|w| w.records.get(&id).map(|l| l.record.clone()))
    });
    let errors = Memo::new(move |_| {
        record
            .get()
            .map(|r| validate_record(&r, Catalogue::wsis()))
            .unwrap_or_default()
    });
    // No error on a field before the participant has typed in it, until Done; a record
    // worked on before shows its errors at once.
    let touched = RwSignal::new(BTreeSet::<&'static str>::new());
    let show_all = RwSignal::new(
        record.with_untracked(|r| r.as_ref().is_some_and(|r| !r.title.trim().is_empty())),
    );
    let touch = move |field: &'static str| {
        if !touched.with_untracked(|t| t.contains(field)) {
            touched.update(|t| {
                t.insert(field);
            });
        }
    };
    let edit = move |field: &'static str, f: &dyn Fn(&mut Record)| {
        touch(field);
        if let Some(mut current) = record.get_untracked() {
            f(&mut current);
            drafts.save_record(current);
        }
    };
    let shown = move |field: &'static str| show_all.get() || touched.with(|t| t.contains(field));
    let get = move |f: fn(&Record) -> String| {
        move || record.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let err = move |field: &'static str| {
        move || {
            if shown(field) {
                errors.with(|e| errors_for(e, field, lang.get()))
            } else {
                None
            }
        }
    };
    let fid = move |name: &str| format!("record-{id}-{name}");
    let kind = record
        .get_untracked()
        .map(|r| r.kind)
        .unwrap_or(Kind::Project);
    let topics = Signal::derive(move || {
        record.with(|r| r.as_ref().map(|r| r.topics.clone()).unwrap_or_default())
    });
    let topic_error_id = fid("topics-error");
    let topic_error = move || {
        if !shown("topics") {
            return None;
        }
        errors.with(|e| {
            let messages: Vec<String> = e
                .iter()
                .filter(|e| e.field.starts_with("topics"))
                .map(|e| error_message(lang.get(), e))
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };

    let details = match kind {
        Kind::Event => view! {
            <TextField id={fid("starts")} label={move || tr!(lang.get(), starts_on)} value={get(|r| r.event.as_ref().map(|e| e.starts_on.clone()).unwrap_or_default())}
                on_input={move |v| edit("event.starts_on", &|r| if let Some(e) = r.event.as_mut() { e.starts_on = v.clone() })} error={err("event.starts_on")} kind=InputKind::Date/>
            <TextField id={fid("ends")} label={move || tr!(lang.get(), ends_on)} value={get(|r| r.event.as_ref().map(|e| e.ends_on.clone()).unwrap_or_default())}
                on_input={move |v| edit("event.ends_on", &|r| if let Some(e) = r.event.as_mut() { e.ends_on = v.clone() })} error={err("event.ends_on")} kind=InputKind::Date/>
            <TimeZoneField id=fid("zone") label=Signal::derive(move || tr!(lang.get(), time_zone_city_or_zone))
                zone=Signal::derive(get(|r| r.event.as_ref().map(|e| e.time_zone.clone()).unwrap_or_default()))
                on_input=Callback::new(move |_| touch("event.time_zone"))
                on_change=Callback::new(move |zone: String| edit("event.time_zone", &|r| if let Some(e) = r.event.as_mut() { e.time_zone = zone.clone() }))
                error=Signal::derive(err("event.time_zone"))/>
            <TextField id={fid("place")} label={move || tr!(lang.get(), place)} value={get(|r| r.event.as_ref().and_then(|e| e.place.clone()).unwrap_or_default())}
                on_input={move |v| edit("event.place", &|r| if let Some(e) = r.event.as_mut() { e.place = (!v.is_empty()).then(|| v.clone()) })} error={err("event.place")}/>
            <TextField id={fid("online")} label={move || tr!(lang.get(), online_link_optional)} value={get(|r| r.event.as_ref().and_then(|e| e.online_url.clone()).unwrap_or_default())}
                on_input={move |v| edit("event.online_url", &|r| if let Some(e) = r.event.as_mut() { e.online_url = (!v.is_empty()).then(|| v.clone()) })} error={err("event.online_url")} kind=InputKind::WebAddress/>
        }
        .into_any(),
        Kind::Document => view! {
            <LanguagesField id=fid("doc-language") label=Signal::derive(move || tr!(lang.get(), document_language_by_name))
                codes=Signal::derive(move || record.with(|r| r.as_ref().and_then(|r| r.document.as_ref()?.language.clone()).into_iter().collect()))
                on_input=Callback::new(move |_| touch("document.language"))
                on_change=Callback::new(move |codes: Vec<String>| edit("document.language", &|r| r.document.get_or_insert_with(empty_document).language = codes.first().cloned()))
                error=Signal::derive(err("document.language"))/>
            <TextField id={fid("doc-year")} label={move || tr!(lang.get(), year)} value={get(|r| r.document.as_ref().and_then(|d| d.year).map(|y| y.to_string()).unwrap_or_default())}
                on_input={move |v| edit("document.year", &|r| r.document.get_or_insert_with(empty_document).year = v.trim().parse().ok())} error={err("document.year")} kind=InputKind::Number/>
        }
        .into_any(),
        Kind::Partnership => view! {
            <TextField id={fid("partners")} label={move || tr!(lang.get(), partners_one_per_line)} value={get(|r| r.partnership.as_ref().map(|p| p.partners.join("\n")).unwrap_or_default())}
                on_input={move |v| edit("partnership.partners", &|r| if let Some(p) = r.partnership.as_mut() { p.partners = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect() })} error={err("partnership.partners")} kind=InputKind::Paragraph/>
            <TextField id={fid("objectives")} label={move || tr!(lang.get(), objectives)} value={get(|r| r.partnership.as_ref().map(|p| p.objectives.clone()).unwrap_or_default())}
                on_input={move |v| edit("partnership.objectives", &|r| if let Some(p) = r.partnership.as_mut() { p.objectives = v.clone() })} error={err("partnership.objectives")} kind=InputKind::Paragraph/>
            <TextField id={fid("results")} label={move || tr!(lang.get(), expected_results)} value={get(|r| r.partnership.as_ref().map(|p| p.expected_results.clone()).unwrap_or_default())}
                on_input={move |v| edit("partnership.expected_results", &|r| if let Some(p) = r.partnership.as_mut() { p.expected_results = v.clone() })} error={err("partnership.expected_results")} kind=InputKind::Paragraph/>
            <TextField id={fid("timeline")} label={move || tr!(lang.get(), timeline)} value={get(|r| r.partnership.as_ref().map(|p| p.timeline.clone()).unwrap_or_default())}
                on_input={move |v| edit("partnership.timeline", &|r| if let Some(p) = r.partnership.as_mut() { p.timeline = v.clone() })} error={err("partnership.timeline")}/>
            <SelectField id={fid("funding")} label={move || tr!(lang.get(), funding)} options={&Funding::ALL} option_label={funding_label}
                value={move || Some(record.with(|r| r.as_ref().and_then(|r| r.partnership.as_ref().map(|p| p.funding)).unwrap_or(Funding::None)))} on_change={move |f| edit("partnership.funding", &|r| if let Some(p) = r.partnership.as_mut() { p.funding = f })}/>
            <SelectField id={fid("agreement")} label={move || tr!(lang.get(), agreement_type)} options={&AgreementType::ALL} option_label={agreement_label}
                value={move || Some(record.with(|r| r.as_ref().and_then(|r| r.partnership.as_ref().map(|p| p.agreement)).unwrap_or(AgreementType::Mou)))} on_change={move |a| edit("partnership.agreement", &|r| if let Some(p) = r.partnership.as_mut() { p.agreement = a })}/>
        }
        .into_any(),
        Kind::Network | Kind::Project => ().into_any(),
    };

    view! {
        <section class="editor" aria-labelledby=fid("heading")>
            <h3 id=fid("heading")>{move || tr!(lang.get(), edit_kind, kind = kind_label(lang.get(), kind)).to_string()}</h3>
            <TextField id={fid("title")} label={move || tr!(lang.get(), title)} value={get(|r| r.title.clone())}
                on_input={move |v| edit("title", &|r| r.title = v.clone())} error={err("title")}/>
            <TextField id={fid("description")} label={move || tr!(lang.get(), description)} value={get(|r| r.description.clone())}
                on_input={move |v| edit("description", &|r| r.description = v.clone())} error={err("description")} kind=InputKind::Paragraph/>
            <TextField id={fid("url")} label={move || tr!(lang.get(), web_address_optional)} value={get(|r| r.url.clone().unwrap_or_default())}
                on_input={move |v| edit("url", &|r| r.url = (!v.trim().is_empty()).then(|| v.trim().to_owned()))} error={err("url")} kind=InputKind::WebAddress/>
            <LanguagesField id=fid("languages") label=Signal::derive(move || tr!(lang.get(), languages_by_name))
                codes=Signal::derive(move || record.with(|r| r.as_ref().map(|r| r.languages.clone()).unwrap_or_default()))
                on_input=Callback::new(move |_| touch("languages"))
                on_change=Callback::new(move |codes: Vec<String>| edit("languages", &|r| r.languages = codes.clone()))
                error=Signal::derive(err("languages"))/>
            {details}
            <fieldset class="topics-field">
                <legend>{move || tr!(lang.get(), topics_of_the_plan_of_action)}</legend>
                <TopicPicker id_prefix=fid("topics") selected=topics
                    on_change=Callback::new(move |chosen: Vec<String>| edit("topics", &|r| r.topics = chosen.clone()))
                    described_by=Signal::derive({ let id = topic_error_id.clone(); move || topic_error().map(|_| id.clone()) })/>
                <p class="field-error" id=topic_error_id>{topic_error}</p>
            </fieldset>
            <DoneButtons errors=errors on_incomplete=Callback::new(move |_| show_all.set(true))/>
        </section>
    }
}

fn empty_document() -> networkshop_core::record::DocumentDetails {
    networkshop_core::record::DocumentDetails {
        language: None,
        year: None,
        extra: Default::default(),
    }
}
