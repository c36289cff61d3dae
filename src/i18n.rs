//! Interface language: chosen from the browser on the first visit, then remembered.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
pub use networkshop_core::catalogue::Lang;

const LANG_KEY: &str = "networkshop.lang";

/// The language of the first visit: French when the browser prefers it, English otherwise.
pub fn initial_lang() -> Lang {
    if let Ok(saved) = LocalStorage::get::<Lang>(LANG_KEY) {
        return saved;
    }
    let preferred = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    if preferred.to_ascii_lowercase().starts_with("fr") {
        Lang::Fr
    } else {
        Lang::En
    }
}

pub fn remember_lang(lang: Lang) {
    // Losing the preference only costs one click on the next visit.
    let _ = LocalStorage::set(LANG_KEY, lang);
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// The current language, provided by [`crate::App`].
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// Picks the French or English text for the current language.
pub fn tr(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}
