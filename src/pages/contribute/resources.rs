//! The participant's resources: grouped by kind or topic, each with its publish state, edit and
//! delete (with undo).

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::record::Kind;
use networkshop_core::workspace::groups::{self, Group};
use networkshop_core::workspace::LocalRecord;
use wasm_bindgen::JsCast;

use super::confirm::ConfirmedLine;
use super::editor::RecordEditor;
use super::record_state::RecordState;
use crate::i18n::{kind_label, sdgs_in_words, topics_in_words, tr, use_lang, Lang};
use crate::services::use_drafts;

#[derive(Clone, Copy, PartialEq)]
enum Grouping {
    Kind,
    Topic,
}

#[component]
pub(super) fn Resources() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let grouping = RwSignal::new(Grouping::Kind);
    let visible = Memo::new(move |_| {
        drafts.workspace.with(|w| {
            w.visible()
                .into_iter()
                .cloned()
                .collect::<Vec<LocalRecord>>()
        })
    });

    let groups = Memo::new(move |_| {
        let records = visible.get();
        match grouping.get() {
            Grouping::Kind => groups::by_kind(&records),
            Grouping::Topic => groups::by_action_line(&records, Catalogue::wsis()),
        }
    });

    view! {
        <section aria-labelledby="resources-heading">
            <h2 id="resources-heading" tabindex="-1">{move || tr!(lang.get(), your_resources)}</h2>
            <div class="add-buttons" role="group" aria-label=move || tr!(lang.get(), add_a_resource)>
                {Kind::ALL.iter().map(|kind| {
                    let kind = *kind;
                    view! {
                        <button type="button" class="add" data-kind=format!("{kind:?}").to_lowercase() on:click=move |_| {
                            let id = drafts.add_record(kind);
                            focus_later(format!("record-{id}-title"));
                        }>
                            "+ " {move || kind_label(lang.get(), kind)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <UndoBanner/>
            {move || drafts.editing.get().map(|id| view! { <RecordEditor id=id/> })}
            <fieldset class="grouping">
                <legend>{move || tr!(lang.get(), group_by)}</legend>
                <label class="inline"><input type="radio" name="grouping" prop:checked=move || grouping.get() == Grouping::Kind on:change=move |_| grouping.set(Grouping::Kind)/>{move || tr!(lang.get(), kind_2)}</label>
                <label class="inline"><input type="radio" name="grouping" prop:checked=move || grouping.get() == Grouping::Topic on:change=move |_| grouping.set(Grouping::Topic)/>{move || tr!(lang.get(), action_line)}</label>
            </fieldset>
            {move || visible.with(Vec::is_empty).then(|| view! {
                <p class="hint">{move || tr!(lang.get(), no_resources_yet_start_with_one)}</p>
            })}
            <For each=move || groups.get() key=|(group, items)| (group.clone(), items.iter().map(|l| (l.record.id, l.record.revision, l.record.updated_at, l.published_revision)).collect::<Vec<_>>()) let:group>
                <section class="group">
                    <h3>{let title = group.0.clone(); move || group_title(lang.get(), &title)}</h3>
                    <ul class="resource-list">
                        {group.1.into_iter().map(|local| view! { <ResourceItem local=local/> }).collect_view()}
                    </ul>
                </section>
            </For>
        </section>
    }
}

fn group_title(lang: Lang, group: &Group) -> String {
    match group {
        Group::Kind(kind) => kind_label(lang, *kind).to_owned(),
        Group::ActionLine(id) => topics_in_words(lang, std::slice::from_ref(id)),
        Group::NoTopic => tr!(lang, no_topic).to_owned(),
    }
}

fn focus_later(element_id: String) {
    set_timeout(
        move || {
            // The participant may already be in a field by now: never take the focus from it.
            let in_a_field = document().active_element().is_some_and(|active| {
                matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
            if in_a_field {
                return;
            }
            if let Some(el) = document().get_element_by_id(&element_id) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        },
        std::time::Duration::from_millis(30),
    );
}

#[component]
fn ResourceItem(local: LocalRecord) -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let id = local.record.id;
    let title = if local.record.title.trim().is_empty() {
        None
    } else {
        Some(local.record.title.clone())
    };
    let kind = local.record.kind;
    let topic_ids = local.record.topics.clone();
    let sdg_topics = topic_ids.clone();
    let topics = move || topics_in_words(lang.get(), &topic_ids);
    let sdgs = move || {
        sdgs_in_words(lang.get(), &sdg_topics)
            .map(|list| view! { <span class="resource-sdgs">{list}</span> })
    };
    let title_for_label = title.clone();
    view! {
        <li class="resource" data-record-id=id.to_string()>
            <span class="resource-title">{title.clone().unwrap_or_else(|| tr!(lang.get_untracked(), untitled).to_owned())}</span>
            <span class="resource-kind">{move || kind_label(lang.get(), kind)}</span>
            <RecordState local=local.clone()/>
            <span class="resource-topics">{topics}</span>
            {sdgs}
            <ConfirmedLine local=local.clone()/>
            <span class="resource-actions">
                <button type="button" on:click=move |_| { drafts.editing.set(Some(id)); focus_later(format!("record-{id}-title")); }
                    aria-label={let title = title_for_label.clone().unwrap_or_default(); move || tr!(lang.get(), edit_named, title = title.clone()).to_string()}>
                    {move || tr!(lang.get(), edit)}
                </button>
                <button type="button" on:click=move |_| drafts.delete_record(id)
                    aria-label={let title = title.clone().unwrap_or_default(); move || tr!(lang.get(), delete_named, title = title.clone()).to_string()}>
                    {move || tr!(lang.get(), delete)}
                </button>
            </span>
        </li>
    }
}

#[component]
fn UndoBanner() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    view! {
        <div role="status" class="undo">
            {move || drafts.last_deleted.get().map(|_| view! {
                <span>{move || tr!(lang.get(), resource_deleted)}</span>
                " "
                <button type="button" on:click=move |_| drafts.undo_delete()>{move || tr!(lang.get(), undo_delete)}</button>
            })}
        </div>
    }
}
