//! The optional details: a partnership's database fields, an event's speakers, the date a record
//! was last confirmed.

use std::collections::BTreeMap;

use time::macros::datetime;

use super::tests::{catalogue, codes, record};
use super::*;
use crate::record::{
    AgreementType, Domain, EventDetails, EventFormat, Funding, Kind, PartnershipDetails, Region,
    StakeholderGroup, ValueAdded,
};

/// A partnership using every optional field, valid.
fn partnership() -> PartnershipDetails {
    PartnershipDetails {
        partners: vec!["UIT".into(), "ONG Lien".into()],
        objectives: "Connecter 200 écoles".into(),
        funding: Funding::Secured,
        agreement: AgreementType::CooperationAgreement,
        partner_groups: BTreeMap::from([
            ("UIT".into(), StakeholderGroup::InternationalOrganisation),
            ("ONG Lien".into(), StakeholderGroup::CivilSociety),
        ]),
        signatories: vec!["Awa Ndiaye".into()],
        in_force_on: Some("2005-11-18".into()),
        ends_on: Some("2007-12-31".into()),
        amount: Some(250_000),
        currency: Some("XOF".into()),
        funding_sources: "Fonds de solidarité numérique\n\tBudget national".into(),
        beneficiary_regions: vec![Region::Africa, Region::ArabStates],
        domains: vec![Domain::CapacityBuilding, Domain::DigitalInclusion],
        value_added: vec![ValueAdded::New, ValueAdded::AnotherRegion],
        voluntary_declaration: true,
        ..Default::default()
    }
}

fn partnership_errors(details: PartnershipDetails) -> Vec<(String, ErrorCode)> {
    let mut r = record(Kind::Partnership);
    r.partnership = Some(details);
    codes(&validate_record(&r, catalogue()))
}

type Case = (
    &'static str,
    fn(&mut PartnershipDetails),
    &'static [(&'static str, ErrorCode)],
);

const PARTNERSHIP_CASES: &[Case] = &[
    ("every field, well filled", |_| {}, &[]),
    (
        "a group for a name no longer among the partners",
        |p| {
            p.partners.pop();
        },
        &[("partnership.partner_groups", ErrorCode::UnknownPartner)],
    ),
    (
        "two stray groups, one error",
        |p| p.partners = vec!["Autre".into()],
        &[("partnership.partner_groups", ErrorCode::UnknownPartner)],
    ),
    (
        "the form's renaming drops the group with the name",
        |p| p.set_partners(vec!["UIT".into()]),
        &[],
    ),
    (
        "a blank signatory",
        |p| p.signatories.push("  ".into()),
        &[("partnership.signatories[1]", ErrorCode::Required)],
    ),
    (
        "a signatory on two lines",
        |p| p.signatories[0] = "Awa\nNdiaye".into(),
        &[("partnership.signatories[0]", ErrorCode::ControlCharacter)],
    ),
    (
        "an overlong signatory",
        |p| p.signatories[0] = "a".repeat(MAX_SHORT_TEXT_CHARS + 1),
        &[("partnership.signatories[0]", ErrorCode::TooLong)],
    ),
    (
        "too many signatories",
        |p| p.signatories = vec!["Awa".into(); MAX_PARTNERS + 1],
        &[("partnership.signatories", ErrorCode::TooMany)],
    ),
    (
        "an end before the entry into force",
        |p| p.ends_on = Some("2005-11-17".into()),
        &[("partnership.ends_on", ErrorCode::EndBeforeStart)],
    ),
    (
        "a date not in ISO form",
        |p| p.in_force_on = Some("18/11/2005".into()),
        &[("partnership.in_force_on", ErrorCode::InvalidDate)],
    ),
    (
        "a year out of range, and no order to judge",
        |p| p.ends_on = Some("2205-01-01".into()),
        &[("partnership.ends_on", ErrorCode::DateOutOfRange)],
    ),
    (
        "cleared or absent dates say nothing",
        |p| {
            p.in_force_on = Some(" ".into());
            p.ends_on = None;
        },
        &[],
    ),
    (
        "an amount without its currency",
        |p| p.currency = None,
        &[("partnership.currency", ErrorCode::Required)],
    ),
    (
        "an amount with a cleared currency",
        |p| p.currency = Some(String::new()),
        &[("partnership.currency", ErrorCode::Required)],
    ),
    (
        "a currency in lower case",
        |p| p.currency = Some("xof".into()),
        &[("partnership.currency", ErrorCode::InvalidCurrency)],
    ),
    (
        "a currency's name, not its code",
        |p| p.currency = Some("EURO".into()),
        &[("partnership.currency", ErrorCode::InvalidCurrency)],
    ),
    (
        "a currency sign, three bytes long",
        |p| p.currency = Some("€".into()),
        &[("partnership.currency", ErrorCode::InvalidCurrency)],
    ),
    ("a currency without an amount", |p| p.amount = None, &[]),
    ("the largest amount", |p| p.amount = Some(MAX_AMOUNT), &[]),
    (
        "an amount past the largest",
        |p| p.amount = Some(MAX_AMOUNT + 1),
        &[("partnership.amount", ErrorCode::OutOfRange)],
    ),
    (
        "funding sources with an invisible character",
        |p| p.funding_sources = "Fonds\u{0}".into(),
        &[("partnership.funding_sources", ErrorCode::ControlCharacter)],
    ),
    (
        "funding sources too long",
        |p| p.funding_sources = "a".repeat(MAX_DESCRIPTION_CHARS + 1),
        &[("partnership.funding_sources", ErrorCode::TooLong)],
    ),
    (
        "a region twice",
        |p| p.beneficiary_regions.push(Region::Africa),
        &[(
            "partnership.beneficiary_regions[2]",
            ErrorCode::DuplicateValue,
        )],
    ),
    (
        "a domain twice",
        |p| p.domains.insert(1, Domain::CapacityBuilding),
        &[("partnership.domains[1]", ErrorCode::DuplicateValue)],
    ),
    (
        "a value added twice",
        |p| p.value_added.push(ValueAdded::New),
        &[("partnership.value_added[2]", ErrorCode::DuplicateValue)],
    ),
    (
        "an older partnership without any of these fields",
        |p| {
            *p = PartnershipDetails {
                partners: vec!["UIT".into()],
                ..Default::default()
            }
        },
        &[],
    ),
];

#[test]
fn partnership_details_table() {
    for (case, change, want) in PARTNERSHIP_CASES {
        let mut details = partnership();
        change(&mut details);
        let want: Vec<(String, ErrorCode)> =
            want.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect();
        assert_eq!(partnership_errors(details), want, "{case}");
    }
}

#[test]
fn too_many_signatories_says_how_many_may_sign() {
    let mut r = record(Kind::Partnership);
    let mut details = partnership();
    details.signatories = vec!["Awa".into(); MAX_PARTNERS + 1];
    r.partnership = Some(details);
    let errors = validate_record(&r, catalogue());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].limit, Some(MAX_PARTNERS));
    assert_eq!(errors[0].form_field(), "partnership.signatories");
}

#[test]
fn speakers_and_format_of_an_event() {
    let event = |women, men| EventDetails {
        starts_on: "2005-11-16".into(),
        ends_on: "2005-11-18".into(),
        time_zone: "Africa/Tunis".into(),
        format: Some(EventFormat::ThematicWorkshop),
        speakers_women: women,
        speakers_men: men,
        ..Default::default()
    };
    let cases: [(Option<u32>, Option<u32>, &[&str]); 5] = [
        (None, None, &[]),
        (Some(0), Some(MAX_SPEAKERS), &[]),
        (Some(MAX_SPEAKERS + 1), Some(3), &["event.speakers_women"]),
        (Some(3), Some(u32::MAX), &["event.speakers_men"]),
        (
            Some(MAX_SPEAKERS + 1),
            Some(MAX_SPEAKERS + 1),
            &["event.speakers_women", "event.speakers_men"],
        ),
    ];
    for (women, men, fields) in cases {
        let mut r = record(Kind::Event);
        r.event = Some(event(women, men));
        let want: Vec<(String, ErrorCode)> = fields
            .iter()
            .map(|f| ((*f).to_owned(), ErrorCode::OutOfRange))
            .collect();
        assert_eq!(
            codes(&validate_record(&r, catalogue())),
            want,
            "{women:?} {men:?}"
        );
    }
}

#[test]
fn confirmation_dates_are_sane_years_like_updates() {
    let cases = [
        (None, true),
        (Some(datetime!(2025-06-30 18:00 UTC)), true),
        (Some(datetime!(1999-12-31 23:59 UTC)), false),
        (Some(datetime!(2101-01-01 00:00 UTC)), false),
    ];
    for deleted in [false, true] {
        for (at, valid) in cases {
            let mut r = record(Kind::Network);
            r.deleted = deleted;
            r.confirmed_at = at;
            let want = if valid {
                vec![]
            } else {
                vec![("confirmed_at".to_owned(), ErrorCode::DateOutOfRange)]
            };
            assert_eq!(
                codes(&validate_record(&r, catalogue())),
                want,
                "{at:?} {deleted}"
            );
        }
    }
}

#[test]
fn the_new_codes_are_snake_case() {
    for (code, spelled) in [
        (ErrorCode::UnknownPartner, "unknown_partner"),
        (ErrorCode::InvalidCurrency, "invalid_currency"),
        (ErrorCode::OutOfRange, "out_of_range"),
        (ErrorCode::DuplicateValue, "duplicate_value"),
    ] {
        assert_eq!(serde_json::to_value(code).unwrap(), spelled);
    }
}
