//! Words for the records' enums and form fields.

use networkshop_core::record::{
    AgreementType, AuthorProfile, Domain, EventFormat, Funding, Kind, Region, StakeholderGroup,
    ValueAdded,
};

use super::Lang;

pub fn kind_label(lang: Lang, kind: Kind) -> &'static str {
    match kind {
        Kind::Network => tr!(lang, network_or_working_group),
        Kind::Event => tr!(lang, event),
        Kind::Document => tr!(lang, document),
        Kind::Project => tr!(lang, project),
        Kind::Partnership => tr!(lang, partnership),
    }
}

pub fn group_label(lang: Lang, group: StakeholderGroup) -> &'static str {
    match group {
        StakeholderGroup::Government => tr!(lang, government),
        StakeholderGroup::PrivateSector => tr!(lang, private_sector),
        StakeholderGroup::CivilSociety => tr!(lang, civil_society),
        StakeholderGroup::AcademicTechnical => tr!(lang, academic_and_technical_community),
        StakeholderGroup::InternationalOrganisation => tr!(lang, international_organisation),
    }
}

/// "(Société civile, Afrique)", said beside a participant's name.
pub fn group_and_region(lang: Lang, author: &AuthorProfile) -> String {
    let group = group_label(lang, author.stakeholder_group);
    let region = region_label(lang, author.region);
    tr!(lang, group_and_region, group, region).to_string()
}

pub fn region_label(lang: Lang, region: Region) -> &'static str {
    match region {
        Region::Africa => tr!(lang, africa),
        Region::Americas => tr!(lang, americas),
        Region::ArabStates => tr!(lang, arab_states),
        Region::AsiaPacific => tr!(lang, asia_pacific),
        Region::Cis => tr!(lang, cis),
        Region::Europe => tr!(lang, europe),
        Region::World => tr!(lang, world),
    }
}

pub fn funding_label(lang: Lang, funding: Funding) -> &'static str {
    match funding {
        Funding::None => tr!(lang, no_funding_yet),
        Funding::Identified => tr!(lang, funding_identified),
        Funding::Secured => tr!(lang, funding_secured),
    }
}

pub fn agreement_label(lang: Lang, agreement: AgreementType) -> &'static str {
    match agreement {
        AgreementType::Mou => tr!(lang, memorandum_of_understanding),
        AgreementType::CooperationAgreement => {
            tr!(lang, cooperation_agreement)
        }
        AgreementType::ProjectDocument => tr!(lang, project_document),
        AgreementType::VoluntaryContribution => {
            tr!(lang, voluntary_contribution)
        }
        AgreementType::Sponsorship => tr!(lang, sponsorship),
    }
}

/// The name of the form field a validation error belongs to (`FieldError::form_field`), as
/// its label reads without "(optional)" and the like.
pub fn field_label(lang: Lang, form_field: &str) -> &'static str {
    match form_field {
        "title" => tr!(lang, title),
        "description" => tr!(lang, description),
        "url" => tr!(lang, field_web_address),
        "languages" => tr!(lang, field_languages),
        "topics" => tr!(lang, topics_of_the_plan_of_action),
        "event.starts_on" => tr!(lang, starts_on),
        "event.ends_on" => tr!(lang, ends_on),
        "event.time_zone" => tr!(lang, field_time_zone),
        "event.place" => tr!(lang, place),
        "event.online_url" => tr!(lang, field_online_link),
        "document.language" => tr!(lang, field_document_language),
        "document.year" => tr!(lang, year),
        "partnership.partners" => tr!(lang, field_partners),
        "partnership.objectives" => tr!(lang, objectives),
        "partnership.expected_results" => tr!(lang, expected_results),
        "partnership.timeline" => tr!(lang, timeline),
        "partnership.partner_groups" => tr!(lang, partners_stakeholder_groups),
        "partnership.signatories" => tr!(lang, field_signatories),
        "partnership.in_force_on" => tr!(lang, in_force_on),
        "partnership.ends_on" => tr!(lang, partnership_ends_on),
        "partnership.amount" => tr!(lang, field_amount),
        "partnership.currency" => tr!(lang, field_currency),
        "partnership.funding_sources" => tr!(lang, funding_sources),
        "partnership.beneficiary_regions" => tr!(lang, beneficiary_regions),
        "partnership.domains" => tr!(lang, domains_of_activity),
        "partnership.value_added" => tr!(lang, what_the_partnership_brings),
        "event.speakers_women" => tr!(lang, women_speaking),
        "event.speakers_men" => tr!(lang, men_speaking),
        _ => tr!(lang, field_details),
    }
}

pub fn event_format_label(lang: Lang, format: EventFormat) -> &'static str {
    match format {
        EventFormat::HighLevelPolicySession => tr!(lang, format_high_level_policy_session),
        EventFormat::ActionLineFacilitationMeeting => {
            tr!(lang, format_action_line_facilitation_meeting)
        }
        EventFormat::CountryWorkshop => tr!(lang, format_country_workshop),
        EventFormat::ThematicWorkshop => tr!(lang, format_thematic_workshop),
        EventFormat::Training => tr!(lang, format_training),
        EventFormat::Hackathon => tr!(lang, format_hackathon),
        EventFormat::Exhibition => tr!(lang, format_exhibition),
        EventFormat::Networkshop => tr!(lang, format_networkshop),
        EventFormat::Other => tr!(lang, format_other),
    }
}

pub fn domain_label(lang: Lang, domain: Domain) -> &'static str {
    match domain {
        Domain::CapacityBuilding => tr!(lang, domain_capacity_building),
        Domain::Cybersecurity => tr!(lang, domain_cybersecurity),
        Domain::DigitalInclusion => tr!(lang, domain_digital_inclusion),
        Domain::EmergencyTelecommunications => tr!(lang, domain_emergency_telecommunications),
        Domain::EnablingEnvironment => tr!(lang, domain_enabling_environment),
        Domain::GenericActivities => tr!(lang, domain_generic_activities),
        Domain::IctApplications => tr!(lang, domain_ict_applications),
        Domain::Infrastructure => tr!(lang, domain_infrastructure),
        Domain::Innovation => tr!(lang, domain_innovation),
        Domain::ClimateChangeEwaste => tr!(lang, domain_climate_change_ewaste),
        Domain::StatisticsIndicators => tr!(lang, domain_statistics_indicators),
    }
}

pub fn value_added_label(lang: Lang, value: ValueAdded) -> &'static str {
    match value {
        ValueAdded::New => tr!(lang, value_new),
        ValueAdded::MorePartners => tr!(lang, value_more_partners),
        ValueAdded::AnotherRegion => tr!(lang, value_another_region),
        ValueAdded::MoreResources => tr!(lang, value_more_resources),
    }
}
