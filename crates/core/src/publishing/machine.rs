//! The publisher: one step per event, from the phase it is in to the commands it gives.

use crate::bundle::{parse_bundle, Bundle};
use crate::catalogue::Catalogue;
use crate::validate::validate_profile;
use crate::workspace::{LocalRecord, Workspace};

use super::answer::{self, Failure, HttpAnswer, StopReason};
use super::protocol::{Command, Event, Precondition, PublishMeta, Status, Ticket};
use super::{AUTO_PUBLISH_DELAY_MS, BACKOFF_MS, MAX_ATTEMPTS, MAX_CONFLICTS, REQUEST_DEADLINE_MS};
use time::OffsetDateTime;
use uuid::Uuid;

/// The moment and the catalogue a step runs with (the core has no clock of its own).
pub struct Context<'a> {
    pub now: OffsetDateTime,
    pub catalogue: &'a Catalogue,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Locking,
    MakingToken,
    SavingToken(Ticket),
    Putting { ticket: Ticket, sent: Box<Bundle> },
    Fetching(Ticket),
    Waiting(Ticket),
    Stopped(StopReason),
}

#[derive(Debug, Clone)]
pub struct Publisher {
    meta: PublishMeta,
    token: Option<String>,
    phase: Phase,
    status: Status,
    started: bool,
    auto: bool,
    holds_lock: bool,
    /// A publish was asked for, or an edit saved, since the PUT under way was built.
    again: bool,
    attempts: u32,
    conflicts: u32,
    merged: usize,
    debounce: Option<Ticket>,
    next_ticket: Ticket,
}

impl Default for Publisher {
    fn default() -> Self {
        Publisher {
            meta: PublishMeta::default(),
            token: None,
            phase: Phase::Idle,
            status: Status::Idle,
            started: false,
            auto: false,
            holds_lock: false,
            again: false,
            attempts: 0,
            conflicts: 0,
            merged: 0,
            debounce: None,
            next_ticket: 1,
        }
    }
}

impl Publisher {
    pub fn status(&self) -> &Status {
        &self.status
    }

    pub fn meta(&self) -> &PublishMeta {
        &self.meta
    }

    #[cfg(test)]
    pub(super) fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// A request, a lock or a token is under way.
    pub fn is_working(&self) -> bool {
        matches!(
            self.phase,
            Phase::Locking
                | Phase::MakingToken
                | Phase::SavingToken(_)
                | Phase::Putting { .. }
                | Phase::Fetching(_)
        )
    }

    pub fn step(&mut self, ws: &mut Workspace, ctx: &Context, event: Event) -> Vec<Command> {
        let before = self.status.clone();
        let mut out = Vec::new();
        self.handle(ws, ctx, event, &mut out);
        if self.status != before {
            out.push(Command::Tell(self.status.clone()));
        }
        out
    }

    fn handle(&mut self, ws: &mut Workspace, ctx: &Context, event: Event, out: &mut Vec<Command>) {
        match event {
            Event::Started {
                stored,
                token,
                auto,
            } => {
                self.meta = stored.unwrap_or_default();
                self.token = token.or(self.meta.token.take());
                self.auto = auto;
                self.started = true;
                if self.meta.pending {
                    self.begin(ws, out);
                }
            }
            Event::AutoPublishChanged(auto) => self.auto = auto,
            Event::EndpointChanged => {
                if self.meta.pending && matches!(self.phase, Phase::Stopped(_) | Phase::Waiting(_))
                {
                    self.restart(ws, out);
                }
            }
            Event::PublishRequested => {
                self.attempts = 0;
                self.want(ws, out);
            }
            Event::EditSaved => {
                if self.is_working() {
                    self.again = true;
                }
                let waits_for_profile = self.phase == Phase::Stopped(StopReason::ProfileIncomplete);
                if waits_for_profile && self.meta.pending {
                    self.begin(ws, out);
                } else if self.auto {
                    let ticket = self.ticket();
                    self.debounce = Some(ticket);
                    out.push(Command::StartTimer {
                        ticket,
                        after_ms: AUTO_PUBLISH_DELAY_MS,
                    });
                }
            }
            Event::Online => {
                let gave_up = matches!(self.phase, Phase::Stopped(StopReason::GaveUp { .. }));
                if self.meta.pending && (gave_up || matches!(self.phase, Phase::Waiting(_))) {
                    self.restart(ws, out);
                }
            }
            Event::LockGranted {
                stored,
                token,
                records,
            } => self.locked(ws, ctx, (stored, token), records, out),
            Event::TokenMade(token) => {
                if self.phase != Phase::MakingToken {
                    return;
                }
                match token {
                    Some(token) => {
                        self.token = Some(token.clone());
                        let ticket = self.ticket();
                        self.phase = Phase::SavingToken(ticket);
                        out.push(Command::SaveToken { ticket, token });
                    }
                    None => self.stop(StopReason::NoSecureRandom, out),
                }
            }
            Event::TokenSaved { ticket, ok } => {
                if self.phase != Phase::SavingToken(ticket) {
                    return;
                }
                if ok {
                    self.put(ws, ctx, out);
                } else {
                    // Never publish with a token this browser could lose: it would lock it out.
                    self.token = None;
                    self.stop(StopReason::Storage, out);
                }
            }
            Event::PutAnswered { ticket, answer } => {
                self.put_answered(ws, ctx, ticket, answer, out)
            }
            Event::GetAnswered { ticket, answer } => {
                self.get_answered(ws, ctx, ticket, answer, out)
            }
            Event::TimerFired { ticket } => self.timer(ws, ticket, out),
            Event::TokenImported(token) => {
                self.token = Some(token.clone());
                let ticket = self.ticket();
                out.push(Command::SaveToken { ticket, token });
                let refused = matches!(
                    self.phase,
                    Phase::Stopped(StopReason::TokenRefused | StopReason::TokenRequired)
                );
                if refused && self.meta.pending {
                    self.restart(ws, out);
                }
            }
        }
    }

    fn ticket(&mut self) -> Ticket {
        self.next_ticket += 1;
        self.next_ticket
    }

    fn save_meta(&self, out: &mut Vec<Command>) {
        out.push(Command::SaveMeta(self.meta.clone()));
    }

    /// Records that a publish is wanted and starts one, or notes it for after the current one.
    fn want(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
        if !self.meta.pending {
            self.meta.pending = true;
            self.save_meta(out);
        }
        if self.is_working() {
            self.again = true;
        } else {
            self.begin(ws, out);
        }
    }

    fn restart(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
        self.attempts = 0;
        self.begin(ws, out);
    }

    fn begin(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
        if !self.started || self.is_working() {
            return;
        }
        let profile_ok = ws
            .profile
            .as_ref()
            .is_some_and(|p| validate_profile(p).is_empty());
        if !profile_ok {
            return self.stop(StopReason::ProfileIncomplete, out);
        }
        self.conflicts = 0;
        self.merged = 0;
        self.phase = Phase::Locking;
        self.status = Status::Working;
        out.push(Command::AcquireLock);
    }

    fn locked(
        &mut self,
        ws: &mut Workspace,
        ctx: &Context,
        (stored, token): (Option<PublishMeta>, Option<String>),
        records: Vec<LocalRecord>,
        out: &mut Vec<Command>,
    ) {
        if self.phase != Phase::Locking {
            out.push(Command::ReleaseLock);
            return;
        }
        self.holds_lock = true;
        // Under the lock the stored copy is what every tab shares: its token and ETag win.
        if let Some(token) = token.or(stored.as_ref().and_then(|s| s.token.clone())) {
            self.token = Some(token);
        }
        if let Some(etag) = stored.and_then(|s| s.etag) {
            self.meta.etag = Some(etag);
        }
        let refreshed: Vec<Uuid> = records
            .into_iter()
            .filter_map(|stored| {
                let id = stored.record.id;
                ws.absorb_stored(stored).then_some(id)
            })
            .collect();
        if !refreshed.is_empty() {
            out.push(Command::WriteRecords(refreshed));
        }
        if self.token.is_none() {
            self.phase = Phase::MakingToken;
            out.push(Command::MakeToken);
        } else {
            self.put(ws, ctx, out);
        }
    }

    fn put(&mut self, ws: &Workspace, ctx: &Context, out: &mut Vec<Command>) {
        let (Some((sent, _)), Some(token)) = (
            ws.publishable_bundle(ctx.now, ctx.catalogue),
            self.token.clone(),
        ) else {
            return self.stop(StopReason::ProfileIncomplete, out);
        };
        let ticket = self.ticket();
        let precondition = match &self.meta.etag {
            Some(etag) => Precondition::Matches(etag.clone()),
            None => Precondition::Absent,
        };
        self.again = false;
        out.push(Command::Put {
            ticket,
            body: sent.to_json(),
            precondition,
            token,
        });
        out.push(Command::StartTimer {
            ticket,
            after_ms: REQUEST_DEADLINE_MS,
        });
        self.phase = Phase::Putting {
            ticket,
            sent: Box::new(sent),
        };
        self.status = Status::Working;
    }

    fn put_answered(
        &mut self,
        ws: &mut Workspace,
        ctx: &Context,
        ticket: Ticket,
        answer: HttpAnswer,
        out: &mut Vec<Command>,
    ) {
        let Phase::Putting {
            ticket: current,
            sent,
        } = &self.phase
        else {
            return;
        };
        if *current != ticket {
            return;
        }
        let sent = (**sent).clone();
        match answer {
            HttpAnswer::Ok { etag, .. } => {
                let marked = ws.mark_published(&sent);
                if !marked.is_empty() {
                    out.push(Command::WriteRecords(marked));
                }
                self.meta.etag = etag;
                self.meta.last_published = ctx
                    .now
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok();
                self.attempts = 0;
                let unsent =
                    ws.publishable_bundle(ctx.now, ctx.catalogue)
                        .is_some_and(|(now, _)| {
                            now.records != sent.records || now.author != sent.author
                        });
                if self.again && unsent {
                    self.save_meta(out);
                    return self.put(ws, ctx, out);
                }
                self.meta.pending = false;
                self.save_meta(out);
                self.release(out);
                let held_back = ws
                    .publishable_bundle(ctx.now, ctx.catalogue)
                    .map(|(_, held_back)| held_back)
                    .unwrap_or_default();
                self.phase = Phase::Idle;
                self.status = Status::Published {
                    at: ctx.now,
                    held_back,
                    merged: self.merged,
                };
            }
            answer => match answer::classify(&answer) {
                answer::Outcome::Conflict => {
                    self.conflicts += 1;
                    if self.conflicts > MAX_CONFLICTS {
                        return self.stop(StopReason::Conflicts, out);
                    }
                    let ticket = self.ticket();
                    self.phase = Phase::Fetching(ticket);
                    out.push(Command::Get { ticket });
                    out.push(Command::StartTimer {
                        ticket,
                        after_ms: REQUEST_DEADLINE_MS,
                    });
                }
                answer::Outcome::Transient(failure) => self.transient(failure, out),
                answer::Outcome::Refused(reason) => self.stop(reason, out),
                answer::Outcome::Missing => self.stop(StopReason::Rejected("404".into()), out),
            },
        }
    }

    fn get_answered(
        &mut self,
        ws: &mut Workspace,
        ctx: &Context,
        ticket: Ticket,
        answer: HttpAnswer,
        out: &mut Vec<Command>,
    ) {
        if self.phase != Phase::Fetching(ticket) {
            return;
        }
        match answer {
            HttpAnswer::Ok { etag, body } => {
                let remote = body.as_deref().map(|text| parse_bundle(text.as_bytes()));
                let mine = ws.profile.as_ref().map(|p| p.id.as_str());
                if let Some(Ok(remote)) = remote {
                    if Some(remote.author.id.as_str()) == mine {
                        let changed = ws.absorb_remote(&remote);
                        self.merged += changed.len();
                        if !changed.is_empty() {
                            out.push(Command::WriteRecords(changed));
                        }
                    }
                }
                // A file this author owns but nobody can read is replaced by this device's.
                self.meta.etag = etag;
                self.put(ws, ctx, out);
            }
            answer => match answer::classify(&answer) {
                answer::Outcome::Missing => {
                    self.meta.etag = None;
                    self.put(ws, ctx, out);
                }
                answer::Outcome::Transient(failure) => self.transient(failure, out),
                answer::Outcome::Refused(reason) => self.stop(reason, out),
                answer::Outcome::Conflict => self.transient(Failure::Server(412), out),
            },
        }
    }

    fn timer(&mut self, ws: &Workspace, ticket: Ticket, out: &mut Vec<Command>) {
        if self.debounce == Some(ticket) {
            self.debounce = None;
            return self.want(ws, out);
        }
        match self.phase {
            Phase::Putting {
                ticket: current, ..
            }
            | Phase::Fetching(current)
                if current == ticket =>
            {
                out.push(Command::Abort { ticket });
                self.transient(Failure::Timeout, out);
            }
            Phase::Waiting(current) if current == ticket => self.begin(ws, out),
            _ => {}
        }
    }

    fn release(&mut self, out: &mut Vec<Command>) {
        if self.holds_lock {
            self.holds_lock = false;
            out.push(Command::ReleaseLock);
        }
    }

    fn transient(&mut self, failure: Failure, out: &mut Vec<Command>) {
        self.release(out);
        self.attempts += 1;
        if self.attempts >= MAX_ATTEMPTS {
            let attempts = self.attempts;
            return self.stop(StopReason::GaveUp { failure, attempts }, out);
        }
        let retry_in_ms = BACKOFF_MS[(self.attempts as usize - 1).min(BACKOFF_MS.len() - 1)];
        let ticket = self.ticket();
        self.phase = Phase::Waiting(ticket);
        self.status = Status::Retrying {
            failure,
            attempt: self.attempts,
            retry_in_ms,
        };
        out.push(Command::StartTimer {
            ticket,
            after_ms: retry_in_ms,
        });
    }

    /// Stops until the participant or the network does something; the request stays pending.
    fn stop(&mut self, reason: StopReason, out: &mut Vec<Command>) {
        self.release(out);
        self.phase = Phase::Stopped(reason.clone());
        self.status = Status::Stopped(reason);
    }
}
