//! An action line's team on a small room, and the browser's catalogue it is drawn from.

use super::*;
use crate::bundle::Bundle;
use crate::catalogue::Topic;
use crate::record::{EventDetails, EventFormat};
use crate::test_support::{profile, record};
use time::macros::datetime;

fn event(id: u128, author: &str, topics: &[&str], starts_on: &str) -> Record {
    let mut r = record(id, author, Kind::Event, topics);
    r.event = Some(EventDetails {
        starts_on: starts_on.into(),
        ends_on: starts_on.into(),
        time_zone: "UTC".into(),
        ..Default::default()
    });
    r
}

/// Amina (civil society, Africa), Jean (government, Europe) and Kofi (government, Africa) on
/// C7; Zed (private sector) only on C2.
fn room() -> Community {
    let mut amina = profile("amina", StakeholderGroup::CivilSociety, Region::Africa);
    amina.display_name = "Amina Diallo".into();
    amina.organisation = "Réseau Femmes TIC".into();
    amina.contact = Some("amina@example.org".into());
    let mut workshop = event(1, "amina", &["C7.e-health.a", "C4"], "2005-11-16");
    workshop.title = "Atelier e-santé".into();
    let details = workshop.event.as_mut().unwrap();
    details.ends_on = "2005-11-18".into();
    details.format = Some(EventFormat::ThematicWorkshop);
    details.speakers_women = Some(3);
    details.speakers_men = Some(2);
    let mut guide = record(2, "amina", Kind::Document, &["C7"]);
    guide.confirmed_at = Some(datetime!(2006-02-01 09:00 UTC));
    let elsewhere = record(3, "amina", Kind::Project, &["C4"]);

    let mut jean = profile("jean", StakeholderGroup::Government, Region::Europe);
    jean.display_name = "Jean Müller".into();
    let mut early = event(4, "jean", &["C7.e-agriculture"], "2004-05-10");
    early.title = "Réunion agriculture".into();
    let undated = event(5, "jean", &["C7"], "");

    let kofi = profile("kofi", StakeholderGroup::Government, Region::Africa);
    let network = record(6, "kofi", Kind::Network, &["C7.e-science"]);
    let zed = profile("zed", StakeholderGroup::PrivateSector, Region::Americas);
    let other_line = record(7, "zed", Kind::Project, &["C2.a"]);

    let at = datetime!(2006-03-01 12:00 UTC);
    let mut community = Community::new();
    community.add_bundle(Bundle::new(amina, vec![workshop, guide, elsewhere], at));
    community.add_bundle(Bundle::new(jean, vec![early, undated], at));
    community.add_bundle(Bundle::new(kofi, vec![network], at));
    community.add_bundle(Bundle::new(zed, vec![other_line], at));
    community
}

/// A region of a group and who is there.
type Place<'a> = (Region, Vec<&'a str>);

fn c7() -> ActionLineTeam {
    action_line_team(&room(), Catalogue::wsis(), "C7").unwrap()
}

#[test]
fn the_team_is_every_actor_on_the_line_by_group_then_region() {
    let team = c7();
    assert_eq!(team.members, 3);
    let shape: Vec<(StakeholderGroup, Vec<Place>)> = team
        .groups
        .iter()
        .map(|g| {
            let regions = g.regions.iter().map(|r| {
                (
                    r.region,
                    r.members.iter().map(|m| m.author.as_str()).collect(),
                )
            });
            (g.group, regions.collect())
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (
                StakeholderGroup::Government,
                vec![
                    (Region::Africa, vec!["kofi"]),
                    (Region::Europe, vec!["jean"])
                ]
            ),
            (
                StakeholderGroup::CivilSociety,
                vec![(Region::Africa, vec!["amina"])]
            ),
        ]
    );
    assert_eq!(
        team.missing_groups,
        vec![
            StakeholderGroup::PrivateSector,
            StakeholderGroup::AcademicTechnical,
            StakeholderGroup::InternationalOrganisation
        ]
    );
    let amina = &team.groups[1].regions[0].members[0];
    assert_eq!(amina.contact.as_deref(), Some("amina@example.org"));
    assert_eq!(amina.organisation, "Réseau Femmes TIC");
    assert_eq!(amina.resources, 2, "her C4-only project is not C7's");
}

#[test]
fn only_action_lines_have_a_team() {
    assert!(action_line_team(&room(), Catalogue::wsis(), "C7.e-health").is_none());
    assert!(action_line_team(&room(), Catalogue::wsis(), "nope").is_none());
    let empty = action_line_team(&room(), Catalogue::wsis(), "C10").unwrap();
    assert_eq!((empty.members, empty.groups.len()), (0, 0));
    assert_eq!(empty.missing_groups.len(), 5);
    assert!(empty.meetings.is_empty() && empty.years.is_empty());
}

#[test]
fn the_facilitators_are_those_designated_in_2006() {
    let team = c7();
    assert_eq!(team.facilitators.designated_in, 2006);
    assert_eq!(team.facilitators.line, vec!["ITU (co-facilitator)"]);
    assert_eq!(team.facilitators.e_applications.len(), 8);
    assert_eq!(
        team.facilitators.e_applications[3],
        (
            "C7.e-health".to_owned(),
            vec!["WHO (lead)".to_owned(), "ITU (co-facilitator)".to_owned()]
        )
    );
    let c4 = action_line_team(&room(), Catalogue::wsis(), "C4").unwrap();
    assert_eq!(c4.facilitators.line.len(), 2);
    assert!(c4.facilitators.e_applications.is_empty());
}

#[test]
fn the_meetings_are_the_lines_events_in_date_order() {
    let team = c7();
    let order: Vec<(u128, &str)> = team
        .meetings
        .iter()
        .map(|m| (m.record.id.as_u128(), m.event.starts_on.as_str()))
        .collect();
    assert_eq!(order, vec![(4, "2004-05-10"), (1, "2005-11-16"), (5, "")]);
    let workshop = &team.meetings[1];
    assert_eq!(workshop.event.format, Some(EventFormat::ThematicWorkshop));
    assert_eq!(
        (workshop.event.speakers_women, workshop.event.speakers_men),
        (Some(3), Some(2))
    );
    assert_eq!(workshop.event.ends_on, "2005-11-18");
    assert_eq!(workshop.author, "Amina Diallo");
}

#[test]
fn a_years_contribution_holds_events_held_and_records_vouched_for_that_year() {
    let community = room();
    let catalogue = Catalogue::wsis();
    // The undated event and Kofi's network count the year they were updated (2005); Amina's
    // guide both 2005 (updated) and 2006 (confirmed).
    assert_eq!(c7().years, vec![2004, 2005, 2006]);
    let kinds = |year| {
        yearly_contribution(&community, catalogue, "C7", year)
            .kinds
            .iter()
            .map(|k| {
                (
                    k.kind,
                    k.items.iter().map(|i| i.record.id.as_u128()).collect(),
                )
            })
            .collect::<Vec<(Kind, Vec<u128>)>>()
    };
    assert_eq!(kinds(2004), vec![(Kind::Event, vec![4])]);
    assert_eq!(
        kinds(2005),
        vec![
            (Kind::Network, vec![6]),
            (Kind::Event, vec![1, 5]),
            (Kind::Document, vec![2])
        ]
    );
    assert_eq!(kinds(2006), vec![(Kind::Document, vec![2])]);
    let y2005 = yearly_contribution(&community, catalogue, "C7", 2005);
    assert_eq!((y2005.resources, y2005.actors), (4, 3));
    assert!(kinds(2003).is_empty());
}

#[test]
fn an_events_year_is_when_it_is_held_not_when_it_was_written() {
    let mut r = event(1, "amina", &["C7"], "2004-12-30");
    r.confirmed_at = Some(datetime!(2006-01-01 00:00 UTC));
    assert_eq!(contribution_years(&r), BTreeSet::from([2004]));
    r.updated_at = datetime!(2005-12-31 23:30 -2);
    r.event = None;
    assert_eq!(contribution_years(&r), BTreeSet::from([2006]), "in UTC");
}

/// The browser's copy of the catalogue, written by `build.rs` on every target.
const BROWSER_TOPICS: &str = include_str!(concat!(env!("OUT_DIR"), "/topics.browser.json"));

#[test]
fn the_browsers_catalogue_loads_and_keeps_the_facilitators_where_designated() {
    let topics: Vec<Topic> = serde_json::from_str(BROWSER_TOPICS).unwrap();
    let browser = Catalogue::new(topics);
    let full = Catalogue::wsis();
    assert_eq!(browser.topics().len(), full.topics().len());
    for (kept, topic) in browser.topics().iter().zip(full.topics()) {
        assert_eq!(kept.id, topic.id);
        assert_eq!(
            kept.facilitators_since_2006,
            full.facilitators(&topic.id),
            "{}: the browser keeps exactly what the accessor gives",
            topic.id
        );
        assert_eq!(
            browser.facilitators(&topic.id),
            full.facilitators(&topic.id)
        );
        assert!(kept.source.is_empty() && !kept.title_en_condensed);
    }
    for line in full.roots().filter(|t| t.id.starts_with('C')) {
        assert!(!browser.facilitators(&line.id).is_empty(), "{}", line.id);
    }
    assert!(browser
        .get("C4.a")
        .unwrap()
        .facilitators_since_2006
        .is_empty());
    assert!(!full.get("C4.a").unwrap().facilitators_since_2006.is_empty());
    assert_eq!(
        action_line_team(&room(), &browser, "C7"),
        action_line_team(&room(), full, "C7")
    );
}
