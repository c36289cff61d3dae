//! What participants register: their profile and their resources.
//!
//! Every struct keeps the fields it does not know in `extra`, so a bundle written by a newer
//! app survives a round trip through an older one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

mod event;
mod partnership;

pub use event::{EventDetails, EventFormat};
pub use partnership::{AgreementType, Domain, Funding, PartnershipDetails, ValueAdded};

pub type Extra = Map<String, Value>;

/// The snake_case code an enum value has in bundles (`civil_society`), for exports, file names
/// and addresses: one spelling everywhere.
pub fn code(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The five stakeholder groups of the summit (seed 004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StakeholderGroup {
    Government,
    PrivateSector,
    CivilSociety,
    AcademicTechnical,
    InternationalOrganisation,
}

impl StakeholderGroup {
    pub const ALL: [StakeholderGroup; 5] = [
        StakeholderGroup::Government,
        StakeholderGroup::PrivateSector,
        StakeholderGroup::CivilSociety,
        StakeholderGroup::AcademicTechnical,
        StakeholderGroup::InternationalOrganisation,
    ];
}

/// The regions of the summit's regional meetings (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Africa,
    Americas,
    ArabStates,
    AsiaPacific,
    Cis,
    Europe,
    World,
}

impl Region {
    pub const ALL: [Region; 7] = [
        Region::Africa,
        Region::Americas,
        Region::ArabStates,
        Region::AsiaPacific,
        Region::Cis,
        Region::Europe,
        Region::World,
    ];
}

/// Who publishes a bundle. `id` is made by the author's browser and names the bundle file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorProfile {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub organisation: String,
    pub stakeholder_group: StakeholderGroup,
    #[serde(default)]
    pub country: String,
    pub region: Region,
    /// A public e-mail address or web page, shown to other participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Member of a draft profile's `extra` (never of a published one: such a profile is
/// incomplete) naming the choices the participant has not made yet: `stakeholder_group`,
/// `region`. The enums need a value, and a preset one would pass for the participant's answer.
pub const UNCHOSEN_FIELD: &str = "networkshop_unchosen";

impl AuthorProfile {
    /// A new participant's profile: nothing typed, group and region not chosen yet.
    pub fn new_draft(id: String) -> AuthorProfile {
        let mut extra = Extra::new();
        extra.insert(
            UNCHOSEN_FIELD.to_owned(),
            Value::from(vec!["stakeholder_group", "region"]),
        );
        AuthorProfile {
            id,
            display_name: String::new(),
            organisation: String::new(),
            stakeholder_group: StakeholderGroup::CivilSociety,
            country: String::new(),
            region: Region::World,
            contact: None,
            extra,
        }
    }

    /// Whether the participant has chosen `field` (profiles without the marker have chosen
    /// everything: they come from earlier builds or from published bundles).
    pub fn has_chosen(&self, field: &str) -> bool {
        !self
            .extra
            .get(UNCHOSEN_FIELD)
            .and_then(Value::as_array)
            .is_some_and(|unchosen| unchosen.iter().any(|f| f.as_str() == Some(field)))
    }

    /// Records that the participant chose `field`; the marker goes once nothing is left.
    pub fn choose(&mut self, field: &str) {
        let Some(Value::Array(unchosen)) = self.extra.get_mut(UNCHOSEN_FIELD) else {
            return;
        };
        unchosen.retain(|f| f.as_str() != Some(field));
        if unchosen.is_empty() {
            self.extra.remove(UNCHOSEN_FIELD);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A network or working group the author set up or belongs to.
    Network,
    Event,
    Document,
    Project,
    Partnership,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Network,
        Kind::Event,
        Kind::Document,
        Kind::Project,
        Kind::Partnership,
    ];

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DocumentDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One resource. `(revision, updated_at, author)` orders the versions of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: Uuid,
    pub kind: Kind,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub topics: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub revision: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub author: String,
    /// A tombstone: the record was deleted and must disappear from every view that merges it.
    #[serde(default)]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partnership: Option<PartnershipDetails>,
    /// When the author last said the record is still current ("still current" in the app);
    /// absent, the record counts as confirmed when it was last updated (`last_confirmed`).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub confirmed_at: Option<OffsetDateTime>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Record {
    /// The order of versions of one record: later revision wins, then later update, then author.
    pub fn version_key(&self) -> (u64, OffsetDateTime, &str) {
        (self.revision, self.updated_at, &self.author)
    }

    /// The last time the author vouched for the record: a "still current" or an edit.
    pub fn last_confirmed(&self) -> OffsetDateTime {
        self.confirmed_at
            .map_or(self.updated_at, |at| at.max(self.updated_at))
    }
}
