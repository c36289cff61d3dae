//! CSV, one row per resource (RFC 4180: quoted as needed, CRLF line ends, UTF-8).

use super::{code, entries, rfc3339, topic_titles, ExportContext};
use crate::merge::Community;

pub const CSV_HEADERS: [&str; 20] = [
    "id",
    "kind",
    "title",
    "description",
    "topics",
    "topic_titles",
    "action_lines",
    "author_id",
    "author",
    "organisation",
    "stakeholder_group",
    "country",
    "region",
    "url",
    "languages",
    "starts_on",
    "ends_on",
    "time_zone",
    "place",
    "updated_at",
];

/// Spreadsheets take a cell starting with one of these as a formula; a hostile bundle could
/// make a facilitator's spreadsheet run one (CSV injection). A leading apostrophe keeps it text.
fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// The byte-order mark makes spreadsheet programs read the file as UTF-8, accents intact.
pub const BOM: &str = "\u{feff}";

pub fn to_csv(community: &Community, context: &ExportContext) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let written = (|| -> csv::Result<()> {
        writer.write_record(CSV_HEADERS)?;
        for (author, record) in entries(community) {
            let mut action_lines: Vec<&str> = record
                .topics
                .iter()
                .filter_map(|t| context.catalogue.action_line(t))
                .map(|t| t.id.as_str())
                .collect();
            action_lines.sort_by_key(|id| context.catalogue.position(id));
            action_lines.dedup();
            let event = record.event.as_ref();
            let row = [
                record.id.to_string(),
                code(&record.kind),
                record.title.clone(),
                record.description.clone(),
                record.topics.join("; "),
                topic_titles(record, context).join("; "),
                action_lines.join("; "),
                author.id.clone(),
                author.display_name.clone(),
                author.organisation.clone(),
                code(&author.stakeholder_group),
                author.country.clone(),
                code(&author.region),
                record
                    .url
                    .clone()
                    .or_else(|| event.and_then(|e| e.online_url.clone()))
                    .unwrap_or_default(),
                record.languages.join("; "),
                event.map(|e| e.starts_on.clone()).unwrap_or_default(),
                event.map(|e| e.ends_on.clone()).unwrap_or_default(),
                event.map(|e| e.time_zone.clone()).unwrap_or_default(),
                event.and_then(|e| e.place.clone()).unwrap_or_default(),
                rfc3339(record.updated_at),
            ];
            writer.write_record(row.iter().map(|cell| inert(cell)))?;
        }
        writer.flush()?;
        Ok(())
    })();
    // Writing into a Vec cannot fail for I/O reasons, and every cell is a String.
    debug_assert!(written.is_ok());
    let bytes = writer.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    fn parse(text: &str) -> Vec<csv::StringRecord> {
        let body = text.strip_prefix(BOM).expect("starts with a BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .collect::<Result<_, _>>()
            .expect("parses back")
    }

    #[test]
    fn one_row_per_resource_with_headers_and_accents_intact() {
        let text = to_csv(&sample::community(), &sample::context());
        let rows = parse(&text);
        assert_eq!(rows[0].iter().collect::<Vec<_>>(), CSV_HEADERS);
        assert_eq!(rows.len(), 1 + 5);
        let event = rows
            .iter()
            .find(|r| &r[1] == "event")
            .expect("the event is a row");
        assert_eq!(&event[2], "Atelier régional: e-santé, formation");
        assert_eq!(&event[3], "Deux jours\nà Tunis; ouvert à tous, gratuit");
        assert_eq!(&event[4], "C4; C7.e-health");
        assert_eq!(&event[6], "C4; C7");
        assert_eq!(&event[8], "Amina Diallo");
        assert_eq!(&event[9], "Réseau \"Femmes, TIC\"; Dakar");
        assert_eq!(&event[10], "civil_society");
        assert_eq!(&event[12], "africa");
        assert_eq!(&event[13], "https://example.org/atelier?x=1&y=2");
        assert_eq!(
            (&event[15], &event[16], &event[17]),
            ("2005-11-16", "2005-11-18", "Africa/Tunis")
        );
    }

    #[test]
    fn rows_end_in_crlf_and_quotes_are_doubled() {
        let text = to_csv(&sample::community(), &sample::context());
        assert!(text.ends_with("\r\n"));
        assert!(text.contains("\"Réseau \"\"Femmes, TIC\"\"; Dakar\""));
    }

    #[test]
    fn a_formula_in_a_title_stays_text() {
        let text = to_csv(&sample::community(), &sample::context());
        let rows = parse(&text);
        assert!(rows.iter().any(|r| &r[2] == "'=HYPERLINK(\"http://evil\")"));
    }

    #[test]
    fn control_characters_stay_inside_their_quoted_cell() {
        let text = to_csv(&sample::hostile_community(), &sample::context());
        let rows = parse(&text);
        assert_eq!(rows.len(), 1 + 4, "no row broken or added");
        for row in &rows[1..] {
            assert_eq!(row.len(), CSV_HEADERS.len());
            for column in [2, 3, 8, 9, 11] {
                assert_eq!(&row[column], sample::HOSTILE, "{}", CSV_HEADERS[column]);
            }
        }
        assert!(text.contains(&format!("\"{}\"", sample::HOSTILE)));
    }

    #[test]
    fn an_empty_view_is_just_the_header() {
        let rows = parse(&to_csv(&Community::new(), &sample::context()));
        assert_eq!(rows.len(), 1);
    }
}
