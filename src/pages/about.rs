use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

#[component]
pub fn About() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr!(lang.get(), about)}</h1>
        <p>
            {move || tr!(lang.get(), after_the_geneva_phase_of_the)}
        </p>
        <p>
            {move || tr!(lang.get(), your_drafts_stay_in_this_browser)}
        </p>
    }
}
