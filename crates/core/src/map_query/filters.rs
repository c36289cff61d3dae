//! The map's filters (`group`, `region`, `kind`, `sdg`, `from`, `to`, `ready`, `confirmed`),
//! shared by the map, its exports and the printable report.

use crate::catalogue::{Catalogue, Sdg};
use crate::merge::Community;
use crate::readiness::{author_group, ready_to_announce};
use crate::record::{code, AuthorProfile, Kind, Record, Region, StakeholderGroup};

fn from_code<T: Copy + serde::Serialize>(all: &[T], text: &str) -> Option<T> {
    all.iter().copied().find(|v| code(v) == text)
}

/// An ISO date (`YYYY-MM-DD`) or nothing: the filters compare dates as text, which only holds
/// for this one spelling.
fn iso_date(text: &str) -> Option<String> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .is_ok()
    .then(|| text.to_owned())
}

/// A year of four digits: one spelling, so an address has one form, and no year a record
/// could carry is left out.
fn year(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewFilters {
    pub group: Option<StakeholderGroup>,
    pub region: Option<Region>,
    pub kind: Option<Kind>,
    /// A Sustainable Development Goal (1–17): the records whose topics lead to it.
    pub sdg: Option<u8>,
    /// Events ending before this day are hidden (other kinds are not dated).
    pub from: Option<String>,
    /// Events starting after this day are hidden.
    pub to: Option<String>,
    /// Only partnerships meeting seed 000's seven principles (`ready=1`).
    pub ready: bool,
    /// Only records confirmed (or edited) in this year or later: the core has no clock, so
    /// "confirmed this year" is the app passing the current year.
    pub confirmed: Option<i32>,
}

impl ViewFilters {
    /// The filters among decoded address pairs: other keys and invalid values are ignored, and
    /// the last value of a repeated key decides (as the router's `get` does).
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ViewFilters {
        let mut filters = ViewFilters::default();
        for (key, value) in pairs {
            filters.set(key, value);
        }
        filters
    }

    /// Takes one address pair (an empty or invalid value clears that filter); false when the
    /// key is not a filter's. The map's controls set their filter through this too, so a
    /// choice is checked by the same rules as an address.
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        match key {
            "group" => self.group = from_code(&StakeholderGroup::ALL, value),
            "region" => self.region = from_code(&Region::ALL, value),
            "kind" => self.kind = from_code(&Kind::ALL, value),
            "sdg" => self.sdg = value.parse().ok().filter(|n| Sdg::get(*n).is_some()),
            "from" => self.from = iso_date(value),
            "to" => self.to = iso_date(value),
            "ready" => self.ready = value == "1",
            "confirmed" => self.confirmed = year(value),
            _ => return false,
        }
        true
    }

    /// One filter's value as the address writes it, `None` when it is not set.
    pub fn get(&self, key: &str) -> Option<String> {
        self.pairs()
            .into_iter()
            .find_map(|(k, value)| (k == key).then_some(value))
    }

    /// The set filters as address pairs, unencoded.
    pub(super) fn pairs(&self) -> Vec<(&'static str, String)> {
        let pairs = [
            ("group", self.group.as_ref().map(code)),
            ("region", self.region.as_ref().map(code)),
            ("kind", self.kind.as_ref().map(code)),
            ("sdg", self.sdg.map(|n| n.to_string())),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("ready", self.ready.then(|| "1".to_owned())),
            ("confirmed", self.confirmed.map(|y| format!("{y:04}"))),
        ];
        pairs
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        *self == ViewFilters::default()
    }

    pub fn keeps_author(&self, author: &AuthorProfile) -> bool {
        self.group.is_none_or(|g| author.stakeholder_group == g)
            && self.region.is_none_or(|r| author.region == r)
    }

    /// The record rules without the record's author. `ready` needs the author's group (their
    /// organisation is one of the partners), so here a partnership is judged as if its author
    /// added no group: nothing unready passes, but a ready one may not. Use
    /// [`ViewFilters::keeps_record_of`] or [`ViewFilters::apply`] where the author is known.
    pub fn keeps_record(&self, record: &Record) -> bool {
        self.keeps(None, record)
    }

    pub fn keeps_record_of(&self, author: &AuthorProfile, record: &Record) -> bool {
        self.keeps(Some(author), record)
    }

    /// The part of `community` that passes every filter.
    pub fn apply(&self, community: &Community) -> Community {
        community.filtered_with_author(|a| self.keeps_author(a), |a, r| self.keeps_record_of(a, r))
    }

    fn keeps(&self, author: Option<&AuthorProfile>, record: &Record) -> bool {
        if self.kind.is_some_and(|k| record.kind != k) {
            return false;
        }
        if self.ready && !ready_to_announce(record, author.and_then(author_group)) {
            return false;
        }
        if self
            .confirmed
            .is_some_and(|y| record.last_confirmed().year() < y)
        {
            return false;
        }
        if let Some(sdg) = self.sdg {
            if !Catalogue::wsis()
                .sdgs_of_topics(&record.topics)
                .contains(&sdg)
            {
                return false;
            }
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
            self.sdg.map(|n| format!("sdg-{n}")),
            self.from.as_ref().map(|d| format!("from-{d}")),
            self.to.as_ref().map(|d| format!("to-{d}")),
            self.ready.then(|| "ready".to_owned()),
            self.confirmed.map(|y| format!("confirmed-{y:04}")),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join("-")
    }
}

#[cfg(test)]
mod tests;
