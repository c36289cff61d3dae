//! Publishing one participant's bundle, as a closed state machine.
//!
//! [`Publisher::step`] takes an [`Event`] (an edit saved, a publish asked for, the network
//! back, a timer, an HTTP answer, the cross-tab lock granted…) and returns the [`Command`]s the
//! app must carry out (store, lock, PUT, GET, wait, tell the participant). It never waits and
//! never touches I/O, so every sequence of faults can be replayed natively (see `tests.rs`).
//!
//! What it guarantees, property-tested over random event sequences:
//! - nothing reads "Published" that the endpoint does not hold (see `workspace/published.rs`);
//! - a publish asked for is pending (and stored) until one succeeds after the last request;
//! - every request has a deadline and every automatic retry is counted: after
//!   [`MAX_ATTEMPTS`] failures in a row, or [`MAX_CONFLICTS`] conflicts, it stops and says why;
//! - one write token per browser: tokens are made and stored only under the cross-tab lock.

pub(crate) mod answer;
#[cfg(test)]
mod cases;
mod machine;
mod protocol;
#[cfg(test)]
mod simulation;
#[cfg(test)]
mod tests;

pub use answer::{Failure, HttpAnswer, StopReason};
pub use machine::{Context, Publisher};
pub use protocol::{Command, Event, Precondition, PublishMeta, Status, Ticket};

/// Automatic tries in a row that failed for network or server reasons before it stops asking.
pub const MAX_ATTEMPTS: u32 = 6;
/// Conflicts (another device published first) absorbed within one publish before it stops.
pub const MAX_CONFLICTS: u32 = 4;
/// A request without a complete answer in this time counts as a network failure.
pub const REQUEST_DEADLINE_MS: u64 = 20_000;
/// Pause after an edit before an automatic publish, so typing makes one publish, not many.
pub const AUTO_PUBLISH_DELAY_MS: u64 = 2_000;
pub(crate) const BACKOFF_MS: [u64; 5] = [2_000, 4_000, 8_000, 16_000, 30_000];
