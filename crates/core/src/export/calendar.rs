//! iCalendar (RFC 5545) of the events, for calendar programs.
//!
//! Events carry calendar dates in their own time zone, not times, so they are written as
//! all-day events (`VALUE=DATE`, end exclusive): a calendar shows them on the same days
//! wherever it is, which is what a date in the event's own zone means. The zone itself travels
//! in `X-NETWORKSHOP-TIME-ZONE` and in the description, for when times are added. The event's
//! format and its speakers (women, men), which calendars have no property for, travel as codes
//! and numbers in `X-NETWORKSHOP-FORMAT` and `X-NETWORKSHOP-SPEAKERS-WOMEN`/`-MEN`.

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use time::OffsetDateTime;

use super::escape::{ical_line, ical_paragraphs, ical_text_list, web_url};
use super::{code, entries, topic_titles, ExportContext};
use crate::catalogue::Lang;
use crate::merge::Community;

fn utc(at: OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub fn to_icalendar(community: &Community, context: &ExportContext) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            "-//Networkshop//WSIS resources//EN",
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name("Networkshop");
    let (zone_label, by_label) = match context.lang {
        Lang::Fr => ("Fuseau horaire", "Organisé par"),
        Lang::En => ("Time zone", "Organised by"),
    };
    for (author, record) in entries(community) {
        let Some(details) = &record.event else {
            continue;
        };
        // Validation guarantees both dates on published events; a view built from drafts may
        // not have them, and an event without a start cannot go in a calendar.
        let Some(starts) = date(&details.starts_on) else {
            continue;
        };
        let ends = date(&details.ends_on)
            .filter(|e| *e >= starts)
            .unwrap_or(starts);
        let organiser = if author.organisation.is_empty() {
            author.display_name.clone()
        } else {
            format!("{} ({})", author.display_name, author.organisation)
        };
        let zone = ical_line(&details.time_zone);
        let mut description = ical_paragraphs(&record.description);
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        // One line each: a break inside a name would read as a line of its own.
        description.push_str(&format!(
            "{by_label}: {}\n{zone_label}: {zone}\n{}",
            ical_line(&organiser),
            ical_line(&topic_titles(record, context).join(" · "))
        ));
        let mut event = Event::new();
        event
            .uid(&format!("{}@networkshop", record.id))
            .timestamp(utc(context.generated_at))
            .last_modified(utc(record.updated_at))
            .sequence(u32::try_from(record.revision).unwrap_or(u32::MAX))
            .summary(&ical_line(&record.title))
            .description(&description)
            .starts(starts)
            .ends(ends.checked_add_days(Days::new(1)).unwrap_or(ends))
            .append_property(Property::new("X-NETWORKSHOP-TIME-ZONE", &zone))
            .append_property(Property::new(
                "CATEGORIES",
                ical_text_list(record.topics.iter().map(String::as_str)),
            ));
        if let Some(format) = &details.format {
            event.add_property("X-NETWORKSHOP-FORMAT", code(format));
        }
        let speakers = [
            ("X-NETWORKSHOP-SPEAKERS-WOMEN", details.speakers_women),
            ("X-NETWORKSHOP-SPEAKERS-MEN", details.speakers_men),
        ];
        for (name, count) in speakers {
            if let Some(count) = count {
                event.add_property(name, count.to_string());
            }
        }
        if let Some(place) = &details.place {
            event.location(&ical_line(place));
        }
        let url = record.url.as_deref().and_then(web_url);
        if let Some(url) = url.or_else(|| details.online_url.as_deref().and_then(web_url)) {
            event.url(url);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;
    use std::str::FromStr;

    #[test]
    fn events_parse_back_with_their_dates_place_and_url() {
        let text = to_icalendar(&sample::community(), &sample::context());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.lines().all(|l| l.len() <= 75), "lines are folded");
        let calendar = Calendar::from_str(&text).expect("parses back");
        let events: Vec<&Event> = calendar.events().collect();
        assert_eq!(events.len(), 1, "only the event record");
        let event = events[0];
        assert_eq!(
            event.get_summary(),
            Some("Atelier régional: e-santé, formation")
        );
        assert_eq!(event.get_location(), Some("Kram, Tunis"));
        assert_eq!(event.get_url(), Some("https://example.org/atelier?x=1&y=2"));
        assert_eq!(
            event.get_uid(),
            Some("00000000-0000-0000-0000-000000000001@networkshop")
        );
        let start = event.get_start().expect("a start");
        let end = event.get_end().expect("an end");
        assert_eq!(start, NaiveDate::from_ymd_opt(2005, 11, 16).unwrap().into());
        // The end is exclusive: the last day is the 18th.
        assert_eq!(end, NaiveDate::from_ymd_opt(2005, 11, 19).unwrap().into());
        assert_eq!(
            event.property_value("X-NETWORKSHOP-TIME-ZONE"),
            Some("Africa/Tunis")
        );
        let description = event.get_description().expect("a description");
        assert!(description.starts_with("Deux jours\nà Tunis; ouvert à tous, gratuit"));
        assert!(description.contains("Amina Diallo"));
    }

    #[test]
    fn format_and_speakers_parse_back_when_given() {
        let text = to_icalendar(&sample::detailed(), &sample::context());
        let calendar = Calendar::from_str(&text).expect("parses back");
        let event = calendar.events().next().expect("the event");
        let said = |name| event.property_value(name);
        assert_eq!(said("X-NETWORKSHOP-FORMAT"), Some("thematic_workshop"));
        assert_eq!(said("X-NETWORKSHOP-SPEAKERS-WOMEN"), Some("3"));
        assert_eq!(said("X-NETWORKSHOP-SPEAKERS-MEN"), Some("2"));
        let plain = to_icalendar(&sample::community(), &sample::context());
        assert!(!plain.contains("X-NETWORKSHOP-FORMAT") && !plain.contains("SPEAKERS"));
    }

    #[test]
    fn special_characters_are_escaped() {
        let text = to_icalendar(&sample::community(), &sample::context());
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Atelier régional: e-santé\\, formation\r\n"));
        assert!(unfolded.contains("Deux jours\\nà Tunis\\; ouvert"));
    }

    #[test]
    fn hostile_text_neither_ends_an_event_nor_reaches_the_file() {
        let text = to_icalendar(&sample::hostile_community(), &sample::context());
        let lines: Vec<&str> = text.split("\r\n").collect();
        for line in &lines {
            assert!(!line.contains(char::is_control), "{line:?}");
            assert!(line.len() <= 75, "folded: {line:?}");
        }
        assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 2);
        let calendar = Calendar::from_str(&text).expect("parses back");
        let events: Vec<&Event> = calendar.events().collect();
        assert_eq!(events.len(), 2, "one VEVENT per event record");
        // ESC goes, the `[2J` it would have started stays as plain text.
        let one_line = "a END:VEVENT BEGIN:VEVENT SUMMARY:b cde[2Jfg\u{fffe}h";
        for event in &events {
            assert_eq!(event.get_summary(), Some(one_line));
            assert_eq!(event.get_location(), Some(one_line));
            assert_eq!(
                event.property_value("X-NETWORKSHOP-TIME-ZONE"),
                Some(one_line)
            );
            let description = event.get_description().expect("a description");
            assert!(description.starts_with("a\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:b\ncde[2J"));
            assert!(description.contains(&format!(": {one_line} ({one_line})\n")));
        }
        // A link with a control character is dropped, the event's other link used instead.
        let urls: Vec<_> = events.iter().map(|e| e.get_url()).collect();
        assert_eq!(urls, [None, Some("https://x.org/live")]);
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("\r\nCATEGORIES:C4,{one_line}\r\n")));
    }

    #[test]
    fn the_same_view_gives_the_same_bytes() {
        let a = to_icalendar(&sample::community(), &sample::context());
        let b = to_icalendar(&sample::community(), &sample::context());
        assert_eq!(a, b);
    }
}
