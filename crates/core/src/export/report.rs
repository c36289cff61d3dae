//! The printable inventory (seed 002: the inventory periodic reports are made from): per
//! action line, what was identified and by whom, with actors counted by stakeholder group
//! and region; seed 003's charts and the speakers' balance of the events. The app renders it
//! as a page with a print stylesheet.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use uuid::Uuid;

use super::entries;
use crate::catalogue::Catalogue;
use crate::map::charts::{charts, Charts};
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
    /// When its author last vouched for it: the report greys what is over a year old.
    pub last_confirmed: time::OffsetDateTime,
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
    /// The counts behind the report's charts, of the same view.
    pub charts: Charts,
    pub speakers: SpeakerTotals,
}

/// The speakers of the view's events, for the balance the Forum's invitation asks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpeakerTotals {
    pub women: u64,
    pub men: u64,
    /// Events that gave both numbers, the only ones summed: an event that said only how many
    /// women spoke would tip the balance it cannot show.
    pub events_counted: u32,
    /// Every event of the view, so the report can say how many of them said it.
    pub events: u32,
}

pub fn speaker_totals(community: &Community) -> SpeakerTotals {
    let mut totals = SpeakerTotals::default();
    for event in community
        .records()
        .filter(|r| r.kind == Kind::Event)
        .filter_map(|r| r.event.as_ref())
    {
        totals.events += 1;
        if let (Some(women), Some(men)) = (event.speakers_women, event.speakers_men) {
            totals.women += u64::from(women);
            totals.men += u64::from(men);
            totals.events_counted += 1;
        }
    }
    totals
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
                last_confirmed: record.last_confirmed(),
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
        charts: charts(community, catalogue),
        speakers: speaker_totals(community),
    }
}

#[cfg(test)]
mod tests;
