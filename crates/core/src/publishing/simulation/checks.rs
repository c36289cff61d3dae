//! What must hold: at every step, nothing shown as published that the endpoint lacks; once
//! the network heals, nothing lost, stuck or pending.

use super::{Pending, World};
use crate::publishing::{Event, Status};
use crate::workspace::PublishState;

impl World {
    /// A record reads "Published" only if the endpoint holds that content, or a newer revision.
    pub(super) fn check_nothing_falsely_published(&self) {
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
    pub(in crate::publishing) fn heal(&mut self) {
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

    pub(in crate::publishing) fn check_healed(&self) {
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
