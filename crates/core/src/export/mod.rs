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
use crate::readiness::{author_group, checklist};
use crate::record::{code, AuthorProfile, Kind, PartnershipDetails, Record};

pub use calendar::to_icalendar;
pub use citations::to_csl_json;
pub use collection::{parse_collection, to_collection, Collection, COLLECTION_FORMAT};
pub use graph::to_gexf;
pub use linked_data::to_json_ld;
pub use report::{
    inventory_report, speaker_totals, ActionLineReport, InventoryReport, SpeakerTotals,
};
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

/// Whether a partnership is ready to be announced (seed 000), `None` for other records: the
/// exports' `ready_to_announce`, the author's group counted as a partner's.
fn ready(author: &AuthorProfile, record: &Record) -> Option<bool> {
    checklist(record, author_group(author)).map(|c| c.ready_to_announce())
}

/// Enum values as their codes, in order.
fn codes<T: serde::Serialize>(values: &[T]) -> Vec<String> {
    values.iter().map(code).collect()
}

/// A partnership's partners, each followed by its stakeholder group's code when given:
/// `Ministère (government)`.
fn partners_with_groups(details: &PartnershipDetails) -> Vec<String> {
    details
        .partner_rows()
        .into_iter()
        .map(|(name, group)| match group {
            Some(group) => format!("{name} ({})", code(&group)),
            None => name,
        })
        .collect()
}

/// Fixed small views used by every format's tests.
#[cfg(test)]
pub(crate) mod sample;
