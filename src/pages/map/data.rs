//! What the map draws from: the live community, or its filtered copy.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::map_query::{follow_live, FilteredBuild};
use networkshop_core::merge::RecordKey;
use networkshop_core::{Community, Networks};

use crate::perf;
use crate::services::Community as CommunityService;
use crate::slices::{yield_to_browser, Slices};
use crate::view_filters::Filters;

/// Records looked at between two looks at the clock (a few milliseconds of work).
const FILTER_PART: usize = 1_000;
/// Changed records the filtered copy follows in one task; more, and it is made again in slices.
const FOLLOW_MOST: usize = 5_000;

/// The view the map shows: the live community when no filter is set (updated in place as
/// bundles arrive), otherwise its filtered copy. The copy is made again when the filters or the
/// data change, in slices with the browser's turn between them (at 10,000 authors, made in one
/// go, it was one task of 110–200 ms); meanwhile the map shows what it showed and says it is
/// busy. New bundles merged in place are followed instead (their records alone, in one task),
/// so a filtered map in a busy room is not made again at every poll. A bookmarked filtered view
/// paints filtered numbers from the first frame.
#[derive(Clone, Copy)]
pub struct MapData {
    live: CommunityService,
    filtered: RwSignal<Option<FilteredCopy>>,
    busy: RwSignal<bool>,
}

/// The part of the live view that passes the filters, its index, and what it is of: the
/// filters and the live view's generation, from which it follows the next merges.
struct FilteredCopy {
    view: Community,
    index: Networks,
    filters: Filters,
    generation: u64,
}

impl FilteredCopy {
    fn made(filters: Filters, (view, index): (Community, Networks), generation: u64) -> Self {
        FilteredCopy {
            view,
            index,
            filters,
            generation,
        }
    }
}

impl MapData {
    pub fn new(state: CommunityService, filters: Memo<Filters>) -> MapData {
        let first = filters.get_untracked();
        let made = (!first.is_empty()).then(|| {
            state.live.with_untracked(|live| {
                let made =
                    FilteredBuild::new(first.clone()).finish(live.community(), live.networks());
                FilteredCopy::made(first, made, live.generation())
            })
        });
        let data = MapData {
            live: state,
            filtered: RwSignal::new(made),
            busy: RwSignal::new(false),
        };
        // Which change the copy being made is for: a later one stops it.
        let change = StoredValue::new(0u64);
        Effect::new(move |ran: Option<()>| {
            let filters = filters.get();
            state.live.track();
            if ran.is_none() {
                // The first copy is made above.
                return;
            }
            change.update_value(|n| *n += 1);
            if !filters.is_empty() {
                if data.follow(&filters) {
                    data.set_busy(false);
                } else {
                    spawn_local(data.make(filters, change, change.get_value()));
                }
                return;
            }
            data.set_busy(false);
            if data.filtered.with_untracked(Option::is_some) {
                data.replace_copy(None);
            }
        });
        data
    }

    /// Makes the filtered copy for change number `mine`, the browser given its turn between
    /// slices; gives up when a later change comes meanwhile (its copy is then being made) or
    /// the map is closed.
    async fn make(self, filters: Filters, change: StoredValue<u64>, mine: u64) {
        let current = || change.try_get_value() == Some(mine);
        if !current() {
            return;
        }
        let measure = perf::start("networkshop:filter");
        let live = self.live.live;
        let mut build = FilteredBuild::new(filters.clone());
        let mut slices = Slices::new();
        // The change's own work (the address, the controls) ends its task first, and the map's
        // redraw on the copy gets a turn of its own: neither lengthens a slice.
        slices.next().await;
        if !current() {
            return;
        }
        while !live.with_untracked(|l| build.step(l.community(), l.networks(), FILTER_PART)) {
            if slices.over() {
                self.set_busy(true);
                slices.next().await;
                if !current() {
                    return;
                }
            }
        }
        let made = live.with_untracked(|l| {
            let made = build.finish(l.community(), l.networks());
            FilteredCopy::made(filters, made, l.generation())
        });
        measure.end();
        slices.next().await;
        if !current() {
            return;
        }
        self.replace_copy(Some(made));
        self.set_busy(false);
    }

    /// Shows `copy` (the live view when `None`) and lets the one it replaces go in a task of
    /// its own: at 10,000 authors, freeing a group's copy and its index took 33 ms of the
    /// redraw's task.
    fn replace_copy(&self, copy: Option<FilteredCopy>) {
        let old = self
            .filtered
            .try_update(|shown| std::mem::replace(shown, copy));
        if let Some(Some(old)) = old {
            spawn_local(async move {
                yield_to_browser().await;
                drop(old);
            });
        }
    }

    /// Brings the copy made for `filters` up to date with the live view's in-place merges since
    /// it was made; false when there is no such copy or it must be made again (a rebuild of the
    /// live view, more than [`FOLLOW_MOST`] records changed, something taken out of the copy).
    fn follow(&self, filters: &Filters) -> bool {
        let followed = self.live.live.with_untracked(|live| {
            self.filtered
                .try_update_untracked(|copy| {
                    let copy = copy.as_mut().filter(|copy| copy.filters == *filters)?;
                    let changes = live.changes_since_at_most(copy.generation, FOLLOW_MOST)?;
                    let changed = !changes.is_empty();
                    if changed {
                        let (view, index) = (&mut copy.view, &mut copy.index);
                        follow_live(filters, live.community(), &changes, view, index)
                            .then_some(())?;
                    }
                    copy.generation = live.generation();
                    Some(changed)
                })
                .flatten()
        });
        if followed == Some(true) {
            self.filtered.notify();
        }
        followed.is_some()
    }

    /// Says whether a copy is being made, telling the map only of a change (a closed map is
    /// not told).
    fn set_busy(&self, busy: bool) {
        if self.busy.try_get_untracked() == Some(!busy) {
            let _ = self.busy.try_set(busy);
        }
    }

    /// Whether a filtered copy is being made (the map shows the one before meanwhile).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// [`MapData::with`] for what keeps its own answer from one update to the next: also the
    /// records changed since the live view's `generation` (`None` for a filtered view, made
    /// anew at each change, when the view cannot tell, or when more than `most` changed) and
    /// its generation now.
    pub fn with_changes<R>(
        &self,
        generation: Option<u64>,
        most: usize,
        f: impl FnOnce(&Community, Option<BTreeSet<RecordKey>>, Option<u64>) -> R,
    ) -> R {
        self.filtered.with(|filtered| match filtered {
            Some(copy) => f(&copy.view, None, None),
            None => self.live.live.with(|live| {
                let changed = generation.and_then(|since| live.changed_since_at_most(since, most));
                f(live.community(), changed, Some(live.generation()))
            }),
        })
    }

    // Two near-identical bodies on purpose: one shared body would have to clone the filtered
    // view (signals lend their value only inside `with` or `with_untracked`).
    pub fn with<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with(|filtered| match filtered {
            Some(copy) => f(&copy.view, &copy.index),
            None => self
                .live
                .live
                .with(|live| f(live.community(), live.networks())),
        })
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with_untracked(|filtered| match filtered {
            Some(copy) => f(&copy.view, &copy.index),
            None => self
                .live
                .live
                .with_untracked(|live| f(live.community(), live.networks())),
        })
    }
}
