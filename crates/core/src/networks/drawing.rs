//! A topic's network as the facilitator's map draws it: its actors as discs coloured by
//! stakeholder group, the links between them, the topic's events on a timeline, and the first
//! of its resources its text twin lists (`listed.rs`).
//!
//! Everything is decided here, not in the browser, so that every screen holding the same
//! bundles shows the same picture, and so that the picture's promises (no disc over another,
//! every disc in the frame) are tested natively.

mod grouped;
mod layout;
mod listed;
pub use layout::{disc_radius, FRAME, GAP, LABEL_ROOM};
pub use listed::{first_listed, ListedKind, LISTED};

use uuid::Uuid;

use crate::merge::Community;
use crate::record::{code, AuthorProfile, Kind, StakeholderGroup};

use super::contribution::TopicSet;
use super::Networks;

/// The largest disc of one actor, reached at 9 resources.
const ACTOR_MAX_RADIUS: f32 = 40.0;
/// The largest disc of a stakeholder group, reached at 42 members.
const GROUP_MAX_RADIUS: f32 = 90.0;

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkDrawing {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
    /// The first listed events (by first day, then title, author id and id): the timeline
    /// shows a few, the list in words its hundred.
    pub events: Vec<TimelineEvent>,
    /// One node per stakeholder group: too many actors to draw one by one.
    pub grouped: bool,
    /// The topic's resources as its text twin lists them, kind by kind.
    pub resources: Vec<ListedKind>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkNode {
    /// The author id, or the group's code when grouped.
    pub id: String,
    /// The display name; empty when grouped (the app writes the group's name).
    pub label: String,
    pub group: StakeholderGroup,
    /// 1, or the number of actors grouped.
    pub members: usize,
    /// This topic's resources by kind, non-zero only, `Kind::ALL` order.
    pub resources: Vec<(Kind, usize)>,
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkEdge {
    /// Node ids.
    pub a: String,
    pub b: String,
    /// Topics the two tagged both, catalogue order.
    pub shared: Vec<String>,
    /// Shared topics between two actors; actor links between two groups.
    pub weight: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub record: Uuid,
    pub title: String,
    /// The author's display name.
    pub author: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A node before it has a place.
struct Disc {
    id: String,
    label: String,
    group: StakeholderGroup,
    members: usize,
    by_kind: [usize; 5],
    r: f32,
}

/// One actor under the topic: their resources there by kind, and every topic they tagged.
struct Actor<'a> {
    profile: &'a AuthorProfile,
    by_kind: [usize; 5],
    tagged: TopicSet,
}

/// `topic`'s network, one disc per actor, or per stakeholder group past `max_nodes` actors, and
/// its resources listed (one walk over the topic's records for both).
pub fn draw_network(
    community: &Community,
    networks: &Networks,
    topic: &str,
    max_nodes: usize,
) -> NetworkDrawing {
    // The records come by author (key order): each author's counts are gathered over their
    // run, not searched by name per record (40,000 under an action line of a 10,000-participant
    // room).
    let under = networks.under_in(community, topic);
    let mut actors: Vec<Actor> = under
        .by_author()
        .filter_map(|(records, tagged)| {
            let profile = community.author(&records.first()?.author)?;
            let mut by_kind = [0; 5];
            for record in records {
                by_kind[record.kind.index()] += 1;
            }
            Some(Actor {
                profile,
                by_kind,
                tagged,
            })
        })
        .collect();
    // The order of the circle: each group one arc, in the order of the legend. Grouped, a
    // group is one disc and only the groups' order counts (10,000 names not compared).
    let grouped = actors.len() > max_nodes;
    if grouped {
        actors.sort_by_key(|a| a.profile.stakeholder_group);
    } else {
        actors.sort_by(|x, y| {
            let (x, y) = (x.profile, y.profile);
            (x.stakeholder_group, &x.display_name, &x.id).cmp(&(
                y.stakeholder_group,
                &y.display_name,
                &y.id,
            ))
        });
    }
    let (discs, edges) = if grouped {
        let tagged: Vec<(StakeholderGroup, TopicSet)> = actors
            .iter()
            .map(|a| (a.profile.stakeholder_group, a.tagged))
            .collect();
        let edges = grouped::group_edges(networks.catalogue(), &tagged);
        (group_discs(&actors), edges)
    } else {
        let ids: Vec<String> = actors.iter().map(|a| a.profile.id.clone()).collect();
        let links = networks.links_among(&ids);
        let discs = actors
            .iter()
            .map(|a| Disc {
                id: a.profile.id.clone(),
                label: a.profile.display_name.clone(),
                group: a.profile.stakeholder_group,
                members: 1,
                by_kind: a.by_kind,
                r: disc_radius(a.by_kind.iter().sum(), ACTOR_MAX_RADIUS),
            })
            .collect();
        let edges = links
            .into_iter()
            .map(|link| NetworkEdge {
                weight: link.shared.len(),
                a: link.a,
                b: link.b,
                shared: link.shared,
            })
            .collect();
        (discs, edges)
    };

    let radii: Vec<f32> = discs.iter().map(|d| d.r).collect();
    let placed = layout::place(&radii);
    let nodes = discs
        .into_iter()
        .zip(placed.centres)
        .map(|(disc, (x, y))| NetworkNode {
            resources: Kind::ALL
                .iter()
                .map(|k| (*k, disc.by_kind[k.index()]))
                .filter(|(_, n)| *n > 0)
                .collect(),
            id: disc.id,
            label: disc.label,
            group: disc.group,
            members: disc.members,
            x,
            y,
            r: disc.r,
        })
        .collect();
    let resources = listed::listed_by_kind(&under.records);
    NetworkDrawing {
        width: placed.width,
        height: placed.height,
        nodes,
        edges,
        events: timeline(community, &resources),
        grouped,
        resources,
    }
}

/// The first listed events, with their days: the timeline is the events' list in short.
fn timeline(community: &Community, resources: &[ListedKind]) -> Vec<TimelineEvent> {
    let events = resources.iter().find(|listed| listed.kind == Kind::Event);
    events
        .into_iter()
        .flat_map(|listed| &listed.first)
        .filter_map(|key| community.record(key))
        .filter_map(|record| {
            let event = record.event.as_ref()?;
            let author = community.author(&record.author);
            Some(TimelineEvent {
                record: record.id,
                title: record.title.clone(),
                author: author.map_or(&record.author, |a| &a.display_name).clone(),
                starts_on: event.starts_on.clone(),
                ends_on: event.ends_on.clone(),
            })
        })
        .collect()
}

/// One disc per stakeholder group present, sized by its members (`actors` come group by
/// group).
fn group_discs(actors: &[Actor]) -> Vec<Disc> {
    actors
        .chunk_by(|x, y| x.profile.stakeholder_group == y.profile.stakeholder_group)
        .map(|members| {
            let mut by_kind = [0; 5];
            for member in members {
                for (total, n) in by_kind.iter_mut().zip(member.by_kind) {
                    *total += n;
                }
            }
            let group = members[0].profile.stakeholder_group;
            Disc {
                id: code(&group),
                label: String::new(),
                group,
                members: members.len(),
                by_kind,
                r: disc_radius(members.len(), GROUP_MAX_RADIUS),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
