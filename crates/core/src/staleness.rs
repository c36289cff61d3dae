//! How current a record is. An inventory is only worth its last check (seed 002 asks the teams
//! for a contribution every year), so a record nobody vouched for in twelve months is stale:
//! the author is asked to confirm it, and the map can tell it apart or leave it out.
//!
//! The core has no clock: every function takes the `now` the app read.

use time::{Duration, OffsetDateTime};

use crate::merge::Community;
use crate::record::Record;
use crate::workspace::{LocalRecord, Workspace};

#[cfg(test)]
mod tests;

/// Twelve months as 365 days: a fixed length needs no calendar (a 29 February has no
/// "same day" a year later), and a day's difference in a leap year changes nothing for a
/// yearly check.
pub const STALE_AFTER: Duration = Duration::days(365);

/// The record was last confirmed (a "still current" or an edit, see
/// [`Record::last_confirmed`]) more than [`STALE_AFTER`] before `now`. A confirmation dated
/// after `now` (another device's clock ahead) is current.
pub fn is_stale(record: &Record, now: OffsetDateTime) -> bool {
    stale_since(record.last_confirmed(), now)
}

/// The same rule for a view that kept only the date (the report's rows).
pub fn stale_since(last_confirmed: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - last_confirmed > STALE_AFTER
}

/// The moment the record turns stale unless confirmed again, for "confirm before …".
pub fn stale_from(record: &Record) -> OffsetDateTime {
    record.last_confirmed() + STALE_AFTER
}

/// Oldest confirmation first (the most overdue on top), then by id, so a list never reshuffles.
fn by_age<'a>(a: &'a Record, b: &'a Record) -> std::cmp::Ordering {
    (a.last_confirmed(), a.id).cmp(&(b.last_confirmed(), b.id))
}

/// The participant's records to confirm: published ones (a draft is not on anyone's map, and
/// an edit since publishing is itself recent), not deleted, stale at `now`.
pub fn records_to_confirm(workspace: &Workspace, now: OffsetDateTime) -> Vec<&LocalRecord> {
    let mut due: Vec<&LocalRecord> = workspace
        .records
        .values()
        .filter(|l| l.published_revision.is_some() && !l.record.deleted)
        .filter(|l| is_stale(&l.record, now))
        .collect();
    due.sort_by(|a, b| by_age(&a.record, &b.record));
    due
}

/// The stale records of a view (merged views hold no deleted ones), most overdue first.
pub fn stale_records(community: &Community, now: OffsetDateTime) -> Vec<&Record> {
    let mut stale: Vec<&Record> = community.records().filter(|r| is_stale(r, now)).collect();
    stale.sort_by(|a, b| by_age(a, b));
    stale
}
