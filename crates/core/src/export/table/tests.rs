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
         fuseau horaire;lieu;mis à jour le;dernière confirmation;format;intervenantes;\
         intervenants;partenaires;signataires;objectifs;résultats attendus;calendrier;\
         entrée en vigueur;fin du partenariat;montant;devise;financement;\
         sources de financement;type d'accord;régions bénéficiaires;domaines d'activité;\
         valeur ajoutée;déclaration de caractère volontaire;prêt à annoncer\r\n"
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
         time_zone,place,updated_at,last_confirmed,event_format,speakers_women,speakers_men,\
         partners,signatories,objectives,expected_results,timeline,in_force_on,\
         partnership_ends_on,amount,currency,funding,funding_sources,agreement,\
         beneficiary_regions,domains,value_added,voluntary_declaration,ready_to_announce\r\n"
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

/// Each row of a file as (English header → cell), whatever the dialect's headers.
fn rows_by_header(
    text: &str,
    dialect: CsvDialect,
) -> Vec<std::collections::BTreeMap<&'static str, String>> {
    let rows = parse(text, dialect);
    assert_eq!(&rows[0].iter().collect::<Vec<_>>()[..], dialect.headers());
    rows[1..]
        .iter()
        .map(|row| {
            assert_eq!(row.len(), CSV_COLUMNS);
            CSV_HEADERS
                .into_iter()
                .zip(row.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn every_new_field_has_its_column_in_both_dialects() {
    for dialect in [English, French] {
        let text = to_csv(&sample::detailed(), &sample::context(), dialect);
        let rows = rows_by_header(&text, dialect);
        let of_kind = |kind: &str| rows.iter().find(|r| r["kind"] == kind).unwrap();
        let partnership = of_kind("partnership");
        let expected = [
            (
                "partners",
                "Ministère (government); ONG <Lien> (civil_society)",
            ),
            ("signatories", "Jean Müller; Awa Ndiaye"),
            ("objectives", "Connecter 100 écoles"),
            (
                "expected_results",
                "100 écoles connectées; 400 enseignants formés",
            ),
            ("timeline", "2005–2007"),
            ("in_force_on", "2005-11-18"),
            ("partnership_ends_on", "2007-12-31"),
            ("amount", "5500000"),
            ("currency", "EUR"),
            ("funding", "secured"),
            ("funding_sources", "Union européenne, ministère"),
            ("agreement", "mou"),
            ("beneficiary_regions", "africa; europe"),
            ("domains", "infrastructure; capacity_building"),
            ("value_added", "new; another_region"),
            ("voluntary_declaration", "yes"),
            ("ready_to_announce", "yes"),
            ("event_format", ""),
        ];
        for (header, cell) in expected {
            assert_eq!(partnership[header], cell, "{header} ({dialect:?})");
        }
        let event = of_kind("event");
        assert_eq!(event["event_format"], "thematic_workshop");
        assert_eq!(
            (&event["speakers_women"][..], &event["speakers_men"][..]),
            ("3", "2")
        );
        assert_eq!(
            (&event["partners"][..], &event["ready_to_announce"][..]),
            ("", "")
        );
        // Confirmed after the last edit, or the last edit itself.
        assert_eq!(
            of_kind("document")["last_confirmed"],
            "2005-10-01T08:00:00Z"
        );
        assert_eq!(event["last_confirmed"], event["updated_at"]);
    }
    // A reader taking the first row as column names needs each once.
    for headers in [CSV_HEADERS, CSV_HEADERS_FR] {
        let distinct: std::collections::BTreeSet<_> = headers.iter().collect();
        assert_eq!(distinct.len(), CSV_COLUMNS);
    }
    let french = CSV_HEADERS_FR;
    let at = |header: &str| CSV_HEADERS.iter().position(|h| *h == header).unwrap();
    assert_eq!(french[at("ready_to_announce")], "prêt à annoncer");
    assert_eq!(french[at("beneficiary_regions")], "régions bénéficiaires");
}

#[test]
fn a_partnership_missing_a_principle_is_not_ready_to_announce() {
    // The plain sample's partnership has no expected results and unsecured funding.
    let rows = rows_by_header(&sample_csv(English), English);
    let partnership = rows.iter().find(|r| r["kind"] == "partnership").unwrap();
    assert_eq!(partnership["ready_to_announce"], "no");
    assert_eq!(partnership["voluntary_declaration"], "no");
    assert_eq!(partnership["partners"], "Ministère; ONG <Lien>");
    assert_eq!(partnership["funding"], "identified");
}

#[test]
fn hostile_text_in_the_new_fields_stays_in_its_cell() {
    let text = to_csv(&sample::hostile_community(), &sample::context(), French);
    let rows = rows_by_header(&text, French);
    let partnership = rows.iter().find(|r| r["kind"] == "partnership").unwrap();
    for header in ["signatories", "in_force_on", "currency", "funding_sources"] {
        assert_eq!(partnership[header], sample::HOSTILE, "{header}");
    }
    assert_eq!(
        partnership["partners"],
        format!("{} (private_sector)", sample::HOSTILE)
    );
}
