use futures::FutureExt;
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::later::{Later, Part};
use crate::components::new_version::NewVersionNotice;
use crate::i18n::{direction, initial_lang, lang_code, remember_lang, tr, use_lang, Lang};
use crate::pages::{
    about::About, backup::Backup, contribute::Contribute, map::MapPage, partners::Partners,
    report::Report, team::TeamPage, topics::Topics,
};
use crate::services::{nothing_more, provide_services, Community};

/// Which of the two apps this page is. The participant's app (contribute, topics, about) is
/// what a phone downloads first; the facilitator's (map, report, and the participant's
/// partner suggestions and backup, which need everyone's bundles or every export format) is a
/// separate wasm, fetched in the background, so none of it delays a participant's start.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Participant,
    Facilitator,
}

/// The shell both apps share: language, services, header, new-version notice.
/// `routes` is called inside `<Router>`, whose context `<Routes>` needs.
/// `services` is what the app adds to drafts and publishing (see [`provide_services`]).
fn shell(
    side: Side,
    services: impl FnOnce(),
    routes: impl FnOnce() -> AnyView + Send + 'static,
) -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    services();
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
            <Header side=side/>
            <NewVersionNotice/>
            <main id="main" tabindex="-1">{routes()}</main>
        </Router>
    }
}

#[component]
pub fn ParticipantApp() -> impl IntoView {
    shell(
        Side::Participant,
        || provide_services(nothing_more),
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Contribute/>
                    <Route path=path!("/topics") view=|| view! { <Later load=|| topics_page().boxed_local()/> }/>
                    <Route path=path!("/about") view=|| view! { <Later load=|| about_page().boxed_local()/> }/>
                </Routes>
            }
            .into_any()
        },
    )
}

#[wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
fn topics_page() -> Part {
    Ok(view! { <Topics/> }.into_any())
}

#[wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
fn about_page() -> Part {
    Ok(view! { <About/> }.into_any())
}

#[component]
pub fn FacilitatorApp() -> impl IntoView {
    shell(
        Side::Facilitator,
        || provide_services(Community::provide),
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/map") view=MapPage/>
                    <Route path=path!("/report") view=Report/>
                    <Route path=path!("/team") view=TeamPage/>
                    <Route path=path!("/partners") view=Partners/>
                    <Route path=path!("/backup") view=Backup/>
                </Routes>
            }
            .into_any()
        },
    )
}

/// A link within this app is the router's; a link to the other app loads that app's page
/// (`rel="external"` keeps the router's hands off it).
#[component]
fn NavLink(
    side: Side,
    home: Side,
    href: &'static str,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    if side == home {
        view! { <A href=href attr:class=class>{children()}</A> }.into_any()
    } else {
        view! { <a href=href class=class rel="external">{children()}</a> }.into_any()
    }
}

#[component]
fn Header(side: Side) -> impl IntoView {
    let lang = use_lang();
    use Side::{Facilitator, Participant};
    view! {
        <a class="skip-link" href="#main">{move || tr!(lang.get(), skip_to_content)}</a>
        <header class="site-header">
            <NavLink side=side home=Participant href="/" class="brand">
                <span class="brand-name">"Networkshop"</span>
                <span class="brand-tagline">{move || tr!(lang.get(), wsis_resources)}</span>
            </NavLink>
            <nav aria-label=move || tr!(lang.get(), main_navigation)>
                <NavLink side=side home=Participant href="/">{move || tr!(lang.get(), nav_contribute)}</NavLink>
                <NavLink side=side home=Participant href="/topics">{move || tr!(lang.get(), nav_topics)}</NavLink>
                <NavLink side=side home=Facilitator href="/map">{move || tr!(lang.get(), nav_map)}</NavLink>
                <NavLink side=side home=Participant href="/about">{move || tr!(lang.get(), nav_about)}</NavLink>
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
                aria-label=format!("{label} — {name}")
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
        <p><a href="/" rel="external">{move || tr!(lang.get(), back_to_the_start_page)}</a></p>
    }
}
