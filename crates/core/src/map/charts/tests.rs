//! The charts' counts on a small room: whole counts per cell, records once per total.

use super::*;
use crate::bundle::Bundle;
use crate::record::{DocumentDetails, EventDetails, Kind, PartnershipDetails};
use crate::test_support::{profile, record};
use time::macros::datetime;

fn partnership(
    id: u128,
    in_force_on: Option<&str>,
    regions: &[Region],
    domains: &[Domain],
) -> Record {
    let mut r = record(id, "jean", Kind::Partnership, &["C2"]);
    r.partnership = Some(PartnershipDetails {
        in_force_on: in_force_on.map(Into::into),
        beneficiary_regions: regions.to_vec(),
        domains: domains.to_vec(),
        ..Default::default()
    });
    r
}

fn event(id: u128, starts_on: &str, format: Option<EventFormat>) -> Record {
    let mut r = record(id, "amina", Kind::Event, &["C4", "C7.e-health"]);
    r.event = Some(EventDetails {
        starts_on: starts_on.into(),
        ends_on: starts_on.into(),
        time_zone: "UTC".into(),
        format,
        ..Default::default()
    });
    r
}

/// Jean (government, Europe) signs partnerships; Amina (civil society, Africa) holds events
/// and writes a document.
fn bundles() -> Vec<Bundle> {
    let mut unsigned = partnership(13, None, &[Region::World], &[Domain::Innovation]);
    unsigned.confirmed_at = Some(datetime!(2017-02-01 00:00 UTC));
    let jean = vec![
        partnership(
            11,
            Some("2015-03-01"),
            &[Region::Africa, Region::Europe],
            &[Domain::CapacityBuilding, Domain::Cybersecurity],
        ),
        partnership(
            12,
            Some("2015-06-01"),
            &[Region::Africa],
            &[Domain::CapacityBuilding],
        ),
        unsigned,
        partnership(14, Some("2016-01-01"), &[], &[]),
    ];
    let mut document = record(21, "amina", Kind::Document, &["C4.a"]);
    document.document = Some(DocumentDetails {
        language: None,
        year: Some(2014),
        extra: Default::default(),
    });
    let amina = vec![
        event(22, "2015-11-16", Some(EventFormat::ThematicWorkshop)),
        event(23, "2016-01-10", None),
        event(24, "2015-11-20", Some(EventFormat::ThematicWorkshop)),
        event(25, "", Some(EventFormat::Training)),
        document,
        record(26, "amina", Kind::Project, &["not-a-topic"]),
    ];
    let at = datetime!(2017-03-01 00:00 UTC);
    let (jean, amina) = (written_in_2016(jean), written_in_2016(amina));
    vec![
        Bundle::new(
            profile("jean", StakeholderGroup::Government, Region::Europe),
            jean,
            at,
        ),
        Bundle::new(
            profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
            amina,
            at,
        ),
    ]
}

fn written_in_2016(records: Vec<Record>) -> Vec<Record> {
    records
        .into_iter()
        .map(|mut r| {
            r.updated_at = datetime!(2016-06-01 00:00 UTC);
            r
        })
        .collect()
}

fn room() -> Community {
    let mut community = Community::new();
    for bundle in bundles() {
        community.add_bundle(bundle);
    }
    community
}

/// The cells of `row` as (column, count), zeros left out.
fn row<R: PartialEq, C: Copy>(table: &ChartTable<R, C>, at: R) -> Vec<(C, u32)> {
    let i = table.rows.iter().position(|r| *r == at).unwrap();
    table
        .columns
        .iter()
        .copied()
        .zip(table.cells[i].iter().copied())
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[test]
fn partnerships_by_beneficiary_region_per_year_of_entry_into_force() {
    let table = partnerships_by_region(&room());
    assert_eq!(
        table.columns,
        Region::ALL.to_vec(),
        "every region, seed 003's order"
    );
    assert_eq!(
        table.rows,
        vec![2015, 2016, 2017],
        "2016 drawn though empty"
    );
    assert_eq!(
        row(&table, 2015),
        vec![(Region::Africa, 2), (Region::Europe, 1)]
    );
    assert_eq!(row(&table, 2016), vec![]);
    assert_eq!(
        row(&table, 2017),
        vec![(Region::World, 1)],
        "not in force: year confirmed"
    );
    assert_eq!(table.row_totals, vec![2, 0, 1], "agreements, not cells");
    assert_eq!(table.column_totals, vec![2, 0, 0, 0, 0, 1, 1]);
    assert_eq!((table.total, table.max_cell, table.left_out), (3, 2, 1));
}

#[test]
fn partnerships_by_domain_of_activity_per_year() {
    let table = partnerships_by_domain(&room());
    assert_eq!(table.columns.len(), 11);
    assert_eq!(
        row(&table, 2015),
        vec![(Domain::CapacityBuilding, 2), (Domain::Cybersecurity, 1)]
    );
    assert_eq!(row(&table, 2017), vec![(Domain::Innovation, 1)]);
    assert_eq!((table.total, table.max_cell, table.left_out), (3, 2, 1));
}

#[test]
fn resources_by_their_authors_region_per_year_they_happen() {
    let table = resources_by_region(&room());
    assert_eq!(table.rows, vec![2014, 2015, 2016, 2017]);
    assert_eq!(
        row(&table, 2014),
        vec![(Region::Africa, 1)],
        "the document's year"
    );
    assert_eq!(
        row(&table, 2015),
        vec![(Region::Africa, 2), (Region::Europe, 2)],
        "events by start, partnerships by entry into force"
    );
    assert_eq!(
        row(&table, 2016),
        vec![(Region::Africa, 3), (Region::Europe, 1)],
        "the undated event and the project by their last confirmation"
    );
    assert_eq!(row(&table, 2017), vec![(Region::Europe, 1)]);
    assert_eq!((table.total, table.max_cell, table.left_out), (10, 3, 0));
    assert_eq!(table.row_totals.iter().sum::<u32>(), table.total);
}

#[test]
fn resources_by_action_line_and_stakeholder_group() {
    let table = resources_by_line_and_group(&room(), Catalogue::wsis());
    let lines: Vec<&str> = table.rows.iter().map(String::as_str).collect();
    assert_eq!(lines.len(), 14, "every action line, catalogue order");
    assert_eq!((lines[0], lines[13]), ("B", "E"));
    assert_eq!(table.columns, StakeholderGroup::ALL.to_vec());
    assert_eq!(
        row(&table, "C2".to_owned()),
        vec![(StakeholderGroup::Government, 4)]
    );
    // The four events reach C4 and C7 both; the document C4.
    assert_eq!(
        row(&table, "C4".to_owned()),
        vec![(StakeholderGroup::CivilSociety, 5)]
    );
    assert_eq!(
        row(&table, "C7".to_owned()),
        vec![(StakeholderGroup::CivilSociety, 4)]
    );
    let civil = StakeholderGroup::ALL
        .iter()
        .position(|g| *g == StakeholderGroup::CivilSociety);
    assert_eq!(table.column_totals[civil.unwrap()], 5, "each resource once");
    assert_eq!((table.total, table.max_cell), (9, 5));
    assert_eq!(table.left_out, 1, "the project on no known topic");
}

#[test]
fn events_per_month_of_their_start_by_format() {
    let table = events_by_month(&room());
    let months: Vec<String> = table.rows.iter().map(|m| m.code()).collect();
    assert_eq!(months, vec!["2015-11", "2015-12", "2016-01"]);
    assert_eq!(
        table.columns,
        vec![Some(EventFormat::ThematicWorkshop), None]
    );
    assert_eq!(table.cells, vec![vec![2, 0], vec![0, 0], vec![0, 1]]);
    assert_eq!(table.row_totals, vec![2, 0, 1]);
    assert_eq!((table.total, table.max_cell), (3, 2));
    assert_eq!(table.left_out, 1, "the event whose date does not read");
}

#[test]
fn an_empty_view_has_empty_charts() {
    let all = charts(&Community::new(), Catalogue::wsis());
    assert!(all.partnerships_by_region.rows.is_empty());
    assert_eq!(all.partnerships_by_region.columns.len(), 7);
    assert_eq!(all.resources_by_line_and_group.rows.len(), 14);
    assert_eq!(all.resources_by_line_and_group.max_cell, 0);
    assert!(all.events_by_month.rows.is_empty() && all.events_by_month.columns.is_empty());
}

#[test]
fn the_charts_count_the_filtered_view_they_are_given() {
    let government = room().filtered(
        |a| a.stakeholder_group == StakeholderGroup::Government,
        |_| true,
    );
    let all = charts(&government, Catalogue::wsis());
    assert_eq!(all.resources_by_region.total, 4);
    assert_eq!(all.partnerships_by_region.total, 3);
    assert_eq!(all.events_by_month.total, 0);
}

#[test]
fn the_charts_do_not_depend_on_arrival_order() {
    let mut reversed = Community::new();
    for bundle in bundles().into_iter().rev() {
        reversed.add_bundle(bundle);
    }
    assert_eq!(
        charts(&reversed, Catalogue::wsis()),
        charts(&room(), Catalogue::wsis())
    );
}

#[test]
fn a_year_far_off_does_not_fill_the_axis() {
    let mut ancient = record(1, "amina", Kind::Document, &["C4"]);
    ancient.document = Some(DocumentDetails {
        language: None,
        year: Some(1),
        extra: Default::default(),
    });
    let mut community = Community::new();
    community.add_bundle(Bundle::new(
        profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
        vec![ancient, record(2, "amina", Kind::Project, &["C4"])],
        datetime!(2006-01-01 00:00 UTC),
    ));
    assert_eq!(resources_by_region(&community).rows, vec![1, 2005]);
}

#[test]
fn months_roll_over_the_year() {
    let december = Month {
        year: 2005,
        month: 12,
    };
    assert_eq!(
        december.next(),
        Month {
            year: 2006,
            month: 1
        }
    );
    assert_eq!(
        Month {
            year: 2006,
            month: 1
        }
        .code(),
        "2006-01"
    );
}
