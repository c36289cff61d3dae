//! The map's address state: what the facilitator's map shows, read from and written to its
//! query string in one place, so that a link, a reload and the projector show the same map.
//!
//! Reading forgives (an invalid value is as if absent, an unknown key is ignored) because
//! addresses are typed, pasted and shortened by hand; writing is canonical (sorted keys,
//! defaults omitted), so one map state has one address.

mod filtered;
pub use filtered::{follow_live, FilteredBuild};
mod filters;
pub use filters::ViewFilters;

use std::fmt::Write;

use crate::catalogue::Catalogue;

/// Below this the projector's tour changes topic before the room can read it.
pub const MIN_TOUR_EVERY: u64 = 3;
/// Below this a new contribution's mark is gone before anyone looks up.
pub const MIN_FADE: u64 = 5;
/// The charts the map can show one at a time in the picture's place (`chart=1` to `chart=5`,
/// in the order of `map::charts::Charts`).
pub const CHARTS: u8 = 5;
/// An author id is made by a browser; anything longer is not one.
const MAX_ACTOR_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub struct MapQuery {
    /// Catalogue granularity shown, 1..=3.
    pub depth: u8,
    /// The open topic, only an id the catalogue contains.
    pub topic: Option<String>,
    /// The highlighted author id.
    pub actor: Option<String>,
    pub filters: ViewFilters,
    /// The picture and table by Sustainable Development Goal instead of by action line
    /// (`view=sdg`).
    pub by_sdg: bool,
    /// One chart in the picture's place, big enough for the back of the hall (`chart=N`).
    pub chart: Option<u8>,
    pub projector: bool,
    pub tour: bool,
    /// Seconds between the tour's topics.
    pub tour_every: Option<u64>,
    /// Seconds new contributions stay marked.
    pub fade: Option<u64>,
}

impl Default for MapQuery {
    fn default() -> MapQuery {
        MapQuery {
            depth: 1,
            topic: None,
            actor: None,
            filters: ViewFilters::default(),
            by_sdg: false,
            chart: None,
            projector: false,
            tour: false,
            tour_every: None,
            fade: None,
        }
    }
}

fn seconds_at_least(text: &str, min: u64) -> Option<u64> {
    text.parse().ok().filter(|s| *s >= min)
}

fn flag(on: bool) -> Option<String> {
    on.then(|| "1".to_owned())
}

impl MapQuery {
    /// The state in decoded address pairs, as a router gives them.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        catalogue: &Catalogue,
    ) -> MapQuery {
        let mut query = MapQuery::default();
        for (key, value) in pairs {
            match key {
                "depth" => {
                    query.depth = value
                        .parse()
                        .ok()
                        .filter(|d| (1..=3).contains(d))
                        .unwrap_or(1)
                }
                "topic" => {
                    query.topic = catalogue.contains(value).then(|| value.to_owned());
                }
                "actor" => {
                    let fits = !value.is_empty() && value.chars().count() <= MAX_ACTOR_CHARS;
                    query.actor = fits.then(|| value.to_owned());
                }
                "view" => query.by_sdg = value == "sdg",
                "chart" => {
                    query.chart = value.parse().ok().filter(|n| (1..=CHARTS).contains(n));
                }
                "projector" => query.projector = value == "1",
                "tour" => query.tour = value == "1",
                "tour_every" => query.tour_every = seconds_at_least(value, MIN_TOUR_EVERY),
                "fade" => query.fade = seconds_at_least(value, MIN_FADE),
                _ => {
                    query.filters.set(key, value);
                }
            }
        }
        query
    }

    /// The query string, without `?`.
    pub fn to_search(&self) -> String {
        let mut pairs = self.filters.pairs();
        let others = [
            ("depth", (self.depth != 1).then(|| self.depth.to_string())),
            ("topic", self.topic.clone()),
            ("actor", self.actor.clone()),
            ("view", self.by_sdg.then(|| "sdg".to_owned())),
            ("chart", self.chart.map(|n| n.to_string())),
            ("projector", flag(self.projector)),
            ("tour", flag(self.tour)),
            ("tour_every", self.tour_every.map(|s| s.to_string())),
            ("fade", self.fade.map(|s| s.to_string())),
        ];
        pairs.extend(
            others
                .into_iter()
                .filter_map(|(key, value)| Some((key, value?))),
        );
        search(pairs)
    }

    /// The filters alone, for the printable report's address (`/report?...`).
    pub fn report_search(&self) -> String {
        search(self.filters.pairs())
    }

    /// What an export's file name says after `networkshop-DATE-`: the filters, then the open
    /// topic; empty when neither.
    pub fn export_name(&self) -> String {
        let suffix = self.filters.file_suffix();
        [suffix.as_str(), self.topic.as_deref().unwrap_or_default()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }
}

fn search(mut pairs: Vec<(&'static str, String)>) -> String {
    pairs.sort_by_key(|(key, _)| *key);
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        encode_into(&mut out, &value);
    }
    out
}

/// Percent-encodes all but the unreserved characters of RFC 3986: safe in any part of an
/// address, whatever decoder reads it (`+` stays `%2B`, never a space).
fn encode_into(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests;
