//! A participant's records in groups, as their list shows them: by kind, or by the action line
//! each topic belongs to (a record under every action line its topics reach, the untagged
//! last).

use super::LocalRecord;
use crate::catalogue::Catalogue;
use crate::record::Kind;

/// What a group gathers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Group {
    Kind(Kind),
    /// An action line's id (`C2`, `B`…).
    ActionLine(String),
    NoTopic,
}

/// Non-empty groups in `Kind::ALL` order.
pub fn by_kind(records: &[LocalRecord]) -> Vec<(Group, Vec<LocalRecord>)> {
    Kind::ALL
        .iter()
        .map(|kind| {
            let items = records
                .iter()
                .filter(|l| l.record.kind == *kind)
                .cloned()
                .collect();
            (Group::Kind(*kind), items)
        })
        .filter(|(_, items): &(Group, Vec<LocalRecord>)| !items.is_empty())
        .collect()
}

/// Non-empty groups in catalogue order, then the records without a topic.
pub fn by_action_line(
    records: &[LocalRecord],
    catalogue: &Catalogue,
) -> Vec<(Group, Vec<LocalRecord>)> {
    let mut groups: Vec<(Group, Vec<LocalRecord>)> = catalogue
        .roots()
        .map(|root| {
            let items = records
                .iter()
                .filter(|l| {
                    l.record
                        .topics
                        .iter()
                        .any(|t| catalogue.action_line(t).is_some_and(|a| a.id == root.id))
                })
                .cloned()
                .collect();
            (Group::ActionLine(root.id.clone()), items)
        })
        .filter(|(_, items): &(Group, Vec<LocalRecord>)| !items.is_empty())
        .collect();
    let untagged: Vec<LocalRecord> = records
        .iter()
        .filter(|l| l.record.topics.is_empty())
        .cloned()
        .collect();
    if !untagged.is_empty() {
        groups.push((Group::NoTopic, untagged));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use time::macros::datetime;
    use uuid::Uuid;

    fn records(tagged: &[(u128, Kind, &[&str])]) -> Vec<LocalRecord> {
        let mut w = Workspace::default();
        for (n, kind, topics) in tagged {
            let mut r = w.new_record(
                Uuid::from_u128(*n),
                *kind,
                "alice",
                datetime!(2005-02-01 09:00 UTC),
            );
            r.topics = topics.iter().map(|t| t.to_string()).collect();
            w.save(r, datetime!(2005-02-01 09:00 UTC));
        }
        w.visible().into_iter().cloned().collect()
    }

    /// Each group with the ids of its records, in order.
    fn shape(groups: &[(Group, Vec<LocalRecord>)]) -> Vec<(Group, Vec<u128>)> {
        groups
            .iter()
            .map(|(g, items)| {
                (
                    g.clone(),
                    items.iter().map(|l| l.record.id.as_u128()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn by_action_line_a_record_is_under_each_line_its_topics_reach_and_untagged_come_last() {
        let list = records(&[
            (1, Kind::Project, &["C7.e-health", "C2.i"]),
            (2, Kind::Event, &[]),
            (3, Kind::Document, &["C2"]),
        ]);
        assert_eq!(
            shape(&by_action_line(&list, Catalogue::wsis())),
            vec![
                (Group::ActionLine("C2".into()), vec![1, 3]),
                (Group::ActionLine("C7".into()), vec![1]),
                (Group::NoTopic, vec![2]),
            ]
        );
    }

    #[test]
    fn by_kind_groups_follow_the_kinds_order_and_skip_empty_kinds() {
        let list = records(&[
            (1, Kind::Project, &[]),
            (2, Kind::Network, &[]),
            (3, Kind::Project, &[]),
        ]);
        assert_eq!(
            shape(&by_kind(&list)),
            vec![
                (Group::Kind(Kind::Network), vec![2]),
                (Group::Kind(Kind::Project), vec![1, 3])
            ]
        );
    }
}
