//! "A new version is ready — Reload": shown once the service worker has cached a newer build
//! (it tells the page through `public/loader.js`, which marks `<html data-new-version>` and
//! fires `networkshop:new-version`). The current page keeps working; the next visit or a
//! reload opens the new build.

use leptos::ev::Custom;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

const EVENT: &str = "networkshop:new-version";

#[component]
pub fn NewVersionNotice() -> impl IntoView {
    let lang = use_lang();
    let announced = document()
        .document_element()
        .is_some_and(|root| root.has_attribute("data-new-version"));
    let ready = RwSignal::new(announced);
    let listener = window_event_listener(Custom::<web_sys::Event>::new(EVENT), move |_| {
        ready.set(true)
    });
    on_cleanup(move || listener.remove());
    view! {
        <Show when=move || ready.get()>
            <div class="new-version" role="status" data-testid="new-version">
                <span>{move || tr!(lang.get(), new_version_ready)}</span>
                " "
                <button type="button" on:click=|_| { let _ = window().location().reload(); }>
                    {move || tr!(lang.get(), reload)}
                </button>
            </div>
        </Show>
    }
}
