use super::*;
use crate::record::{
    AgreementType, EventDetails, Funding, Kind, PartnershipDetails, Region, StakeholderGroup,
};
use time::macros::datetime;

pub(super) fn catalogue() -> &'static Catalogue {
    Catalogue::wsis()
}

pub(super) fn record(kind: Kind) -> Record {
    Record {
        title: "Réseau africain".into(),
        languages: vec!["fr".into()],
        updated_at: datetime!(2004-06-01 10:00 UTC),
        ..crate::test_support::record(1, "alice", kind, &["C7.e-health"])
    }
}

pub(super) fn codes(errors: &[FieldError]) -> Vec<(String, ErrorCode)> {
    errors.iter().map(|e| (e.field.clone(), e.code)).collect()
}

#[test]
fn a_plain_network_is_valid() {
    assert!(validate_record(&record(Kind::Network), catalogue()).is_empty());
}

#[test]
fn required_title_and_topics() {
    let mut r = record(Kind::Project);
    r.title = "  ".into();
    r.topics.clear();
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![
            ("title".into(), ErrorCode::Required),
            ("topics".into(), ErrorCode::Required)
        ]
    );
}

#[test]
fn only_web_links() {
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.org",
        "not a url",
        "http://",
    ] {
        let mut r = record(Kind::Document);
        r.url = Some(bad.into());
        assert_eq!(
            codes(&validate_record(&r, catalogue())),
            vec![("url".into(), ErrorCode::InvalidUrl)],
            "{bad}"
        );
    }
    let mut r = record(Kind::Document);
    r.url = Some("https://www.itu.int/wsis/".into());
    assert!(validate_record(&r, catalogue()).is_empty());
}

#[test]
fn events_need_ordered_sane_dates_and_a_zone() {
    let mut r = record(Kind::Event);
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![("event".into(), ErrorCode::MissingDetails)]
    );
    r.event = Some(EventDetails {
        starts_on: "2005-11-18".into(),
        ends_on: "2005-11-16".into(),
        time_zone: "Africa/Tunis".into(),
        place: Some("Tunis".into()),
        online_url: None,
        ..Default::default()
    });
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![("event.ends_on".into(), ErrorCode::EndBeforeStart)]
    );
    let event = r.event.as_mut().unwrap();
    event.ends_on = "3005-01-01".into();
    event.time_zone = "somewhere".into();
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![
            ("event.ends_on".into(), ErrorCode::DateOutOfRange),
            ("event.time_zone".into(), ErrorCode::InvalidTimeZone)
        ]
    );
}

#[test]
fn topics_must_be_known_and_distinct() {
    let mut r = record(Kind::Network);
    r.topics = vec!["C7.e-health".into(), "C99".into(), "C7.e-health".into()];
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![
            ("topics[1]".into(), ErrorCode::UnknownTopic),
            ("topics[2]".into(), ErrorCode::DuplicateTopic)
        ]
    );
}

#[test]
fn tombstones_need_no_content() {
    let mut r = record(Kind::Event);
    r.deleted = true;
    r.title.clear();
    r.topics.clear();
    assert!(validate_record(&r, catalogue()).is_empty());
}

#[test]
fn author_ids_are_path_safe() {
    for bad in [
        "",
        "../etc",
        ".hidden",
        "Alice",
        "a/b",
        "-x",
        "a b",
        &"a".repeat(65),
    ] {
        assert!(!is_valid_author_id(bad), "{bad}");
    }
    assert!(is_valid_author_id("3f2b9c1e-0d4a-4b8e-9a77-2c1d5e6f7a8b"));
}

#[test]
fn profile_contact_is_an_email_or_web_page() {
    let mut p = AuthorProfile {
        id: "alice".into(),
        display_name: "Alice".into(),
        organisation: String::new(),
        stakeholder_group: StakeholderGroup::CivilSociety,
        country: "Sénégal".into(),
        region: Region::Africa,
        contact: Some("alice@example.org".into()),
        extra: Default::default(),
    };
    assert!(validate_profile(&p).is_empty());
    p.contact = Some("javascript:alert(1)".into());
    assert_eq!(
        codes(&validate_profile(&p)),
        vec![("contact".into(), ErrorCode::InvalidContact)]
    );
}

const INJECTION: &str = "\r\nEND:VEVENT\r\nBEGIN:VEVENT";

#[test]
fn control_characters_are_refused_in_single_line_fields() {
    let mut r = record(Kind::Event);
    r.title = "Atelier\0".into();
    r.url = Some(format!("https://x.org/{INJECTION}"));
    r.languages = vec!["fr\r".into()];
    r.event = Some(EventDetails {
        starts_on: "2005-11-16\n".into(),
        ends_on: "2005-11-18".into(),
        time_zone: "Africa/Tunis\t".into(),
        place: Some("Tunis\u{85}".into()),
        online_url: Some("https://x.org/\u{1b}".into()),
        ..Default::default()
    });
    let control = |field: &str| (field.to_owned(), ErrorCode::ControlCharacter);
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        [
            "title",
            "url",
            "languages[0]",
            "event.starts_on",
            "event.time_zone",
            "event.place",
            "event.online_url"
        ]
        .map(control)
    );
    // The url crate alone would accept it, with the line breaks silently dropped.
    assert!(url::Url::parse(&format!("https://x.org/{INJECTION}")).is_ok());
    assert!(!is_web_url(&format!("https://x.org/{INJECTION}")));
}

#[test]
fn a_tab_in_a_name_is_refused() {
    let mut p = crate::test_support::profile("alice", StakeholderGroup::Government, Region::Europe);
    p.display_name = "Alice\tMartin".into();
    p.organisation = "\u{7f}".into();
    p.contact = Some("alice@example.org\n".into());
    assert_eq!(
        codes(&validate_profile(&p)),
        ["display_name", "organisation", "contact"]
            .map(|f| (f.to_owned(), ErrorCode::ControlCharacter))
    );
}

#[test]
fn paragraphs_keep_line_breaks_and_tabs_and_nothing_else() {
    let mut r = record(Kind::Project);
    r.description = "Deux jours\nà Tunis\r\n\t- gratuit".into();
    assert!(validate_record(&r, catalogue()).is_empty());
    for bad in [
        "fin\r",
        "a\rb",
        "a\0b",
        "a\u{85}b",
        "a\u{1b}[2Jb",
        "a\u{b}b",
    ] {
        r.description = bad.into();
        assert_eq!(
            codes(&validate_record(&r, catalogue())),
            vec![("description".into(), ErrorCode::ControlCharacter)],
            "{bad:?}"
        );
    }
}

#[test]
fn partnership_terms_are_paragraphs_partners_and_timeline_one_line() {
    let mut r = record(Kind::Partnership);
    r.partnership = Some(PartnershipDetails {
        partners: vec!["ONG\nLien".into()],
        objectives: "Connecter\r\n100 écoles".into(),
        expected_results: "Des\nrésultats\u{0}".into(),
        timeline: "2005\n2007".into(),
        funding: Funding::None,
        agreement: AgreementType::Mou,
        ..Default::default()
    });
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        [
            "partnership.partners[0]",
            "partnership.expected_results",
            "partnership.timeline"
        ]
        .map(|f| (f.to_owned(), ErrorCode::ControlCharacter))
    );
}

#[test]
fn an_oversized_field_says_too_long_even_with_a_control_character() {
    let mut r = record(Kind::Network);
    r.title = format!("\0{}", "a".repeat(MAX_TITLE_CHARS));
    assert_eq!(
        codes(&validate_record(&r, catalogue())),
        vec![("title".into(), ErrorCode::TooLong)]
    );
}

#[test]
fn the_code_is_snake_case() {
    assert_eq!(
        serde_json::to_string(&ErrorCode::ControlCharacter).unwrap(),
        "\"control_character\""
    );
}

#[test]
fn an_internationalised_host_is_a_web_address_in_its_ascii_form() {
    // The app hands the core what the browser's URL parser makes of "https://café.fr/".
    assert!(is_web_url("https://xn--caf-dma.fr/programme"));
    assert!(is_web_url("http://127.0.0.1:8080/"));
    assert!(!is_web_url("https://café.fr/"));
    assert!(!is_web_url("ftp://x.org/"));
    assert!(!is_web_url("www.itu.int"));
}

#[test]
fn each_error_belongs_to_the_form_field_its_path_names() {
    let mut r = record(Kind::Partnership);
    r.languages = vec!["français".into(), "en".into()];
    r.partnership = Some(PartnershipDetails {
        partners: vec!["ITU".into(), "ONG\nLien".into()],
        objectives: "Connecter 100 écoles".into(),
        expected_results: "Des résultats".into(),
        timeline: "2025-2027".into(),
        funding: Funding::None,
        agreement: AgreementType::Mou,
        ..Default::default()
    });
    let fields: Vec<String> = validate_record(&r, catalogue())
        .iter()
        .map(FieldError::form_field)
        .collect();
    assert!(fields.contains(&"languages".to_owned()), "{fields:?}");
    assert!(
        fields.contains(&"partnership.partners".to_owned()),
        "{fields:?}"
    );
    let nested = FieldError {
        field: "records[2].event.ends_on".into(),
        code: ErrorCode::EndBeforeStart,
        limit: None,
    };
    assert_eq!(nested.form_field(), "records.event.ends_on");
}

#[test]
fn a_new_profile_is_incomplete_until_group_and_region_are_chosen() {
    let mut profile = AuthorProfile::new_draft("awa".into());
    profile.display_name = "Awa".into();
    let fields = |p: &AuthorProfile| -> Vec<String> {
        validate_profile(p).into_iter().map(|e| e.field).collect()
    };
    assert_eq!(fields(&profile), ["stakeholder_group", "region"]);
    profile.choose("region");
    assert_eq!(fields(&profile), ["stakeholder_group"]);
    profile.choose("stakeholder_group");
    assert!(fields(&profile).is_empty());
    assert!(
        !serde_json::to_string(&profile)
            .unwrap()
            .contains(crate::record::UNCHOSEN_FIELD),
        "a complete profile carries no marker"
    );
}
