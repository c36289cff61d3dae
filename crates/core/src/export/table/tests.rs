use super::*;
use crate::export::{sample, Format};
use CsvDialect::{English, French};

/// Rows read back by the `csv` crate's reader with the dialect's separator, headers included.
fn parse(text: &str, dialect: CsvDialect) -> Vec<csv::StringRecord> {
    let body = text.strip_prefix(BOM).expect("starts with a BOM");
    csv::ReaderBuilder::new()
        .delimiter(dialect.delimiter())
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("parses back")
}

fn sample_csv(dialect: CsvDialect) -> String {
    to_csv(&sample::community(), &sample::context(), dialect)
}

#[test]
fn one_row_per_resource_with_headers_and_accents_intact() {
    for dialect in [English, French] {
        let rows = parse(&sample_csv(dialect), dialect);
        assert_eq!(&rows[0].iter().collect::<Vec<_>>()[..], dialect.headers());
        assert_eq!(rows.len(), 1 + 5);
        let event = rows
            .iter()
            .find(|r| &r[1] == "event")
            .expect("the event is a row");
        assert_eq!(&event[2], "Atelier régional: e-santé, formation");
        assert_eq!(&event[3], "Deux jours\nà Tunis; ouvert à tous, gratuit");
        assert_eq!(&event[4], "C4; C7.e-health");
        assert_eq!(&event[6], "C4; C7");
        // The goals C4 and e-health lead to, after the WSIS–SDG matrix.
        assert_eq!(&event[7], "1; 2; 3; 4; 5; 6; 12; 13; 14; 16; 17");
        assert_eq!(&event[9], "Amina Diallo");
        assert_eq!(&event[10], "Réseau \"Femmes, TIC\"; Dakar");
        assert_eq!(&event[11], "civil_society");
        assert_eq!(&event[13], "africa");
        assert_eq!(&event[14], "https://example.org/atelier?x=1&y=2");
        assert_eq!(
            (&event[16], &event[17], &event[18]),
            ("2005-11-16", "2005-11-18", "Africa/Tunis")
        );
        assert!(rows.iter().all(|r| r.len() == CSV_HEADERS.len()));
    }
}

#[test]
fn french_csv_splits_on_semicolons_under_french_headers() {
    let text = sample_csv(French);
    assert!(text.starts_with(
        "\u{feff}identifiant;type;titre;description;thèmes;intitulés des thèmes;\
         grandes orientations;ODD;identifiant de l'auteur;auteur;organisation;\
         groupe de parties prenantes;pays;région;adresse web;langues;début;fin;\
         fuseau horaire;lieu;mis à jour le\r\n"
    ));
    let rows = parse(&text, French);
    let by_header = |row: &csv::StringRecord, header: &str| {
        let column = CSV_HEADERS_FR.iter().position(|h| *h == header).unwrap();
        row[column].to_owned()
    };
    let event = rows.iter().find(|r| &r[1] == "event").unwrap();
    assert_eq!(
        by_header(event, "titre"),
        "Atelier régional: e-santé, formation"
    );
    assert_eq!(by_header(event, "auteur"), "Amina Diallo");
    assert_eq!(
        by_header(event, "groupe de parties prenantes"),
        "civil_society"
    );
    assert_eq!(by_header(event, "région"), "africa");
    assert_eq!(by_header(event, "début"), "2005-11-16");
    assert_eq!(by_header(event, "fin"), "2005-11-18");
    // Topic titles follow the context's language (French in the sample).
    assert!(by_header(event, "intitulés des thèmes").contains("; "));
}

#[test]
fn english_csv_is_comma_separated_as_before() {
    let text = sample_csv(English);
    assert!(text.starts_with(
        "\u{feff}id,kind,title,description,topics,topic_titles,action_lines,sdgs,author_id,author,\
         organisation,stakeholder_group,country,region,url,languages,starts_on,ends_on,\
         time_zone,place,updated_at\r\n"
    ));
    // A semicolon is no separator in English: the cell needs no quotes.
    assert!(text.contains(",C4; C7.e-health,"));
}

#[test]
fn separators_quotes_and_line_breaks_are_quoted_in_both_dialects() {
    let french = sample_csv(French);
    let english = sample_csv(English);
    for text in [&french, &english] {
        assert!(text.ends_with("\r\n"));
        // Quotes doubled, the whole cell quoted.
        assert!(text.contains("\"Réseau \"\"Femmes, TIC\"\"; Dakar\""));
        // A line break stays inside its quoted cell.
        assert!(text.contains("\"Deux jours\nà Tunis; ouvert à tous, gratuit\""));
    }
    // The separator of each dialect is quoted; the other one is plain text.
    assert!(french.contains(";\"C4; C7.e-health\";"));
    assert!(french.contains(";Atelier régional: e-santé, formation;"));
    assert!(english.contains(",\"Atelier régional: e-santé, formation\","));
    // Read with the other dialect's separator, a file falls apart: the separator matters.
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(french.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(header.len(), 1, "French headers hold no comma");
}

#[test]
fn a_formula_in_a_title_stays_text() {
    for dialect in [English, French] {
        let rows = parse(&sample_csv(dialect), dialect);
        assert!(rows.iter().any(|r| &r[2] == "'=HYPERLINK(\"http://evil\")"));
    }
}

#[test]
fn control_characters_stay_inside_their_quoted_cell() {
    for dialect in [English, French] {
        let text = to_csv(&sample::hostile_community(), &sample::context(), dialect);
        let rows = parse(&text, dialect);
        assert_eq!(rows.len(), 1 + 4, "no row broken or added");
        for row in &rows[1..] {
            assert_eq!(row.len(), CSV_HEADERS.len());
            for column in [2, 3, 9, 10, 12] {
                assert_eq!(&row[column], sample::HOSTILE, "{}", CSV_HEADERS[column]);
            }
        }
        assert!(text.contains(&format!("\"{}\"", sample::HOSTILE)));
    }
}

#[test]
fn an_empty_view_is_just_the_header() {
    for dialect in [English, French] {
        let rows = parse(
            &to_csv(&Community::new(), &sample::context(), dialect),
            dialect,
        );
        assert_eq!(rows.len(), 1);
    }
}

#[test]
fn the_menu_format_writes_the_dialect_of_the_interface_language() {
    let community = sample::community();
    let mut context = sample::context();
    for (lang, dialect) in [(Lang::Fr, French), (Lang::En, English)] {
        context.lang = lang;
        assert_eq!(CsvDialect::of(lang), dialect);
        assert_eq!(
            Format::Csv.render(&community, &context),
            to_csv(&community, &context, dialect)
        );
    }
}
