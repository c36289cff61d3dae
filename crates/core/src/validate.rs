//! Field-level validation. Errors are codes with a field path, never sentences: the app says
//! them in the participant's language and the endpoint returns them as JSON.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::{macros::format_description, Date};

use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, Kind, Record};

pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
pub const MAX_URL_CHARS: usize = 2_000;
pub const MAX_TOPICS_PER_RECORD: usize = 40;
pub const MAX_LANGUAGES_PER_RECORD: usize = 12;
pub const MAX_PARTNERS: usize = 100;
pub const MAX_AUTHOR_ID_CHARS: usize = 64;
/// Dates outside these years are typing mistakes, not WSIS events or documents.
pub const EARLIEST_YEAR: i32 = 1990;
pub const LATEST_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    TooMany,
    /// Only absolute http and https links are accepted (no `javascript:`, no `data:`).
    InvalidUrl,
    InvalidContact,
    InvalidDate,
    DateOutOfRange,
    EndBeforeStart,
    InvalidTimeZone,
    InvalidLanguage,
    UnknownTopic,
    DuplicateTopic,
    DuplicateRecord,
    InvalidAuthorId,
    AuthorMismatch,
    /// An event without dates, a partnership without its terms.
    MissingDetails,
    InvalidRevision,
    /// A control character (CR, LF, TAB, NUL, DEL, C1…) in a single-line field, or one other
    /// than a line break or TAB in a paragraph field.
    ControlCharacter,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, e.g. `records[2].event.ends_on` or `title`.
    pub field: String,
    pub code: ErrorCode,
    /// The limit broken, for `too_long` and `too_many`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

#[derive(Default)]
struct Errors {
    prefix: String,
    list: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, field: &str, code: ErrorCode) {
        self.push_limit(field, code, None);
    }

    fn push_limit(&mut self, field: &str, code: ErrorCode, limit: Option<usize>) {
        let field = format!("{}{}", self.prefix, field);
        self.list.push(FieldError { field, code, limit });
    }

    /// A single-line field.
    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        self.text_lines(field, value, required, max, Lines::One);
    }

    /// A field meant to hold paragraphs.
    fn paragraphs(&mut self, field: &str, value: &str, required: bool, max: usize) {
        self.text_lines(field, value, required, max, Lines::Many);
    }

    // `too_long` comes before `control_character`: backups are refused on the former only, so
    // a control character must not hide an oversized field.
    fn text_lines(&mut self, field: &str, value: &str, required: bool, max: usize, lines: Lines) {
        if required && value.trim().is_empty() {
            self.push(field, ErrorCode::Required);
        } else if value.chars().count() > max {
            self.push_limit(field, ErrorCode::TooLong, Some(max));
        } else {
            self.no_control(field, value, lines);
        }
    }

    /// False (and the error pushed) when `value` holds a control character `lines` forbids.
    fn no_control(&mut self, field: &str, value: &str, lines: Lines) -> bool {
        let clean = !has_forbidden_control(value, lines);
        if !clean {
            self.push(field, ErrorCode::ControlCharacter);
        }
        clean
    }

    fn url(&mut self, field: &str, value: Option<&str>) {
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
}

#[derive(Clone, Copy)]
enum Lines {
    One,
    /// Paragraphs keep their line breaks (LF or CR LF) and TABs, nothing else invisible.
    Many,
}

fn has_forbidden_control(value: &str, lines: Lines) -> bool {
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

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_time_zone(zone: &str) -> bool {
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

pub fn validate_profile(profile: &AuthorProfile) -> Vec<FieldError> {
    let mut errors = Errors::default();
    if !is_valid_author_id(&profile.id) {
        errors.push("id", ErrorCode::InvalidAuthorId);
    }
    errors.text("display_name", &profile.display_name, true, MAX_NAME_CHARS);
    errors.text(
        "organisation",
        &profile.organisation,
        false,
        MAX_SHORT_TEXT_CHARS,
    );
    errors.text("country", &profile.country, false, MAX_SHORT_TEXT_CHARS);
    if let Some(raw) = profile.contact.as_deref() {
        let contact = raw.trim();
        let email = contact.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !contact.contains(char::is_whitespace)
        });
        if contact.chars().count() > MAX_SHORT_TEXT_CHARS {
            errors.push_limit("contact", ErrorCode::TooLong, Some(MAX_SHORT_TEXT_CHARS));
        } else if errors.no_control("contact", raw, Lines::One)
            && !contact.is_empty()
            && !email
            && !is_web_url(contact)
        {
            errors.push("contact", ErrorCode::InvalidContact);
        }
    }
    errors.list
}

pub fn validate_record(record: &Record, catalogue: &Catalogue) -> Vec<FieldError> {
    let mut errors = Errors::default();
    validate_record_into(&mut errors, record, catalogue);
    errors.list
}

fn validate_record_into(errors: &mut Errors, record: &Record, catalogue: &Catalogue) {
    if record.revision == 0 {
        errors.push("revision", ErrorCode::InvalidRevision);
    }
    let year = record.updated_at.year();
    if !(2000..=LATEST_YEAR).contains(&year) {
        errors.push("updated_at", ErrorCode::DateOutOfRange);
    }
    if !is_valid_author_id(&record.author) {
        errors.push("author", ErrorCode::InvalidAuthorId);
    }
    // A tombstone only has to say which record it deletes.
    if record.deleted {
        return;
    }
    errors.text("title", &record.title, true, MAX_TITLE_CHARS);
    errors.paragraphs(
        "description",
        &record.description,
        false,
        MAX_DESCRIPTION_CHARS,
    );
    errors.url("url", record.url.as_deref());

    if record.topics.is_empty() {
        errors.push("topics", ErrorCode::Required);
    } else if record.topics.len() > MAX_TOPICS_PER_RECORD {
        errors.push_limit("topics", ErrorCode::TooMany, Some(MAX_TOPICS_PER_RECORD));
    }
    let mut seen = HashSet::new();
    for (i, topic) in record.topics.iter().enumerate() {
        if !catalogue.contains(topic) {
            errors.push(&format!("topics[{i}]"), ErrorCode::UnknownTopic);
        } else if !seen.insert(topic) {
            errors.push(&format!("topics[{i}]"), ErrorCode::DuplicateTopic);
        }
    }
    if record.languages.len() > MAX_LANGUAGES_PER_RECORD {
        errors.push_limit(
            "languages",
            ErrorCode::TooMany,
            Some(MAX_LANGUAGES_PER_RECORD),
        );
    }
    for (i, lang) in record.languages.iter().enumerate() {
        let field = format!("languages[{i}]");
        if errors.no_control(&field, lang, Lines::One) && !is_language_tag(lang) {
            errors.push(&field, ErrorCode::InvalidLanguage);
        }
    }

    match record.kind {
        Kind::Event => match &record.event {
            None => errors.push("event", ErrorCode::MissingDetails),
            Some(event) => {
                let start = check_date(errors, "event.starts_on", &event.starts_on);
                let end = check_date(errors, "event.ends_on", &event.ends_on);
                if let (Some(start), Some(end)) = (start, end) {
                    if end < start {
                        errors.push("event.ends_on", ErrorCode::EndBeforeStart);
                    }
                }
                if errors.no_control("event.time_zone", &event.time_zone, Lines::One)
                    && !is_time_zone(&event.time_zone)
                {
                    errors.push("event.time_zone", ErrorCode::InvalidTimeZone);
                }
                errors.text(
                    "event.place",
                    event.place.as_deref().unwrap_or(""),
                    false,
                    MAX_SHORT_TEXT_CHARS,
                );
                errors.url("event.online_url", event.online_url.as_deref());
            }
        },
        Kind::Document => {
            if let Some(document) = &record.document {
                if let Some(year) = document.year {
                    if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year) {
                        errors.push("document.year", ErrorCode::DateOutOfRange);
                    }
                }
                if let Some(lang) = document.language.as_deref().filter(|l| !l.is_empty()) {
                    if errors.no_control("document.language", lang, Lines::One)
                        && !is_language_tag(lang)
                    {
                        errors.push("document.language", ErrorCode::InvalidLanguage);
                    }
                }
            }
        }
        Kind::Partnership => match &record.partnership {
            None => errors.push("partnership", ErrorCode::MissingDetails),
            Some(partnership) => {
                if partnership.partners.len() > MAX_PARTNERS {
                    errors.push_limit(
                        "partnership.partners",
                        ErrorCode::TooMany,
                        Some(MAX_PARTNERS),
                    );
                }
                for (i, partner) in partnership.partners.iter().enumerate() {
                    errors.text(
                        &format!("partnership.partners[{i}]"),
                        partner,
                        true,
                        MAX_SHORT_TEXT_CHARS,
                    );
                }
                errors.paragraphs(
                    "partnership.objectives",
                    &partnership.objectives,
                    false,
                    MAX_DESCRIPTION_CHARS,
                );
                errors.paragraphs(
                    "partnership.expected_results",
                    &partnership.expected_results,
                    false,
                    MAX_DESCRIPTION_CHARS,
                );
                errors.text(
                    "partnership.timeline",
                    &partnership.timeline,
                    false,
                    MAX_SHORT_TEXT_CHARS,
                );
            }
        },
        Kind::Network | Kind::Project => {}
    }
}

fn check_date(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
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

/// Everything about one author's records as a whole: each record valid, written by the
/// bundle's author, each id once.
pub fn validate_records(
    author_id: &str,
    records: &[Record],
    catalogue: &Catalogue,
) -> Vec<FieldError> {
    let mut errors = Errors::default();
    let mut ids = HashSet::new();
    for (i, record) in records.iter().enumerate() {
        errors.prefix = format!("records[{i}].");
        validate_record_into(&mut errors, record, catalogue);
        if record.author != author_id {
            errors.push("author", ErrorCode::AuthorMismatch);
        }
        if !ids.insert(record.id) {
            errors.push("id", ErrorCode::DuplicateRecord);
        }
    }
    errors.list
}

#[cfg(test)]
mod tests;
