use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::i18n::{initial_lang, lang_code, remember_lang, tr, use_lang, Lang};
use crate::pages::{
    about::About, contribute::Contribute, map::MapPage, report::Report, topics::Topics,
};
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    let state = AppState::new();
    provide_context(state);
    state.start();
    Effect::new(move |_| {
        let lang = lang.get();
        remember_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang_code(lang));
        }
    });

    view! {
        <Router>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Contribute/>
                    <Route path=path!("/topics") view=Topics/>
                    <Route path=path!("/map") view=MapPage/>
                    <Route path=path!("/report") view=Report/>
                    <Route path=path!("/about") view=About/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let t = move |fr, en| move || tr(lang.get(), fr, en);
    view! {
        <a class="skip-link" href="#main">{t("Aller au contenu", "Skip to content")}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-name">"Networkshop"</span>
                <span class="brand-tagline">{t("Ressources du SMSI", "WSIS resources")}</span>
            </A>
            <nav aria-label=t("Navigation principale", "Main navigation")>
                <A href="/">{t("Contribuer", "Contribute")}</A>
                <A href="/topics">{t("Thèmes", "Topics")}</A>
                <A href="/map">{t("Carte", "Map")}</A>
                <A href="/about">{t("À propos", "About")}</A>
            </nav>
            <LanguageSwitch/>
        </header>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let choice = move |value: Lang, label: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                lang=lang_code(value)
                aria-pressed=move || (lang.get() == value).to_string()
                aria-label=name
                on:click=move |_| lang.set(value)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || tr(lang.get(), "Langue", "Language")>
            {choice(Lang::Fr, "FR", "Français")}
            {choice(Lang::En, "EN", "English")}
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr(lang.get(), "Page introuvable", "Page not found")}</h1>
        <p><A href="/">{move || tr(lang.get(), "Retour à l'accueil", "Back to the start page")}</A></p>
    }
}
