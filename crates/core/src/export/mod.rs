//! Exports of a community view into the formats other tools read.
//!
//! Every function takes a [`Community`] (the whole view, a filtered map view or one
//! participant's own records merged alone) and returns the file's text: the app only names the
//! file and hands it to the browser. Records come out in one stable order, so exporting the
//! same view twice gives the same bytes.

pub mod calendar;
pub mod citations;
pub mod collection;
mod escape;
pub mod graph;
pub mod linked_data;
pub mod report;
pub mod table;

use time::OffsetDateTime;

use crate::catalogue::{Catalogue, Lang};
use crate::merge::Community;
use crate::record::{code, AuthorProfile, Kind, Record};

pub use calendar::to_icalendar;
pub use citations::to_csl_json;
pub use collection::{parse_collection, to_collection, Collection, COLLECTION_FORMAT};
pub use graph::to_gexf;
pub use linked_data::to_json_ld;
pub use report::{inventory_report, ActionLineReport, InventoryReport};
pub use table::{to_csv, CsvDialect};

/// What every export needs besides the records.
#[derive(Debug, Clone, Copy)]
pub struct ExportContext<'a> {
    pub catalogue: &'a Catalogue,
    /// Language of topic titles and headings, and the CSV's dialect in [`Format::render`].
    pub lang: Lang,
    /// Written into the files that carry a creation date (calendar stamps, collection header).
    pub generated_at: OffsetDateTime,
}

/// The formats, for menus and file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Json,
    ICalendar,
    CslJson,
    JsonLd,
    Gexf,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Csv,
        Format::Json,
        Format::ICalendar,
        Format::CslJson,
        Format::JsonLd,
        Format::Gexf,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::ICalendar => "ics",
            Format::CslJson => "csl.json",
            Format::JsonLd => "jsonld",
            Format::Gexf => "gexf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv;charset=utf-8",
            Format::Json | Format::CslJson => "application/json",
            Format::ICalendar => "text/calendar;charset=utf-8",
            Format::JsonLd => "application/ld+json",
            Format::Gexf => "application/gexf+xml",
        }
    }

    /// Formats that only carry some kinds: an export with none of them would be empty.
    pub fn kinds(self) -> Option<&'static [Kind]> {
        match self {
            Format::ICalendar => Some(&[Kind::Event]),
            Format::CslJson => Some(&[Kind::Document]),
            _ => None,
        }
    }

    pub fn render(self, community: &Community, context: &ExportContext) -> String {
        match self {
            Format::Csv => to_csv(community, context, CsvDialect::of(context.lang)),
            Format::Json => to_collection(community, context),
            Format::ICalendar => to_icalendar(community, context),
            Format::CslJson => to_csl_json(community, context),
            Format::JsonLd => to_json_ld(community, context),
            Format::Gexf => to_gexf(community, context),
        }
    }
}

/// Every visible record with its author, ordered by author, then kind, then title, then id.
fn entries(community: &Community) -> Vec<(&AuthorProfile, &Record)> {
    let mut entries: Vec<(&AuthorProfile, &Record)> = community
        .records()
        .filter_map(|r| Some((community.author(&r.author)?, r)))
        .collect();
    entries.sort_by(|(pa, a), (pb, b)| {
        (&pa.display_name, &pa.id, a.kind, &a.title, a.id).cmp(&(
            &pb.display_name,
            &pb.id,
            b.kind,
            &b.title,
            b.id,
        ))
    });
    entries
}

/// Topic titles of a record in catalogue language, unknown ids kept as they are.
fn topic_titles<'a>(record: &'a Record, context: &'a ExportContext) -> Vec<&'a str> {
    record
        .topics
        .iter()
        .map(|id| {
            context
                .catalogue
                .get(id)
                .map(|t| t.title(context.lang))
                .unwrap_or(id)
        })
        .collect()
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A fixed small view used by every format's tests.
#[cfg(test)]
pub(crate) mod sample {
    use super::*;
    use crate::bundle::Bundle;
    use crate::record::{
        AgreementType, DocumentDetails, EventDetails, Funding, PartnershipDetails, Region,
        StakeholderGroup,
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

    pub fn community() -> Community {
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

        let mut community = Community::new();
        let at = datetime!(2005-06-01 12:00 UTC);
        community.add_bundle(Bundle::new(amina, vec![event, document, formula], at));
        community.add_bundle(Bundle::new(jean, vec![partnership, network], at));
        community
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
}
