//! Choosing topics: type a few letters in French or English (accents ignored), or browse the
//! action-line tree; chosen topics show as removable chips with their ids. Keyboard-only use
//! follows the ARIA combobox pattern (arrows, Enter, Escape).

use leptos::prelude::*;
use networkshop_core::catalogue::{Catalogue, Topic};

use crate::i18n::{tr, use_lang, Lang};

const MAX_RESULTS: usize = 12;

fn label(topic: &Topic, lang: Lang) -> String {
    let provisional = lang == Lang::Fr && topic.title_fr_provisional;
    format!(
        "{}{}",
        topic.title(lang),
        if provisional {
            tr!(lang, provisional_translation)
        } else {
            ""
        }
    )
}

#[component]
pub fn TopicPicker(
    /// Prefix for element ids, unique on the page.
    id_prefix: String,
    selected: Signal<Vec<String>>,
    on_change: Callback<Vec<String>>,
    /// Id of the element describing an error, if any.
    #[prop(into)]
    described_by: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let catalogue = Catalogue::wsis();
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let results = Memo::new(move |_| {
        catalogue
            .search(&query.get())
            .into_iter()
            .take(MAX_RESULTS)
            .map(|t| t.id.clone())
            .collect::<Vec<_>>()
    });
    let add = move |id: String| {
        let mut topics = selected.get_untracked();
        if !topics.contains(&id) {
            topics.push(id);
            on_change.run(topics);
        }
    };
    let remove = move |id: String| {
        let topics: Vec<String> = selected
            .get_untracked()
            .into_iter()
            .filter(|t| *t != id)
            .collect();
        on_change.run(topics);
    };
    let toggle = move |id: String, on: bool| if on { add(id) } else { remove(id) };

    let input_id = format!("{id_prefix}-search");
    let listbox_id = format!("{id_prefix}-results");
    let option_id = {
        let prefix = id_prefix.clone();
        move |i: usize| format!("{prefix}-option-{i}")
    };
    let option_id_for_active = option_id.clone();

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = results.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(id) = results.with_untracked(|r| r.get(active.get_untracked()).cloned())
                {
                    add(id);
                    query.set(String::new());
                }
            }
            "Escape" => query.set(String::new()),
            _ => {}
        }
    };

    view! {
        <div class="topic-picker">
            <ul class="chips" aria-label=move || tr!(lang.get(), chosen_topics)>
                <For each=move || selected.get() key=|id| id.clone() let:id>
                    {
                        let topic = catalogue.get(&id);
                        let title = move || topic.map(|t| label(t, lang.get())).unwrap_or_default();
                        let remove_id = id.clone();
                        let remove_label = {
                            let id = id.clone();
                            move || tr!(lang.get(), remove_topic, id = id.clone()).to_string()
                        };
                        view! {
                            <li class="chip">
                                <code>{id.clone()}</code>" "<span>{title}</span>
                                <button type="button" aria-label=remove_label on:click=move |_| remove(remove_id.clone())>"×"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || selected.with(Vec::is_empty).then(|| view! {
                <p class="hint">{move || tr!(lang.get(), no_topic_chosen_yet)}</p>
            })}
            <label for=input_id.clone()>{move || tr!(lang.get(), find_a_topic_french_or_english)}</label>
            <input
                id=input_id
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=listbox_id.clone()
                aria-expanded=move || (!results.with(Vec::is_empty)).to_string()
                aria-activedescendant=move || (!results.with(Vec::is_empty)).then(|| option_id_for_active(active.get()))
                aria-describedby=move || described_by.get()
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                }
                on:keydown=on_keydown
                on:focus=keep_results_above_the_keyboard
            />
            <ul id=listbox_id role="listbox" class="topic-results" aria-label=move || tr!(lang.get(), matching_topics)>
                {move || {
                    let option_id = option_id.clone();
                    results
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, id)| {
                            let topic = catalogue.get(&id);
                            let chosen = selected.with(|s| s.contains(&id));
                            let add_id = id.clone();
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    aria-selected=move || (active.get() == i).to_string()
                                    class:active=move || active.get() == i
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        add(add_id.clone());
                                        query.set(String::new());
                                    }
                                >
                                    <code>{id.clone()}</code>" "
                                    {topic.map(|t| label(t, lang.get_untracked()))}
                                    {chosen.then_some(" ✓")}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <details class="topic-browser">
                <summary>{move || tr!(lang.get(), browse_the_action_lines)}</summary>
                <ul class="topic-tree">
                    {catalogue
                        .roots()
                        .map(|root| view! { <TreeNode topic=root selected=selected toggle=Callback::new(move |(id, on)| toggle(id, on)) id_prefix=id_prefix.clone()/> })
                        .collect_view()}
                </ul>
            </details>
        </div>
    }
}

#[component]
fn TreeNode(
    topic: &'static Topic,
    selected: Signal<Vec<String>>,
    toggle: Callback<(String, bool)>,
    id_prefix: String,
) -> AnyView {
    let lang = use_lang();
    let catalogue = Catalogue::wsis();
    let children: Vec<&'static Topic> = catalogue.children(&topic.id).collect();
    let checkbox_id = format!("{id_prefix}-tree-{}", topic.id);
    let id = topic.id.clone();
    let checked_id = id.clone();
    view! {
        <li>
            <input
                type="checkbox"
                id=checkbox_id.clone()
                prop:checked=move || selected.with(|s| s.contains(&checked_id))
                on:change=move |ev| toggle.run((id.clone(), event_target_checked(&ev)))
            />
            <label for=checkbox_id class="tree-label"><code>{topic.id.clone()}</code>" "{move || label(topic, lang.get())}</label>
            {(!children.is_empty()).then(|| view! {
                <ul>
                    {children
                        .into_iter()
                        .map(|child| view! { <TreeNode topic=child selected=selected toggle=toggle id_prefix=id_prefix.clone()/> })
                        .collect_view()}
                </ul>
            })}
        </li>
    }
    .into_any()
}

/// On a phone the keyboard covers the lower half of the screen: the search field goes to the
/// top once the keyboard is up, so its results show between the two.
fn keep_results_above_the_keyboard(ev: leptos::ev::FocusEvent) {
    let narrow = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 700.0);
    if !narrow {
        return;
    }
    let input = event_target::<web_sys::HtmlElement>(&ev);
    set_timeout(
        move || input.scroll_into_view_with_bool(true),
        std::time::Duration::from_millis(300),
    );
}
