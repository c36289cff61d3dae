//! Records that say how current they are: each published record says when its author last
//! confirmed it and offers "Still current"; records unconfirmed for a year are listed on top
//! so the author can confirm them in one tap each.

use leptos::prelude::*;
use networkshop_core::staleness::{is_stale, records_to_confirm};
use networkshop_core::workspace::LocalRecord;
use uuid::Uuid;

use crate::clock::day_of;
use crate::i18n::{tr, tr_count, use_lang};
use crate::services::{now, use_drafts, use_publishing, Drafts, Publishing};
use wasm_bindgen::JsCast;

/// Confirms a record and, when publishing is automatic, sends it at once; the keyboard focus
/// then goes where the participant can go on (the button it pressed is re-drawn or gone).
fn confirm(drafts: Drafts, publishing: Publishing, id: Uuid, from_reminder: bool) {
    drafts.confirm_record(id);
    if publishing.settings.with_untracked(|s| s.auto_publish) {
        publishing.request();
    }
    set_timeout(
        move || {
            // From the reminder, its next record (or the list once none is left); from a
            // record's line, that record's button again.
            let next = if from_reminder {
                vec![
                    ".confirm-reminder .still-current".to_owned(),
                    "#resources-heading".to_owned(),
                ]
            } else {
                vec![format!("[data-record-id=\"{id}\"] .still-current")]
            };
            let target = next
                .iter()
                .find_map(|selector| document().query_selector(selector).ok().flatten());
            if let Some(element) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = element.focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}

/// "Confirmed on 12 Mar 2026" and the "Still current" button, under a published record; the
/// line is marked when the record is stale.
#[component]
pub(super) fn ConfirmedLine(local: LocalRecord) -> impl IntoView {
    let lang = use_lang();
    if local.published_revision.is_none() || local.record.deleted {
        return ().into_any();
    }
    let id = local.record.id;
    let at = local.record.last_confirmed();
    let stale = is_stale(&local.record, now());
    let title = local.record.title.clone();
    view! {
        <span class="confirmed" class:stale=stale data-testid="confirmed-line">
            {move || { let date = day_of(at, lang.get()); tr!(lang.get(), confirmed_on, date).to_string() }}
            " "
            <StillCurrentButton id=id title=title from_reminder=false/>
        </span>
    }
    .into_any()
}

/// The reminder on top of the page: which records nobody has confirmed for a year.
#[component]
pub(super) fn ConfirmReminder() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let due = Memo::new(move |_| {
        drafts.workspace.with(|w| {
            records_to_confirm(w, now())
                .into_iter()
                .map(|l| (l.record.id, l.record.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || due.with(|d| !d.is_empty())>
            <section class="confirm-reminder" aria-labelledby="confirm-heading" data-testid="confirm-reminder">
                <h2 id="confirm-heading">{move || tr_count!(lang.get(), records_to_confirm_single, records_to_confirm_several, due.with(Vec::len))}</h2>
                <p>{move || tr!(lang.get(), records_to_confirm_why)}</p>
                <ul>
                    <For each=move || due.get() key=|(id, _)| *id let:((id, title))>
                        <li>
                            <bdi>{title.clone()}</bdi>
                            " "
                            <StillCurrentButton id=id title=title from_reminder=true/>
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

/// "Still current" for one record, its title in the accessible name.
#[component]
fn StillCurrentButton(id: Uuid, title: String, from_reminder: bool) -> impl IntoView {
    let lang = use_lang();
    let (drafts, publishing) = (use_drafts(), use_publishing());
    view! {
        <button type="button" class="still-current" on:click=move |_| confirm(drafts, publishing, id, from_reminder)
            aria-label=move || tr!(lang.get(), still_current_named, title = title.clone()).to_string()>
            {move || tr!(lang.get(), still_current)}
        </button>
    }
}
