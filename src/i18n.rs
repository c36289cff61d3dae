//! Interface language: chosen from the browser on the first visit, then remembered; every
//! interface string comes from `locales/<language>.json` through leptos_i18n (`tr!`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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

/// The browser's plural rules and number format for one language, and what they answered:
/// asking the browser crosses into JavaScript each time, and a map redrawn at depth 3 asks
/// hundreds of times, mostly for the same few counts.
struct Intl {
    plurals: js_sys::Intl::PluralRules,
    format: js_sys::Function,
    singular: RefCell<HashMap<usize, bool>>,
    written: RefCell<HashMap<usize, String>>,
}

/// How many answers of each kind are kept per language; past it they are forgotten all at
/// once (counts on one screen are a few hundred).
const REMEMBERED: usize = 4096;

fn remembered<T: Clone>(
    answers: &RefCell<HashMap<usize, T>>,
    count: usize,
    ask: impl FnOnce() -> T,
) -> T {
    if let Some(answer) = answers.borrow().get(&count) {
        return answer.clone();
    }
    let answer = ask();
    let mut answers = answers.borrow_mut();
    if answers.len() >= REMEMBERED {
        answers.clear();
    }
    answers.insert(count, answer.clone());
    answer
}

thread_local! {
    /// Made once per language: making them was most of what writing a count cost, and a map
    /// at depth 3 writes hundreds (a tenth of its redraw).
    static INTL: RefCell<Vec<(&'static str, Rc<Intl>)>> = const { RefCell::new(Vec::new()) };
}

fn intl(lang: Lang) -> Rc<Intl> {
    let code = lang_code(lang);
    INTL.with(|made| {
        if let Some((_, intl)) = made.borrow().iter().find(|(c, _)| *c == code) {
            return Rc::clone(intl);
        }
        let locales = js_sys::Array::of1(&code.into());
        let intl = Rc::new(Intl {
            plurals: js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new()),
            format: js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format(),
            singular: RefCell::default(),
            written: RefCell::default(),
        });
        made.borrow_mut().push((code, Rc::clone(&intl)));
        intl
    })
}

/// Whether `count` takes the singular in `lang`, by the browser's plural rules (French: 0 and
/// 1; English: 1).
pub fn is_singular(lang: Lang, count: usize) -> bool {
    let intl = intl(lang);
    remembered(&intl.singular, count, || {
        intl.plurals.select(count as f64) == "one"
    })
}

/// A count as the reader's language writes it, by the browser's `Intl` (French "10 000",
/// English "10,000").
pub fn number(lang: Lang, count: usize) -> String {
    let intl = intl(lang);
    remembered(&intl.written, count, || {
        intl.format
            .call1(&wasm_bindgen::JsValue::NULL, &(count as f64).into())
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| count.to_string())
    })
}

/// "1 resource", "3 resources", "48,000 resources": the `$single` or `$several` key,
/// interpolating `count` as [`number`] writes it, as [`is_singular`] says. Both keys take
/// `{{ count }}`.
macro_rules! tr_count {
    ($lang:expr, $single:ident, $several:ident, $count:expr) => {{
        let lang = $lang;
        let count: usize = $count;
        let singular = $crate::i18n::is_singular(lang, count);
        // Written as the language writes numbers: "48 000 ressources" on a French projector.
        let count = $crate::i18n::number(lang, count);
        if singular {
            $crate::i18n::tr!(lang, $single, count).to_string()
        } else {
            $crate::i18n::tr!(lang, $several, count).to_string()
        }
    }};
}
pub(crate) use tr_count;

/// The current language, provided by [`crate::App`].
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// The strings module leptos_i18n generates from `locales/` (see `build.rs`); it re-exports
/// more than this app uses.
#[allow(unused_imports, dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::Locale;

pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Fr => Locale::fr,
        Lang::En => Locale::en,
    }
}

/// Writing direction of the language, for `<html dir>`: ready for Arabic.
pub fn direction(lang: Lang) -> &'static str {
    use leptos_i18n::Locale as _;
    match locale(lang).direction() {
        leptos_i18n::Direction::RightToLeft => "rtl",
        _ => "ltr",
    }
}

/// The string `key` of `locales/*.json` in `lang` (a `&'static str`; keys are checked when
/// compiling). With named values: `tr!(lang, key, limit)` gives a `Display`.
macro_rules! tr {
    ($lang:expr, $key:ident) => {
        leptos_i18n::td_string!($crate::i18n::locale($lang), $key)
    };
    ($lang:expr, $key:ident, $($arg:tt)*) => {
        leptos_i18n::td_string!($crate::i18n::locale($lang), $key, $($arg)*)
    };
}
pub(crate) use tr;

use networkshop_core::validate::{ErrorCode, FieldError};

mod labels;
pub use labels::*;

/// Topics as a person reads them: "Cybersanté (C7.e-health)", the id beside the title (the
/// short one where the catalogue has it); an id the catalogue lacks as it is.
pub fn topics_in_words(lang: Lang, ids: &[String]) -> String {
    let catalogue = networkshop_core::catalogue::Catalogue::wsis();
    ids.iter()
        .map(|id| match catalogue.get(id) {
            Some(topic) => format!("{} ({id})", topic.short_title(lang)),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Sustainable Development Goals some topics lead to, as numbers ("ODD 3, 5, 17"); `None`
/// when they lead to none. Numbers only: the goals' names would weigh on the participant's first
/// load, and the map (facilitator's app) names them.
pub fn sdgs_in_words(lang: Lang, topics: &[String]) -> Option<String> {
    let goals = networkshop_core::catalogue::Catalogue::wsis().sdgs_of_topics(topics);
    if goals.is_empty() {
        return None;
    }
    let numbers = goals
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(tr!(lang, sdgs_list, numbers).to_string())
}

/// A validation error in words.
pub fn error_message(lang: Lang, error: &FieldError) -> String {
    let limit = error.limit.unwrap_or_default();
    match error.code {
        ErrorCode::Required => tr!(lang, err_required).to_string(),
        ErrorCode::TooLong => tr!(lang, err_too_long, limit).to_string(),
        ErrorCode::TooMany => tr!(lang, err_too_many, limit).to_string(),
        ErrorCode::InvalidUrl => tr!(lang, err_invalid_url).to_string(),
        ErrorCode::InvalidContact => tr!(lang, err_invalid_contact).to_string(),
        ErrorCode::InvalidDate => tr!(lang, err_invalid_date).to_string(),
        ErrorCode::DateOutOfRange => tr!(lang, err_date_out_of_range).to_string(),
        ErrorCode::EndBeforeStart => tr!(lang, err_end_before_start).to_string(),
        ErrorCode::InvalidTimeZone => tr!(lang, err_invalid_time_zone).to_string(),
        ErrorCode::InvalidLanguage => tr!(lang, err_invalid_language).to_string(),
        ErrorCode::UnknownTopic => tr!(lang, err_unknown_topic).to_string(),
        ErrorCode::DuplicateTopic => tr!(lang, err_duplicate_topic).to_string(),
        ErrorCode::DuplicateRecord => tr!(lang, err_duplicate_record).to_string(),
        ErrorCode::InvalidAuthorId => tr!(lang, err_invalid_author_id).to_string(),
        ErrorCode::AuthorMismatch => tr!(lang, err_author_mismatch).to_string(),
        ErrorCode::MissingDetails => tr!(lang, err_missing_details).to_string(),
        ErrorCode::InvalidRevision => tr!(lang, err_invalid_revision).to_string(),
        ErrorCode::ControlCharacter => tr!(lang, err_control_character).to_string(),
        ErrorCode::UnknownPartner => tr!(lang, err_unknown_partner).to_string(),
        ErrorCode::InvalidCurrency => tr!(lang, err_invalid_currency).to_string(),
        ErrorCode::OutOfRange => tr!(lang, err_out_of_range).to_string(),
        ErrorCode::DuplicateValue => tr!(lang, err_duplicate_value).to_string(),
    }
}

/// At most this many reasons are listed per file; the rest are counted.
pub const REASONS_SHOWN: usize = 5;

/// A bundle file's problem in words, one line per reason, the first [`REASONS_SHOWN`] only.
pub fn bundle_error_message(lang: Lang, error: &networkshop_core::BundleError) -> String {
    let (shown, more) = bundle_error_reasons(lang, error, REASONS_SHOWN);
    let mut lines = shown;
    if more > 0 {
        lines.push(tr!(lang, more_problems, count = more).to_string());
    }
    lines.join("\n")
}

/// A bundle file's reasons in words, at most `limit` of them, and how many more there are.
pub fn bundle_error_reasons(
    lang: Lang,
    error: &networkshop_core::BundleError,
    limit: usize,
) -> (Vec<String>, usize) {
    use networkshop_core::BundleError as E;
    let one = match error {
        E::TooLarge { limit, .. } => {
            let limit_mb = limit / 1_048_576;
            tr!(lang, file_too_large, limit_mb).to_string()
        }
        E::NotJson { line, column } => tr!(lang, file_not_json, line, column).to_string(),
        E::NotABundle => tr!(lang, file_not_a_bundle).to_string(),
        E::NewerVersion { found, .. } => tr!(lang, file_newer_version, found).to_string(),
        E::Malformed { path, .. } => tr!(lang, file_malformed, path).to_string(),
        E::TooManyRecords { limit, .. } => tr!(lang, file_too_many_records, limit).to_string(),
        E::UnsupportedVersion { found } => tr!(lang, file_unsupported_version, found).to_string(),
        E::NotUtf8 { offset } => tr!(lang, file_not_utf8, offset).to_string(),
        E::DuplicateKey { path } => tr!(lang, file_duplicate_key, path).to_string(),
        E::Unsigned => tr!(lang, file_unsigned).to_string(),
        E::BadSignature => tr!(lang, file_bad_signature).to_string(),
        E::WrongFileName { author } => tr!(lang, file_wrong_file_name, author).to_string(),
        E::KeyChanged { author } => tr!(lang, file_key_changed, author).to_string(),
        E::Invalid { errors } => {
            let shown = errors
                .iter()
                .take(limit)
                .map(|e| {
                    let field = &e.field;
                    let message = error_message(lang, e);
                    tr!(lang, field_problem, field, message).to_string()
                })
                .collect();
            return (shown, errors.len().saturating_sub(limit));
        }
    };
    (vec![one], 0)
}
