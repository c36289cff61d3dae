//! The publisher: one step per event, from the phase it is in to the commands it gives.
//! Starting a publish is in `request.rs`, handling what comes back in `answered.rs`.

mod answered;
mod request;

use time::OffsetDateTime;

use super::answer::StopReason;
use super::protocol::{Command, Event, PublishMeta, Status, Ticket};
use super::AUTO_PUBLISH_DELAY_MS;
use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::workspace::Workspace;

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
                    // A publish asked for while the key was being stored gets a try of its own:
                    // storage may work again, and the request must not vanish with this run.
                    if std::mem::take(&mut self.again) {
                        self.begin(ws, out);
                    }
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
}
