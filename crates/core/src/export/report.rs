//! The printable inventory (seed 002: the inventory periodic reports are made from): per
//! action line, what was identified and by whom, with actors counted by stakeholder group
//! and region. The app renders it as a page with a print stylesheet.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use uuid::Uuid;

use super::entries;
use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::record::{Kind, Region, StakeholderGroup};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportItem {
    pub record: Uuid,
    pub kind: Kind,
    pub title: String,
    pub author: String,
    pub organisation: String,
    /// The record's own topics under this action line, catalogue order.
    pub topics: Vec<String>,
    pub url: Option<String>,
    /// First and last day, for events.
    pub dates: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLineReport {
    pub topic: String,
    /// Distinct actors with at least one resource here.
    pub actors: usize,
    pub actors_by_group: BTreeMap<StakeholderGroup, u32>,
    pub actors_by_region: BTreeMap<Region, u32>,
    pub resources_by_kind: [u32; 5],
    /// By kind, then title.
    pub resources: Vec<ReportItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryReport {
    pub actors: usize,
    pub resources: usize,
    pub actors_by_group: BTreeMap<StakeholderGroup, u32>,
    pub actors_by_region: BTreeMap<Region, u32>,
    /// Every action line of the catalogue, in its order, the empty ones included: a report
    /// says what is missing too.
    pub action_lines: Vec<ActionLineReport>,
}

fn count_actors<'a>(
    actors: impl Iterator<Item = &'a str>,
    community: &Community,
) -> (
    usize,
    BTreeMap<StakeholderGroup, u32>,
    BTreeMap<Region, u32>,
) {
    let mut by_group = BTreeMap::new();
    let mut by_region = BTreeMap::new();
    let mut count = 0;
    for author in actors.filter_map(|id| community.author(id)) {
        count += 1;
        *by_group.entry(author.stakeholder_group).or_default() += 1;
        *by_region.entry(author.region).or_default() += 1;
    }
    (count, by_group, by_region)
}

pub fn inventory_report(community: &Community, catalogue: &Catalogue) -> InventoryReport {
    let mut lines: BTreeMap<&str, (BTreeSet<&str>, Vec<ReportItem>)> = BTreeMap::new();
    let mut all_actors = BTreeSet::new();
    let mut resources = 0;
    for (author, record) in entries(community) {
        resources += 1;
        all_actors.insert(author.id.as_str());
        let mut by_line: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for id in &record.topics {
            if let Some(line) = catalogue.action_line(id) {
                by_line.entry(&line.id).or_default().push(id.clone());
            }
        }
        for (line, mut topics) in by_line {
            topics.sort_by_key(|t| catalogue.position(t));
            let entry = lines.entry(line).or_default();
            entry.0.insert(&author.id);
            entry.1.push(ReportItem {
                record: record.id,
                kind: record.kind,
                title: record.title.clone(),
                author: author.display_name.clone(),
                organisation: author.organisation.clone(),
                topics,
                url: record.url.clone(),
                dates: record
                    .event
                    .as_ref()
                    .map(|e| (e.starts_on.clone(), e.ends_on.clone())),
            });
        }
    }
    let (actors, actors_by_group, actors_by_region) =
        count_actors(all_actors.iter().copied(), community);
    let action_lines = catalogue
        .topics()
        .iter()
        .filter(|t| catalogue.action_line(&t.id).is_some_and(|l| l.id == t.id))
        .map(|line| {
            let (line_actors, mut items) = lines.remove(line.id.as_str()).unwrap_or_default();
            items.sort_by(|a, b| (a.kind, &a.title, a.record).cmp(&(b.kind, &b.title, b.record)));
            let mut resources_by_kind = [0; 5];
            for item in &items {
                resources_by_kind[item.kind.index()] += 1;
            }
            let (actors, actors_by_group, actors_by_region) =
                count_actors(line_actors.into_iter(), community);
            ActionLineReport {
                topic: line.id.clone(),
                actors,
                actors_by_group,
                actors_by_region,
                resources_by_kind,
                resources: items,
            }
        })
        .collect();
    InventoryReport {
        actors,
        resources,
        actors_by_group,
        actors_by_region,
        action_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample;

    #[test]
    fn each_action_line_lists_its_resources_and_counts_its_actors() {
        let report = inventory_report(&sample::community(), Catalogue::wsis());
        assert_eq!((report.actors, report.resources), (2, 5));
        assert_eq!(
            report.action_lines.len(),
            14,
            "every action line, empty ones too"
        );
        assert_eq!(report.action_lines[0].topic, "B");
        let c4 = report
            .action_lines
            .iter()
            .find(|l| l.topic == "C4")
            .unwrap();
        assert_eq!(c4.actors, 2);
        assert_eq!(c4.actors_by_group[&StakeholderGroup::CivilSociety], 1);
        assert_eq!(c4.actors_by_group[&StakeholderGroup::Government], 1);
        assert_eq!(c4.actors_by_region[&Region::Africa], 1);
        assert_eq!(c4.resources.len(), 4);
        assert_eq!(c4.resources_by_kind, [0, 1, 1, 1, 1]);
        let c7 = report
            .action_lines
            .iter()
            .find(|l| l.topic == "C7")
            .unwrap();
        assert_eq!(c7.resources.len(), 1);
        assert_eq!(c7.resources[0].topics, vec!["C7.e-health"]);
        assert_eq!(
            c7.resources[0].dates,
            Some(("2005-11-16".into(), "2005-11-18".into()))
        );
        let c1 = report
            .action_lines
            .iter()
            .find(|l| l.topic == "C1")
            .unwrap();
        assert_eq!((c1.actors, c1.resources.len()), (0, 0));
    }

    #[test]
    fn a_resource_on_two_topics_of_one_line_is_listed_once() {
        let mut community = sample::community();
        let mut bundle = community.bundles().remove(1);
        bundle.records[0].topics = vec!["C4.a".into(), "C4".into()];
        bundle.records[0].revision += 1;
        community.add_bundle(bundle);
        let report = inventory_report(&community, Catalogue::wsis());
        let c4 = report
            .action_lines
            .iter()
            .find(|l| l.topic == "C4")
            .unwrap();
        let ids: BTreeSet<Uuid> = c4.resources.iter().map(|r| r.record).collect();
        assert_eq!(ids.len(), c4.resources.len());
    }
}
