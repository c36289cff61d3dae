//! Field-level validation. Errors are codes with a field path, never sentences: the app says
//! them in the participant's language and the endpoint returns them as JSON.
//!
//! The rules for one record are in `record`, a partnership's terms in `partnership`; the checks
//! of single fields (text, links, ids, languages, time zones, dates, repeats) and the error list
//! they fill are in `fields`.

mod fields;
mod partnership;
mod record;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, Record};

use fields::{Errors, Lines};
use record::validate_record_into;

pub use fields::{is_valid_author_id, is_web_url};

/// The fingerprint of what checking a bundle depends on (the catalogue and the sources of the
/// rules, hashed by `build.rs`): a bundle this build found valid, kept with it, is valid for any
/// build with the same fingerprint, and is not checked again when read back.
pub const RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/rules.txt"));

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
/// Speakers of one event, each of women and men: more is a typing mistake.
pub const MAX_SPEAKERS: u32 = 10_000;
/// A partnership's amount in whole units: ten trillion is beyond any partnership of seed 003 in
/// any currency, and stays exact in a JavaScript number (below 2^53).
pub const MAX_AMOUNT: u64 = 10_000_000_000_000;

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
    /// A stakeholder group given for a name that is not among the partners.
    UnknownPartner,
    /// Not an ISO 4217 code: three capital letters (`EUR`, `USD`, `XOF`).
    InvalidCurrency,
    /// A number beyond `MAX_SPEAKERS` or `MAX_AMOUNT`: a typing mistake. No `limit`, which is
    /// a `usize` and cannot hold `MAX_AMOUNT` on wasm32.
    OutOfRange,
    /// A choice listed twice (a beneficiary region, a domain, a value added).
    DuplicateValue,
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

impl FieldError {
    /// The form field the error belongs to: its path without list indexes, so
    /// `languages[0]` and `partnership.partners[2]` are shown at `languages` and
    /// `partnership.partners`.
    pub fn form_field(&self) -> String {
        let mut field = String::with_capacity(self.field.len());
        let mut in_index = false;
        for c in self.field.chars() {
            match c {
                '[' => in_index = true,
                ']' => in_index = false,
                c if !in_index => field.push(c),
                _ => {}
            }
        }
        field
    }
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
    for choice in ["stakeholder_group", "region"] {
        if !profile.has_chosen(choice) {
            errors.push(choice, ErrorCode::Required);
        }
    }
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
        errors.record = Some(i);
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
#[cfg(test)]
mod tests_details;
