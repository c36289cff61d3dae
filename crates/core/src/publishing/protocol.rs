//! What goes into the publisher and what comes out: events, commands, the status the
//! participant reads, and the meta this browser keeps.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Failure, HttpAnswer, StopReason};
use crate::workspace::LocalRecord;

/// What this browser keeps of its publishing, shared by its tabs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishMeta {
    /// ETag of the endpoint's copy as last written or read.
    pub etag: Option<String>,
    /// Where builds before the publishing lock kept the write token; read, never written (the
    /// token has a key of its own, so that no tab's copy of this meta can overwrite it).
    #[serde(default, skip_serializing)]
    pub token: Option<String>,
    /// A publish was asked for and has not succeeded since.
    #[serde(default)]
    pub pending: bool,
    /// RFC 3339 time of the last successful publish (older builds stored "HH:MM").
    #[serde(default)]
    pub last_published: Option<String>,
}

/// A request or timer, so that late answers of abandoned ones are recognised and ignored.
pub type Ticket = u64;

#[derive(Debug, Clone, PartialEq)]
pub enum Precondition {
    /// Create only (`If-None-Match: *`).
    Absent,
    /// Replace only this version (`If-Match`).
    Matches(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The stored meta and the drafts are loaded (page opened or reloaded).
    Started {
        stored: Option<PublishMeta>,
        token: Option<String>,
        auto: bool,
    },
    AutoPublishChanged(bool),
    /// The endpoint address or upload key changed: a refusal may no longer hold.
    EndpointChanged,
    PublishRequested,
    /// A record or the profile was changed and stored.
    EditSaved,
    Online,
    /// This tab holds the publishing lock; the stored meta, token and records are read under it.
    LockGranted {
        stored: Option<PublishMeta>,
        token: Option<String>,
        records: Vec<LocalRecord>,
    },
    /// `None`: the browser has no secure random source.
    TokenMade(Option<String>),
    TokenSaved {
        ticket: Ticket,
        ok: bool,
    },
    PutAnswered {
        ticket: Ticket,
        answer: HttpAnswer,
    },
    GetAnswered {
        ticket: Ticket,
        answer: HttpAnswer,
    },
    TimerFired {
        ticket: Ticket,
    },
    /// The participant confirmed a backup carrying this write token.
    TokenImported(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Store the meta (fire and forget: a lost write only costs a 412 later).
    SaveMeta(PublishMeta),
    /// Store the write token and answer [`Event::TokenSaved`]: nothing is sent with a token
    /// this browser could lose.
    SaveToken {
        ticket: Ticket,
        token: String,
    },
    WriteRecords(Vec<Uuid>),
    /// Ask for the browser-wide publishing lock; answer [`Event::LockGranted`].
    AcquireLock,
    ReleaseLock,
    /// Make a token from the secure random source; answer [`Event::TokenMade`].
    MakeToken,
    Put {
        ticket: Ticket,
        body: String,
        precondition: Precondition,
        token: String,
    },
    Get {
        ticket: Ticket,
    },
    Abort {
        ticket: Ticket,
    },
    StartTimer {
        ticket: Ticket,
        after_ms: u64,
    },
    Tell(Status),
}

/// What the participant is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Working,
    Published {
        at: OffsetDateTime,
        held_back: Vec<Uuid>,
        merged: usize,
    },
    Retrying {
        failure: Failure,
        attempt: u32,
        retry_in_ms: u64,
    },
    Stopped(StopReason),
}
