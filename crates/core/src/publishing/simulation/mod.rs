//! A simulated world for the publisher: tabs sharing one browser's storage and lock, an
//! endpoint with ETags and write tokens, a second device of the same participant, and a network
//! that drops, delays, hangs, fails and lets aborted requests land anyway.

use std::collections::BTreeMap;

use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

mod checks;
mod endpoint;
mod shell;

use super::*;
use crate::catalogue::Catalogue;
use crate::record::{Kind, Record, Region, StakeholderGroup};
use crate::workspace::{LocalRecord, Workspace};
use endpoint::{Endpoint, Rng};

const AUTHOR: &str = "alice";

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
}
