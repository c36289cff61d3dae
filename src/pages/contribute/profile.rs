//! The participant's profile: name, organisation, group, country, region, contact.

use leptos::prelude::*;
use networkshop_core::record::{AuthorProfile, Region, StakeholderGroup};
use networkshop_core::validate::{validate_profile, FieldError};

use super::fields::{errors_for, SelectField, TextField};
use crate::components::later::{later_fn, until_here, ChunkMissing};
use crate::i18n::{group_label, region_label, tr, use_lang};
use crate::services::{use_drafts, use_publishing};
use networkshop_core::publishing::{Status, StopReason};

later_fn! {
    /// The profile's rules come in the later chunk: the contact rule needs the URL parser (11 KB
    /// of the first load). The form is usable without them and shows its errors once they arrive.
    fn profile_rules() -> Result<fn(&AuthorProfile) -> Vec<FieldError>, ChunkMissing> {
        Ok(validate_profile)
    }
}

#[component]
pub(super) fn ProfileForm() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let profile = Memo::new(move |_| drafts.workspace.with(|w| w.profile.clone()));
    let rules = LocalResource::new(|| until_here(profile_rules));
    let errors = Memo::new(move |_| match rules.get() {
        Some(validate) => profile.with(|p| p.as_ref().map(validate).unwrap_or_default()),
        None => Vec::new(),
    });
    // The profile exists from the first keystroke, with a fresh author id.
    let edit = move |f: &dyn Fn(&mut AuthorProfile)| {
        let mut current = drafts.profile_or_new();
        f(&mut current);
        drafts.save_profile(current);
    };
    let get = move |f: fn(&AuthorProfile) -> String| {
        move || profile.with(|p| p.as_ref().map(f).unwrap_or_default())
    };
    let err = move |field: &'static str| move || errors.with(|e| errors_for(e, field, lang.get()));
    // An unchosen group or region is said once publishing waits for it, not before.
    let publishing = use_publishing();
    let asked = move |field: &'static str| {
        move || {
            let waiting = publishing
                .status
                .with(|s| *s == Status::Stopped(StopReason::ProfileIncomplete));
            if waiting {
                err(field)()
            } else {
                None
            }
        }
    };
    view! {
        <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{move || tr!(lang.get(), your_profile)}</h2>
            <div class="form-grid">
                <TextField id={"profile-name"} label={move || tr!(lang.get(), display_name)} value={get(|p| p.display_name.clone())}
                on_input={move |v: String| edit(&|p| p.display_name = v.clone())} error={err("display_name")}/>
                <TextField id={"profile-organisation"} label={move || tr!(lang.get(), organisation)} value={get(|p| p.organisation.clone())}
                on_input={move |v: String| edit(&|p| p.organisation = v.clone())} error={err("organisation")}/>
                <SelectField id={"profile-group"} label={move || tr!(lang.get(), stakeholder_group)} options={&StakeholderGroup::ALL} option_label={group_label}
                value={move || profile.with(|p| p.as_ref().filter(|p| p.has_chosen("stakeholder_group")).map(|p| p.stakeholder_group))} on_change={move |g| edit(&|p| { p.stakeholder_group = g; p.choose("stakeholder_group"); })}
                error={Signal::derive(asked("stakeholder_group"))}/>
                <TextField id={"profile-country"} label={move || tr!(lang.get(), country)} value={get(|p| p.country.clone())}
                on_input={move |v: String| edit(&|p| p.country = v.clone())} error={err("country")}/>
                <SelectField id={"profile-region"} label={move || tr!(lang.get(), region)} options={&Region::ALL} option_label={region_label}
                value={move || profile.with(|p| p.as_ref().filter(|p| p.has_chosen("region")).map(|p| p.region))} on_change={move |r| edit(&|p| { p.region = r; p.choose("region"); })}
                error={Signal::derive(asked("region"))}/>
                <TextField id={"profile-contact"} label={move || tr!(lang.get(), public_contact_optional_e_mail_or)} value={get(|p| p.contact.clone().unwrap_or_default())}
                on_input={move |v: String| edit(&|p| p.contact = (!v.trim().is_empty()).then(|| v.clone()))} error={err("contact")}/>
            </div>
        </section>
    }
}
