//! The community view: everyone's published resources, pulled from the endpoint every few
//! seconds, drawn as a picture of the Plan of Action's topics and as a table with the same
//! numbers, with gaps marked and one topic's network opened. The address carries the depth,
//! the filters, the open topic and projector mode, so a view can be bookmarked or shared.

mod data;
mod network;
mod people;
mod problems;
mod table;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::topic_rows;
use networkshop_core::record::{Kind, Region, StakeholderGroup};

use crate::clock::time_of_day;
use crate::components::export_menu::ExportMenu;
use crate::components::topic_picture::TopicPicture;
use crate::i18n::{
    group_label, kind_label, region_label, topics_in_words, tr, tr_count, use_lang, Lang,
};
use crate::services::{now, use_community, SyncError};
use crate::view_filters::{code, Filters};

const POLL_EVERY: Duration = Duration::from_secs(5);
/// How long the auto-tour stays on an action line, unless the address says (`tour_every`, in
/// seconds, at least 3).
const TOUR_STEP: Duration = Duration::from_secs(12);

/// A filter choice: its value in the address and its label in a language.
type FilterOption = (String, Arc<dyn Fn(Lang) -> &'static str + Send + Sync>);

fn options<T: Copy + serde::Serialize + Send + Sync + 'static>(
    all: &[T],
    label: fn(Lang, T) -> &'static str,
) -> Vec<FilterOption> {
    all.iter()
        .map(|v| {
            let v = *v;
            let label: Arc<dyn Fn(Lang) -> &'static str + Send + Sync> =
                Arc::new(move |lang| label(lang, v));
            (code(&v), label)
        })
        .collect()
}

pub use data::MapData;
use network::TopicNetwork;
use people::{JoinCode, Participants};
use problems::FileProblems;
use table::TopicTable;

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let state = use_community();
    let query = use_query_map();
    // Stored so that every handler below can share it (the navigate function is not Copy).
    let navigate = StoredValue::new_local(use_navigate());
    spawn_local(state.pull());
    if let Ok(handle) = set_interval_with_handle(move || spawn_local(state.pull()), POLL_EVERY) {
        on_cleanup(move || handle.clear());
    }

    let param = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let depth = Memo::new(move |_| {
        param("depth")
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=3).contains(d))
            .unwrap_or(1)
    });
    let filters = Memo::new(move |_| query.with(Filters::from_query));
    let selected =
        Memo::new(move |_| Some(param("topic")).filter(|t| Catalogue::wsis().contains(t)));
    let projector = Memo::new(move |_| param("projector") == "1");
    let touring = Memo::new(move |_| param("tour") == "1");
    let tour_step = Memo::new(move |_| {
        param("tour_every")
            .parse::<u64>()
            .ok()
            .filter(|s| *s >= 3)
            .map_or(TOUR_STEP, Duration::from_secs)
    });

    // Several keys change in one navigation: two navigations in a row would each start from
    // the address before the other.
    let set_params = move |changes: &[(&'static str, String)]| {
        let mut params: Vec<(String, String)> = query.with_untracked(|q| {
            q.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        for (key, value) in changes {
            params.retain(|(k, _)| k != key);
            if !value.is_empty() {
                params.push((key.to_string(), value.clone()));
            }
        }
        params.sort();
        let search: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
            .collect();
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&format!("/map?{}", search.join("&")), options));
    };
    let set_param = move |key: &'static str, value: String| set_params(&[(key, value)]);

    let data = MapData::new(state, filters);
    let rows = Memo::new(move |_| {
        let depth = depth.get();
        data.with(|community, networks| topic_rows(community, networks, depth))
    });

    // Projector mode hides the site's header and takes the whole screen's width.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root
                .class_list()
                .toggle_with_force("projector", projector.get());
        }
    });
    on_cleanup(|| {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("projector");
        }
    });
    // The auto-tour opens one action line after another.
    Effect::new(move |_| {
        if !touring.get() {
            return;
        }
        let step = tour_step.get();
        let lines: Vec<String> = Catalogue::wsis()
            .topics()
            .iter()
            .filter(|t| t.level == 1)
            .map(|t| t.id.clone())
            .collect();
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let current = selected.get_untracked();
                let next = current
                    .as_deref()
                    .and_then(|c| Catalogue::wsis().action_line(c))
                    .and_then(|line| lines.iter().position(|l| *l == line.id))
                    .map_or(0, |i| (i + 1) % lines.len());
                set_param("topic", lines[next].clone());
            },
            step,
        ) {
            on_cleanup(move || handle.clear());
        }
    });

    // What the room has already seen: the records present at the first look (or at the last
    // "mark as seen"); anything else is new and highlighted.
    let seen = RwSignal::new(None::<(String, BTreeSet<uuid::Uuid>)>);
    let all_ids = move || {
        state
            .live
            .with_untracked(|l| l.community().records().map(|r| r.id).collect())
    };
    Effect::new(move |_| {
        if seen.with_untracked(Option::is_none) && state.cache.with(|c| c.last_pull.is_some()) {
            seen.set(Some((rfc3339_now(), all_ids())));
        }
    });
    let fresh = Memo::new(move |_| {
        seen.with(|seen| {
            let Some((_, known)) = seen else {
                return Vec::new();
            };
            data.with(|community, _| {
                let mut list: Vec<_> = community
                    .records()
                    .filter(|r| !known.contains(&r.id))
                    .cloned()
                    .collect();
                list.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
                list
            })
        })
    });
    let fresh_topics = Memo::new(move |_| {
        fresh.with(|records| {
            records
                .iter()
                .flat_map(|r| r.topics.iter())
                .flat_map(|t| Catalogue::wsis().self_and_ancestors(t))
                .map(|t| t.id.clone())
                .collect::<BTreeSet<String>>()
        })
    });
    let mark_seen = move |_| seen.set(Some((rfc3339_now(), all_ids())));

    let status = move || {
        let lang = lang.get();
        state.cache.with(|c| match (&c.error, &c.last_pull) {
            (Some(SyncError::Unreachable), _) => {
                tr!(lang, endpoint_unreachable_showing_the_last_version).to_owned()
            }
            (Some(SyncError::Status { status, .. }), _) => {
                tr!(lang, endpoint_error, status).to_string()
            }
            (None, Some(at)) => {
                let time = time_of_day(at, lang);
                tr!(lang, updated_at, time).to_string()
            }
            (None, None) => tr!(lang, loading).to_owned(),
        })
    };

    let select_filter = move |id: &'static str,
                              label: fn(Lang) -> &'static str,
                              key: &'static str,
                              options: Vec<FilterOption>| {
        view! {
            <div class="field">
                <label for=id>{move || label(lang.get())}</label>
                <select id=id on:change=move |ev| set_param(key, event_target_value(&ev))>
                    <option value="" selected=move || param(key).is_empty()>{move || tr!(lang.get(), all)}</option>
                    {options.into_iter().map(|(value, text)| {
                        let current = value.clone();
                        view! { <option value=value selected=move || param(key) == current>{move || text(lang.get())}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let date_filter =
        move |id: &'static str, label: fn(Lang) -> &'static str, key: &'static str| {
            view! {
                <div class="field">
                    <label for=id>{move || label(lang.get())}</label>
                    <input id=id type="date" prop:value=move || param(key)
                        on:change=move |ev| set_param(key, event_target_value(&ev))/>
                </div>
            }
        };
    let group_options = options(&StakeholderGroup::ALL, group_label);
    let region_options = options(&Region::ALL, region_label);
    let kind_options = options(&Kind::ALL, kind_label);
    let select_topic = move |id: String| {
        let again = selected.get_untracked().as_deref() == Some(id.as_str());
        set_param("topic", if again { String::new() } else { id });
    };
    let participant_address = move || {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/")
    };
    let export_name = Signal::derive(move || {
        let mut name = filters.with(Filters::file_suffix);
        if let Some(topic) = selected.get() {
            name.push('-');
            name.push_str(&topic);
        }
        name
    });
    let export_source = Callback::new(move |_: ()| data.with_untracked(|c, _| c.clone()));
    let report_href = move || {
        let search = query.with(|q| {
            ["group", "region", "kind", "from", "to"]
                .iter()
                .filter_map(|k| {
                    q.get(k)
                        .map(|v| format!("{k}={}", js_sys::encode_uri_component(&v)))
                })
                .collect::<Vec<_>>()
                .join("&")
        });
        format!("/report?{search}")
    };

    view! {
        <div class="map-page" class:projector-view=projector>
        <div class="map-heading">
            <h1>{move || tr!(lang.get(), topic_map)}</h1>
            <div class="map-actions">
                {move || if projector.get() {
                    view! {
                        <button type="button" on:click=move |_| {
                            if let Some(root) = document().document_element() { let _ = root.request_fullscreen(); }
                        }>{tr!(lang.get(), full_screen)}</button>
                        <button type="button" aria-pressed=move || touring.get().to_string()
                            on:click=move |_| set_param("tour", if touring.get_untracked() { String::new() } else { "1".into() })>
                            {tr!(lang.get(), auto_tour)}
                        </button>
                        <button type="button" on:click=move |_| {
                            if document().fullscreen_element().is_some() { document().exit_fullscreen(); }
                            set_params(&[("tour", String::new()), ("tour_every", String::new()), ("projector", String::new())]);
                        }>{tr!(lang.get(), leave_projector_mode)}</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" on:click=move |_| set_param("projector", "1".into())>
                            {tr!(lang.get(), projector_mode)}
                        </button>
                    }.into_any()
                }}
            </div>
        </div>
        <p role="status" data-testid="pull-status">{status}</p>
        <p data-testid="community-counts" class="community-counts">
            {move || data.with(|community, _| {
                let lang = lang.get();
                let people = tr_count!(lang, participants_single, participants_several, community.authors().count());
                let records = tr_count!(lang, resources_single, resources_several, community.records().count());
                tr!(lang, community_counts, people, records).to_string()
            })}
        </p>
        <div class="news" aria-live="polite">
            {move || {
                let count = fresh.with(Vec::len);
                let since = seen.with(|s| s.as_ref().map(|(at, _)| time_of_day(at, lang.get())).unwrap_or_default());
                (count > 0).then(|| {
                    let lang = lang.get();
                    view! {
                        <p class="news-count" data-testid="news-count">{tr!(lang, news_count, count, since = since.clone()).to_string()}</p>
                        <ul class="feed" aria-label=tr!(lang, latest_contributions)>
                            {fresh.get().into_iter().take(8).map(|r| {
                                let who = data.with_untracked(|c, _| c.author(&r.author).map(|a| a.display_name.clone()).unwrap_or_default());
                                view! { <li class="feed-item"><bdi>{r.title.clone()}</bdi><span class="hint">" — "<bdi>{who}</bdi>" · "{topics_in_words(lang, &r.topics)}</span></li> }
                            }).collect_view()}
                        </ul>
                        <button type="button" on:click=mark_seen>{tr!(lang, mark_as_seen)}</button>
                    }
                })
            }}
        </div>
        <fieldset class="map-controls">
            <legend>{move || tr!(lang.get(), view)}</legend>
            <div class="field">
                <label for="map-depth">{move || tr!(lang.get(), level_of_detail)}</label>
                <select id="map-depth" on:change=move |ev| set_param("depth", event_target_value(&ev))>
                    <option value="1" selected=move || depth.get() == 1>{move || tr!(lang.get(), action_lines_and_sections_14)}</option>
                    <option value="2" selected=move || depth.get() == 2>{move || tr!(lang.get(), and_e_applications_targets_39)}</option>
                    <option value="3" selected=move || depth.get() == 3>{move || tr!(lang.get(), all_topics_169)}</option>
                </select>
            </div>
            {select_filter("map-group", |l| tr!(l, filter_group), "group", group_options)}
            {select_filter("map-region", |l| tr!(l, filter_region), "region", region_options)}
            {select_filter("map-kind", |l| tr!(l, filter_kind), "kind", kind_options)}
            {date_filter("map-from", |l| tr!(l, filter_from), "from")}
            {date_filter("map-to", |l| tr!(l, filter_to), "to")}
        </fieldset>
        <div class="map-stage">
            <TopicPicture depth=depth rows=rows selected=selected fresh=fresh_topics on_select=Callback::new(select_topic)/>
            {move || projector.get().then(|| view! { <JoinCode address=participant_address()/> })}
        </div>
        <p class="map-legend hint">
            {move || tr!(lang.get(), disc_area_number_of_resources_dotted)}
        </p>
        {move || (!projector.get()).then(|| view! { <FileProblems/> })}
        {move || (!projector.get()).then(|| view! {
            <ExportMenu source=export_source name=export_name report_href=Signal::derive(report_href)/>
        })}
        <TopicTable rows=rows selected=selected fresh=fresh_topics on_select=Callback::new(select_topic)/>
        {move || selected.get().map(|topic| view! { <TopicNetwork topic=topic data=data/> })}
        {move || (!projector.get()).then(|| view! { <Participants data=data/> })}
        </div>
    }
}

fn rfc3339_now() -> String {
    now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
