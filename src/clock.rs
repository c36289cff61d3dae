//! Times as the participant reads them: the browser's `Intl`, in the interface language and
//! the device's time zone.

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::{lang_code, Lang};

/// `Intl` date options from (name, value) pairs.
fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&options, &(*name).into(), &(*value).into());
    }
    options
}

const DAY_MONTH_YEAR: [(&str, &str); 3] =
    [("day", "numeric"), ("month", "short"), ("year", "numeric")];

/// A calendar date (`YYYY-MM-DD`) read as that day wherever the device is (a date has no time
/// zone), in `pairs`' fields; anything else is shown as it is.
fn calendar(iso: &str, lang: Lang, pairs: &[(&str, &str)]) -> String {
    let date = Date::new(&JsValue::from_str(&format!("{iso}T12:00:00Z")));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = options(pairs);
    let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    date.to_locale_date_string(lang_code(lang), &options).into()
}

/// "23:05" (or "11:05 PM") for an RFC 3339 instant; anything else is shown as it is (builds
/// before this one stored "HH:MM").
pub fn time_of_day(instant: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(instant));
    if date.get_time().is_nan() {
        return instant.to_owned();
    }
    let options = options(&[("hour", "2-digit"), ("minute", "2-digit")]);
    date.to_locale_time_string_with_options(lang_code(lang), &options)
        .into()
}

/// "12 mars 2026" (or "12 Mar 2026") for an ISO calendar date.
pub fn calendar_date(iso: &str, lang: Lang) -> String {
    calendar(iso, lang, &DAY_MONTH_YEAR)
}

/// "mars 2026" (or "Mar 2026") for a calendar month.
pub fn month_of_year(year: i32, month: u8, lang: Lang) -> String {
    calendar(
        &format!("{year:04}-{month:02}-15"),
        lang,
        &DAY_MONTH_YEAR[1..],
    )
}

/// "12 mars 2026" for an instant, on the device's calendar.
pub fn day_of(instant: time::OffsetDateTime, lang: Lang) -> String {
    let millis = (instant.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = Date::new(&JsValue::from_f64(millis));
    date.to_locale_date_string(lang_code(lang), &options(&DAY_MONTH_YEAR))
        .into()
}
