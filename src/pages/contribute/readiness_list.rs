//! Seed 000's seven principles beside the partnership form: each met or what it still lacks,
//! and "ready to announce" once all are, as the participant fills the form in.

use leptos::prelude::*;
use networkshop_core::readiness::{author_group, checklist, Missing, Principle};
use networkshop_core::record::Record;

use crate::i18n::{tr, tr_count, use_lang, Lang};
use crate::services::use_drafts;

fn principle_label(lang: Lang, principle: Principle) -> &'static str {
    match principle {
        Principle::Objectives => tr!(lang, principle_objectives),
        Principle::Voluntary => tr!(lang, principle_voluntary),
        Principle::SummitOutcomes => tr!(lang, principle_summit_outcomes),
        Principle::MultiStakeholder => tr!(lang, principle_multi_stakeholder),
        Principle::ValueAdded => tr!(lang, principle_value_added),
        Principle::ConcreteResults => tr!(lang, principle_concrete_results),
        Principle::Funding => tr!(lang, principle_funding),
    }
}

fn missing_label(lang: Lang, missing: Missing) -> &'static str {
    match missing {
        Missing::Objectives => tr!(lang, missing_objectives),
        Missing::VoluntaryDeclaration => tr!(lang, missing_voluntary_declaration),
        Missing::PlanOfActionTopic => tr!(lang, missing_plan_of_action_topic),
        Missing::Partners => tr!(lang, missing_partners),
        Missing::PartnerGroups => tr!(lang, missing_partner_groups),
        Missing::AuthorGroup => tr!(lang, missing_author_group),
        Missing::SecondStakeholderGroup => tr!(lang, missing_second_stakeholder_group),
        Missing::ValueAdded => tr!(lang, missing_value_added),
        Missing::ExpectedResults => tr!(lang, missing_expected_results),
        Missing::InForceOn => tr!(lang, missing_in_force_on),
        Missing::EndsOn => tr!(lang, missing_ends_on),
        Missing::Signatories => tr!(lang, missing_signatories),
        Missing::FundingSources => tr!(lang, missing_funding_sources),
        Missing::FundingNotIdentified => tr!(lang, missing_funding_not_identified),
        Missing::InitialFundingNotSecured => tr!(lang, missing_initial_funding_not_secured),
    }
}

#[component]
pub(super) fn ReadinessList(record: Memo<Option<Record>>) -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let group = Memo::new(move |_| {
        drafts
            .workspace
            .with(|w| w.profile.as_ref().and_then(author_group))
    });
    let list =
        Memo::new(move |_| record.with(|r| r.as_ref().and_then(|r| checklist(r, group.get()))));
    let summary = move || {
        let lang = lang.get();
        list.with(|l| match l {
            Some(l) if l.ready_to_announce() => tr!(lang, ready_to_announce).to_string(),
            Some(l) => tr_count!(
                lang,
                principles_met_single,
                principles_met_several,
                l.met_count()
            ),
            None => String::new(),
        })
    };
    view! {
        <section class="readiness" aria-labelledby="readiness-heading" data-testid="readiness">
            <h4 id="readiness-heading">{move || tr!(lang.get(), readiness_heading)}</h4>
            <p class="readiness-summary" class:ready=move || list.with(|l| l.as_ref().is_some_and(|l| l.ready_to_announce()))
                role="status">{summary}</p>
            <ol class="readiness-checks">
                {move || list.get().map(|l| l.checks.into_iter().map(|check| {
                    let lang = lang.get();
                    let met = check.met();
                    let lacks = check.missing.iter().map(|m| missing_label(lang, *m)).collect::<Vec<_>>().join(" ");
                    view! {
                        <li class:met=met>
                            <span class="check-mark" aria-hidden="true">{if met { "✓" } else { "○" }}</span>
                            <span class="visually-hidden">{if met { tr!(lang, principle_is_met) } else { tr!(lang, principle_is_not_met) }}</span>
                            {principle_label(lang, check.principle)}
                            {(!met).then(|| view! { <span class="hint">" — "{lacks}</span> })}
                        </li>
                    }
                }).collect_view())}
            </ol>
        </section>
    }
}
