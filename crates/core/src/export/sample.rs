use super::*;
use crate::bundle::Bundle;
use crate::record::{
    AgreementType, DocumentDetails, Domain, EventDetails, EventFormat, Funding, PartnershipDetails,
    Region, StakeholderGroup, ValueAdded,
};
use crate::test_support::{profile, record};
use time::macros::datetime;

pub fn context() -> ExportContext<'static> {
    ExportContext {
        catalogue: Catalogue::wsis(),
        lang: Lang::Fr,
        generated_at: datetime!(2005-11-10 09:30 UTC),
    }
}

/// Two authors, five records, none of the optional fields of events and partnerships: the
/// inventory report's tests count on that.
pub fn community() -> Community {
    build(false)
}

/// The same five records with every optional field given: an event's format and speakers, a
/// document confirmed after its last edit, and a partnership that meets seed 000's seven
/// principles (a government author and a civil-society partner), with seed 003's fields.
pub fn detailed() -> Community {
    build(true)
}

fn build(detailed: bool) -> Community {
    let mut amina = profile("amina", StakeholderGroup::CivilSociety, Region::Africa);
    amina.display_name = "Amina Diallo".into();
    amina.organisation = "Réseau \"Femmes, TIC\"; Dakar".into();
    amina.country = "SN".into();
    let mut event = record(1, "amina", Kind::Event, &["C4", "C7.e-health"]);
    event.title = "Atelier régional: e-santé, formation".into();
    event.description = "Deux jours\nà Tunis; ouvert à tous, gratuit".into();
    event.url = Some("https://example.org/atelier?x=1&y=2".into());
    event.event = Some(EventDetails {
        starts_on: "2005-11-16".into(),
        ends_on: "2005-11-18".into(),
        time_zone: "Africa/Tunis".into(),
        place: Some("Kram, Tunis".into()),
        online_url: None,
        ..Default::default()
    });
    let mut document = record(2, "amina", Kind::Document, &["C4"]);
    document.title = "Guide de la formation à distance".into();
    document.languages = vec!["fr".into()];
    document.document = Some(DocumentDetails {
        language: Some("fr".into()),
        year: Some(2004),
        extra: Default::default(),
    });
    let mut formula = record(3, "amina", Kind::Project, &["C4"]);
    formula.title = "=HYPERLINK(\"http://evil\")".into();

    let mut jean = profile("jean", StakeholderGroup::Government, Region::Europe);
    jean.display_name = "Jean Müller".into();
    let mut partnership = record(4, "jean", Kind::Partnership, &["C4", "C2"]);
    partnership.title = "Accord écoles connectées".into();
    partnership.partnership = Some(PartnershipDetails {
        partners: vec!["Ministère".into(), "ONG <Lien>".into()],
        objectives: "Connecter 100 écoles".into(),
        expected_results: String::new(),
        timeline: "2005–2007".into(),
        funding: Funding::Identified,
        agreement: AgreementType::Mou,
        ..Default::default()
    });
    let network = record(5, "jean", Kind::Network, &["C2"]);
    if detailed {
        add_details(&mut event, &mut document, &mut partnership);
    }

    let mut community = Community::new();
    let at = datetime!(2005-06-01 12:00 UTC);
    community.add_bundle(Bundle::new(amina, vec![event, document, formula], at));
    community.add_bundle(Bundle::new(jean, vec![partnership, network], at));
    community
}

fn add_details(event: &mut Record, document: &mut Record, partnership: &mut Record) {
    if let Some(details) = &mut event.event {
        details.format = Some(EventFormat::ThematicWorkshop);
        details.speakers_women = Some(3);
        details.speakers_men = Some(2);
    }
    document.confirmed_at = Some(datetime!(2005-10-01 08:00 UTC));
    if let Some(details) = &mut partnership.partnership {
        details.set_partner_group("Ministère", Some(StakeholderGroup::Government));
        details.set_partner_group("ONG <Lien>", Some(StakeholderGroup::CivilSociety));
        details.expected_results = "100 écoles connectées; 400 enseignants formés".into();
        details.funding = Funding::Secured;
        details.signatories = vec!["Jean Müller".into(), "Awa Ndiaye".into()];
        details.in_force_on = Some("2005-11-18".into());
        details.ends_on = Some("2007-12-31".into());
        details.amount = Some(5_500_000);
        details.currency = Some("EUR".into());
        details.funding_sources = "Union européenne, ministère".into();
        details.beneficiary_regions = vec![Region::Africa, Region::Europe];
        details.domains = vec![Domain::Infrastructure, Domain::CapacityBuilding];
        details.value_added = vec![ValueAdded::New, ValueAdded::AnotherRegion];
        details.voluntary_declaration = true;
    }
}

/// An iCalendar injection, a bare CR, a NUL, NEL (a C1 control), ESC, DEL and U+FFFE.
pub const HOSTILE: &str =
    "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rc\0d\u{85}e\u{1b}[2Jf\u{7f}g\u{fffe}h";

/// A view no validation saw, as merged from another file: [`HOSTILE`] in every text field
/// of two events, a document and a partnership.
pub fn hostile_community() -> Community {
    let mut author = profile("mallory", StakeholderGroup::CivilSociety, Region::World);
    author.display_name = HOSTILE.into();
    author.organisation = HOSTILE.into();
    author.country = HOSTILE.into();
    author.contact = Some(HOSTILE.into());
    let records = [Kind::Event, Kind::Event, Kind::Document, Kind::Partnership]
        .into_iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut r = record(11 + i as u128, "mallory", kind, &["C4"]);
            r.topics.push(HOSTILE.into());
            r.languages = vec![HOSTILE.into()];
            r.title = HOSTILE.into();
            r.description = HOSTILE.into();
            r.url = Some(format!("https://x.org/{HOSTILE}"));
            r.event = (kind == Kind::Event).then(|| EventDetails {
                starts_on: "2005-11-16".into(),
                ends_on: "2005-11-18".into(),
                time_zone: HOSTILE.into(),
                place: Some(HOSTILE.into()),
                // The second event has a clean link to fall back on.
                online_url: Some(
                    if i == 0 {
                        "https://x.org/\u{85}"
                    } else {
                        "https://x.org/live"
                    }
                    .into(),
                ),
                format: Some(EventFormat::Other),
                ..Default::default()
            });
            r.document = (kind == Kind::Document).then(|| DocumentDetails {
                language: Some(HOSTILE.into()),
                year: Some(2004),
                extra: Default::default(),
            });
            r.partnership = (kind == Kind::Partnership).then(|| PartnershipDetails {
                partners: vec![HOSTILE.into()],
                objectives: HOSTILE.into(),
                expected_results: HOSTILE.into(),
                timeline: HOSTILE.into(),
                funding: Funding::None,
                agreement: AgreementType::Mou,
                partner_groups: [(HOSTILE.to_owned(), StakeholderGroup::PrivateSector)].into(),
                signatories: vec![HOSTILE.into()],
                in_force_on: Some(HOSTILE.into()),
                ends_on: Some(HOSTILE.into()),
                currency: Some(HOSTILE.into()),
                funding_sources: HOSTILE.into(),
                ..Default::default()
            });
            r
        })
        .collect();
    let mut community = Community::new();
    community.add_bundle(Bundle::new(
        author,
        records,
        datetime!(2005-06-01 12:00 UTC),
    ));
    community
}
