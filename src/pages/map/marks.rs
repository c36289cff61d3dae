//! What is new on this screen: when it first saw each record (history, not a copy of anything
//! derivable), and from that the fading "+N" per topic and the count the feed shows.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{fresh_per_topic, Arrivals};
use networkshop_core::map_query::MapQuery;

use super::{now_ms, MapData, FADE};
use crate::services::Community;

/// The arrivals, the fresh marks per topic and their count. Arrivals are noted when the
/// community changes (and once after the first pull, an empty room's starting point), not on
/// every poll; the marks fade by `clock`.
pub(super) fn fresh_marks(
    state: Community,
    clock: RwSignal<u64>,
    query: Memo<MapQuery>,
    data: MapData,
) -> (
    RwSignal<Arrivals>,
    Memo<BTreeMap<String, usize>>,
    Memo<usize>,
) {
    let arrivals = RwSignal::new(Arrivals::default());
    let pulled = Memo::new(move |_| state.cache.with(|c| c.last_pull.is_some()));
    Effect::new(move |_| {
        let pulled = pulled.get();
        state.live.with(|live| {
            if pulled || arrivals.with_untracked(Arrivals::has_started) {
                arrivals.update(|a| a.observe_live(live, now_ms()));
            }
        });
    });
    // A memo, so that other changes of the address (a depth, a filter) leave the marks alone.
    let fade_ms = Memo::new(move |_| {
        query
            .with(|q| q.fade.map_or(FADE, Duration::from_secs))
            .as_millis() as u64
    });
    let fresh = Memo::new(move |_| arrivals.with(|a| a.fresh(clock.get(), fade_ms.get())));
    let fresh_topics = Memo::new(move |_| {
        fresh.with(|fresh| {
            data.with(|community, _| fresh_per_topic(community, Catalogue::wsis(), fresh))
        })
    });
    let fresh_count = Memo::new(move |_| fresh.with(|f| f.len()));
    (arrivals, fresh_topics, fresh_count)
}
