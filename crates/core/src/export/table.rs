//! CSV, one row per resource (RFC 4180: quoted as needed, CRLF line ends, UTF-8 with a BOM), in
//! the dialect the user's spreadsheet program reads: a French-locale Excel takes the comma for
//! the decimal separator and splits rows on semicolons, so French files use `;`.

use super::{code, entries, rfc3339, topic_titles, ExportContext};
use crate::catalogue::Lang;
use crate::merge::Community;

/// English headers, one per column: the dialect of [`CsvDialect::English`].
pub const CSV_HEADERS: [&str; 21] = [
    "id",
    "kind",
    "title",
    "description",
    "topics",
    "topic_titles",
    "action_lines",
    "sdgs",
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

/// French headers, the same columns in the same order as [`CSV_HEADERS`].
pub const CSV_HEADERS_FR: [&str; 21] = [
    "identifiant",
    "type",
    "titre",
    "description",
    "thèmes",
    "intitulés des thèmes",
    "grandes orientations",
    "ODD",
    "identifiant de l'auteur",
    "auteur",
    "organisation",
    "groupe de parties prenantes",
    "pays",
    "région",
    "adresse web",
    "langues",
    "début",
    "fin",
    "fuseau horaire",
    "lieu",
    "mis à jour le",
];

/// Separator and headers a spreadsheet program of one language expects. Cell values (codes,
/// dates, topic ids) are the same in every dialect; topic titles follow [`ExportContext::lang`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CsvDialect {
    /// Commas, English headers.
    English,
    /// Semicolons, French headers.
    French,
}

impl CsvDialect {
    /// The dialect of an interface language: what [`super::Format::render`] uses.
    pub fn of(lang: Lang) -> Self {
        match lang {
            Lang::Fr => CsvDialect::French,
            Lang::En => CsvDialect::English,
        }
    }

    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::English => b',',
            CsvDialect::French => b';',
        }
    }

    pub fn headers(self) -> &'static [&'static str; 21] {
        match self {
            CsvDialect::English => &CSV_HEADERS,
            CsvDialect::French => &CSV_HEADERS_FR,
        }
    }
}

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

pub fn to_csv(community: &Community, context: &ExportContext, dialect: CsvDialect) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let written = (|| -> csv::Result<()> {
        writer.write_record(dialect.headers())?;
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
                context
                    .catalogue
                    .sdgs_of_topics(&record.topics)
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
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
mod tests;
