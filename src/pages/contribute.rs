//! The participant's page: profile and resources (built in the participant-app issue).

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

#[component]
pub fn Contribute() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr(lang.get(), "Contribuer", "Contribute")}</h1>
        <p>
            {move || tr(
                lang.get(),
                "Signalez les réseaux et groupes de travail, les événements, les documents, les projets et les partenariats de votre organisation, rattachés aux thèmes du Plan d'action.",
                "Register your organisation's networks and working groups, events, documents, projects and partnerships, tagged to the topics of the Plan of Action.",
            )}
        </p>
    }
}
