//! CSV, one row per resource (RFC 4180: quoted as needed, CRLF line ends, UTF-8 with a BOM), in
//! the dialect the user's spreadsheet program reads: a French-locale Excel takes the comma for
//! the decimal separator and splits rows on semicolons, so French files use `;`.

mod columns;

use super::{entries, ExportContext};
use crate::catalogue::Lang;
use crate::merge::Community;
pub use columns::CSV_COLUMNS;
use columns::{headers, Row, COLUMNS};

/// English headers, one per column: the dialect of [`CsvDialect::English`].
pub const CSV_HEADERS: [&str; CSV_COLUMNS] = headers(false);

/// French headers, the same columns in the same order as [`CSV_HEADERS`].
pub const CSV_HEADERS_FR: [&str; CSV_COLUMNS] = headers(true);

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

    pub fn headers(self) -> &'static [&'static str; CSV_COLUMNS] {
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
            let row = Row {
                author,
                record,
                context,
            };
            writer.write_record(COLUMNS.iter().map(|column| inert(&(column.2)(&row))))?;
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
