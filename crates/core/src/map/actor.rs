//! One actor's page on the map: what they registered, by the action lines their topics reach.

use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::record::Record;

/// The actor's records under each action line their topics reach (a record under every line
/// it reaches), in catalogue order; empty lines are left out.
pub fn records_by_action_line<'a>(
    community: &'a Community,
    catalogue: &Catalogue,
    author: &'a str,
) -> Vec<(String, Vec<&'a Record>)> {
    let records: Vec<&Record> = community.records_of(author).collect();
    catalogue
        .roots()
        .map(|line| {
            let under: Vec<&Record> = records
                .iter()
                .copied()
                .filter(|r| {
                    r.topics
                        .iter()
                        .any(|t| catalogue.action_line(t).is_some_and(|l| l.id == line.id))
                })
                .collect();
            (line.id.clone(), under)
        })
        .filter(|(_, under)| !under.is_empty())
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
    fn an_actors_records_by_action_line() {
        let mut community = Community::new();
        community.add_bundle(Bundle::new(
            profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
            vec![
                record(1, "amina", Kind::Event, &["C7.e-health.a", "C4"]),
                record(2, "amina", Kind::Project, &["C4.b"]),
            ],
            datetime!(2026-11-25 10:00 UTC),
        ));
        let lines = records_by_action_line(&community, Catalogue::wsis(), "amina");
        let summary: Vec<(&str, usize)> =
            lines.iter().map(|(l, r)| (l.as_str(), r.len())).collect();
        assert_eq!(summary, vec![("C4", 2), ("C7", 1)]);
        assert!(records_by_action_line(&community, Catalogue::wsis(), "nobody").is_empty());
    }
}
