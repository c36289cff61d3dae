//! Times as the participant reads them: the browser's `Intl`, in the interface language and
//! the device's time zone.

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::{lang_code, Lang};

/// "23:05" (or "11:05 PM") for an RFC 3339 instant; anything else is shown as it is (builds
/// before this one stored "HH:MM").
pub fn time_of_day(instant: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(instant));
    if date.get_time().is_nan() {
        return instant.to_owned();
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(lang_code(lang), &options)
        .into()
}

/// "12 mars 2026" (or "12 Mar 2026") for an ISO calendar date, read as that day wherever the
/// device is (a date has no time zone); anything else is shown as it is.
pub fn calendar_date(iso: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(&format!("{iso}T12:00:00Z")));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = Reflect::set(&options, &"month".into(), &"short".into());
    let _ = Reflect::set(&options, &"year".into(), &"numeric".into());
    let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    date.to_locale_date_string(lang_code(lang), &options).into()
}

/// "12 mars 2026" for an instant, on the device's calendar.
pub fn day_of(instant: time::OffsetDateTime, lang: Lang) -> String {
    let millis = (instant.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = Date::new(&JsValue::from_f64(millis));
    let options = Object::new();
    let _ = Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = Reflect::set(&options, &"month".into(), &"short".into());
    let _ = Reflect::set(&options, &"year".into(), &"numeric".into());
    date.to_locale_date_string(lang_code(lang), &options).into()
}

/// "mars 2026" (or "Mar 2026") for a calendar month.
pub fn month_of_year(year: i32, month: u8, lang: Lang) -> String {
    calendar_month(&format!("{year:04}-{month:02}-15"), lang)
}

fn calendar_month(iso: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(&format!("{iso}T12:00:00Z")));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"month".into(), &"short".into());
    let _ = Reflect::set(&options, &"year".into(), &"numeric".into());
    let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    date.to_locale_date_string(lang_code(lang), &options).into()
}
