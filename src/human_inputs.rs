//! What a participant types, in words, made into what a record stores, with the browser's
//! `Intl` as the dictionary: a city ("Dakar") into its IANA time zone, language names
//! ("français, anglais") into BCP 47 codes, and back for display. The browser already carries
//! these tables in every language, so the wasm ships none.

use std::cell::RefCell;

use js_sys::{Array, Function, Intl, Object, Reflect};
use networkshop_core::text::fold;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{lang_code, Lang};

/// The languages offered by name: the UN's six, then the most spoken in the regions the
/// summit reaches. Any other BCP 47 code typed by hand is still accepted.
const OFFERED_LANGUAGES: &[&str] = &[
    "fr", "en", "ar", "es", "ru", "zh", "pt", "sw", "ha", "yo", "ig", "am", "wo", "ff", "ln", "rw",
    "mg", "zu", "so", "hi", "bn", "ur", "fa", "tr", "id", "ms", "vi", "th", "ja", "ko", "de", "it",
    "nl", "pl", "uk", "ro", "el", "he", "ht", "qu",
];

/// The global `Intl` object (js-sys types its constructors, not the object itself).
fn intl() -> JsValue {
    Reflect::get(&js_sys::global(), &"Intl".into()).unwrap_or(JsValue::UNDEFINED)
}

/// The device's time zone ("Europe/Paris"), as the browser reports it.
pub fn device_time_zone() -> Option<String> {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    let options = format.resolved_options();
    Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}

fn supported_time_zones() -> Vec<String> {
    let supported = Reflect::get(&intl(), &"supportedValuesOf".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&JsValue::NULL, &"timeZone".into()).ok());
    supported
        .map(|list| {
            Array::from(&list)
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// "Africa/Dakar" → "Dakar"; "America/Argentina/Buenos_Aires" → "Buenos Aires".
fn city_of(zone: &str) -> String {
    zone.rsplit('/').next().unwrap_or(zone).replace('_', " ")
}

/// The zone's name in `lang` ("heure moyenne de Greenwich"), or nothing where the browser
/// has none.
fn zone_name(zone: &str, lang: Lang) -> Option<String> {
    let options = Object::new();
    Reflect::set(&options, &"timeZone".into(), &zone.into()).ok()?;
    Reflect::set(&options, &"timeZoneName".into(), &"longGeneric".into()).ok()?;
    let locales = Array::of1(&lang_code(lang).into());
    let format = Intl::DateTimeFormat::new(&locales, &options);
    let parts = format.format_to_parts(&js_sys::Date::new_0());
    parts.iter().find_map(|part| {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        (kind == "timeZoneName")
            .then(|| Reflect::get(&part, &"value".into()).ok()?.as_string())
            .flatten()
    })
}

/// (value stored, label shown) pairs for a field's suggestions.
type Choices = Vec<(String, String)>;

thread_local! {
    static ZONE_CHOICES: RefCell<Option<(Lang, Choices)>> = const { RefCell::new(None) };
}

/// Every time zone the browser knows, as (IANA id, "City — zone name" in `lang`), made once
/// per language.
pub fn time_zone_choices(lang: Lang) -> Choices {
    ZONE_CHOICES.with(|cache| {
        if let Some((cached, choices)) = cache.borrow().as_ref() {
            if *cached == lang {
                return choices.clone();
            }
        }
        let choices: Choices = supported_time_zones()
            .into_iter()
            .map(|zone| {
                let label = match zone_name(&zone, lang) {
                    Some(name) => format!("{} — {name}", city_of(&zone)),
                    None => city_of(&zone),
                };
                (zone, label)
            })
            .collect();
        *cache.borrow_mut() = Some((lang, choices.clone()));
        choices
    })
}

/// The IANA zone for what was typed: an id as it is, else the zone whose city is the typed
/// word ("dakar", "Sao Paulo"), "GMT" and "UTC" as UTC; the text unchanged when nothing fits
/// (the core then says so at the field).
pub fn complete_time_zone(typed: &str, lang: Lang) -> String {
    let typed = typed.trim();
    let zones = supported_time_zones();
    if typed.is_empty() || zones.iter().any(|z| z == typed) {
        return typed.to_owned();
    }
    let wanted = fold(typed);
    if matches!(wanted.as_str(), "gmt" | "utc" | "temps universel") {
        return "UTC".to_owned();
    }
    let by_city = zones.iter().find(|zone| fold(&city_of(zone)) == wanted);
    let by_label = || {
        time_zone_choices(lang)
            .into_iter()
            .find(|(_, label)| fold(label).starts_with(&wanted))
            .map(|(zone, _)| zone)
    };
    by_city
        .cloned()
        .or_else(by_label)
        .unwrap_or_else(|| typed.to_owned())
}

/// The browser's names of languages in one interface language (`Intl.DisplayNames`), made
/// once per language: the field looks names up on every render.
struct LanguageNames {
    names: Object,
    of: Function,
}

impl LanguageNames {
    fn new(lang: Lang) -> Option<LanguageNames> {
        let constructor = Reflect::get(&intl(), &"DisplayNames".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        let options = Object::new();
        Reflect::set(&options, &"type".into(), &"language".into()).ok()?;
        let arguments = Array::of2(&Array::of1(&lang_code(lang).into()), &options);
        let names: Object = Reflect::construct(&constructor, &arguments)
            .ok()?
            .dyn_into()
            .ok()?;
        let of = Reflect::get(&names, &"of".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        Some(LanguageNames { names, of })
    }

    fn name(&self, code: &str) -> Option<String> {
        self.of.call1(&self.names, &code.into()).ok()?.as_string()
    }
}

thread_local! {
    static LANGUAGE_NAMES: RefCell<Vec<(Lang, Option<LanguageNames>)>> = const { RefCell::new(Vec::new()) };
}

/// A language code's name in `lang` ("fr" → "français"), or the code where the browser has
/// no name for it.
pub fn language_name(code: &str, lang: Lang) -> String {
    LANGUAGE_NAMES
        .with(|cache| {
            let mut cache = cache.borrow_mut();
            if !cache.iter().any(|(cached, _)| *cached == lang) {
                cache.push((lang, LanguageNames::new(lang)));
            }
            cache
                .iter()
                .find(|(cached, _)| *cached == lang)
                .and_then(|(_, names)| names.as_ref()?.name(code))
        })
        .unwrap_or_else(|| code.to_owned())
}

/// The offered languages as (code, name in `lang`), for the field's suggestions.
pub fn language_choices(lang: Lang) -> Choices {
    OFFERED_LANGUAGES
        .iter()
        .map(|code| (code.to_string(), language_name(code, lang)))
        .collect()
}

/// "français, English, wo" → ["fr", "en", "wo"]: each item a name in French or English, or a
/// code kept as typed (a wrong one is then reported at the field by the core).
pub fn language_codes(typed: &str) -> Vec<String> {
    let named: Vec<(String, String)> = [Lang::Fr, Lang::En]
        .into_iter()
        .flat_map(language_choices)
        .map(|(code, name)| (code, fold(&name)))
        .collect();
    typed
        .split([',', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let wanted = fold(item);
            named
                .iter()
                .find(|(_, name)| *name == wanted)
                .map(|(code, _)| code.clone())
                .unwrap_or_else(|| item.to_owned())
        })
        .collect()
}
