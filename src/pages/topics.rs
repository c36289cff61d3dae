//! Browse and search the topics of the Plan of Action.

use leptos::prelude::*;
use networkshop_core::catalogue::{Catalogue, Topic};

use crate::i18n::{tr, tr_count, use_lang, Lang};

#[component]
pub fn Topics() -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(String::new());
    let catalogue = Catalogue::wsis();
    let shown = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            catalogue.topics().iter().collect::<Vec<&'static Topic>>()
        } else {
            catalogue.search(&q)
        }
    });

    view! {
        <h1>{move || tr!(lang.get(), topics_of_the_plan_of_action)}</h1>
        <label for="topic-search">
            {move || tr!(lang.get(), search_a_topic_french_or_english)}
        </label>
        <input
            id="topic-search"
            type="search"
            prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev))
        />
        <p role="status" class="count">
            {move || {
                tr_count!(lang.get(), topics_single, topics_several, shown.get().len())
            }}
        </p>
        <ul class="topic-list">
            <For each=move || shown.get() key=|t| t.id.clone() let:topic>
                <TopicRow topic=topic/>
            </For>
        </ul>
    }
}

#[component]
fn TopicRow(topic: &'static Topic) -> impl IntoView {
    let lang = use_lang();
    view! {
        <li class=format!("topic level-{}", topic.level)>
            <code class="topic-id">{topic.id.clone()}</code>
            " "
            <span>{move || topic.title(lang.get()).to_owned()}</span>
            {move || {
                (lang.get() == Lang::Fr && topic.title_fr_provisional)
                    .then(|| view! { <span class="provisional" title=tr!(Lang::Fr, provisional_translation_title)>{tr!(Lang::Fr, provisional_translation)}</span> })
            }}
        </li>
    }
}
