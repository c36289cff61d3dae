//! The facilitator's live topic map (built in the live-map issue).

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr(lang.get(), "Carte des thèmes", "Topic map")}</h1>
        <p>{move || tr(lang.get(), "Les réseaux thématiques apparaîtront ici au fil des publications.", "Thematic networks will appear here as participants publish.")}</p>
    }
}
