//! The map by Sustainable Development Goal: per goal, the actors and resources whose topics
//! lead to it (after the WSIS–SDG Matrix, see `catalogue::sdgs`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalogue::{Catalogue, SDGS};
use crate::merge::Community;

/// One goal's line in the table (and the numbers behind its disc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SdgRow {
    pub number: u8,
    pub actors: usize,
    pub resources: usize,
}

/// The 17 goals in order, each with the resources leading to it and their distinct authors;
/// a resource counts once per goal however many of its topics lead there.
pub fn sdg_rows(community: &Community, catalogue: &Catalogue) -> Vec<SdgRow> {
    let mut resources = [0usize; 17];
    let mut actors: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); 17];
    for record in community.records() {
        for goal in catalogue.sdgs_of_topics(&record.topics) {
            let i = usize::from(goal) - 1;
            resources[i] += 1;
            actors[i].insert(record.author.as_str());
        }
    }
    SDGS.iter()
        .enumerate()
        .map(|(i, goal)| SdgRow {
            number: goal.number,
            actors: actors[i].len(),
            resources: resources[i],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Bundle;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support::{profile, record};
    use time::macros::datetime;

    #[test]
    fn each_resource_counts_once_for_each_goal_it_leads_to() {
        let mut community = Community::new();
        let at = datetime!(2026-11-25 10:00 UTC);
        community.add_bundle(Bundle::new(
            profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
            vec![
                // e-health (1, 2, 3, 5, 17) and C9 (5, 9, 12, 16): goal 5 once.
                record(1, "amina", Kind::Project, &["C7.e-health.a", "C9"]),
                record(2, "amina", Kind::Event, &["C11"]),
            ],
            at,
        ));
        community.add_bundle(Bundle::new(
            profile("jean", StakeholderGroup::Government, Region::Europe),
            vec![record(3, "jean", Kind::Document, &["C11.a"])],
            at,
        ));
        let rows = sdg_rows(&community, Catalogue::wsis());
        assert_eq!(rows.len(), 17);
        let row = |n: u8| rows[usize::from(n) - 1].clone();
        assert_eq!((row(5).resources, row(5).actors), (1, 1));
        assert_eq!((row(17).resources, row(17).actors), (3, 2));
        assert_eq!((row(3).resources, row(16).resources), (1, 1));
        assert_eq!(row(7).resources, 0);
    }
}
