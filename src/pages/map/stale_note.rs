//! A record nobody has confirmed for a year is shown faded with its date: still part of the
//! inventory, but the room can see it may be out of date.

use leptos::prelude::*;
use networkshop_core::record::Record;
use networkshop_core::staleness::{is_stale, stale_since};
use time::OffsetDateTime;

use crate::clock::day_of;
use crate::i18n::{tr, use_lang};
use crate::services::now;

/// Whether a list item for `record` is faded.
pub(super) fn stale(record: &Record) -> bool {
    is_stale(record, now())
}

/// "not confirmed since 3 Mar 2025", for a stale record; nothing otherwise. Takes the date, not
/// the record: an open topic lists five hundred of them.
#[component]
pub(super) fn StaleNote(last_confirmed: OffsetDateTime) -> impl IntoView {
    let lang = use_lang();
    stale_since(last_confirmed, now()).then(|| {
        view! {
            <span class="stale-note">{move || { let date = day_of(last_confirmed, lang.get()); tr!(lang.get(), not_confirmed_since, date).to_string() }}</span>
        }
    })
}
