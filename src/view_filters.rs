//! The map's filters as the address carries them (`group`, `region`, `kind`, `from`, `to`),
//! shared by the map, its exports and the printable report.

use leptos_router::params::ParamsMap;
use networkshop_core::record::{AuthorProfile, Kind, Record, Region, StakeholderGroup};

pub use networkshop_core::record::code;

fn from_code<T: Copy + serde::Serialize>(all: &[T], text: &str) -> Option<T> {
    all.iter().copied().find(|v| code(v) == text)
}

/// An ISO date (`YYYY-MM-DD`) or nothing; anything else in the address is ignored.
fn iso_date(text: Option<String>) -> Option<String> {
    text.filter(|t| {
        time::Date::parse(t, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
    })
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub group: Option<StakeholderGroup>,
    pub region: Option<Region>,
    pub kind: Option<Kind>,
    /// Events ending before this day are hidden (other kinds are not dated).
    pub from: Option<String>,
    /// Events starting after this day are hidden.
    pub to: Option<String>,
}

impl Filters {
    pub fn from_query(query: &ParamsMap) -> Filters {
        let get = |key: &str| query.get(key).unwrap_or_default();
        Filters {
            group: from_code(&StakeholderGroup::ALL, &get("group")),
            region: from_code(&Region::ALL, &get("region")),
            kind: from_code(&Kind::ALL, &get("kind")),
            from: iso_date(query.get("from")),
            to: iso_date(query.get("to")),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    pub fn keeps_author(&self, author: &AuthorProfile) -> bool {
        self.group.is_none_or(|g| author.stakeholder_group == g)
            && self.region.is_none_or(|r| author.region == r)
    }

    pub fn keeps_record(&self, record: &Record) -> bool {
        if self.kind.is_some_and(|k| record.kind != k) {
            return false;
        }
        let Some(event) = &record.event else {
            return true;
        };
        // ISO dates compare as text.
        self.from.as_ref().is_none_or(|from| event.ends_on >= *from)
            && self.to.as_ref().is_none_or(|to| event.starts_on <= *to)
    }

    /// The filters in an export's file name, e.g. `civil_society-africa`, empty when none.
    pub fn file_suffix(&self) -> String {
        let parts = [
            self.group.as_ref().map(code),
            self.region.as_ref().map(code),
            self.kind.as_ref().map(code),
            self.from.as_ref().map(|d| format!("from-{d}")),
            self.to.as_ref().map(|d| format!("to-{d}")),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join("-")
    }
}
