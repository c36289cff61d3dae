//! Times as the participant reads them: the browser's `Intl`, in the interface language and
//! the device's time zone.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
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

/// Which format: made once per language and shape, since making one is most of what writing a
/// date costs (a topic's lists write hundreds: opening C7 at 10,000 authors wrote 500 dates
/// in 31 ms).
type Shape = (&'static str, &'static str, bool);

thread_local! {
    static FORMATS: RefCell<Vec<(Shape, Function)>> = const { RefCell::new(Vec::new()) };
}

/// The browser's format for `fields` in `lang`, on the device's time zone or on UTC.
fn format_of(lang: Lang, name: &'static str, fields: &[(&str, &str)], utc: bool) -> Function {
    let shape = (lang_code(lang), name, utc);
    FORMATS.with(|made| {
        if let Some((_, format)) = made.borrow().iter().find(|(s, _)| *s == shape) {
            return format.clone();
        }
        let options = options(fields);
        if utc {
            let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
        }
        let locales = Array::of1(&shape.0.into());
        let format = Intl::DateTimeFormat::new(&locales, &options).format();
        made.borrow_mut().push((shape, format.clone()));
        format
    })
}

fn written(format: &Function, date: &Date) -> String {
    format
        .call1(&JsValue::NULL, date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A calendar date (`YYYY-MM-DD`) read as that day wherever the device is (a date has no time
/// zone), in `fields`; anything else is shown as it is.
fn calendar(iso: &str, lang: Lang, name: &'static str, fields: &[(&str, &str)]) -> String {
    let date = Date::new(&JsValue::from_str(&format!("{iso}T12:00:00Z")));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    written(&format_of(lang, name, fields, true), &date)
}

/// "23:05" (or "11:05 PM") for an RFC 3339 instant; anything else is shown as it is (builds
/// before this one stored "HH:MM").
pub fn time_of_day(instant: &str, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_str(instant));
    if date.get_time().is_nan() {
        return instant.to_owned();
    }
    let fields = [("hour", "2-digit"), ("minute", "2-digit")];
    written(&format_of(lang, "time", &fields, false), &date)
}

/// "12 mars 2026" (or "12 Mar 2026") for an ISO calendar date.
pub fn calendar_date(iso: &str, lang: Lang) -> String {
    calendar(iso, lang, "date", &DAY_MONTH_YEAR)
}

/// An event's days as the reader writes them: one date, or "du 16 nov. 2005 au 18 nov. 2005".
pub fn dates_between(starts_on: &str, ends_on: &str, lang: Lang) -> String {
    let from = calendar_date(starts_on, lang);
    if starts_on == ends_on {
        return from;
    }
    let to = calendar_date(ends_on, lang);
    crate::i18n::tr!(lang, date_range, from, to).to_string()
}

/// "mars 2026" (or "Mar 2026") for a calendar month.
pub fn month_of_year(year: i32, month: u8, lang: Lang) -> String {
    calendar(
        &format!("{year:04}-{month:02}-15"),
        lang,
        "month",
        &DAY_MONTH_YEAR[1..],
    )
}

/// "12 mars 2026" for an instant, on the device's calendar.
pub fn day_of(instant: time::OffsetDateTime, lang: Lang) -> String {
    let millis = (instant.unix_timestamp_nanos() / 1_000_000) as f64;
    let date = Date::new(&JsValue::from_f64(millis));
    written(&format_of(lang, "date", &DAY_MONTH_YEAR, false), &date)
}
