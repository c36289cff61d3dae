//! Checks of single fields and the error list they fill.

use std::collections::HashSet;
use std::hash::Hash;

use time::{macros::format_description, Date};

use super::{
    ErrorCode, FieldError, EARLIEST_YEAR, LATEST_YEAR, MAX_AUTHOR_ID_CHARS, MAX_URL_CHARS,
};

#[derive(Default)]
pub(super) struct Errors {
    /// The record of a bundle the errors are about, if any: its place names the fields
    /// (`records[3].title`), written out only for an error, not for every record checked.
    pub(super) record: Option<usize>,
    pub(super) list: Vec<FieldError>,
}

impl Errors {
    pub(super) fn push(&mut self, field: &str, code: ErrorCode) {
        self.push_limit(field, code, None);
    }

    pub(super) fn push_limit(&mut self, field: &str, code: ErrorCode, limit: Option<usize>) {
        let field = match self.record {
            Some(i) => format!("records[{i}].{field}"),
            None => field.to_owned(),
        };
        self.list.push(FieldError { field, code, limit });
    }

    /// A single-line field.
    pub(super) fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        self.text_lines(field, value, required, max, Lines::One);
    }

    /// A field meant to hold paragraphs.
    pub(super) fn paragraphs(&mut self, field: &str, value: &str, required: bool, max: usize) {
        self.text_lines(field, value, required, max, Lines::Many);
    }

    // `too_long` comes before `control_character`: backups are refused on the former only, so
    // a control character must not hide an oversized field.
    fn text_lines(&mut self, field: &str, value: &str, required: bool, max: usize, lines: Lines) {
        if required && value.trim().is_empty() {
            self.push(field, ErrorCode::Required);
        } else if value.len() > max && value.chars().count() > max {
            self.push_limit(field, ErrorCode::TooLong, Some(max));
        } else {
            self.no_control(field, value, lines);
        }
    }

    /// False (and the error pushed) when `value` holds a control character `lines` forbids.
    pub(super) fn no_control(&mut self, field: &str, value: &str, lines: Lines) -> bool {
        let clean = !has_forbidden_control(value, lines);
        if !clean {
            self.push(field, ErrorCode::ControlCharacter);
        }
        clean
    }

    pub(super) fn url(&mut self, field: &str, value: Option<&str>) {
        let Some(value) = value else {
            return;
        };
        // Before parsing: the url crate silently drops CR, LF and TAB, so a link carrying
        // `\r\nEND:VEVENT` would parse as valid and be exported with its line breaks.
        if value.chars().count() > MAX_URL_CHARS {
            self.push_limit(field, ErrorCode::TooLong, Some(MAX_URL_CHARS));
        } else if self.no_control(field, value, Lines::One)
            && !value.trim().is_empty()
            && !is_web_url(value)
        {
            self.push(field, ErrorCode::InvalidUrl);
        }
    }

    /// `DuplicateValue` at each repeat of an earlier value, as `field[i]`.
    pub(super) fn distinct<T: Eq + Hash>(&mut self, field: &str, values: &[T]) {
        let mut seen = HashSet::new();
        for (i, value) in values.iter().enumerate() {
            if !seen.insert(value) {
                self.push(&format!("{field}[{i}]"), ErrorCode::DuplicateValue);
            }
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Lines {
    One,
    /// Paragraphs keep their line breaks (LF or CR LF) and TABs, nothing else invisible.
    Many,
}

pub(super) fn has_forbidden_control(value: &str, lines: Lines) -> bool {
    // Read character by character only where a control character may be: a byte below 0x20,
    // DEL, or 0xC2 before 0x80–0x9F (U+0080–U+009F). Decoding every character of 200,000
    // records' fields was 0.1 s of a first visit's page in the browser.
    let bytes = value.as_bytes();
    let suspect = bytes.iter().enumerate().any(|(at, &byte)| {
        byte < 0x20
            || byte == 0x7f
            || (byte == 0xc2 && bytes.get(at + 1).is_some_and(|next| *next < 0xa0))
    });
    suspect && has_forbidden_char(value, lines)
}

fn has_forbidden_char(value: &str, lines: Lines) -> bool {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = match (c, lines) {
            (c, _) if !c.is_control() => true,
            ('\n' | '\t', Lines::Many) => true,
            ('\r', Lines::Many) => chars.peek() == Some(&'\n'),
            _ => false,
        };
        if !allowed {
            return true;
        }
    }
    false
}

/// True for absolute `http:` and `https:` URLs with a host: the only links the app renders.
pub fn is_web_url(value: &str) -> bool {
    // The url crate drops CR, LF and TAB while parsing: it would accept what it does not return.
    if value.contains(char::is_control) {
        return false;
    }
    match url::Url::parse(value.trim()) {
        Ok(url) => {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// Author ids name the bundle file on the endpoint, so they are plain and path-safe:
/// lower-case ASCII letters, digits and `-`, not starting with `-`.
pub fn is_valid_author_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_AUTHOR_ID_CHARS
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(super) fn is_time_zone(zone: &str) -> bool {
    // IANA names ("America/Sao_Paulo", "America/Argentina/Buenos_Aires") or UTC; the full
    // database is not shipped to the browser, so the shape is what is checked.
    if zone == "UTC" {
        return true;
    }
    let parts: Vec<&str> = zone.split('/').collect();
    parts.len() >= 2
        && zone.len() <= 64
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-+".contains(&b))
        })
        && parts[0].as_bytes()[0].is_ascii_uppercase()
}

fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value.trim(), format_description!("[year]-[month]-[day]")).ok()
}

pub(super) fn check_date(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.push(field, ErrorCode::Required);
        return None;
    }
    // The date is parsed trimmed but exported as typed.
    if !errors.no_control(field, value, Lines::One) {
        return None;
    }
    let Some(date) = parse_date(value) else {
        errors.push(field, ErrorCode::InvalidDate);
        return None;
    };
    if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year()) {
        errors.push(field, ErrorCode::DateOutOfRange);
        return None;
    }
    Some(date)
}

/// A date the participant may leave out: absent or blank (a cleared field) says nothing.
pub(super) fn check_optional_date(
    errors: &mut Errors,
    field: &str,
    value: Option<&str>,
) -> Option<Date> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    check_date(errors, field, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The bytes looked at first never hide a control character from the characters.
        #[test]
        fn the_byte_look_finds_every_control_the_characters_do(
            value in prop_oneof!["[\\x00-\\x20\\x7f-\\u{a1}a\r\n\t]{0,8}", any::<String>()],
            many in any::<bool>(),
        ) {
            let lines = if many { Lines::Many } else { Lines::One };
            prop_assert_eq!(has_forbidden_control(&value, lines), has_forbidden_char(&value, lines));
        }
    }

    #[test]
    fn a_field_is_too_long_by_its_characters_not_its_bytes() {
        let mut errors = Errors::default();
        errors.text("title", &"é".repeat(10), true, 10);
        assert!(errors.list.is_empty());
        errors.text("title", &"é".repeat(11), true, 10);
        assert_eq!(errors.list.len(), 1);
    }
}
