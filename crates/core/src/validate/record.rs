//! The rules for one record, by kind.

use std::collections::HashSet;

use crate::catalogue::Catalogue;
use crate::record::{Kind, Record};

use super::fields::{
    check_date, has_forbidden_control, is_language_tag, is_time_zone, is_valid_author_id, Errors,
    Lines,
};
use super::partnership::validate_partnership_into;
use super::{
    ErrorCode, EARLIEST_YEAR, LATEST_YEAR, MAX_DESCRIPTION_CHARS, MAX_LANGUAGES_PER_RECORD,
    MAX_SHORT_TEXT_CHARS, MAX_SPEAKERS, MAX_TITLE_CHARS, MAX_TOPICS_PER_RECORD,
};

pub(super) fn validate_record_into(errors: &mut Errors, record: &Record, catalogue: &Catalogue) {
    if record.revision == 0 {
        errors.push("revision", ErrorCode::InvalidRevision);
    }
    let stamps = [
        ("updated_at", Some(record.updated_at)),
        ("confirmed_at", record.confirmed_at),
    ];
    for (field, at) in stamps {
        if at.is_some_and(|at| !(2000..=LATEST_YEAR).contains(&at.year())) {
            errors.push(field, ErrorCode::DateOutOfRange);
        }
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
    // A record's few topics are compared with those before them; a set only for a hostile
    // file's thousands (a set per record was a tenth of checking 200,000).
    let mut seen = (record.topics.len() > MAX_TOPICS_PER_RECORD).then(HashSet::new);
    for (i, topic) in record.topics.iter().enumerate() {
        let repeated = match &mut seen {
            Some(seen) => !seen.insert(topic),
            None => record.topics[..i].contains(topic),
        };
        if !catalogue.contains(topic) {
            errors.push(&format!("topics[{i}]"), ErrorCode::UnknownTopic);
        } else if repeated {
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
    // Field names are written out for an error only: 200,000 records hold 400,000 languages.
    for (i, lang) in record.languages.iter().enumerate() {
        let problem = if has_forbidden_control(lang, Lines::One) {
            Some(ErrorCode::ControlCharacter)
        } else {
            (!is_language_tag(lang)).then_some(ErrorCode::InvalidLanguage)
        };
        if let Some(code) = problem {
            errors.push(&format!("languages[{i}]"), code);
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
                let speakers = [
                    ("event.speakers_women", event.speakers_women),
                    ("event.speakers_men", event.speakers_men),
                ];
                for (field, count) in speakers {
                    if count.is_some_and(|count| count > MAX_SPEAKERS) {
                        errors.push(field, ErrorCode::OutOfRange);
                    }
                }
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
            Some(partnership) => validate_partnership_into(errors, partnership),
        },
        Kind::Network | Kind::Project => {}
    }
}
