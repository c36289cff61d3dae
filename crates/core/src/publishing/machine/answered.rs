//! What comes back: PUT and GET answers, timers, and the two ways a run ends early (a wait
//! before retrying, or a stop with its reason).

use super::{Context, Phase, Publisher};
use crate::bundle::parse_bundle;
use crate::publishing::answer::{self, Failure, HttpAnswer, StopReason};
use crate::publishing::protocol::{Command, Status, Ticket};
use crate::publishing::{BACKOFF_MS, MAX_ATTEMPTS, MAX_CONFLICTS, REQUEST_DEADLINE_MS};
use crate::workspace::Workspace;

impl Publisher {
    pub(super) fn put_answered(
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

    pub(super) fn get_answered(
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

    pub(super) fn timer(&mut self, ws: &Workspace, ticket: Ticket, out: &mut Vec<Command>) {
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

    pub(super) fn release(&mut self, out: &mut Vec<Command>) {
        if self.holds_lock {
            self.holds_lock = false;
            out.push(Command::ReleaseLock);
        }
    }

    pub(super) fn transient(&mut self, failure: Failure, out: &mut Vec<Command>) {
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
    pub(super) fn stop(&mut self, reason: StopReason, out: &mut Vec<Command>) {
        self.release(out);
        self.phase = Phase::Stopped(reason.clone());
        self.status = Status::Stopped(reason);
    }
}
