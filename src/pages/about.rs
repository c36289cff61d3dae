use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

#[component]
pub fn About() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr(lang.get(), "À propos", "About")}</h1>
        <p>
            {move || tr(
                lang.get(),
                "Après la phase de Genève du Sommet mondial sur la société de l'information (décembre 2003), chaque acteur — gouvernements, secteur privé, société civile, communauté universitaire et technique, organisations internationales — est invité à identifier, pour chaque thème du Plan d'action, les groupes de travail et réseaux auxquels il participe, les événements qu'il organise et les documents ou projets clés. Ces ressources forment des réseaux thématiques.",
                "After the Geneva phase of the World Summit on the Information Society (December 2003), every actor — governments, private sector, civil society, academic and technical community, international organisations — is invited to identify, for each topic of the Plan of Action, the working groups and networks it belongs to, the events it organises and its key documents or projects. These resources form thematic networks.",
            )}
        </p>
        <p>
            {move || tr(
                lang.get(),
                "Vos brouillons restent dans ce navigateur jusqu'à ce que vous les publiiez.",
                "Your drafts stay in this browser until you publish them.",
            )}
        </p>
    }
}
