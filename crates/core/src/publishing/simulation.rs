//! A simulated world for the publisher: tabs sharing one browser's storage and lock, an
//! endpoint with ETags and write tokens, a second device of the same participant, and a network
//! that drops, delays, hangs, fails and lets aborted requests land anyway.

use std::collections::BTreeMap;

use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::*;
use crate::bundle::{parse_bundle, Bundle};
use crate::catalogue::Catalogue;
use crate::record::{Kind, Record, Region, StakeholderGroup};
use crate::workspace::PublishState;
use crate::workspace::{LocalRecord, Workspace};

const AUTHOR: &str = "alice";

/// xorshift64*: the whole run follows from one seed, so proptest can replay a failure.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Default)]
struct Endpoint {
    file: Option<(Bundle, String)>,
    owner: Option<String>,
    writes: u64,
    refusals: u64,
}

impl Endpoint {
    /// Authorization before preconditions, as the real endpoint does.
    fn put(&mut self, body: &str, precondition: &Precondition, token: &str) -> HttpAnswer {
        let bundle = parse_bundle(body.as_bytes()).expect("the publisher sends valid bundles");
        if self.owner.as_deref().is_some_and(|owner| owner != token) {
            self.refusals += 1;
            return status(403, "forbidden");
        }
        let holds = match (precondition, &self.file) {
            (Precondition::Absent, None) => true,
            (Precondition::Matches(etag), Some((_, current))) => etag == current,
            _ => false,
        };
        if !holds {
            return status(412, "precondition_failed");
        }
        self.writes += 1;
        let etag = format!("\"e{}\"", self.writes);
        self.owner.get_or_insert_with(|| token.to_owned());
        self.file = Some((bundle, etag.clone()));
        HttpAnswer::Ok {
            etag: Some(etag),
            body: None,
        }
    }

    fn get(&self) -> HttpAnswer {
        match &self.file {
            Some((bundle, etag)) => HttpAnswer::Ok {
                etag: Some(etag.clone()),
                body: Some(bundle.to_json()),
            },
            None => status(404, "not_found"),
        }
    }

    fn record(&self, id: Uuid) -> Option<&Record> {
        self.file.as_ref()?.0.records.iter().find(|r| r.id == id)
    }
}

fn status(status: u16, code: &str) -> HttpAnswer {
    HttpAnswer::Status {
        status,
        code: code.into(),
    }
}

enum Pending {
    Event(Event),
    Put {
        ticket: Ticket,
        body: String,
        precondition: Precondition,
        token: String,
    },
    Get {
        ticket: Ticket,
    },
    Timer {
        ticket: Ticket,
        at: OffsetDateTime,
    },
}

struct Tab {
    id: usize,
    publisher: Publisher,
    ws: Workspace,
}

#[derive(Default)]
pub(super) struct Counts {
    pub(super) faults: u64,
    tokens_made: u64,
    puts: u64,
}

pub(super) struct World {
    rng: Rng,
    now: OffsetDateTime,
    tabs: Vec<Tab>,
    next_tab: usize,
    pending: Vec<(usize, Pending)>,
    stored_meta: Option<PublishMeta>,
    stored_token: Option<String>,
    stored_records: BTreeMap<Uuid, LocalRecord>,
    lock: Option<usize>,
    waiting_for_lock: Vec<usize>,
    endpoint: Endpoint,
    faults: bool,
    auto: bool,
    /// The last title this participant typed, per record.
    typed: BTreeMap<Uuid, String>,
    other_device: Vec<Uuid>,
    pub(super) counts: Counts,
}

fn complete(id: Uuid, title: String, now: OffsetDateTime) -> Record {
    let mut record = crate::test_support::record(0, AUTHOR, Kind::Project, &["C4"]);
    record.id = id;
    record.title = title;
    record.updated_at = now;
    record
}

impl World {
    pub(super) fn new(seed: u64) -> World {
        let mut world = World {
            rng: Rng(seed | 1),
            now: datetime!(2005-11-16 09:00 UTC),
            tabs: Vec::new(),
            next_tab: 0,
            pending: Vec::new(),
            stored_meta: None,
            stored_token: None,
            stored_records: BTreeMap::new(),
            lock: None,
            waiting_for_lock: Vec::new(),
            endpoint: Endpoint::default(),
            faults: true,
            auto: seed.is_multiple_of(2),
            typed: BTreeMap::new(),
            other_device: Vec::new(),
            counts: Counts::default(),
        };
        world.open_tab();
        world
    }

    fn profile() -> crate::record::AuthorProfile {
        crate::test_support::profile(AUTHOR, StakeholderGroup::CivilSociety, Region::Africa)
    }

    fn open_tab(&mut self) {
        let mut ws = Workspace {
            profile: Some(World::profile()),
            ..Default::default()
        };
        ws.records = self.stored_records.clone();
        self.next_tab += 1;
        self.tabs.push(Tab {
            id: self.next_tab,
            publisher: Publisher::default(),
            ws,
        });
        let started = Event::Started {
            stored: self.stored_meta.clone(),
            token: self.stored_token.clone(),
            auto: self.auto,
        };
        self.send(self.next_tab, started);
    }

    fn close_tab(&mut self, id: usize) {
        self.tabs.retain(|t| t.id != id);
        // Timers and answers die with the tab; requests already sent may still land.
        self.pending
            .retain(|(tab, p)| *tab != id || matches!(p, Pending::Put { .. }));
        self.waiting_for_lock.retain(|t| *t != id);
        if self.lock == Some(id) {
            self.release_lock();
        }
    }

    fn release_lock(&mut self) {
        self.lock = None;
        if !self.waiting_for_lock.is_empty() {
            let next = self.waiting_for_lock.remove(0);
            self.grant(next);
        }
    }

    fn grant(&mut self, tab: usize) {
        self.lock = Some(tab);
        let records = self.stored_records.values().cloned().collect();
        let event = Event::LockGranted {
            stored: self.stored_meta.clone(),
            token: self.stored_token.clone(),
            records,
        };
        self.pending.push((tab, Pending::Event(event)));
    }

    fn send(&mut self, tab: usize, event: Event) {
        let now = self.now;
        let Some(t) = self.tabs.iter_mut().find(|t| t.id == tab) else {
            return;
        };
        let ctx = Context {
            now,
            catalogue: Catalogue::wsis(),
        };
        let commands = t.publisher.step(&mut t.ws, &ctx, event);
        for command in commands {
            self.run(tab, command);
        }
    }

    fn write_records(&mut self, tab: usize, ids: &[Uuid]) {
        let Some(t) = self.tabs.iter().find(|t| t.id == tab) else {
            return;
        };
        let written: Vec<LocalRecord> = ids
            .iter()
            .filter_map(|id| t.ws.records.get(id).cloned())
            .collect();
        for local in written {
            self.stored_records.insert(local.record.id, local.clone());
            // The other tabs hear of it and take the stored copy.
            for other in self.tabs.iter_mut().filter(|o| o.id != tab) {
                other.ws.absorb_stored(local.clone());
            }
        }
    }

    fn run(&mut self, tab: usize, command: Command) {
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

    /// The participant's other device publishes a record of its own first.
    fn other_device_publishes(&mut self) {
        let Some(token) = self.endpoint.owner.clone() else {
            return;
        };
        let Some((mut bundle, etag)) = self.endpoint.file.clone() else {
            return;
        };
        let id = Uuid::from_u128(0xD0 << 64 | self.other_device.len() as u128);
        bundle
            .records
            .push(complete(id, format!("from the phone {id}"), self.now));
        let answer = self
            .endpoint
            .put(&bundle.to_json(), &Precondition::Matches(etag), &token);
        assert!(matches!(answer, HttpAnswer::Ok { .. }));
        self.other_device.push(id);
    }

    fn edit(&mut self) {
        let Some(index) = (!self.tabs.is_empty()).then(|| self.rng.below(self.tabs.len() as u64))
        else {
            return;
        };
        let existing: Vec<Uuid> = self.typed.keys().copied().collect();
        let id = if existing.is_empty() || self.rng.chance(25) {
            Uuid::from_u128(0xA0 << 64 | self.typed.len() as u128)
        } else {
            existing[self.rng.below(existing.len() as u64) as usize]
        };
        let title = format!("title {} of {id}", self.rng.below(1 << 40));
        let now = self.now;
        let incomplete = self.rng.chance(10);
        let tab = &mut self.tabs[index as usize];
        let mut record = tab
            .ws
            .records
            .get(&id)
            .map(|l| l.record.clone())
            .unwrap_or_else(|| complete(id, String::new(), now));
        record.title = title.clone();
        if incomplete {
            record.topics.clear();
        } else if record.topics.is_empty() {
            record.topics = vec!["C4".into()];
        }
        tab.ws.save(record, now);
        let tab_id = tab.id;
        self.typed.insert(id, title);
        self.write_records(tab_id, &[id]);
        self.send(tab_id, Event::EditSaved);
    }

    /// Hands one pending answer, event or timer to its tab, with a fault now and then.
    fn deliver(&mut self, index: usize) {
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

    pub(super) fn act(&mut self) {
        self.now += Duration::seconds(1);
        let roll = self.rng.below(100);
        let first_tab = self.tabs.first().map(|t| t.id);
        match roll {
            0..=29 => self.edit(),
            30..=39 => {
                if let Some(tab) = self.random_tab() {
                    self.send(tab, Event::PublishRequested);
                }
            }
            40..=42 => {
                for tab in self.tabs.iter().map(|t| t.id).collect::<Vec<_>>() {
                    self.send(tab, Event::Online);
                }
            }
            43..=45 => {
                // Reload: the tab goes, a new one opens on what is stored.
                if let Some(tab) = self.random_tab() {
                    self.close_tab(tab);
                    self.open_tab();
                }
            }
            46..=47 if self.tabs.len() < 2 => self.open_tab(),
            48..=49 if self.tabs.len() > 1 => self.close_tab(first_tab.expect("a tab")),
            50..=52 => self.other_device_publishes(),
            _ if !self.pending.is_empty() => {
                let index = self.rng.below(self.pending.len() as u64) as usize;
                self.deliver(index);
            }
            _ => {}
        }
        if self.tabs.is_empty() {
            self.open_tab();
        }
        self.check_nothing_falsely_published();
    }

    fn random_tab(&mut self) -> Option<usize> {
        let index = self.rng.below(self.tabs.len() as u64) as usize;
        self.tabs.get(index).map(|t| t.id)
    }

    /// A record reads "Published" only if the endpoint holds that content, or a newer revision.
    fn check_nothing_falsely_published(&self) {
        let copies = self
            .tabs
            .iter()
            .flat_map(|t| t.ws.records.values())
            .chain(self.stored_records.values());
        for local in copies.filter(|l| l.state() == PublishState::Published) {
            let held = self.endpoint.record(local.record.id);
            let honest = held.is_some_and(|held| {
                held.revision > local.record.revision
                    || *held == crate::workspace::published_form(&local.record)
            });
            assert!(
                honest,
                "shown as published but not on the endpoint: {local:?} vs {held:?}"
            );
        }
    }

    /// The network heals and the participant presses Publish in every tab; then everything
    /// pending runs, timers in time order, until nothing is left.
    pub(super) fn heal(&mut self) {
        self.faults = false;
        for tab in self.tabs.iter().map(|t| t.id).collect::<Vec<_>>() {
            self.send(tab, Event::Online);
            self.send(tab, Event::PublishRequested);
        }
        for _ in 0..10_000 {
            let next = self
                .pending
                .iter()
                .position(|(_, p)| !matches!(p, Pending::Timer { .. }))
                .or_else(|| {
                    let timers =
                        self.pending
                            .iter()
                            .enumerate()
                            .filter_map(|(i, (_, p))| match p {
                                Pending::Timer { at, .. } => Some((*at, i)),
                                _ => None,
                            });
                    timers.min().map(|(_, i)| i)
                });
            let Some(index) = next else { return };
            self.deliver(index);
            self.check_nothing_falsely_published();
        }
        panic!("still busy after 10,000 steps: stuck");
    }

    pub(super) fn check_healed(&self) {
        assert_eq!(
            self.endpoint.refusals, 0,
            "a tab used a token the endpoint refused"
        );
        for tab in &self.tabs {
            assert!(
                !tab.publisher.is_working(),
                "tab {} stuck: {:?}",
                tab.id,
                tab.publisher
            );
            assert!(
                !tab.publisher.meta().pending,
                "tab {} still pending",
                tab.id
            );
            assert!(
                matches!(
                    tab.publisher.status(),
                    Status::Published { .. } | Status::Idle
                ),
                "tab {}: {:?}",
                tab.id,
                tab.publisher.status()
            );
            for (id, title) in &self.typed {
                let local = &tab.ws.records[id];
                assert_eq!(
                    &local.record.title, title,
                    "an edit was lost in tab {}",
                    tab.id
                );
                if local.record.topics.is_empty() {
                    continue;
                }
                assert_eq!(local.state(), PublishState::Published, "{local:?}");
            }
        }
        for (id, title) in &self.typed {
            assert_eq!(
                &self.stored_records[id].record.title, title,
                "an edit was lost in storage"
            );
            let on_endpoint = self.endpoint.record(*id);
            if !self.stored_records[id].record.topics.is_empty() {
                assert_eq!(
                    on_endpoint.map(|r| &r.title),
                    Some(title),
                    "not published: {id}"
                );
            }
        }
        for id in &self.other_device {
            assert!(
                self.endpoint.record(*id).is_some(),
                "the other device's record was lost"
            );
        }
    }
}
