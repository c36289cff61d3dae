use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::new_version::NewVersionNotice;
use crate::i18n::{direction, initial_lang, lang_code, remember_lang, tr, use_lang, Lang};
use crate::pages::{
    about::About, contribute::Contribute, map::MapPage, report::Report, topics::Topics,
};
use crate::services::provide_services;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    provide_services();
    Effect::new(move |_| {
        let lang = lang.get();
        remember_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang_code(lang));
            let _ = root.set_attribute("dir", direction(lang));
        }
    });

    view! {
        <Router>
            <Header/>
            <NewVersionNotice/>
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
    view! {
        <a class="skip-link" href="#main">{move || tr!(lang.get(), skip_to_content)}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-name">"Networkshop"</span>
                <span class="brand-tagline">{move || tr!(lang.get(), wsis_resources)}</span>
            </A>
            <nav aria-label=move || tr!(lang.get(), main_navigation)>
                <A href="/">{move || tr!(lang.get(), nav_contribute)}</A>
                <A href="/topics">{move || tr!(lang.get(), nav_topics)}</A>
                <A href="/map">{move || tr!(lang.get(), nav_map)}</A>
                <A href="/about">{move || tr!(lang.get(), nav_about)}</A>
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
        <div class="lang-switch" role="group" aria-label=move || tr!(lang.get(), language)>
            {choice(Lang::Fr, "FR", "Français")}
            {choice(Lang::En, "EN", "English")}
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{move || tr!(lang.get(), page_not_found)}</h1>
        <p><A href="/">{move || tr!(lang.get(), back_to_the_start_page)}</A></p>
    }
}
