//! The community view: everyone's published resources, pulled from the endpoint every few
//! seconds and kept for offline use, as a table of topics at the depth the facilitator chooses,
//! with gaps marked and one topic's network opened. The address carries the depth, the filters
//! and the open topic, so a view can be bookmarked or shared.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::record::{Kind, Region, StakeholderGroup};
use networkshop_core::{Community, Networks};

use crate::i18n::{
    bundle_error_message, group_label, kind_label, region_label, tr, use_lang, Lang,
};
use crate::publish::clock;
use crate::state::use_state;
use crate::sync::SyncError;

const POLL_EVERY: Duration = Duration::from_secs(5);

fn code<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn from_code<T: Copy + serde::Serialize>(all: &[T], text: &str) -> Option<T> {
    all.iter().copied().find(|v| code(*v) == text)
}

/// A filter choice: its value in the address, its French and English labels.
type FilterOption = (String, &'static str, &'static str);

fn options<T: Copy + serde::Serialize>(
    all: &[T],
    label: fn(Lang, T) -> &'static str,
) -> Vec<FilterOption> {
    all.iter()
        .map(|v| (code(*v), label(Lang::Fr, *v), label(Lang::En, *v)))
        .collect()
}

#[derive(Clone, PartialEq)]
struct TopicRow {
    id: String,
    level: u8,
    actors: usize,
    resources: usize,
    /// Nobody registered anything here.
    empty: bool,
    /// Everyone here comes from one stakeholder group.
    single_group: bool,
}

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
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
    let group = Memo::new(move |_| from_code(&StakeholderGroup::ALL, &param("group")));
    let region = Memo::new(move |_| from_code(&Region::ALL, &param("region")));
    let kind = Memo::new(move |_| from_code(&Kind::ALL, &param("kind")));
    let selected =
        Memo::new(move |_| Some(param("topic")).filter(|t| Catalogue::wsis().contains(t)));

    let set_param = move |key: &'static str, value: String| {
        let mut params: Vec<(String, String)> = query.with_untracked(|q| {
            q.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        params.retain(|(k, _)| k != key);
        if !value.is_empty() {
            params.push((key.to_owned(), value));
        }
        params.sort();
        let search: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
            .collect();
        let options = NavigateOptions {
            replace: true,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&format!("/map?{}", search.join("&")), options));
    };

    let parsed = state.community_view;
    let view_model = Memo::new(move |_| {
        let (group, region, kind) = (group.get(), region.get(), kind.get());
        let community = parsed.with(|v| {
            v.community.filtered(
                |a| {
                    group.is_none_or(|g| a.stakeholder_group == g)
                        && region.is_none_or(|r| a.region == r)
                },
                |r| kind.is_none_or(|k| r.kind == k),
            )
        });
        let networks = Networks::build(&community, Catalogue::wsis());
        let depth = depth.get();
        let gaps = networks.gaps(&community, depth);
        let rows: Vec<TopicRow> = Catalogue::wsis()
            .topics()
            .iter()
            .filter(|t| t.level <= depth)
            .map(|t| {
                let summary = networks.summary(&community, &t.id);
                TopicRow {
                    id: t.id.clone(),
                    level: t.level,
                    actors: summary.actors,
                    resources: summary.resources,
                    empty: gaps.empty.contains(&t.id),
                    single_group: gaps.single_group.iter().any(|(id, _)| *id == t.id),
                }
            })
            .collect();
        (community, networks, rows)
    });

    // What the room has already seen: the records present at the first look (or at the last
    // "mark as seen"); anything else is new and highlighted.
    let seen = RwSignal::new(None::<(String, std::collections::BTreeSet<uuid::Uuid>)>);
    Effect::new(move |_| {
        if seen.with_untracked(Option::is_none) && state.community.with(|c| c.last_pull.is_some()) {
            let ids = parsed.with_untracked(|v| v.community.records().map(|r| r.id).collect());
            seen.set(Some((clock(), ids)));
        }
    });
    let fresh = Memo::new(move |_| {
        seen.with(|seen| {
            let Some((_, known)) = seen else {
                return Vec::new();
            };
            view_model.with(|(community, _, _)| {
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
                .collect::<std::collections::BTreeSet<String>>()
        })
    });
    let mark_seen = move |_| {
        let ids = parsed.with_untracked(|v| v.community.records().map(|r| r.id).collect());
        seen.set(Some((clock(), ids)));
    };

    let status = move || {
        let lang = lang.get();
        state.community.with(|c| match (&c.error, &c.last_pull) {
            (Some(SyncError::Unreachable), _) => tr(
                lang,
                "Point de publication injoignable : affichage de la dernière version reçue.",
                "Endpoint unreachable: showing the last version received.",
            )
            .to_owned(),
            (Some(SyncError::Status { status, .. }), _) => format!(
                "{} ({status})",
                tr(lang, "Erreur du point de publication", "Endpoint error")
            ),
            (None, Some(at)) => format!("{} {at}", tr(lang, "Mis à jour à", "Updated at")),
            (None, None) => tr(lang, "Chargement…", "Loading…").to_owned(),
        })
    };

    let select_filter = move |id: &'static str,
                              label: (&'static str, &'static str),
                              key: &'static str,
                              options: Vec<FilterOption>| {
        view! {
            <div class="field">
                <label for=id>{move || tr(lang.get(), label.0, label.1)}</label>
                <select id=id on:change=move |ev| set_param(key, event_target_value(&ev))>
                    <option value="" selected=move || param(key).is_empty()>{move || tr(lang.get(), "Tous", "All")}</option>
                    {options.into_iter().map(|(value, french, english)| {
                        let current = value.clone();
                        view! { <option value=value selected=move || param(key) == current>{move || tr(lang.get(), french, english)}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let group_options = options(&StakeholderGroup::ALL, group_label);
    let region_options = options(&Region::ALL, region_label);
    let kind_options = options(&Kind::ALL, kind_label);

    view! {
        <h1>{move || tr(lang.get(), "Carte des thèmes", "Topic map")}</h1>
        <p role="status" data-testid="pull-status">{status}</p>
        <p data-testid="community-counts">
            {move || view_model.with(|(community, _, _)| {
                let people = community.authors().count();
                let records = community.records().count();
                match lang.get() {
                    Lang::Fr => format!("{people} participant(s), {records} ressource(s)"),
                    Lang::En => format!("{people} participant(s), {records} resource(s)"),
                }
            })}
        </p>
        <div class="news" aria-live="polite">
            {move || {
                let count = fresh.with(Vec::len);
                let since = seen.with(|s| s.as_ref().map(|(at, _)| at.clone()).unwrap_or_default());
                (count > 0).then(|| {
                    let lang = lang.get();
                    view! {
                        <p class="news-count" data-testid="news-count">{format!("+{count} {} {since}", tr(lang, "depuis", "since"))}</p>
                        <ul class="feed" aria-label=tr(lang, "Dernières contributions", "Latest contributions")>
                            {fresh.get().into_iter().take(8).map(|r| {
                                let who = parsed.with_untracked(|v| v.community.author(&r.author).map(|a| a.display_name.clone()).unwrap_or_default());
                                view! { <li class="feed-item">{r.title.clone()}<span class="hint">{format!(" — {who} · {}", r.topics.join(", "))}</span></li> }
                            }).collect_view()}
                        </ul>
                        <button type="button" on:click=mark_seen>{tr(lang, "Marquer comme vu", "Mark as seen")}</button>
                    }
                })
            }}
        </div>
        <div role="alert" class="error">
            {move || parsed.with(|v| (!v.problems.is_empty()).then(|| {
                let lang = lang.get();
                view! {
                    <p>{tr(lang, "Fichiers ignorés :", "Files skipped:")}</p>
                    <ul class="problems">
                        {v.problems.iter().map(|(name, error)| view! { <li><code>{name.clone()}</code>" — "{bundle_error_message(lang, error)}</li> }).collect_view()}
                    </ul>
                }
            }))}
        </div>
        <fieldset class="map-controls">
            <legend>{move || tr(lang.get(), "Vue", "View")}</legend>
            <div class="field">
                <label for="map-depth">{move || tr(lang.get(), "Niveau de détail", "Level of detail")}</label>
                <select id="map-depth" on:change=move |ev| set_param("depth", event_target_value(&ev))>
                    <option value="1" selected=move || depth.get() == 1>{move || tr(lang.get(), "Grandes orientations et sections (14)", "Action lines and sections (14)")}</option>
                    <option value="2" selected=move || depth.get() == 2>{move || tr(lang.get(), "… et cyber-applications, cibles (39)", "… and e-applications, targets (39)")}</option>
                    <option value="3" selected=move || depth.get() == 3>{move || tr(lang.get(), "Tous les thèmes (169)", "All topics (169)")}</option>
                </select>
            </div>
            {select_filter("map-group", ("Groupe de parties prenantes", "Stakeholder group"), "group", group_options)}
            {select_filter("map-region", ("Région", "Region"), "region", region_options)}
            {select_filter("map-kind", ("Type de ressource", "Resource kind"), "kind", kind_options)}
        </fieldset>
        <table class="topic-table">
            <caption>{move || tr(lang.get(), "Acteurs et ressources par thème (comptes cumulés vers le haut de la hiérarchie)", "Actors and resources by topic (counts rolled up the hierarchy)")}</caption>
            <thead><tr>
                <th scope="col">{move || tr(lang.get(), "Thème", "Topic")}</th>
                <th scope="col">{move || tr(lang.get(), "Acteurs", "Actors")}</th>
                <th scope="col">{move || tr(lang.get(), "Ressources", "Resources")}</th>
                <th scope="col">{move || tr(lang.get(), "Lacune", "Gap")}</th>
            </tr></thead>
            <tbody>
                {move || view_model.with(|(_, _, rows)| rows.iter().map(|row| {
                    let lang = lang.get();
                    let title = Catalogue::wsis().get(&row.id).map(|t| t.title(lang).to_owned()).unwrap_or_default();
                    let id = row.id.clone();
                    let is_selected = selected.get().as_deref() == Some(row.id.as_str());
                    let gap = if row.empty {
                        tr(lang, "aucun acteur", "no actor")
                    } else if row.single_group {
                        tr(lang, "un seul groupe", "one group only")
                    } else {
                        ""
                    };
                    view! {
                        <tr data-topic=row.id.clone() class=format!("level-{}", row.level) class:gap=row.empty class:selected=is_selected
                            class:new=fresh_topics.with(|t| t.contains(&row.id))>
                            <th scope="row">
                                <button type="button" class="link" aria-pressed=is_selected.to_string()
                                    on:click=move |_| set_param("topic", if is_selected { String::new() } else { id.clone() })>
                                    <code>{row.id.clone()}</code>" "{title}
                                </button>
                            </th>
                            <td>{row.actors}</td>
                            <td>{row.resources}</td>
                            <td class="gap-cell">{gap}</td>
                        </tr>
                    }
                }).collect_view())}
            </tbody>
        </table>
        {move || selected.get().map(|topic| view! { <TopicNetwork topic=topic view_model=view_model/> })}
        <h2>{move || tr(lang.get(), "Participants", "Participants")}</h2>
        <ul class="people">
            {move || view_model.with(|(community, _, _)| community.authors().map(|author| {
                let lang = lang.get();
                let records: Vec<_> = community.records_of(&author.id).cloned().collect();
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
            }).collect_view())}
        </ul>
    }
}

/// One topic's thematic network: its actors, their resources by kind, and the links between
/// the actors through the topics they share.
#[component]
fn TopicNetwork(
    topic: String,
    view_model: Memo<(Community, Networks, Vec<TopicRow>)>,
) -> impl IntoView {
    let lang = use_lang();
    let title = Catalogue::wsis()
        .get(&topic)
        .map(|t| (t.title_fr.clone(), t.title_en.clone()))
        .unwrap_or_default();
    let heading_topic = topic.clone();
    view! {
        <section class="topic-network" aria-labelledby="network-heading" data-testid="topic-network">
            <h2 id="network-heading">{move || format!("{} {heading_topic} — {}", tr(lang.get(), "Réseau thématique", "Thematic network"), if lang.get() == Lang::Fr { &title.0 } else { &title.1 })}</h2>
            {move || view_model.with(|(community, networks, _)| {
                let lang = lang.get();
                let entry = networks.topic(&topic).cloned().unwrap_or_default();
                let actors: Vec<String> = entry.actors.keys().cloned().collect();
                let links = networks.links_among(&actors);
                let name = |id: &str| community.author(id).map(|a| a.display_name.clone()).unwrap_or_else(|| id.to_owned());
                view! {
                    <h3>{tr(lang, "Acteurs", "Actors")}</h3>
                    <ul class="network-actors">
                        {actors.iter().filter_map(|id| community.author(id)).map(|a| view! {
                            <li>{a.display_name.clone()}<span class="hint">{format!(" ({}, {})", group_label(lang, a.stakeholder_group), region_label(lang, a.region))}</span></li>
                        }).collect_view()}
                    </ul>
                    <h3>{tr(lang, "Ressources", "Resources")}</h3>
                    {Kind::ALL.iter().map(|kind| {
                        let mut records: Vec<_> = entry.records.iter().filter_map(|id| community.record(id)).filter(|r| r.kind == *kind).collect();
                        records.sort_by(|a, b| a.title.cmp(&b.title));
                        (!records.is_empty()).then(|| view! {
                            <h4>{kind_label(lang, *kind)}</h4>
                            <ul>
                                {records.into_iter().map(|r| {
                                    let when = r.event.as_ref().map(|e| format!(" ({} → {})", e.starts_on, e.ends_on)).unwrap_or_default();
                                    view! { <li class="network-resource">{r.title.clone()}{when}<span class="hint">{format!(" — {}", name(&r.author))}</span></li> }
                                }).collect_view()}
                            </ul>
                        })
                    }).collect_view()}
                    <h3>{tr(lang, "Liens entre acteurs (thèmes partagés)", "Links between actors (shared topics)")}</h3>
                    {if links.is_empty() {
                        view! { <p class="hint">{tr(lang, "Aucun lien pour l'instant.", "No links yet.")}</p> }.into_any()
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
