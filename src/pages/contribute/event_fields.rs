//! An event's own fields: dates, time zone, place, link, format, and how many women and men
//! speak (the Forum's invitation asks for a balanced programme).

use leptos::prelude::*;
use networkshop_core::record::{EventDetails, EventFormat, Record};

use super::fields::{InputKind, SelectField, TextField};
use super::record_form::RecordForm;
use super::word_fields::TimeZoneField;
use crate::i18n::{event_format_label, tr, use_lang};

fn event(record: &mut Record) -> &mut EventDetails {
    record.event.get_or_insert_with(EventDetails::default)
}

/// A count typed in a number field: blank or not a number is "not said".
fn count(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

#[component]
pub(super) fn EventFields(form: RecordForm) -> impl IntoView {
    let lang = use_lang();
    let err = move |field: &'static str| move || form.error(field, lang.get());
    let read = move |f: fn(&EventDetails) -> String| {
        move || form.read(|r| r.event.as_ref().map(f).unwrap_or_default())
    };
    let shown_count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    view! {
        <TextField id={form.field_id("starts")} label={move || tr!(lang.get(), starts_on)} value={read(|e| e.starts_on.clone())}
            on_input={move |v: String| form.edit("event.starts_on", |r| event(r).starts_on = v)} error={err("event.starts_on")} kind=InputKind::Date/>
        <TextField id={form.field_id("ends")} label={move || tr!(lang.get(), ends_on)} value={read(|e| e.ends_on.clone())}
            on_input={move |v: String| form.edit("event.ends_on", |r| event(r).ends_on = v)} error={err("event.ends_on")} kind=InputKind::Date/>
        <TimeZoneField id=form.field_id("zone") label=Signal::derive(move || tr!(lang.get(), time_zone_city_or_zone))
            zone=Signal::derive(read(|e| e.time_zone.clone()))
            on_input=Callback::new(move |_| form.touch("event.time_zone"))
            on_change=Callback::new(move |zone: String| form.edit("event.time_zone", |r| event(r).time_zone = zone))
            error=Signal::derive(err("event.time_zone"))/>
        <TextField id={form.field_id("place")} label={move || tr!(lang.get(), place)} value={read(|e| e.place.clone().unwrap_or_default())}
            on_input={move |v: String| form.edit("event.place", |r| event(r).place = (!v.is_empty()).then_some(v))} error={err("event.place")}/>
        <TextField id={form.field_id("online")} label={move || tr!(lang.get(), online_link_optional)} value={read(|e| e.online_url.clone().unwrap_or_default())}
            on_input={move |v: String| form.edit("event.online_url", |r| event(r).online_url = (!v.is_empty()).then_some(v))} error={err("event.online_url")} kind=InputKind::WebAddress/>
        <SelectField id={form.field_id("format")} label={move || tr!(lang.get(), event_format)} options={&EventFormat::ALL} option_label={event_format_label}
            value={move || form.read(|r| r.event.as_ref().and_then(|e| e.format))}
            on_change={move |f| form.edit("event.format", |r| event(r).format = Some(f))}/>
        <fieldset class="speakers">
            <legend>{move || tr!(lang.get(), speakers_optional)}</legend>
            <TextField id={form.field_id("women")} label={move || tr!(lang.get(), women_speaking)} value={move || form.read(|r| shown_count(r.event.as_ref().and_then(|e| e.speakers_women)))}
                on_input={move |v: String| form.edit("event.speakers_women", |r| event(r).speakers_women = count(&v))} error={err("event.speakers_women")} kind=InputKind::Number/>
            <TextField id={form.field_id("men")} label={move || tr!(lang.get(), men_speaking)} value={move || form.read(|r| shown_count(r.event.as_ref().and_then(|e| e.speakers_men)))}
                on_input={move |v: String| form.edit("event.speakers_men", |r| event(r).speakers_men = count(&v))} error={err("event.speakers_men")} kind=InputKind::Number/>
        </fieldset>
    }
}
