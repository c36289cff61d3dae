//! The community view: everyone's published resources, pulled from the endpoint every few
//! seconds, drawn as a picture of the Plan of Action's topics and as a table with the same
//! numbers, with gaps marked and one topic's network opened. The address carries the depth,
//! the filters, the open topic and projector mode, so a view can be bookmarked or shared.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::map::{topic_rows, TopicRow};
use networkshop_core::record::{Kind, Region, StakeholderGroup};
use networkshop_core::{Community, Networks};

use crate::clock::time_of_day;
use crate::components::export_menu::ExportMenu;
use crate::components::topic_picture::TopicPicture;
use crate::i18n::{
    bundle_error_message, group_label, kind_label, region_label, tr, use_lang, Lang,
};
use crate::perf;
use crate::services::{now, use_community, Community as CommunityService, SyncError};
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

/// The view the map shows: the live community when no filter is set (updated in place as
/// bundles arrive), otherwise its filtered copy, rebuilt when the filters or the data change.
#[derive(Clone, Copy)]
pub struct MapData {
    live: CommunityService,
    filtered: RwSignal<Option<(Community, Networks)>>,
}

impl MapData {
    pub fn new(state: CommunityService, filters: Memo<Filters>) -> MapData {
        let filtered = RwSignal::new(None);
        Effect::new(move |_| {
            let filters = filters.get();
            if filters.is_empty() {
                filtered.set(None);
                return;
            }
            let measure = perf::start("networkshop:filter");
            let view = state.live.with(|live| {
                let community = live
                    .community()
                    .filtered(|a| filters.keeps_author(a), |r| filters.keeps_record(r));
                let networks = Networks::build(&community, Catalogue::wsis());
                (community, networks)
            });
            filtered.set(Some(view));
            measure.end();
        });
        MapData {
            live: state,
            filtered,
        }
    }

    // Two near-identical bodies on purpose: one shared body would have to clone the filtered
    // view (signals lend their value only inside `with` or `with_untracked`).
    pub fn with<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with(|filtered| match filtered {
            Some((community, networks)) => f(community, networks),
            None => self
                .live
                .live
                .with(|live| f(live.community(), live.networks())),
        })
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Community, &Networks) -> R) -> R {
        self.filtered.with_untracked(|filtered| match filtered {
            Some((community, networks)) => f(community, networks),
            None => self
                .live
                .live
                .with_untracked(|live| f(live.community(), live.networks())),
        })
    }
}

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
                format!("{} ({status})", tr!(lang, endpoint_error))
            }
            (None, Some(at)) => format!("{} {}", tr!(lang, updated_at), time_of_day(at, lang)),
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
                let people = community.authors().count();
                let records = community.records().count();
                tr!(lang.get(), community_counts, people, records).to_string()
            })}
        </p>
        <div class="news" aria-live="polite">
            {move || {
                let count = fresh.with(Vec::len);
                let since = seen.with(|s| s.as_ref().map(|(at, _)| time_of_day(at, lang.get())).unwrap_or_default());
                (count > 0).then(|| {
                    let lang = lang.get();
                    view! {
                        <p class="news-count" data-testid="news-count">{format!("+{count} {} {since}", tr!(lang, since))}</p>
                        <ul class="feed" aria-label=tr!(lang, latest_contributions)>
                            {fresh.get().into_iter().take(8).map(|r| {
                                let who = data.with_untracked(|c, _| c.author(&r.author).map(|a| a.display_name.clone()).unwrap_or_default());
                                view! { <li class="feed-item">{r.title.clone()}<span class="hint">{format!(" — {who} · {}", r.topics.join(", "))}</span></li> }
                            }).collect_view()}
                        </ul>
                        <button type="button" on:click=mark_seen>{tr!(lang, mark_as_seen)}</button>
                    }
                })
            }}
        </div>
        <div role="alert" class="error">
            {move || state.cache.with(|c| (!c.rejected.is_empty()).then(|| {
                let lang = lang.get();
                view! {
                    <p>{tr!(lang, files_skipped)}</p>
                    <ul class="problems">
                        {c.rejected.iter().map(|(name, error)| view! { <li><code>{name.clone()}</code>" — "{bundle_error_message(lang, error)}</li> }).collect_view()}
                    </ul>
                }
            }))}
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
        {move || (!projector.get()).then(|| view! {
            <ExportMenu source=export_source name=export_name report_href=Signal::derive(report_href)/>
        })}
        <TopicTable rows=rows selected=selected fresh=fresh_topics on_select=Callback::new(select_topic)/>
        {move || selected.get().map(|topic| view! { <TopicNetwork topic=topic data=data/> })}
        {move || (!projector.get()).then(|| view! { <Participants data=data/> })}
        </div>
    }
}

/// The same numbers as the picture, for screen readers and keyboard users. Rows are keyed by
/// topic and update in place, so a poll never moves the keyboard focus.
#[component]
fn TopicTable(
    rows: Memo<Vec<TopicRow>>,
    selected: Memo<Option<String>>,
    fresh: Memo<BTreeSet<String>>,
    on_select: Callback<String>,
) -> impl IntoView {
    let lang = use_lang();
    let ids = Memo::new(move |_| {
        rows.with(|rows| {
            rows.iter()
                .map(|r| (r.id.clone(), r.level))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <table class="topic-table">
            <caption>{move || tr!(lang.get(), actors_and_resources_by_topic_counts)}</caption>
            <thead><tr>
                <th scope="col">{move || tr!(lang.get(), topic)}</th>
                <th scope="col">{move || tr!(lang.get(), actors)}</th>
                <th scope="col">{move || tr!(lang.get(), resources)}</th>
                <th scope="col">{move || tr!(lang.get(), gap)}</th>
            </tr></thead>
            <tbody>
                <For each=move || ids.get() key=|(id, _)| id.clone() let:((id, level))>
                    {
                        let row = {
                            let id = id.clone();
                            Memo::new(move |_| rows.with(|rows| rows.iter().find(|r| r.id == id).cloned()))
                        };
                        let is_selected = {
                            let id = id.clone();
                            Memo::new(move |_| selected.get().as_deref() == Some(id.as_str()))
                        };
                        let is_new = {
                            let id = id.clone();
                            move || fresh.with(|t| t.contains(&id))
                        };
                        let title = {
                            let id = id.clone();
                            move || Catalogue::wsis().get(&id).map(|t| t.title(lang.get()).to_owned()).unwrap_or_default()
                        };
                        let number = move |f: fn(&TopicRow) -> usize| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
                        let gap = move || {
                            let lang = lang.get();
                            row.with(|r| match r {
                                Some(r) if r.empty => tr!(lang, no_actor),
                                Some(r) if r.single_group => tr!(lang, one_group_only),
                                _ => "",
                            })
                        };
                        let target = id.clone();
                        view! {
                            <tr data-topic=id.clone() class=format!("level-{level}")
                                class:gap=move || row.with(|r| r.as_ref().is_some_and(|r| r.empty))
                                class:selected=is_selected class:new=is_new>
                                <th scope="row">
                                    <button type="button" class="link" aria-pressed=move || is_selected.get().to_string()
                                        on:click=move |_| on_select.run(target.clone())>
                                        <code>{id.clone()}</code>" "{title}
                                    </button>
                                </th>
                                <td>{number(|r| r.actors)}</td>
                                <td>{number(|r| r.resources)}</td>
                                <td class="gap-cell">{gap}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}

/// The participant page's address as a QR code, so the room can join from their phones.
#[component]
fn JoinCode(address: String) -> impl IntoView {
    let lang = use_lang();
    let svg = qrcode::QrCode::new(address.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    view! {
        <figure class="join-code" data-testid="join-code">
            <div class="qr" role="img" aria-label=move || tr!(lang.get(), qr_code_of_the_participant_page) inner_html=svg></div>
            <figcaption>
                <strong>{move || tr!(lang.get(), join_in)}</strong><br/>
                <span class="join-address">{address.clone()}</span>
            </figcaption>
        </figure>
    }
}

/// Everyone and their resources, drawn only while open: two thousand participants are tens of
/// thousands of lines nobody reads on a projector, and redrawing them would slow every update.
#[component]
fn Participants(data: MapData) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    view! {
        <details class="people-list" on:toggle=move |ev| {
            let details: web_sys::HtmlDetailsElement = event_target(&ev);
            open.set(details.open());
        }>
            <summary>
                <h2 class="inline-heading">
                    {move || tr!(lang.get(), participants_and_their_resources)}
                    {move || data.with(|community, _| format!(" ({})", community.authors().count()))}
                </h2>
            </summary>
            {move || open.get().then(|| view! {
                <ul class="people">
                    {move || data.with(|community, _| {
                        let lang = lang.get();
                        let mut by_author: std::collections::BTreeMap<&str, Vec<_>> = Default::default();
                        for record in community.records() {
                            by_author.entry(&record.author).or_default().push(record);
                        }
                        community.authors().map(|author| {
                            let records = by_author.remove(author.id.as_str()).unwrap_or_default();
                            view! {
                                <li class="person" data-author=author.id.clone()>
                                    <strong>{author.display_name.clone()}</strong>
                                    {(!author.organisation.is_empty()).then(|| format!(" — {}", author.organisation))}
                                    <span class="hint">{format!(" ({}, {})", group_label(lang, author.stakeholder_group), region_label(lang, author.region))}</span>
                                    <ul>
                                        {records.iter().map(|r| view! {
                                            <li class="community-resource">{r.title.clone()}" "<span class="hint">{format!("{} · {}", kind_label(lang, r.kind), r.topics.join(", "))}</span></li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        }).collect_view()
                    })}
                </ul>
            })}
        </details>
    }
}

/// One topic's thematic network: its actors, their resources by kind (events in date order),
/// and the links between the actors through the topics they share.
#[component]
fn TopicNetwork(topic: String, data: MapData) -> impl IntoView {
    let lang = use_lang();
    let heading_topic = topic.clone();
    view! {
        <section class="topic-network" aria-labelledby="network-heading" data-testid="topic-network">
            <h2 id="network-heading">{move || format!("{} {heading_topic} — {}", tr!(lang.get(), thematic_network), Catalogue::wsis().get(&heading_topic).map(|t| t.title(lang.get())).unwrap_or_default())}</h2>
            {move || data.with(|community, networks| {
                let lang = lang.get();
                let entry = networks.topic(&topic).cloned().unwrap_or_default();
                let actors: Vec<String> = entry.actors.keys().cloned().collect();
                let links = networks.links_among(&actors);
                let name = |id: &str| community.author(id).map(|a| a.display_name.clone()).unwrap_or_else(|| id.to_owned());
                view! {
                    <h3>{tr!(lang, actors)}</h3>
                    <ul class="network-actors">
                        {actors.iter().filter_map(|id| community.author(id)).map(|a| view! {
                            <li>{a.display_name.clone()}<span class="hint">{format!(" ({}, {})", group_label(lang, a.stakeholder_group), region_label(lang, a.region))}</span></li>
                        }).collect_view()}
                    </ul>
                    <h3>{tr!(lang, resources)}</h3>
                    {Kind::ALL.iter().map(|kind| {
                        let mut records: Vec<_> = entry.records.iter().filter_map(|id| community.record(id)).filter(|r| r.kind == *kind).collect();
                        // Events on a timeline; everything else by title.
                        records.sort_by(|a, b| {
                            let start = |r: &networkshop_core::Record| r.event.as_ref().map(|e| e.starts_on.clone());
                            start(a).cmp(&start(b)).then_with(|| a.title.cmp(&b.title))
                        });
                        (!records.is_empty()).then(|| view! {
                            <h4>{kind_label(lang, *kind)}</h4>
                            <ul class=if *kind == Kind::Event { "timeline" } else { "" }>
                                {records.into_iter().map(|r| {
                                    let when = r.event.as_ref().map(|e| format!("{} → {} ", e.starts_on, e.ends_on));
                                    view! { <li class="network-resource">{when.map(|w| view! { <time>{w}</time> })}{r.title.clone()}<span class="hint">{format!(" — {}", name(&r.author))}</span></li> }
                                }).collect_view()}
                            </ul>
                        })
                    }).collect_view()}
                    <h3>{tr!(lang, links_between_actors_shared_topics)}</h3>
                    {if links.is_empty() {
                        view! { <p class="hint">{tr!(lang, no_links_yet)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="network-links">
                                {links.iter().map(|l| view! { <li>{format!("{} — {} : {}", name(&l.a), name(&l.b), l.shared.join(", "))}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }
            })}
        </section>
    }
}

fn rfc3339_now() -> String {
    now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
