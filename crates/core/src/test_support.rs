//! Builders shared by this crate's unit tests.

use time::macros::datetime;
use uuid::Uuid;

use crate::record::{AuthorProfile, Kind, Record, Region, StakeholderGroup};

pub fn profile(id: &str, group: StakeholderGroup, region: Region) -> AuthorProfile {
    AuthorProfile {
        id: id.into(),
        display_name: id.into(),
        organisation: String::new(),
        stakeholder_group: group,
        country: String::new(),
        region,
        contact: None,
        extra: Default::default(),
    }
}

/// A valid revision-1 record titled `r{id}`; tests override what they exercise.
pub fn record(id: u128, author: &str, kind: Kind, topics: &[&str]) -> Record {
    Record {
        id: Uuid::from_u128(id),
        kind,
        title: format!("r{id}"),
        description: String::new(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        languages: vec![],
        revision: 1,
        updated_at: datetime!(2005-01-01 10:00 UTC),
        author: author.into(),
        deleted: false,
        url: None,
        event: None,
        document: None,
        partnership: None,
        extra: Default::default(),
        confirmed_at: None,
    }
}
