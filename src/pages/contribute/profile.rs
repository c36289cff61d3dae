//! The participant's profile: name, organisation, group, country, region, contact.

use leptos::prelude::*;
use networkshop_core::record::{AuthorProfile, Region, StakeholderGroup};
use networkshop_core::validate::validate_profile;

use super::{errors_for, select_field, text_field};
use crate::i18n::{group_label, region_label, tr, use_lang};
use crate::services::use_drafts;

#[component]
pub(super) fn ProfileForm() -> impl IntoView {
    let lang = use_lang();
    let drafts = use_drafts();
    let profile = Memo::new(move |_| drafts.workspace.with(|w| w.profile.clone()));
    let errors = Memo::new(move |_| {
        profile
            .get()
            .map(|p| validate_profile(&p))
            .unwrap_or_default()
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
