//! Starting a publish: asking for the lock, the token, then the PUT.

use uuid::Uuid;

use super::{Context, Phase, Publisher};
use crate::publishing::answer::StopReason;
use crate::publishing::protocol::{Command, Precondition, PublishMeta, Status, Ticket};
use crate::publishing::REQUEST_DEADLINE_MS;
use crate::validate::validate_profile;
use crate::workspace::{LocalRecord, Workspace};

impl Publisher {
    pub(super) fn ticket(&mut self) -> Ticket {
        self.next_ticket += 1;
        self.next_ticket
    }

    pub(super) fn save_meta(&self, out: &mut Vec<Command>) {
        out.push(Command::SaveMeta(self.meta.clone()));
    }

    /// Records that a publish is wanted and starts one, or notes it for after the current one.
    pub(super) fn want(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
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

    pub(super) fn restart(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
        self.attempts = 0;
        self.begin(ws, out);
    }

    pub(super) fn begin(&mut self, ws: &Workspace, out: &mut Vec<Command>) {
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

    pub(super) fn locked(
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

    pub(super) fn put(&mut self, ws: &Workspace, ctx: &Context, out: &mut Vec<Command>) {
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
}
