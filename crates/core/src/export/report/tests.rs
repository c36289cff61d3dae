//! The inventory report on the export sample, and its charts and speakers on a small room.

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

fn speaking(id: u128, women: Option<u32>, men: Option<u32>) -> crate::record::Record {
    let mut r = crate::test_support::record(id, "amina", Kind::Event, &["C9"]);
    r.event = Some(crate::record::EventDetails {
        starts_on: "2005-11-17".into(),
        ends_on: "2005-11-17".into(),
        time_zone: "Africa/Tunis".into(),
        speakers_women: women,
        speakers_men: men,
        ..Default::default()
    });
    r
}

/// The sample (one event, no speakers said) and three more events by Amina: both numbers,
/// both numbers again, only the women.
fn with_speakers() -> Community {
    let mut community = sample::community();
    let mut bundle = community.bundles().remove(0);
    bundle.records.extend([
        speaking(31, Some(4), Some(2)),
        speaking(32, Some(1), Some(3)),
        speaking(33, Some(5), None),
    ]);
    community.add_bundle(bundle);
    community
}

#[test]
fn the_speakers_are_summed_over_the_events_that_gave_both_numbers() {
    let report = inventory_report(&with_speakers(), Catalogue::wsis());
    assert_eq!(
        report.speakers,
        SpeakerTotals {
            women: 5,
            men: 5,
            events_counted: 2,
            events: 4,
        }
    );
    let none = inventory_report(&sample::community(), Catalogue::wsis());
    assert_eq!(none.speakers.events, 1);
    assert_eq!((none.speakers.women, none.speakers.events_counted), (0, 0));
}

#[test]
fn the_charts_are_those_of_the_reports_view() {
    let community = with_speakers();
    let report = inventory_report(&community, Catalogue::wsis());
    assert_eq!(
        report.charts,
        crate::map::charts::charts(&community, Catalogue::wsis())
    );
    let events = &report.charts.events_by_month;
    let months: Vec<String> = events.rows.iter().map(|m| m.code()).collect();
    assert_eq!(months, vec!["2005-11"]);
    assert_eq!(events.total, 4);
    let by_line = &report.charts.resources_by_line_and_group;
    let c4 = by_line.rows.iter().position(|l| l == "C4").unwrap();
    assert_eq!(by_line.row_totals[c4], 4, "as the C4 section lists them");
    assert_eq!(
        report.charts.partnerships_by_region.left_out, 1,
        "no region said"
    );
}

#[test]
fn a_filtered_report_counts_only_its_view() {
    let community = with_speakers();
    let government = community.filtered(
        |a| a.stakeholder_group == StakeholderGroup::Government,
        |_| true,
    );
    let report = inventory_report(&government, Catalogue::wsis());
    assert_eq!(report.speakers, SpeakerTotals::default());
    assert_eq!(report.charts.events_by_month.total, 0);
    assert_eq!(report.charts.resources_by_region.total, 2);
}

#[test]
fn the_detailed_sample_fills_seed_003s_charts() {
    let report = inventory_report(&sample::detailed(), Catalogue::wsis());
    let regions = &report.charts.partnerships_by_region;
    assert_eq!(regions.rows, vec![2005], "the year it entered into force");
    let africa = Region::ALL
        .iter()
        .position(|r| *r == Region::Africa)
        .unwrap();
    let europe = Region::ALL
        .iter()
        .position(|r| *r == Region::Europe)
        .unwrap();
    assert_eq!((regions.cells[0][africa], regions.cells[0][europe]), (1, 1));
    assert_eq!((regions.total, regions.left_out), (1, 0));
    let domains = &report.charts.partnerships_by_domain;
    assert_eq!((domains.row_totals[0], domains.max_cell), (1, 1));
    assert_eq!(
        report.speakers,
        SpeakerTotals {
            women: 3,
            men: 2,
            events_counted: 1,
            events: 1,
        }
    );
}

#[test]
fn a_view_never_validated_still_makes_its_charts() {
    let report = inventory_report(&sample::hostile_community(), Catalogue::wsis());
    // The partnership's entry into force does not read: its year is its last confirmation.
    assert_eq!(report.charts.partnerships_by_region.rows, Vec::<i32>::new());
    assert_eq!(report.charts.partnerships_by_region.left_out, 1);
    assert_eq!(report.charts.resources_by_region.rows, vec![2004, 2005]);
    assert_eq!(report.charts.events_by_month.total, 2);
}
