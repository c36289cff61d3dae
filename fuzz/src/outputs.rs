//! What an export's text must not carry, checked on every merged view.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// RFC 5545: no control character but in the CR LF that ends each content line, and every
/// line a property (`NAME[;params]:value`) or a folded continuation, so no text can start a
/// property or a component of its own.
pub fn check_icalendar(text: &str) -> Result<(), String> {
    let mut previous = '\0';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let fine = match c {
            '\r' => chars.peek() == Some(&'\n'),
            '\n' => previous == '\r',
            c => !c.is_control(),
        };
        if !fine {
            return Err(format!("iCalendar output holds control character {c:?}"));
        }
        previous = c;
    }
    if !text.ends_with("\r\n") {
        return Err("iCalendar output does not end with CR LF".into());
    }
    let (mut begins, mut ends) = (0usize, 0usize);
    for line in text[..text.len() - 2].split("\r\n") {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let name_end = line.find([';', ':']).unwrap_or(0);
        let name = &line[..name_end];
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!("iCalendar line is no property: {line:?}"));
        }
        match name {
            "BEGIN" | "END" => {
                let value = &line[name.len()..];
                if !matches!(value, ":VCALENDAR" | ":VEVENT") {
                    return Err(format!("iCalendar component injected: {line:?}"));
                }
                if value == ":VEVENT" {
                    if name == "BEGIN" {
                        begins += 1;
                    } else {
                        ends += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if begins != ends {
        return Err(format!(
            "iCalendar BEGIN:VEVENT {begins} times, END:VEVENT {ends}"
        ));
    }
    Ok(())
}

/// XML 1.0 `Char`: TAB, LF, CR, and from U+0020 on but U+FFFE and U+FFFF (surrogates cannot
/// be in a Rust string).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// No character XML 1.0 forbids, written or as a character reference; with `parse`, also
/// well-formed (read back with quick-xml, attribute values included).
pub fn check_gexf(text: &str, parse: bool) -> Result<(), String> {
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("GEXF output holds {c:?}, forbidden in XML 1.0"));
    }
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        rest = &rest[at + 2..];
        let end = rest.find(';').unwrap_or(rest.len());
        let digits = &rest[..end];
        let code = match digits.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16),
            None => digits.parse::<u32>(),
        };
        match code.ok().and_then(char::from_u32) {
            Some(c) if is_xml_char(c) => {}
            _ => return Err(format!("GEXF output refers to character &#{digits};")),
        }
    }
    if !parse {
        return Ok(());
    }
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(()),
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for attribute in e.attributes() {
                    let attribute =
                        attribute.map_err(|e| format!("GEXF attribute not well-formed: {e}"))?;
                    attribute
                        .normalized_value(XmlVersion::Explicit1_0)
                        .map_err(|e| format!("GEXF attribute value not well-formed: {e}"))?;
                }
            }
            Ok(Event::Text(t)) => {
                let _ = t.xml_content(XmlVersion::Explicit1_0);
            }
            Ok(_) => {}
            Err(e) => return Err(format!("GEXF output is not well-formed XML: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checks_catch_what_they_are_for() {
        let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:a\r\n b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(check_icalendar(good), Ok(()));
        for bad in [
            "SUMMARY:a\rb\r\n",
            "SUMMARY:a\nb\r\n",
            "SUMMARY:a\u{85}\r\n",
            "SUMMARY:a\u{7f}\r\n",
            "SUMMARY:a\r\nBEGIN:VTODO\r\n",
            "SUMMARY:a\r\nBEGIN:VEVENT\r\n",
            "SUMMARY:a\r\nnot a property\r\n",
        ] {
            assert!(check_icalendar(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_gexf("<a b=\"&#10;&#x41;\">x&amp;</a>", true), Ok(()));
        for bad in [
            "<a>\u{1}</a>",
            "<a>&#1;</a>",
            "<a b=\"&#xFFFE;\"/>",
            "<a>\u{ffff}</a>",
            "<a><b></a>",
        ] {
            assert!(check_gexf(bad, true).is_err(), "{bad:?}");
        }
    }
}
