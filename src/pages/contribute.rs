//! The participant's page: profile, resources (add, edit, delete with undo), backup and import.
//! Every keystroke goes to the workspace and on to IndexedDB through [`AppState`]; there is no
//! save button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::record::{
    AgreementType, AuthorProfile, Funding, Kind, Record, Region, StakeholderGroup,
};
use networkshop_core::validate::{validate_profile, validate_record, FieldError};
use networkshop_core::workspace::{ImportPlan, LocalRecord};
use networkshop_core::{parse_bundle, Community};
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::components::export_menu::ExportMenu;
use crate::components::topic_picker::TopicPicker;
use crate::files::download;
use crate::i18n::{
    agreement_label, bundle_error_message, error_message, funding_label, group_label, kind_label,
    region_label, state_label, tr, use_lang, Lang,
};
use crate::publish::{PublishFailure, PublishStatus, SyncSettings, WRITE_TOKEN_FIELD};
use crate::state::{now, use_state, SaveStatus};
use crate::storage::StorageError;

#[component]
pub fn Contribute() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    view! {
        <h1>{move || tr!(lang.get(), contribute)}</h1>
        <p class="lead">
            {move || tr!(lang.get(), register_your_organisations_networks_and_working)}
        </p>
        <SaveStatusLine/>
        // The forms appear once the stored drafts are loaded, so nothing typed can be replaced
        // by the load that follows.
        <Show when=move || state.status.get() != SaveStatus::Loading>
            <ProfileForm/>
            <Resources/>
            <Publish/>
            <Partners/>
            <Backup/>
        </Show>
    }
}

#[component]
fn SaveStatusLine() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let status = move || {
        let lang = lang.get();
        match state.status.get() {
            SaveStatus::Loading => tr!(lang, loading_your_drafts).to_owned(),
            SaveStatus::Saving => tr!(lang, saving).to_owned(),
            SaveStatus::Saved => tr!(lang, saved_on_this_device).to_owned(),
            SaveStatus::Failed(_) => String::new(),
        }
    };
    let failure = move || match state.status.get() {
        SaveStatus::Failed(error) => Some(storage_error_message(lang.get(), &error)),
        _ => None,
    };
    let persistence = move || match state.persisted.get() {
        Some(true) => Some(tr!(lang.get(), the_browser_will_keep_this_data)),
        Some(false) => Some(tr!(lang.get(), persistent_storage_not_granted_the_browser)),
        None => None,
    };
    view! {
        <div class="save-status">
            <p role="status" data-testid="save-status">{status}</p>
            <p role="alert" class="error">{failure}</p>
            <p class="hint" data-testid="persistence">{persistence}</p>
        </div>
    }
}

fn storage_error_message(lang: Lang, error: &StorageError) -> String {
    match error {
        StorageError::QuotaExceeded => tr!(lang, could_not_save_storage_is_full).to_owned(),
        StorageError::Unavailable(_) => {
            tr!(lang, this_browser_refuses_local_storage_private).to_owned()
        }
        StorageError::Failed(detail) => {
            format!("{} ({detail})", tr!(lang, could_not_save_your_text_stays))
        }
    }
}

fn errors_for(errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
    let messages: Vec<String> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| error_message(lang, e))
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// A labelled text input (or textarea) with its error message announced and linked.
fn text_field(
    id: String,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    value: impl Fn() -> String + Send + Sync + 'static,
    on_input: impl Fn(String) + 'static,
    error: impl Fn() -> Option<String> + Send + Sync + Copy + 'static,
    kind: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = move || error().map(|_| error_id.clone());
    let input = if kind == "textarea" {
        view! {
            <textarea id=id.clone() rows="3" aria-invalid=move || error().is_some().to_string() aria-describedby=described.clone()
                prop:value=value on:input=move |ev| on_input(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind aria-invalid=move || error().is_some().to_string() aria-describedby=described.clone()
                prop:value=value on:input=move |ev| on_input(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {input}
            <p class="field-error" id=format!("{id}-error")>{error}</p>
        </div>
    }
}

/// A labelled select over a fixed list of values.
fn select_field<T: Copy + PartialEq + Send + Sync + 'static>(
    id: String,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    options: &'static [T],
    option_label: fn(Lang, T) -> &'static str,
    value: impl Fn() -> T + Send + Sync + Copy + 'static,
    on_change: impl Fn(T) + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id on:change=move |ev| {
                if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                    if let Some(v) = options.get(i) { on_change(*v) }
                }
            }>
                {options.iter().enumerate().map(|(i, option)| {
                    let option = *option;
                    view! { <option value=i.to_string() selected=move || value() == option>{move || option_label(lang.get(), option)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let profile = Memo::new(move |_| state.workspace.with(|w| w.profile.clone()));
    let errors = Memo::new(move |_| {
        profile
            .get()
            .map(|p| validate_profile(&p))
            .unwrap_or_default()
    });
    // The profile exists from the first keystroke, with a fresh author id.
    let edit = move |f: &dyn Fn(&mut AuthorProfile)| {
        let mut current = state.profile_or_new();
        f(&mut current);
        state.save_profile(current);
    };
    let get = move |f: fn(&AuthorProfile) -> String| {
        move || profile.with(|p| p.as_ref().map(f).unwrap_or_default())
    };
    let err = move |field: &'static str| move || errors.with(|e| errors_for(e, field, lang.get()));
    view! {
        <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{move || tr!(lang.get(), your_profile)}</h2>
            <div class="form-grid">
                {text_field("profile-name".into(), move || tr!(lang.get(), display_name), get(|p| p.display_name.clone()),
                    move |v| edit(&|p| p.display_name = v.clone()), err("display_name"), "text")}
                {text_field("profile-organisation".into(), move || tr!(lang.get(), organisation), get(|p| p.organisation.clone()),
                    move |v| edit(&|p| p.organisation = v.clone()), err("organisation"), "text")}
                {select_field("profile-group".into(), move || tr!(lang.get(), stakeholder_group),
                    &StakeholderGroup::ALL, group_label,
                    move || profile.with(|p| p.as_ref().map_or(StakeholderGroup::CivilSociety, |p| p.stakeholder_group)),
                    move |g| edit(&|p| p.stakeholder_group = g))}
                {text_field("profile-country".into(), move || tr!(lang.get(), country), get(|p| p.country.clone()),
                    move |v| edit(&|p| p.country = v.clone()), err("country"), "text")}
                {select_field("profile-region".into(), move || tr!(lang.get(), region),
                    &Region::ALL, region_label,
                    move || profile.with(|p| p.as_ref().map_or(Region::World, |p| p.region)),
                    move |r| edit(&|p| p.region = r))}
                {text_field("profile-contact".into(), move || tr!(lang.get(), public_contact_optional_e_mail_or),
                    get(|p| p.contact.clone().unwrap_or_default()),
                    move |v| edit(&|p| p.contact = (!v.trim().is_empty()).then(|| v.clone())), err("contact"), "text")}
            </div>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Grouping {
    Kind,
    Topic,
}

#[component]
fn Resources() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let grouping = RwSignal::new(Grouping::Kind);
    let visible = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.visible()
                .into_iter()
                .cloned()
                .collect::<Vec<LocalRecord>>()
        })
    });

    let groups = Memo::new(move |_| {
        let records = visible.get();
        let catalogue = Catalogue::wsis();
        match grouping.get() {
            Grouping::Kind => Kind::ALL
                .iter()
                .map(|kind| {
                    let items: Vec<LocalRecord> = records
                        .iter()
                        .filter(|l| l.record.kind == *kind)
                        .cloned()
                        .collect();
                    (format!("kind-{kind:?}"), GroupTitle::Kind(*kind), items)
                })
                .filter(|(_, _, items)| !items.is_empty())
                .collect::<Vec<_>>(),
            Grouping::Topic => {
                let mut groups: Vec<(String, GroupTitle, Vec<LocalRecord>)> = catalogue
                    .roots()
                    .map(|root| {
                        let items: Vec<LocalRecord> = records
                            .iter()
                            .filter(|l| {
                                l.record.topics.iter().any(|t| {
                                    catalogue.action_line(t).is_some_and(|a| a.id == root.id)
                                })
                            })
                            .cloned()
                            .collect();
                        (
                            format!("topic-{}", root.id),
                            GroupTitle::Topic(root.id.clone()),
                            items,
                        )
                    })
                    .filter(|(_, _, items)| !items.is_empty())
                    .collect();
                let untagged: Vec<LocalRecord> = records
                    .iter()
                    .filter(|l| l.record.topics.is_empty())
                    .cloned()
                    .collect();
                if !untagged.is_empty() {
                    groups.push(("topic-none".into(), GroupTitle::NoTopic, untagged));
                }
                groups
            }
        }
    });

    view! {
        <section aria-labelledby="resources-heading">
            <h2 id="resources-heading">{move || tr!(lang.get(), your_resources)}</h2>
            <div class="add-buttons" role="group" aria-label=move || tr!(lang.get(), add_a_resource)>
                {Kind::ALL.iter().map(|kind| {
                    let kind = *kind;
                    view! {
                        <button type="button" class="add" data-kind=format!("{kind:?}").to_lowercase() on:click=move |_| {
                            let id = state.add_record(kind);
                            focus_later(format!("record-{id}-title"));
                        }>
                            "+ " {move || kind_label(lang.get(), kind)}
                        </button>
                    }
                }).collect_view()}
            </div>
            <UndoBanner/>
            {move || state.editing.get().map(|id| view! { <RecordEditor id=id/> })}
            <fieldset class="grouping">
                <legend>{move || tr!(lang.get(), group_by)}</legend>
                <label class="inline"><input type="radio" name="grouping" prop:checked=move || grouping.get() == Grouping::Kind on:change=move |_| grouping.set(Grouping::Kind)/>{move || tr!(lang.get(), kind_2)}</label>
                <label class="inline"><input type="radio" name="grouping" prop:checked=move || grouping.get() == Grouping::Topic on:change=move |_| grouping.set(Grouping::Topic)/>{move || tr!(lang.get(), action_line)}</label>
            </fieldset>
            {move || visible.with(Vec::is_empty).then(|| view! {
                <p class="hint">{move || tr!(lang.get(), no_resources_yet_start_with_one)}</p>
            })}
            <For each=move || groups.get() key=|(key, _, items)| (key.clone(), items.iter().map(|l| (l.record.id, l.record.revision, l.record.updated_at, l.published_revision)).collect::<Vec<_>>()) let:group>
                <section class="group">
                    <h3>{move || group.1.text(lang.get())}</h3>
                    <ul class="resource-list">
                        {group.2.into_iter().map(|local| view! { <ResourceItem local=local/> }).collect_view()}
                    </ul>
                </section>
            </For>
        </section>
    }
}

#[derive(Clone, PartialEq)]
enum GroupTitle {
    Kind(Kind),
    Topic(String),
    NoTopic,
}

impl GroupTitle {
    fn text(&self, lang: Lang) -> String {
        match self {
            GroupTitle::Kind(kind) => kind_label(lang, *kind).to_owned(),
            GroupTitle::Topic(id) => {
                let title = Catalogue::wsis()
                    .get(id)
                    .map(|t| t.title(lang).to_owned())
                    .unwrap_or_default();
                format!("{id} — {title}")
            }
            GroupTitle::NoTopic => tr!(lang, no_topic).to_owned(),
        }
    }
}

fn focus_later(element_id: String) {
    set_timeout(
        move || {
            if let Some(el) = document().get_element_by_id(&element_id) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        },
        std::time::Duration::from_millis(30),
    );
}

#[component]
fn ResourceItem(local: LocalRecord) -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let id = local.record.id;
    let record_state = local.state();
    let title = if local.record.title.trim().is_empty() {
        None
    } else {
        Some(local.record.title.clone())
    };
    let kind = local.record.kind;
    let topics = local.record.topics.join(", ");
    let title_for_label = title.clone();
    view! {
        <li class="resource" data-record-id=id.to_string()>
            <span class="resource-title">{title.clone().unwrap_or_else(|| tr!(lang.get_untracked(), untitled).to_owned())}</span>
            <span class="resource-kind">{move || kind_label(lang.get(), kind)}</span>
            <span class=format!("badge state-{record_state:?}").to_lowercase()>{move || state_label(lang.get(), record_state)}</span>
            <span class="resource-topics">{topics}</span>
            <span class="resource-actions">
                <button type="button" on:click=move |_| { state.editing.set(Some(id)); focus_later(format!("record-{id}-title")); }
                    aria-label={let t = title_for_label.clone(); move || format!("{} {}", tr!(lang.get(), edit), t.clone().unwrap_or_default())}>
                    {move || tr!(lang.get(), edit)}
                </button>
                <button type="button" on:click=move |_| state.delete_record(id)
                    aria-label={let t = title.clone(); move || format!("{} {}", tr!(lang.get(), delete), t.clone().unwrap_or_default())}>
                    {move || tr!(lang.get(), delete)}
                </button>
            </span>
        </li>
    }
}

#[component]
fn UndoBanner() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    view! {
        <div role="status" class="undo">
            {move || state.last_deleted.get().map(|_| view! {
                <span>{move || tr!(lang.get(), resource_deleted)}</span>
                " "
                <button type="button" on:click=move |_| state.undo_delete()>{move || tr!(lang.get(), undo_delete)}</button>
            })}
        </div>
    }
}

#[component]
fn RecordEditor(id: Uuid) -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let record = Memo::new(move |_| {
        state
            .workspace
            .with(|w| w.records.get(&id).map(|l| l.record.clone()))
    });
    let errors = Memo::new(move |_| {
        record
            .get()
            .map(|r| validate_record(&r, Catalogue::wsis()))
            .unwrap_or_default()
    });
    let edit = move |f: &dyn Fn(&mut Record)| {
        if let Some(mut current) = record.get_untracked() {
            f(&mut current);
            state.save_record(current);
        }
    };
    let get = move |f: fn(&Record) -> String| {
        move || record.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let err = move |field: &'static str| move || errors.with(|e| errors_for(e, field, lang.get()));
    let fid = move |name: &str| format!("record-{id}-{name}");
    let kind = record
        .get_untracked()
        .map(|r| r.kind)
        .unwrap_or(Kind::Project);
    let topics = Signal::derive(move || {
        record.with(|r| r.as_ref().map(|r| r.topics.clone()).unwrap_or_default())
    });
    let topic_error_id = fid("topics-error");
    let topic_error = move || {
        errors.with(|e| {
            let messages: Vec<String> = e
                .iter()
                .filter(|e| e.field.starts_with("topics"))
                .map(|e| error_message(lang.get(), e))
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };

    let details = match kind {
        Kind::Event => view! {
            {text_field(fid("starts"), move || tr!(lang.get(), starts_on), get(|r| r.event.as_ref().map(|e| e.starts_on.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(e) = r.event.as_mut() { e.starts_on = v.clone() }), err("event.starts_on"), "date")}
            {text_field(fid("ends"), move || tr!(lang.get(), ends_on), get(|r| r.event.as_ref().map(|e| e.ends_on.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(e) = r.event.as_mut() { e.ends_on = v.clone() }), err("event.ends_on"), "date")}
            {text_field(fid("zone"), move || tr!(lang.get(), time_zone_for_example_africa_dakar),
                get(|r| r.event.as_ref().map(|e| e.time_zone.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(e) = r.event.as_mut() { e.time_zone = v.clone() }), err("event.time_zone"), "text")}
            {text_field(fid("place"), move || tr!(lang.get(), place), get(|r| r.event.as_ref().and_then(|e| e.place.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(e) = r.event.as_mut() { e.place = (!v.is_empty()).then(|| v.clone()) }), err("event.place"), "text")}
            {text_field(fid("online"), move || tr!(lang.get(), online_link_optional), get(|r| r.event.as_ref().and_then(|e| e.online_url.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(e) = r.event.as_mut() { e.online_url = (!v.is_empty()).then(|| v.clone()) }), err("event.online_url"), "url")}
        }
        .into_any(),
        Kind::Document => view! {
            {text_field(fid("doc-language"), move || tr!(lang.get(), document_language_code_fr_en_ar),
                get(|r| r.document.as_ref().and_then(|d| d.language.clone()).unwrap_or_default()),
                move |v| edit(&|r| r.document.get_or_insert_with(empty_document).language = (!v.is_empty()).then(|| v.trim().to_owned())), err("document.language"), "text")}
            {text_field(fid("doc-year"), move || tr!(lang.get(), year),
                get(|r| r.document.as_ref().and_then(|d| d.year).map(|y| y.to_string()).unwrap_or_default()),
                move |v| edit(&|r| r.document.get_or_insert_with(empty_document).year = v.trim().parse().ok()), err("document.year"), "number")}
        }
        .into_any(),
        Kind::Partnership => view! {
            {text_field(fid("partners"), move || tr!(lang.get(), partners_one_per_line),
                get(|r| r.partnership.as_ref().map(|p| p.partners.join("\n")).unwrap_or_default()),
                move |v| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.partners = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect() }), err("partnership.partners"), "textarea")}
            {text_field(fid("objectives"), move || tr!(lang.get(), objectives), get(|r| r.partnership.as_ref().map(|p| p.objectives.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.objectives = v.clone() }), err("partnership.objectives"), "textarea")}
            {text_field(fid("results"), move || tr!(lang.get(), expected_results), get(|r| r.partnership.as_ref().map(|p| p.expected_results.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.expected_results = v.clone() }), err("partnership.expected_results"), "textarea")}
            {text_field(fid("timeline"), move || tr!(lang.get(), timeline), get(|r| r.partnership.as_ref().map(|p| p.timeline.clone()).unwrap_or_default()),
                move |v| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.timeline = v.clone() }), err("partnership.timeline"), "text")}
            {select_field(fid("funding"), move || tr!(lang.get(), funding), &[Funding::None, Funding::Identified, Funding::Secured], funding_label,
                move || record.with(|r| r.as_ref().and_then(|r| r.partnership.as_ref().map(|p| p.funding)).unwrap_or(Funding::None)),
                move |f| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.funding = f }))}
            {select_field(fid("agreement"), move || tr!(lang.get(), agreement_type),
                &[AgreementType::Mou, AgreementType::CooperationAgreement, AgreementType::ProjectDocument, AgreementType::VoluntaryContribution, AgreementType::Sponsorship], agreement_label,
                move || record.with(|r| r.as_ref().and_then(|r| r.partnership.as_ref().map(|p| p.agreement)).unwrap_or(AgreementType::Mou)),
                move |a| edit(&|r| if let Some(p) = r.partnership.as_mut() { p.agreement = a }))}
        }
        .into_any(),
        Kind::Network | Kind::Project => ().into_any(),
    };

    view! {
        <section class="editor" aria-labelledby=fid("heading")>
            <h3 id=fid("heading")>{move || format!("{} — {}", tr!(lang.get(), edit), kind_label(lang.get(), kind))}</h3>
            {text_field(fid("title"), move || tr!(lang.get(), title), get(|r| r.title.clone()),
                move |v| edit(&|r| r.title = v.clone()), err("title"), "text")}
            {text_field(fid("description"), move || tr!(lang.get(), description), get(|r| r.description.clone()),
                move |v| edit(&|r| r.description = v.clone()), err("description"), "textarea")}
            {text_field(fid("url"), move || tr!(lang.get(), web_address_optional), get(|r| r.url.clone().unwrap_or_default()),
                move |v| edit(&|r| r.url = (!v.trim().is_empty()).then(|| v.trim().to_owned())), err("url"), "url")}
            {text_field(fid("languages"), move || tr!(lang.get(), languages_codes_separated_by_commas_fr),
                get(|r| r.languages.join(", ")),
                move |v| edit(&|r| r.languages = v.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()), err("languages"), "text")}
            {details}
            <fieldset class="topics-field">
                <legend>{move || tr!(lang.get(), topics_of_the_plan_of_action)}</legend>
                <TopicPicker id_prefix=fid("topics") selected=topics
                    on_change=Callback::new(move |chosen: Vec<String>| edit(&|r| r.topics = chosen.clone()))
                    described_by=Signal::derive({ let id = topic_error_id.clone(); move || topic_error().map(|_| id.clone()) })/>
                <p class="field-error" id=topic_error_id>{topic_error}</p>
            </fieldset>
            <button type="button" class="primary" on:click=move |_| state.editing.set(None)>{move || tr!(lang.get(), done)}</button>
        </section>
    }
}

fn empty_document() -> networkshop_core::record::DocumentDetails {
    networkshop_core::record::DocumentDetails {
        language: None,
        year: None,
        extra: Default::default(),
    }
}

#[component]
fn Backup() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let message = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let plan = RwSignal::new(None::<ImportPlan>);

    let save_backup = move |_| {
        problem.set(None);
        let bundle = state.workspace.with_untracked(|w| w.bundle(now()));
        match bundle {
            None => problem.set(Some(
                tr!(lang.get_untracked(), fill_in_your_profile_first).to_owned(),
            )),
            Some(mut bundle) => {
                // The backup carries the write token, so another device of this participant can
                // publish under the same name; the published bundle never does.
                if let Some(token) = state.publish_meta.get_untracked().token {
                    bundle.extra.insert(WRITE_TOKEN_FIELD.into(), token.into());
                }
                let date = now().date();
                download(
                    &format!("networkshop-{date}.json"),
                    "application/json",
                    &bundle.to_json(),
                );
                message.set(Some(tr!(lang.get_untracked(), backup_saved).to_owned()));
            }
        }
    };

    // One's own records, drafts included, in the export formats.
    let own_records = Callback::new(move |_: ()| {
        let mut community = Community::new();
        if let Some(bundle) = state.workspace.with_untracked(|w| w.bundle(now())) {
            community.add_bundle(bundle);
        }
        community
    });

    let open_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        message.set(None);
        problem.set(None);
        plan.set(None);
        spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => text.as_string().unwrap_or_default(),
                Err(_) => {
                    problem.set(Some(
                        tr!(lang.get_untracked(), could_not_read_this_file).to_owned(),
                    ));
                    return;
                }
            };
            match parse_bundle(text.as_bytes()) {
                Err(error) => problem.set(Some(bundle_error_message(lang.get_untracked(), &error))),
                Ok(bundle) => {
                    let own_file = state.workspace.with_untracked(|w| {
                        w.profile.as_ref().is_none_or(|p| p.id == bundle.author.id)
                    });
                    if own_file {
                        if let Some(token) =
                            bundle.extra.get(WRITE_TOKEN_FIELD).and_then(|t| t.as_str())
                        {
                            state.adopt_write_token(token);
                        }
                    }
                    let proposed = state
                        .workspace
                        .with_untracked(|w| w.plan_import(&bundle, &mut Uuid::new_v4));
                    if proposed.added.is_empty()
                        && proposed.conflicts.is_empty()
                        && proposed.adopt_profile.is_none()
                    {
                        message.set(Some(
                            tr!(lang.get_untracked(), nothing_new_in_this_file_everything)
                                .to_owned(),
                        ));
                    } else {
                        plan.set(Some(proposed));
                    }
                }
            }
        });
    };

    view! {
        <section aria-labelledby="backup-heading">
            <h2 id="backup-heading">{move || tr!(lang.get(), backup_and_files)}</h2>
            <p class="hint">{move || tr!(lang.get(), save_everything_to_a_file_to)}</p>
            <button type="button" on:click=save_backup>{move || tr!(lang.get(), save_a_backup)}</button>
            <div class="field">
                <label for="open-bundle">{move || tr!(lang.get(), open_a_networkshop_file)}</label>
                <input id="open-bundle" type="file" accept=".json,application/json" on:change=open_file/>
            </div>
            <p role="status">{move || message.get()}</p>
            <ExportMenu source=own_records name=Signal::derive(|| "mine".to_owned())/>
            <div role="alert" class="error import-problem">{move || problem.get().map(|p| view! { <p class="pre">{p}</p> })}</div>
            {move || plan.get().map(|p| view! { <ImportReview plan=p on_done=Callback::new(move |text: Option<String>| { plan.set(None); message.set(text); })/> })}
        </section>
    }
}

#[component]
fn ImportReview(plan: ImportPlan, on_done: Callback<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let choices = RwSignal::new(vec![false; plan.conflicts.len()]);
    let added = plan.added.len();
    let unchanged = plan.unchanged;
    let from = plan.copied_from.clone();
    let adopt = plan.adopt_profile.as_ref().map(|p| p.display_name.clone());
    let conflicts = plan.conflicts.clone();
    let stored = StoredValue::new(plan);
    let apply = move |_| {
        let plan = stored.get_value();
        let take = choices.get_untracked();
        let written = state
            .workspace
            .try_update(|w| w.apply_import(plan, &take, now()))
            .unwrap_or_default();
        state.write_imported(&written);
        on_done.run(Some(tr!(lang.get_untracked(), file_imported).to_owned()));
    };
    view! {
        <div class="import-review" role="region" aria-labelledby="import-heading">
            <h3 id="import-heading">{move || tr!(lang.get(), import_this_file)}</h3>
            <ul>
                {adopt.map(|name| view! { <li>{move || format!("{} {name}", tr!(lang.get(), profile))}</li> })}
                {from.map(|name| view! { <li>{move || format!("{} {name} {}", tr!(lang.get(), file_by), tr!(lang.get(), its_resources_will_be_copied_under))}</li> })}
                <li>{move || format!("{added} {}", tr!(lang.get(), new_resource_s))}</li>
                <li>{move || format!("{unchanged} {}", tr!(lang.get(), already_here))}</li>
            </ul>
            {conflicts.into_iter().enumerate().map(|(i, (ours, theirs))| view! {
                <fieldset class="conflict">
                    <legend>{move || format!("{} « {} »", tr!(lang.get(), two_versions_of), ours.title)}</legend>
                    <label class="inline"><input type="radio" name=format!("conflict-{i}") checked=true on:change=move |_| choices.update(|c| c[i] = false)/>
                        {move || tr!(lang.get(), keep_mine)}</label>
                    <label class="inline"><input type="radio" name=format!("conflict-{i}") on:change=move |_| choices.update(|c| c[i] = true)/>
                        {let t = theirs.title.clone(); move || format!("{} « {} »", tr!(lang.get(), take_the_files), t)}</label>
                </fieldset>
            }).collect_view()}
            <button type="button" class="primary" on:click=apply>{move || tr!(lang.get(), import)}</button>
            " "
            <button type="button" on:click=move |_| on_done.run(None)>{move || tr!(lang.get(), cancel)}</button>
        </div>
    }
}

fn publish_failure_message(lang: Lang, failure: &PublishFailure) -> String {
    match failure {
        PublishFailure::ProfileIncomplete => {
            tr!(lang, complete_your_profile_at_least_the).to_owned()
        }
        PublishFailure::Unreachable => tr!(lang, the_endpoint_does_not_answer_offline).to_owned(),
        PublishFailure::Forbidden => tr!(lang, this_endpoint_already_holds_a_file).to_owned(),
        PublishFailure::UploadKey => tr!(lang, this_endpoint_asks_for_an_upload).to_owned(),
        PublishFailure::Rejected(code) => {
            format!("{} ({code})", tr!(lang, the_endpoint_refused_your_file))
        }
        PublishFailure::Server(status) => {
            format!("{} ({status})", tr!(lang, server_error_it_will_try_again))
        }
    }
}

#[component]
fn Publish() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    let status = move || {
        let lang = lang.get();
        match state.publish_status.get() {
            PublishStatus::Idle => match state.publish_meta.get().last_published {
                Some(at) => format!("{} {at}.", tr!(lang, last_published_at)),
                None => tr!(lang, not_published_yet).to_owned(),
            },
            PublishStatus::Working => tr!(lang, publishing).to_owned(),
            PublishStatus::Published {
                at,
                held_back,
                merged,
            } => {
                let mut text = format!("{} {at}.", tr!(lang, published_at));
                if merged > 0 {
                    text.push_str(&format!(
                        " {merged} {}",
                        tr!(lang, resource_s_updated_from_your_other)
                    ));
                }
                if held_back > 0 {
                    text.push_str(&format!(
                        " {held_back} {}",
                        tr!(lang, incomplete_draft_s_not_published)
                    ));
                }
                text
            }
            PublishStatus::Failed { failure, retry_in } => {
                let mut text = publish_failure_message(lang, &failure);
                if let Some(seconds) = retry_in {
                    text.push_str(&format!(" ({} {seconds} s)", tr!(lang, next_try_in)));
                }
                text
            }
        }
    };
    let failed = move || matches!(state.publish_status.get(), PublishStatus::Failed { .. });
    let settings = move || state.settings.get();
    let edit = move |f: &dyn Fn(&mut SyncSettings)| {
        let mut current = state.settings.get_untracked();
        f(&mut current);
        state.save_settings(current);
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    view! {
        <section aria-labelledby="publish-heading">
            <h2 id="publish-heading">{move || tr!(lang.get(), publish)}</h2>
            <p class="hint">{move || tr!(lang.get(), publishing_sends_your_profile_and_complete)}</p>
            <button type="button" class="primary" on:click=move |_| state.request_publish()
                disabled=move || state.publish_status.get() == PublishStatus::Working>
                {move || tr!(lang.get(), publish_now)}
            </button>
            <p role="status" data-testid="publish-status" class:error=failed>{status}</p>
            <label class="inline">
                <input type="checkbox" prop:checked=move || settings().auto_publish
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.auto_publish = on) }/>
                {move || tr!(lang.get(), publish_automatically_after_each_change)}
            </label>
            <details>
                <summary>{move || tr!(lang.get(), endpoint)}</summary>
                {text_field("endpoint-address".into(), move || tr!(lang.get(), endpoint_address_empty_this_site),
                    move || settings().endpoint, move |v| edit(&|s| s.endpoint = v.trim().to_owned()), || None, "url")}
                <p class="hint">{move || format!("{} {origin}", tr!(lang.get(), default))}</p>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || settings().webdav
                        on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.webdav = on) }/>
                    {move || tr!(lang.get(), webdav_server_the_address_is_then)}
                </label>
                {text_field("upload-key".into(), move || tr!(lang.get(), upload_key_if_the_facilitator_set),
                    move || settings().upload_key.unwrap_or_default(), move |v| edit(&|s| s.upload_key = (!v.is_empty()).then(|| v.clone())), || None, "text")}
            </details>
        </section>
    }
}

/// "Others working on your topics": the core's ranked partner suggestions over the community
/// view as last pulled plus this device's own current records.
#[component]
fn Partners() -> impl IntoView {
    let lang = use_lang();
    let state = use_state();
    // One pull when the page opens; the map page keeps pulling while it is open.
    spawn_local(state.pull());
    // What of this device's records the suggestions depend on: the profile and each record's
    // kind and topics at a fixed, winning version, so typing a description changes nothing here.
    let mine = Memo::new(move |_| {
        let mut bundle = state.workspace.with(|w| w.bundle(now()))?;
        bundle.generated_at = time::OffsetDateTime::UNIX_EPOCH;
        for record in &mut bundle.records {
            record.revision = u64::MAX;
            record.updated_at = time::OffsetDateTime::UNIX_EPOCH;
            record.title.clear();
            record.description.clear();
        }
        Some(bundle)
    });
    let suggestions = Memo::new(move |_| {
        let mine = mine.get()?;
        let me = mine.author.id.clone();
        let mut community = state.live.with(|live| {
            // The published copy of oneself gives way to this device's current records.
            live.community().filtered(|a| a.id != me, |_| true)
        });
        community.add_bundle(mine);
        let networks = networkshop_core::Networks::build(&community, Catalogue::wsis());
        let list: Vec<_> = networks
            .partner_suggestions(&community, &me, 10)
            .into_iter()
            .filter_map(|s| {
                community
                    .author(&s.author)
                    .cloned()
                    .map(|profile| (profile, s))
            })
            .collect();
        Some(list)
    });
    view! {
        <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{move || tr!(lang.get(), others_working_on_your_topics)}</h2>
            {move || match suggestions.get() {
                Some(list) if !list.is_empty() => view! {
                    <ol class="partners">
                        {list.into_iter().map(|(profile, s)| {
                            let lang = lang.get();
                            let shared = if s.shared_topics.is_empty() { s.shared_areas.clone() } else { s.shared_topics.clone() };
                            view! {
                                <li class="partner" data-author=profile.id.clone()>
                                    <strong>{profile.display_name.clone()}</strong>
                                    {(!profile.organisation.is_empty()).then(|| format!(" — {}", profile.organisation))}
                                    <span class="hint">{format!(" ({}, {})", group_label(lang, profile.stakeholder_group), region_label(lang, profile.region))}</span>
                                    <br/>
                                    <span>{tr!(lang, shared_topics)}{shared.join(", ")}</span>
                                    {profile.contact.clone().map(|c| view! { <br/><span>{tr!(lang, contact)}{c}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
                _ => view! {
                    <p class="hint">{move || tr!(lang.get(), nobody_else_yet_suggestions_appear_when)}</p>
                }.into_any(),
            }}
        </section>
    }
}
