//! How the world carries out a tab's commands (storage, the lock, requests, timers) and hands
//! answers back, with a fault now and then.

use time::Duration;

use super::endpoint::status;
use super::{Pending, World};
use crate::publishing::{Command, Event, HttpAnswer};

impl World {
    pub(super) fn run(&mut self, tab: usize, command: Command) {
        match command {
            Command::SaveMeta(meta) => {
                if self.faults && self.rng.chance(5) {
                    self.counts.faults += 1;
                } else {
                    self.stored_meta = Some(meta);
                }
            }
            Command::SaveToken { ticket, token } => {
                let ok = !(self.faults && self.rng.chance(10));
                if ok {
                    self.stored_token = Some(token);
                } else {
                    self.counts.faults += 1;
                }
                self.pending
                    .push((tab, Pending::Event(Event::TokenSaved { ticket, ok })));
            }
            Command::WriteRecords(ids) => self.write_records(tab, &ids),
            Command::AcquireLock => match self.lock {
                None => self.grant(tab),
                Some(_) => self.waiting_for_lock.push(tab),
            },
            Command::ReleaseLock => {
                assert_eq!(self.lock, Some(tab), "only the holder releases the lock");
                self.release_lock();
            }
            Command::MakeToken => {
                self.counts.tokens_made += 1;
                let token = format!("token-{}", self.rng.below(u64::MAX));
                self.pending
                    .push((tab, Pending::Event(Event::TokenMade(Some(token)))));
            }
            Command::Put {
                ticket,
                body,
                precondition,
                token,
            } => {
                assert_eq!(self.lock, Some(tab), "only the lock holder publishes");
                self.counts.puts += 1;
                self.pending.push((
                    tab,
                    Pending::Put {
                        ticket,
                        body,
                        precondition,
                        token,
                    },
                ));
            }
            Command::Get { ticket } => self.pending.push((tab, Pending::Get { ticket })),
            Command::Abort { ticket } => {
                let position = self.pending.iter().position(|(t, p)| {
                    *t == tab
                        && matches!(p, Pending::Put { ticket: k, .. } | Pending::Get { ticket: k } if *k == ticket)
                });
                if let Some(position) = position {
                    let (_, aborted) = self.pending.remove(position);
                    // An aborted upload may still have reached the server.
                    if let Pending::Put {
                        body,
                        precondition,
                        token,
                        ..
                    } = aborted
                    {
                        if self.rng.chance(50) {
                            self.endpoint.put(&body, &precondition, &token);
                        }
                    }
                }
            }
            Command::StartTimer { ticket, after_ms } => {
                let at = self.now + Duration::milliseconds(after_ms as i64);
                self.pending.push((tab, Pending::Timer { ticket, at }));
            }
            Command::Tell(_) => {}
        }
    }

    /// Hands one pending answer, event or timer to its tab, with a fault now and then.
    pub(super) fn deliver(&mut self, index: usize) {
        let (tab, pending) = self.pending.remove(index);
        let fault = if self.faults {
            self.rng.below(100)
        } else {
            100
        };
        match pending {
            Pending::Event(event) => self.send(tab, event),
            Pending::Timer { ticket, at } => {
                self.now = self.now.max(at);
                self.send(tab, Event::TimerFired { ticket });
            }
            Pending::Get { ticket } => {
                let answer = match fault {
                    0..=9 => HttpAnswer::Unreachable,
                    10..=14 => status(503, ""),
                    15..=19 => return self.counts.faults += 1, // hangs: the deadline decides
                    _ => self.endpoint.get(),
                };
                self.counts.faults += u64::from(fault < 20);
                self.send(tab, Event::GetAnswered { ticket, answer });
            }
            Pending::Put {
                ticket,
                body,
                precondition,
                token,
            } => {
                if fault < 60 {
                    self.counts.faults += 1;
                }
                let answer = match fault {
                    0..=9 => HttpAnswer::Unreachable,
                    10..=19 => {
                        // Landed, but the answer was lost.
                        self.endpoint.put(&body, &precondition, &token);
                        HttpAnswer::Unreachable
                    }
                    20..=29 => status(502, ""),
                    30..=39 => return, // hangs, or its body stalls: the deadline decides
                    40..=59 => {
                        self.other_device_publishes();
                        self.endpoint.put(&body, &precondition, &token)
                    }
                    _ => self.endpoint.put(&body, &precondition, &token),
                };
                self.send(tab, Event::PutAnswered { ticket, answer });
            }
        }
    }
}
