//! The map's table: the picture's numbers for screen readers and keyboards.

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::TopicRow;

use crate::components::class_list;
use crate::i18n::{tr, use_lang};

/// The same numbers as the picture, for screen readers and keyboard users. Rows are keyed by
/// topic and update in place, so a poll never moves the keyboard focus.
#[component]
pub(super) fn TopicTable(
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<BTreeMap<String, usize>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let ids = Memo::new(move |_| {
        rows.with(|rows| {
            rows.iter()
                .map(|r| (r.id.clone(), r.level))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <table class="topic-table">
            <caption>{move || tr!(lang.get(), actors_and_resources_by_topic_counts)}</caption>
            <thead><tr>
                <th scope="col">{move || tr!(lang.get(), topic)}</th>
                <th scope="col">{move || tr!(lang.get(), actors)}</th>
                <th scope="col">{move || tr!(lang.get(), resources)}</th>
                <th scope="col">{move || tr!(lang.get(), gap)}</th>
            </tr></thead>
            <tbody>
                <For each=move || ids.get() key=|(id, _)| id.clone() let:((id, level))>
                    <TopicTableRow id=id level=level rows=rows selected=selected fresh=fresh on_select=on_select/>
                </For>
            </tbody>
        </table>
    }
}

/// What a row shows, compared as a whole: a poll that leaves a topic alone touches nothing of
/// its row.
#[derive(Clone, Copy, PartialEq)]
struct RowState {
    actors: usize,
    resources: usize,
    empty: bool,
    single_group: bool,
    selected: bool,
    new: bool,
}

// Built with as few reactive parts as a row needs (its memo, its class, its cells): a depth
// change builds 155 rows at once.
#[component]
fn TopicTableRow(
    id: String,
    level: u8,
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<BTreeMap<String, usize>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let state = {
        let id = id.clone();
        Memo::new(move |_| {
            let row = rows.with(|rows| {
                rows.iter()
                    .find(|r| r.id == id)
                    .map(|r| (r.actors, r.resources, r.empty, r.single_group))
            });
            let (actors, resources, empty, single_group) = row.unwrap_or_default();
            RowState {
                actors,
                resources,
                empty,
                single_group,
                selected: selected.with(|s| s.as_deref() == Some(id.as_str())),
                new: fresh.with(|t| t.contains_key(&id)),
            }
        })
    };
    let class = move || {
        let s = state.get();
        let flags = [(s.empty, "gap"), (s.selected, "selected"), (s.new, "new")];
        class_list(format!("level-{level}"), &flags)
    };
    // The cells are rebuilt in place (the same elements, so the keyboard focus stays) when
    // what the row shows changes: one reactive part instead of one per cell.
    let cells = {
        let id = id.clone();
        move || {
            let (s, lang) = (state.get(), lang.get());
            let title = Catalogue::wsis().get(&id).map_or("", |t| t.title(lang));
            let gap = match s {
                s if s.empty => tr!(lang, no_actor),
                s if s.single_group => tr!(lang, one_group_only),
                _ => "",
            };
            let target = id.clone();
            view! {
                <th scope="row">
                    <button type="button" class="link" aria-pressed=s.selected.to_string()
                        on:click=move |_| on_select.run(target.clone())>
                        <code>{id.clone()}</code>" "{title.to_owned()}
                    </button>
                </th>
                <td data-label=tr!(lang, actors)>{s.actors}</td>
                <td data-label=tr!(lang, resources)>{s.resources}</td>
                <td class="gap-cell">{gap}</td>
            }
        }
    };
    view! {
        <tr data-topic=id class=class>{cells}</tr>
    }
}
