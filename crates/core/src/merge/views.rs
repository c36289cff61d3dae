//! Views made from a community: the part that passes the map's filters, sharing its records,
//! and one bundle-shaped document per author.

use std::collections::BTreeMap;

use super::{Community, FilterInSteps};
use crate::bundle::Bundle;
use crate::record::{AuthorProfile, Record};

impl Community {
    /// The part of the view that passes the filters (the map's stakeholder group, region and
    /// resource-kind filters): authors failing `keep_author` disappear with their records.
    pub fn filtered(
        &self,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&Record) -> bool,
    ) -> Community {
        self.filtered_with_author(keep_author, |_, r| keep_record(r))
    }

    /// [`Community::filtered`] for record rules that need the author: a partnership's
    /// readiness counts its author's stakeholder group.
    pub fn filtered_with_author(
        &self,
        keep_author: impl Fn(&AuthorProfile) -> bool,
        keep_record: impl Fn(&AuthorProfile, &Record) -> bool,
    ) -> Community {
        let mut filter = FilterInSteps::new();
        filter.step(self, usize::MAX, keep_author, keep_record);
        filter.finish()
    }

    /// The whole merged view as one bundle-shaped document per author, e.g. for export.
    pub fn bundles(&self) -> Vec<Bundle> {
        // One pass over the records: asking `records_of` per author is authors × records.
        let mut by_author: BTreeMap<&str, Vec<Record>> = BTreeMap::new();
        for record in self.records() {
            by_author
                .entry(&record.author)
                .or_default()
                .push(record.clone());
        }
        self.authors
            .values()
            .map(|entry| {
                let records = by_author
                    .remove(entry.profile.id.as_str())
                    .unwrap_or_default();
                Bundle::new(entry.profile.clone(), records, entry.generated_at)
            })
            .collect()
    }
}
