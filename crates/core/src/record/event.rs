//! What an event record says beyond the common fields: when, where, in what format, and who
//! spoke.

use serde::{Deserialize, Serialize};

use super::Extra;

/// The formats of the Forum's programme (seed 004) and of the meetings around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFormat {
    HighLevelPolicySession,
    ActionLineFacilitationMeeting,
    CountryWorkshop,
    ThematicWorkshop,
    Training,
    Hackathon,
    Exhibition,
    Networkshop,
    Other,
}

impl EventFormat {
    pub const ALL: [EventFormat; 9] = [
        EventFormat::HighLevelPolicySession,
        EventFormat::ActionLineFacilitationMeeting,
        EventFormat::CountryWorkshop,
        EventFormat::ThematicWorkshop,
        EventFormat::Training,
        EventFormat::Hackathon,
        EventFormat::Exhibition,
        EventFormat::Networkshop,
        EventFormat::Other,
    ];
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventDetails {
    /// ISO 8601 calendar dates, in the event's own time zone.
    pub starts_on: String,
    pub ends_on: String,
    /// IANA name ("Africa/Tunis") or "UTC".
    pub time_zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<EventFormat>,
    /// How many women and men speak, when the organisers say it: the Forum's invitation asks
    /// for a balanced programme, and the report totals these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_women: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speakers_men: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}
