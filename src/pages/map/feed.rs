//! The live feed beside the picture: how many contributions arrived a short while ago, and the
//! latest few with who sent them and their topics in words. It sits in the side panel, so
//! nothing it does moves the picture.

use leptos::prelude::*;
use networkshop_core::map::Arrivals;
use networkshop_core::merge::RecordKey;

use super::MapData;
use crate::i18n::{topics_in_words, tr, tr_count, use_lang};

/// How many contributions the feed lists.
const FEED_LENGTH: usize = 5;

/// Changed records the feed looks up one by one; past that (a load merging thousands between
/// two redraws) one pass over the view is cheaper.
const LOOKED_UP_AT_MOST: usize = 1_000;

/// A feed item: the record, its title, who sent it, their organisation and its topics.
type Item = (RecordKey, String, String, String, Vec<String>);

/// The feed as last worked out, and from which state of the live view, so that the next
/// update looks only at what changed (see `Arrivals::latest_since`).
#[derive(Clone, PartialEq)]
struct Latest {
    items: Vec<Item>,
    /// The last answer on the live view (its generation and records), kept while a filter is
    /// set: going back to everyone then looks only at what changed since, not at every record
    /// (at 10,000 authors a task of 50–65 ms).
    live: Option<(u64, Vec<RecordKey>)>,
}

#[component]
pub(super) fn Feed(
    data: MapData,
    arrivals: RwSignal<Arrivals>,
    fresh_count: Memo<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let latest = Memo::new(move |previous: Option<&Latest>| {
        arrivals.with(|arrivals| {
            let last_live = previous.and_then(|p| p.live.clone());
            let since = last_live.as_ref().map(|(generation, _)| *generation);
            data.with_changes(
                since,
                LOOKED_UP_AT_MOST,
                |community, changed, generation| {
                    let before: &[RecordKey] = last_live.as_ref().map_or(&[], |(_, keys)| keys);
                    let records =
                        arrivals.latest_since(community, FEED_LENGTH, before, changed.as_ref());
                    let items = records
                        .into_iter()
                        .map(|r| {
                            let (who, organisation) = community
                                .author(&r.author)
                                .map(|a| (a.display_name.clone(), a.organisation.clone()))
                                .unwrap_or_default();
                            (
                                RecordKey::of(r),
                                r.title.clone(),
                                who,
                                organisation,
                                r.topics.clone(),
                            )
                        })
                        .collect::<Vec<Item>>();
                    let live = match generation {
                        Some(generation) => Some((
                            generation,
                            items.iter().map(|item| item.0.clone()).collect(),
                        )),
                        None => last_live.clone(),
                    };
                    Latest { items, live }
                },
            )
        })
    });
    view! {
        <section class="feed-panel" aria-labelledby="feed-heading">
            <h2 id="feed-heading">{move || tr!(lang.get(), latest_contributions)}</h2>
            <p class="news-count" data-testid="news-count" aria-live="polite">
                {move || match fresh_count.get() {
                    0 => String::new(),
                    count => tr_count!(lang.get(), just_arrived_single, just_arrived_several, count),
                }}
            </p>
            <ul class="feed">
                <For each=move || latest.with(|l| l.items.clone()) key=|item| item.0.clone() let:item>
                    <li class="feed-item">
                        <bdi class="feed-title">{item.1.clone()}</bdi>
                        <span class="feed-who"><bdi>{item.2.clone()}</bdi>
                            {(!item.3.is_empty()).then(|| view! { " · " <bdi>{item.3.clone()}</bdi> })}
                        </span>
                        <span class="feed-topics">{move || topics_in_words(lang.get(), &item.4)}</span>
                    </li>
                </For>
            </ul>
        </section>
    }
}
