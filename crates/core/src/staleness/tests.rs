//! Staleness by date: the boundary day, a confirmation later than the last edit, none at all.

use super::*;
use crate::bundle::Bundle;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::test_support::{profile, record};
use crate::workspace::LocalRecord;
use time::macros::datetime;
use uuid::Uuid;

/// `record()` is updated on 2005-01-01 10:00 UTC.
const UPDATED: OffsetDateTime = datetime!(2005-01-01 10:00 UTC);

#[test]
fn stale_strictly_after_365_days() {
    let r = record(1, "amina", Kind::Project, &["C4"]);
    assert!(!is_stale(&r, UPDATED));
    // 2005 is not a leap year: 365 days later is the same calendar day.
    assert!(!is_stale(&r, datetime!(2006-01-01 10:00 UTC)), "day 365");
    assert!(is_stale(&r, datetime!(2006-01-01 10:00:01 UTC)));
    assert!(is_stale(&r, datetime!(2006-01-02 00:00 UTC)));
    assert_eq!(stale_from(&r), datetime!(2006-01-01 10:00 UTC));
}

#[test]
fn in_a_leap_year_365_days_fall_a_calendar_day_early() {
    let mut r = record(1, "amina", Kind::Project, &["C4"]);
    r.updated_at = datetime!(2004-01-10 00:00 UTC);
    assert!(!is_stale(&r, datetime!(2005-01-09 00:00 UTC)));
    assert!(is_stale(&r, datetime!(2005-01-10 00:00 UTC)));
}

#[test]
fn the_boundary_is_an_instant_whatever_the_offsets() {
    let r = record(1, "amina", Kind::Project, &["C4"]);
    // 2006-01-01 11:00 in Tunis (UTC+1) is the boundary itself.
    assert!(!is_stale(&r, datetime!(2006-01-01 11:00 +1)));
    assert!(is_stale(&r, datetime!(2006-01-01 11:01 +1)));
}

#[test]
fn a_confirmation_later_than_the_last_edit_renews_the_record() {
    let mut r = record(1, "amina", Kind::Project, &["C4"]);
    r.confirmed_at = Some(datetime!(2005-09-01 08:00 UTC));
    let now = datetime!(2006-03-01 00:00 UTC);
    assert!(!is_stale(&r, now));
    assert!(is_stale(&r, datetime!(2006-09-01 08:00:01 UTC)));
    assert_eq!(stale_from(&r), datetime!(2006-09-01 08:00 UTC));
}

#[test]
fn an_edit_later_than_the_confirmation_counts() {
    let mut r = record(1, "amina", Kind::Project, &["C4"]);
    r.confirmed_at = Some(datetime!(2004-06-01 00:00 UTC));
    assert!(!is_stale(&r, datetime!(2005-12-31 00:00 UTC)));
    assert!(is_stale(&r, datetime!(2006-01-02 00:00 UTC)));
}

#[test]
fn without_confirmation_the_last_edit_decides() {
    let r = record(1, "amina", Kind::Project, &["C4"]);
    assert_eq!(r.confirmed_at, None);
    assert!(is_stale(&r, datetime!(2006-06-01 00:00 UTC)));
}

#[test]
fn a_confirmation_from_a_clock_ahead_is_current() {
    let mut r = record(1, "amina", Kind::Project, &["C4"]);
    r.confirmed_at = Some(datetime!(2030-01-01 00:00 UTC));
    assert!(!is_stale(&r, datetime!(2006-06-01 00:00 UTC)));
}

fn local(id: u128, at: OffsetDateTime, published: Option<u64>, deleted: bool) -> LocalRecord {
    let mut r = record(id, "amina", Kind::Document, &["C3"]);
    r.updated_at = at;
    r.deleted = deleted;
    LocalRecord {
        record: r,
        published_revision: published,
    }
}

#[test]
fn the_records_to_confirm_are_published_live_and_stale_oldest_first() {
    let mut workspace = Workspace::default();
    let old = datetime!(2004-03-01 00:00 UTC);
    let older = datetime!(2004-02-01 00:00 UTC);
    let recent = datetime!(2005-06-01 00:00 UTC);
    for l in [
        local(1, old, Some(1), false),
        local(2, older, Some(1), false),
        local(3, old, None, false),   // a draft: on nobody's map
        local(4, old, Some(1), true), // deleted
        local(5, recent, Some(1), false),
    ] {
        workspace.records.insert(l.record.id, l);
    }
    let due: Vec<Uuid> = records_to_confirm(&workspace, datetime!(2005-09-01 00:00 UTC))
        .iter()
        .map(|l| l.record.id)
        .collect();
    assert_eq!(due, vec![Uuid::from_u128(2), Uuid::from_u128(1)]);
}

#[test]
fn a_view_lists_its_stale_records() {
    let mut fresh = record(2, "amina", Kind::Event, &["C4"]);
    fresh.confirmed_at = Some(datetime!(2005-12-01 00:00 UTC));
    let mut community = Community::new();
    community.add_bundle(Bundle::new(
        profile("amina", StakeholderGroup::CivilSociety, Region::Africa),
        vec![record(1, "amina", Kind::Project, &["C4"]), fresh],
        datetime!(2005-12-01 00:00 UTC),
    ));
    community.add_bundle(Bundle::new(
        profile("jean", StakeholderGroup::Government, Region::Europe),
        vec![record(3, "jean", Kind::Document, &["C2"])],
        datetime!(2005-12-01 00:00 UTC),
    ));
    let now = datetime!(2006-06-01 00:00 UTC);
    let stale: Vec<u128> = stale_records(&community, now)
        .iter()
        .map(|r| r.id.as_u128())
        .collect();
    assert_eq!(stale, vec![1, 3]);
}
