//! One action line's stakeholder team (seed 002): a team per line, open to every stakeholder,
//! with a moderator/facilitator, its meetings, and a yearly contribution to the inventory.
//!
//! A record counts for a line when one of its topics rolls up to it; an actor is on the team
//! when one of their records counts. The facilitators come from the catalogue and were
//! designated in 2006, after the process this tool serves: the view carries that year so the
//! app says "designated in 2006" and never shows them as part of 2004–2005.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use time::macros::format_description;
use time::Date;

use crate::catalogue::{Catalogue, Topic, FACILITATORS_DESIGNATED_IN};
use crate::merge::{Community, RecordKey};
use crate::record::{AuthorProfile, EventDetails, Kind, Record, Region, StakeholderGroup};

#[cfg(test)]
mod tests;

/// One actor of the team, with what they show publicly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub author: String,
    pub display_name: String,
    pub organisation: String,
    pub country: String,
    /// The public e-mail address or web page of the profile, if given.
    pub contact: Option<String>,
    /// Their records on this line.
    pub resources: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionMembers {
    pub region: Region,
    /// By display name, then id.
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMembers {
    pub group: StakeholderGroup,
    /// `Region::ALL` order, regions without anyone left out.
    pub regions: Vec<RegionMembers>,
}

/// Facilitators as the catalogue names them ("WHO (lead)"), with their year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facilitators {
    /// Always [`FACILITATORS_DESIGNATED_IN`] (2006): the app says "designated in 2006".
    pub designated_in: i32,
    /// The line's own (for C7, the co-facilitator of the whole line).
    pub line: Vec<String>,
    /// C7's e-applications, each with its own lead, catalogue order; empty for other lines.
    pub e_applications: Vec<(String, Vec<String>)>,
}

/// One meeting on the team's timeline: an event tagged to the line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub record: RecordKey,
    pub title: String,
    /// The organiser's display name and organisation.
    pub author: String,
    pub organisation: String,
    pub url: Option<String>,
    /// Dates, place, format and speakers as the record gives them.
    pub event: EventDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLineTeam {
    pub topic: String,
    /// `StakeholderGroup::ALL` order, groups without anyone left out.
    pub groups: Vec<GroupMembers>,
    /// The groups nobody on the team comes from: the team is open to all (seed 002).
    pub missing_groups: Vec<StakeholderGroup>,
    pub members: usize,
    pub facilitators: Facilitators,
    /// In date order (start, end, title); events without a readable start date last.
    pub meetings: Vec<Meeting>,
    /// Every year with a contribution (see [`yearly_contribution`]), ascending, for a picker.
    pub years: Vec<i32>,
}

/// One resource in a yearly contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContributionItem {
    pub record: RecordKey,
    pub title: String,
    pub author: String,
    pub organisation: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindItems {
    pub kind: Kind,
    /// By title, then record.
    pub items: Vec<ContributionItem>,
}

/// The line's contribution to the inventory for one year (seed 002, point 6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub topic: String,
    pub year: i32,
    /// `Kind::ALL` order, kinds without anything left out.
    pub kinds: Vec<KindItems>,
    pub resources: usize,
    /// Distinct authors of those resources.
    pub actors: usize,
}

pub(crate) fn iso_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

fn on_line(record: &Record, catalogue: &Catalogue, line: &str) -> bool {
    record
        .topics
        .iter()
        .any(|t| catalogue.action_line(t).is_some_and(|l| l.id == line))
}

/// The line's records with their authors (a record whose author the view lacks is left out, as
/// every export does).
fn line_records<'a>(
    community: &'a Community,
    catalogue: &Catalogue,
    line: &str,
) -> Vec<(&'a AuthorProfile, &'a Record)> {
    community
        .records()
        .filter(|r| on_line(r, catalogue, line))
        .filter_map(|r| Some((community.author(&r.author)?, r)))
        .collect()
}

/// The years a record contributes to: an event the year it starts (when its start date reads);
/// any other record the years it was last updated and last confirmed, in UTC. Only the latest
/// edit and confirmation are kept, so an older year's contribution is what was last vouched for
/// then, not a history.
pub fn contribution_years(record: &Record) -> BTreeSet<i32> {
    let held = record
        .event
        .as_ref()
        .and_then(|e| iso_date(&e.starts_on))
        .map(|d| d.year());
    match held {
        Some(year) => BTreeSet::from([year]),
        None => [Some(record.updated_at), record.confirmed_at]
            .into_iter()
            .flatten()
            .map(|at| at.to_offset(time::UtcOffset::UTC).year())
            .collect(),
    }
}

fn member(author: &AuthorProfile, resources: usize) -> Member {
    Member {
        author: author.id.clone(),
        display_name: author.display_name.clone(),
        organisation: author.organisation.clone(),
        country: author.country.clone(),
        contact: author.contact.clone(),
        resources,
    }
}

fn facilitators(catalogue: &Catalogue, line: &str) -> Facilitators {
    Facilitators {
        designated_in: FACILITATORS_DESIGNATED_IN,
        line: catalogue.facilitators(line).to_vec(),
        e_applications: catalogue
            .children(line)
            .filter(|t| !catalogue.facilitators(&t.id).is_empty())
            .map(|t| (t.id.clone(), catalogue.facilitators(&t.id).to_vec()))
            .collect(),
    }
}

fn meeting(author: &AuthorProfile, record: &Record) -> Option<Meeting> {
    let event = record.event.as_ref()?;
    Some(Meeting {
        record: RecordKey::of(record),
        title: record.title.clone(),
        author: author.display_name.clone(),
        organisation: author.organisation.clone(),
        url: record.url.clone(),
        event: event.clone(),
    })
}

/// Whether a topic has a stakeholder team: the action lines C1–C11 (seed 002), not the
/// sections B, D and E around them.
pub fn has_team(topic: &Topic) -> bool {
    topic.level == 1 && topic.id.starts_with('C')
}

/// The action lines with a team, in catalogue order.
pub fn team_lines(catalogue: &Catalogue) -> impl Iterator<Item = &Topic> {
    catalogue.roots().filter(|t| has_team(t))
}

/// The team of action line `line`, `None` for an id that has none.
pub fn action_line_team(
    community: &Community,
    catalogue: &Catalogue,
    line: &str,
) -> Option<ActionLineTeam> {
    catalogue.get(line).filter(|t| has_team(t))?;
    let records = line_records(community, catalogue, line);
    let mut per_author: BTreeMap<&str, (&AuthorProfile, usize)> = BTreeMap::new();
    let mut years = BTreeSet::new();
    let mut meetings = Vec::new();
    for &(author, record) in &records {
        per_author.entry(&author.id).or_insert((author, 0)).1 += 1;
        years.extend(contribution_years(record));
        if record.kind == Kind::Event {
            meetings.extend(meeting(author, record));
        }
    }
    meetings.sort_by_cached_key(|m| {
        let start = iso_date(&m.event.starts_on);
        let end = iso_date(&m.event.ends_on);
        (
            start.is_none(),
            start,
            end,
            m.title.clone(),
            m.record.clone(),
        )
    });
    let mut members: Vec<&(&AuthorProfile, usize)> = per_author.values().collect();
    members.sort_by(|(a, _), (b, _)| (&a.display_name, &a.id).cmp(&(&b.display_name, &b.id)));
    // The enums order as their `ALL`, so the maps give groups and regions in that order.
    let mut places: BTreeMap<StakeholderGroup, BTreeMap<Region, Vec<Member>>> = BTreeMap::new();
    for (author, resources) in &members {
        let group = places.entry(author.stakeholder_group).or_default();
        let place = group.entry(author.region).or_default();
        place.push(member(author, *resources));
    }
    let missing_groups = StakeholderGroup::ALL
        .into_iter()
        .filter(|g| !places.contains_key(g))
        .collect();
    let groups = places
        .into_iter()
        .map(|(group, regions)| GroupMembers {
            group,
            regions: regions
                .into_iter()
                .map(|(region, members)| RegionMembers { region, members })
                .collect(),
        })
        .collect();
    Some(ActionLineTeam {
        topic: line.to_owned(),
        groups,
        missing_groups,
        members: members.len(),
        facilitators: facilitators(catalogue, line),
        meetings,
        years: years.into_iter().collect(),
    })
}

/// The line's inventory for `year`: events held that year, and the other records last updated
/// or last confirmed that year (the rule of [`contribution_years`]), grouped by kind.
pub fn yearly_contribution(
    community: &Community,
    catalogue: &Catalogue,
    line: &str,
    year: i32,
) -> Contribution {
    let mut by_kind: BTreeMap<Kind, Vec<ContributionItem>> = BTreeMap::new();
    let mut actors = BTreeSet::new();
    for (author, record) in line_records(community, catalogue, line) {
        if !contribution_years(record).contains(&year) {
            continue;
        }
        actors.insert(author.id.as_str());
        by_kind
            .entry(record.kind)
            .or_default()
            .push(ContributionItem {
                record: RecordKey::of(record),
                title: record.title.clone(),
                author: author.display_name.clone(),
                organisation: author.organisation.clone(),
                url: record.url.clone(),
            });
    }
    let kinds: Vec<KindItems> = Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let mut items = by_kind.remove(&kind)?;
            items.sort_by(|a, b| (&a.title, &a.record).cmp(&(&b.title, &b.record)));
            Some(KindItems { kind, items })
        })
        .collect();
    Contribution {
        topic: line.to_owned(),
        year,
        resources: kinds.iter().map(|k| k.items.len()).sum(),
        kinds,
        actors: actors.len(),
    }
}
