//! The map's table: the picture's numbers for screen readers and keyboards.

use std::collections::BTreeMap;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::TopicRow;

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
                    {
                        let row = {
                            let id = id.clone();
                            Memo::new(move |_| rows.with(|rows| rows.iter().find(|r| r.id == id).cloned()))
                        };
                        let is_selected = {
                            let id = id.clone();
                            Memo::new(move |_| selected.get().as_deref() == Some(id.as_str()))
                        };
                        let is_new = {
                            let id = id.clone();
                            move || fresh.with(|t| t.contains_key(&id))
                        };
                        let title = {
                            let id = id.clone();
                            move || Catalogue::wsis().get(&id).map(|t| t.title(lang.get()).to_owned()).unwrap_or_default()
                        };
                        let number = move |f: fn(&TopicRow) -> usize| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
                        let gap = move || {
                            let lang = lang.get();
                            row.with(|r| match r {
                                Some(r) if r.empty => tr!(lang, no_actor),
                                Some(r) if r.single_group => tr!(lang, one_group_only),
                                _ => "",
                            })
                        };
                        let target = id.clone();
                        view! {
                            <tr data-topic=id.clone() class=format!("level-{level}")
                                class:gap=move || row.with(|r| r.as_ref().is_some_and(|r| r.empty))
                                class:selected=is_selected class:new=is_new>
                                <th scope="row">
                                    <button type="button" class="link" aria-pressed=move || is_selected.get().to_string()
                                        on:click=move |_| on_select.run(target.clone())>
                                        <code>{id.clone()}</code>" "{title}
                                    </button>
                                </th>
                                <td data-label=move || tr!(lang.get(), actors)>{number(|r| r.actors)}</td>
                                <td data-label=move || tr!(lang.get(), resources)>{number(|r| r.resources)}</td>
                                <td class="gap-cell">{gap}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
