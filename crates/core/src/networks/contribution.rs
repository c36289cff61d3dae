//! What one record adds to the networks index.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::catalogue::Catalogue;
use crate::record::{Kind, Record};

/// What one visible record adds to the index; kept so that it can be taken out again. Topic
/// ids are the catalogue's own (`'static`): 200,000 records index without a string copy per
/// topic; the lists are shared, so the index of a filtered view takes a record's
/// contribution from the whole view's index for a count, not a copy. The author is the record
/// key's.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Contribution {
    pub(super) kind: Kind,
    pub(super) last_confirmed: OffsetDateTime,
    /// The topics the record is tagged with.
    pub(super) tagged: Arc<[&'static str]>,
    /// Those topics and all their ancestors, each once.
    pub(super) rolled: Arc<[&'static str]>,
}

impl Contribution {
    pub(super) fn of(record: &Record, catalogue: &'static Catalogue) -> Contribution {
        let tagged: Vec<&'static str> = record
            .topics
            .iter()
            .filter_map(|t| catalogue.get(t))
            .map(|t| t.id.as_str())
            .collect();
        let mut rolled: Vec<&'static str> = tagged
            .iter()
            .flat_map(|t| catalogue.lineage(t))
            .map(|t| t.id.as_str())
            .collect();
        rolled.sort_unstable();
        rolled.dedup();
        Contribution {
            kind: record.kind,
            last_confirmed: record.last_confirmed(),
            rolled: rolled.into(),
            tagged: tagged.into(),
        }
    }
}
