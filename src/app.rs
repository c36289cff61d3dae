use futures::FutureExt;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::later::{later_fn, Later, Part};
use crate::components::new_version::NewVersionNotice;
use crate::i18n::{direction, initial_lang, lang_code, remember_lang, tr, use_lang, Lang};
use crate::pages::{
    about::About, backup::Backup, contribute::Contribute, map::MapPage, partners::Partners,
    report::Report, team::TeamPage, topics::Topics,
};
use crate::services::{nothing_more, provide_services, Community};

/// Which of the two apps a link's page belongs to. The participant's app (contribute, topics,
/// about) is what a phone downloads first; the facilitator's (map, report, and the
/// participant's partner suggestions and backup, which need everyone's bundles or every export
/// format) is a separate wasm, fetched in the background, so none of it delays a participant's
/// start.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Participant,
    Facilitator,
}

/// Makes a link of the header's navigation: `(the app its page belongs to, address, text)`.
type MakeLink = fn(Side, &'static str, AnyView) -> AnyView;

/// What both apps set up first: the language (remembered, and on `<html>`) and the services
/// (drafts and publishing, and what `services` adds, see [`provide_services`]).
fn set_up(services: impl FnOnce()) {
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
}

/// The participant's three pages are each a whole page load, which the service worker answers
/// from its cache at once: no router in the participant's wasm (36 KB, a fifth of its first
/// load).
#[component]
pub fn ParticipantApp() -> impl IntoView {
    set_up(|| provide_services(nothing_more));
    let path = window().location().pathname().unwrap_or_default();
    let page = match path.as_str() {
        "/" | "/index.html" => view! { <Contribute/> }.into_any(),
        "/topics" | "/topics/" => view! { <Later load=|| topics_page().boxed_local()/> }.into_any(),
        "/about" | "/about/" => view! { <Later load=|| about_page().boxed_local()/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    };
    view! {
        <Header link=page_link/>
        <NewVersionNotice/>
        <main id="main" tabindex="-1">{page}</main>
    }
}

later_fn! {
    fn topics_page() -> Part {
        Ok(view! { <Topics/> }.into_any())
    }
}

later_fn! {
    fn about_page() -> Part {
        Ok(view! { <About/> }.into_any())
    }
}

#[component]
pub fn FacilitatorApp() -> impl IntoView {
    set_up(|| provide_services(Community::provide));
    view! {
        <Router>
            <Header link=routed_link/>
            <NewVersionNotice/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/map") view=MapPage/>
                    <Route path=path!("/report") view=Report/>
                    <Route path=path!("/team") view=TeamPage/>
                    <Route path=path!("/partners") view=Partners/>
                    <Route path=path!("/backup") view=Backup/>
                </Routes>
            </main>
        </Router>
    }
}

/// A link that loads its page; the current page's says so.
fn page_link(_: Side, href: &'static str, text: AnyView) -> AnyView {
    let here = window().location().pathname().ok().as_deref() == Some(href);
    view! { <a href=href aria-current=here.then_some("page")>{text}</a> }.into_any()
}

/// In the facilitator's app, a link to one of its pages is the router's; a link to the
/// participant's loads that app's page (`rel="external"` keeps the router's hands off it).
fn routed_link(side: Side, href: &'static str, text: AnyView) -> AnyView {
    if side == Side::Facilitator {
        view! { <A href=href>{text}</A> }.into_any()
    } else {
        view! { <a href=href rel="external">{text}</a> }.into_any()
    }
}

#[component]
fn Header(link: MakeLink) -> impl IntoView {
    let lang = use_lang();
    use Side::{Facilitator, Participant};
    let text =
        move |words: fn(Lang) -> &'static str| view! { {move || words(lang.get())} }.into_any();
    view! {
        <a class="skip-link" href="#main">{move || tr!(lang.get(), skip_to_content)}</a>
        <header class="site-header">
            <a href="/" class="brand" rel="external">
                <span class="brand-name">"Networkshop"</span>
                <span class="brand-tagline">{move || tr!(lang.get(), wsis_resources)}</span>
            </a>
            <nav aria-label=move || tr!(lang.get(), main_navigation)>
                {link(Participant, "/", text(|l| tr!(l, nav_contribute)))}
                {link(Participant, "/topics", text(|l| tr!(l, nav_topics)))}
                {link(Facilitator, "/map", text(|l| tr!(l, nav_map)))}
                {link(Participant, "/about", text(|l| tr!(l, nav_about)))}
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
