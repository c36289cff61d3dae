//! What each file format cannot carry, taken out of the text before it is written.
//!
//! Validation refuses control characters, but exports also run on views merged from files
//! nobody validated (another participant's bundle, a collection, a draft): a line break in a
//! calendar title must not end the event, a NUL must not make an XML file unreadable.

use crate::validate::is_web_url;

/// Text with every line break (LF, CR LF or a bare CR) made `line_break`, TABs made spaces and
/// every other control character (C0, DEL, C1) removed.
fn without_controls(text: &str, line_break: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(line_break);
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An iCalendar TEXT value on one line (SUMMARY, LOCATION, a name inside a description).
/// The icalendar crate escapes `\`, `;`, `,` and LF but writes CR and other controls raw.
pub(super) fn ical_line(text: &str) -> String {
    without_controls(text, ' ')
}

/// An iCalendar TEXT value of paragraphs: its line breaks as LF, which the crate writes `\n`.
pub(super) fn ical_paragraphs(text: &str) -> String {
    without_controls(text, '\n')
}

/// A TEXT list (CATEGORIES): the icalendar crate writes these values as given, unescaped,
/// since their commas separate items; so each item is escaped here (RFC 5545 §3.3.11).
pub(super) fn ical_text_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| {
            ical_line(item)
                .replace('\\', "\\\\")
                .replace(';', "\\;")
                .replace(',', "\\,")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A link fit for a URI property, or none: URI values are written raw, so one with a line
/// break would end the property and start another; and only web links are worth following.
pub(super) fn web_url(url: &str) -> Option<&str> {
    is_web_url(url).then(|| url.trim())
}

/// Text or attribute value for XML 1.0, which cannot carry controls other than TAB, LF and
/// CR, nor U+FFFE and U+FFFF, even as character references. Markup is quick-xml's to escape.
pub(super) fn xml_text(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_become_one_space_or_one_lf_and_other_controls_go() {
        assert_eq!(ical_line("a\r\nb\rc\nd\te\0f\u{85}g"), "a b c d efg");
        assert_eq!(ical_paragraphs("a\r\nb\rc\n\nd\te\u{1b}"), "a\nb\nc\n\nd e");
    }

    #[test]
    fn list_items_are_escaped_one_by_one() {
        assert_eq!(
            ical_text_list(["C4", "x,y;z\\", "a\r\nEND:VEVENT"]),
            "C4,x\\,y\\;z\\\\,a END:VEVENT"
        );
    }

    #[test]
    fn only_clean_web_links_go_in_uri_properties() {
        assert_eq!(web_url("https://x.org/a?b=1"), Some("https://x.org/a?b=1"));
        for bad in [
            "https://x.org/\r\nEND:VEVENT",
            "https://x.org/\u{85}",
            "javascript:x",
        ] {
            assert_eq!(web_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn xml_keeps_what_xml_1_0_allows() {
        assert_eq!(
            xml_text("a\tb\nc\rd\0e\u{1}f\u{ffff}g\u{85}h"),
            "a\tb\nc\rdefg\u{85}h"
        );
    }
}
