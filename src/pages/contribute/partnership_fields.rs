//! A partnership's own fields: seed 003's partnership database (partners and their stakeholder
//! groups, signatories, entry into force, amount, beneficiary regions, domains, agreement type)
//! and what seed 000's principles ask before an announcement, with the checklist beside them.

use leptos::prelude::*;
use networkshop_core::record::{
    AgreementType, Domain, Funding, PartnershipDetails, Record, Region, StakeholderGroup,
    ValueAdded,
};

use super::fields::{CheckboxField, CheckboxGroup, InputKind, SelectField, TextField};
use super::readiness_list::ReadinessList;
use super::record_form::RecordForm;
use crate::i18n::{
    agreement_label, domain_label, funding_label, group_label, region_label, tr, use_lang,
    value_added_label,
};

fn partnership(record: &mut Record) -> &mut PartnershipDetails {
    record
        .partnership
        .get_or_insert_with(PartnershipDetails::default)
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub(super) fn PartnershipFields(form: RecordForm) -> impl IntoView {
    let lang = use_lang();
    let err = move |field: &'static str| move || form.error(field, lang.get());
    let read = move |f: fn(&PartnershipDetails) -> String| {
        move || form.read(|r| r.partnership.as_ref().map(f).unwrap_or_default())
    };
    let fid = move |name: &str| form.field_id(name);
    // The lists as one name per line, changed only when the list does: a space or a new line
    // being typed (dropped when the text becomes a list) is not written back over the typing.
    let partners = Memo::new(move |_| {
        form.read(|r| {
            r.partnership
                .as_ref()
                .map(|p| p.partners.join("\n"))
                .unwrap_or_default()
        })
    });
    let signatories = Memo::new(move |_| {
        form.read(|r| {
            r.partnership
                .as_ref()
                .map(|p| p.signatories.join("\n"))
                .unwrap_or_default()
        })
    });
    view! {
        <TextField id={fid("partners")} label={move || tr!(lang.get(), partners_one_per_line)} value=partners
            on_input={move |v: String| form.edit("partnership.partners", |r| partnership(r).set_partners(lines(&v)))} error={err("partnership.partners")} kind=InputKind::Paragraph/>
        <PartnerGroups form=form/>
        <TextField id={fid("objectives")} label={move || tr!(lang.get(), objectives)} value={read(|p| p.objectives.clone())}
            on_input={move |v: String| form.edit("partnership.objectives", |r| partnership(r).objectives = v)} error={err("partnership.objectives")} kind=InputKind::Paragraph/>
        <TextField id={fid("results")} label={move || tr!(lang.get(), expected_results)} value={read(|p| p.expected_results.clone())}
            on_input={move |v: String| form.edit("partnership.expected_results", |r| partnership(r).expected_results = v)} error={err("partnership.expected_results")} kind=InputKind::Paragraph/>
        <TextField id={fid("in-force")} label={move || tr!(lang.get(), in_force_on)} value={read(|p| p.in_force_on.clone().unwrap_or_default())}
            on_input={move |v: String| form.edit("partnership.in_force_on", |r| partnership(r).in_force_on = (!v.is_empty()).then_some(v))} error={err("partnership.in_force_on")} kind=InputKind::Date/>
        <TextField id={fid("ends")} label={move || tr!(lang.get(), partnership_ends_on)} value={read(|p| p.ends_on.clone().unwrap_or_default())}
            on_input={move |v: String| form.edit("partnership.ends_on", |r| partnership(r).ends_on = (!v.is_empty()).then_some(v))} error={err("partnership.ends_on")} kind=InputKind::Date/>
        <TextField id={fid("timeline")} label={move || tr!(lang.get(), timeline)} value={read(|p| p.timeline.clone())}
            on_input={move |v: String| form.edit("partnership.timeline", |r| partnership(r).timeline = v)} error={err("partnership.timeline")}/>
        <SelectField id={fid("funding")} label={move || tr!(lang.get(), funding)} options={&Funding::ALL} option_label={funding_label}
            value={move || Some(form.read(|r| r.partnership.as_ref().map(|p| p.funding).unwrap_or_default()))}
            on_change={move |f| form.edit("partnership.funding", |r| partnership(r).funding = f)}/>
        <TextField id={fid("sources")} label={move || tr!(lang.get(), funding_sources)} value={read(|p| p.funding_sources.clone())}
            on_input={move |v: String| form.edit("partnership.funding_sources", |r| partnership(r).funding_sources = v)} error={err("partnership.funding_sources")} kind=InputKind::Paragraph/>
        <div class="field-pair">
            <TextField id={fid("amount")} label={move || tr!(lang.get(), amount_optional)} value={read(|p| p.amount.map(|a| a.to_string()).unwrap_or_default())}
                on_input={move |v: String| form.edit("partnership.amount", |r| partnership(r).amount = v.trim().parse().ok())} error={err("partnership.amount")} kind=InputKind::Number/>
            <TextField id={fid("currency")} label={move || tr!(lang.get(), currency_code)} value={read(|p| p.currency.clone().unwrap_or_default())}
                on_input={move |v: String| form.edit("partnership.currency", |r| partnership(r).currency = Some(v.trim().to_uppercase()).filter(|c| !c.is_empty()))} error={err("partnership.currency")}/>
        </div>
        <CheckboxGroup id=fid("regions") legend=move || tr!(lang.get(), beneficiary_regions) options=&Region::ALL option_label=region_label
            chosen=Signal::derive(move || form.read(|r| r.partnership.as_ref().map(|p| p.beneficiary_regions.clone()).unwrap_or_default()))
            on_change=Callback::new(move |v| form.edit("partnership.beneficiary_regions", |r| partnership(r).beneficiary_regions = v))
            error=Signal::derive(err("partnership.beneficiary_regions"))/>
        <CheckboxGroup id=fid("domains") legend=move || tr!(lang.get(), domains_of_activity) options=&Domain::ALL option_label=domain_label
            chosen=Signal::derive(move || form.read(|r| r.partnership.as_ref().map(|p| p.domains.clone()).unwrap_or_default()))
            on_change=Callback::new(move |v| form.edit("partnership.domains", |r| partnership(r).domains = v))
            error=Signal::derive(err("partnership.domains"))/>
        <CheckboxGroup id=fid("value-added") legend=move || tr!(lang.get(), what_the_partnership_brings) options=&ValueAdded::ALL option_label=value_added_label
            chosen=Signal::derive(move || form.read(|r| r.partnership.as_ref().map(|p| p.value_added.clone()).unwrap_or_default()))
            on_change=Callback::new(move |v| form.edit("partnership.value_added", |r| partnership(r).value_added = v))
            error=Signal::derive(err("partnership.value_added"))/>
        <SelectField id={fid("agreement")} label={move || tr!(lang.get(), agreement_type)} options={&AgreementType::ALL} option_label={agreement_label}
            value={move || Some(form.read(|r| r.partnership.as_ref().map(|p| p.agreement).unwrap_or_default()))}
            on_change={move |a| form.edit("partnership.agreement", |r| partnership(r).agreement = a)}/>
        <TextField id={fid("signatories")} label={move || tr!(lang.get(), signatories_one_per_line)} value=signatories
            on_input={move |v: String| form.edit("partnership.signatories", |r| partnership(r).signatories = lines(&v))} error={err("partnership.signatories")} kind=InputKind::Paragraph/>
        <CheckboxField id=fid("declaration") label=move || tr!(lang.get(), voluntary_declaration)
            checked=Signal::derive(move || form.read(|r| r.partnership.as_ref().is_some_and(|p| p.voluntary_declaration)))
            on_change=Callback::new(move |on| form.edit("partnership.voluntary_declaration", |r| partnership(r).voluntary_declaration = on))/>
        <ReadinessList record=form.record/>
    }
}

/// Each partner's stakeholder group, chosen beside its name (multi-stakeholder partnerships
/// are the second of seed 000's principles to check).
#[component]
fn PartnerGroups(form: RecordForm) -> impl IntoView {
    let lang = use_lang();
    let rows = Memo::new(move |_| {
        form.read(|r| {
            r.partnership
                .as_ref()
                .map(PartnershipDetails::partner_rows)
                .unwrap_or_default()
        })
    });
    let choose = move |name: String, index: String| {
        let group = index
            .parse::<usize>()
            .ok()
            .and_then(|i| StakeholderGroup::ALL.get(i).copied());
        form.edit("partnership.partner_groups", |r| {
            partnership(r).set_partner_group(&name, group)
        });
    };
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())>
            <fieldset class="partner-groups">
                <legend>{move || tr!(lang.get(), partners_stakeholder_groups)}</legend>
                <For each=move || rows.get().into_iter().enumerate() key=|(i, row)| (*i, row.0.clone()) let:((i, (name, group)))>
                    {
                        let id = form.field_id(&format!("partner-group-{i}"));
                        let choose_name = name.clone();
                        view! {
                            <div class="field">
                                <label for=id.clone()><bdi>{name}</bdi></label>
                                <select id=id on:change=move |ev| choose(choose_name.clone(), event_target_value(&ev))>
                                    <option value="" selected=group.is_none()>{move || tr!(lang.get(), group_not_said)}</option>
                                    {StakeholderGroup::ALL.iter().enumerate().map(|(g, option)| view! {
                                        <option value=g.to_string() selected=group == Some(*option)>{move || group_label(lang.get(), *option)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }
                </For>
            </fieldset>
        </Show>
    }
}
