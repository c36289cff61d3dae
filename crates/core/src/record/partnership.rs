//! What a partnership record says: seed 003's partnership database (partners and their
//! stakeholder groups, signatories, entry into force, amount, beneficiary regions, domain,
//! agreement type) and what seed 000's guiding principles ask to see before the secretariat
//! announces one (see `crate::readiness`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Extra, Region, StakeholderGroup};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    #[default]
    None,
    Identified,
    Secured,
}

impl Funding {
    pub const ALL: [Funding; 3] = [Funding::None, Funding::Identified, Funding::Secured];
}

/// Agreement types of seed 003.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementType {
    #[default]
    Mou,
    CooperationAgreement,
    ProjectDocument,
    VoluntaryContribution,
    Sponsorship,
}

impl AgreementType {
    pub const ALL: [AgreementType; 5] = [
        AgreementType::Mou,
        AgreementType::CooperationAgreement,
        AgreementType::ProjectDocument,
        AgreementType::VoluntaryContribution,
        AgreementType::Sponsorship,
    ];
}

/// The eleven domains of activity of seed 003's diagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    CapacityBuilding,
    Cybersecurity,
    DigitalInclusion,
    EmergencyTelecommunications,
    EnablingEnvironment,
    GenericActivities,
    IctApplications,
    Infrastructure,
    Innovation,
    ClimateChangeEwaste,
    StatisticsIndicators,
}

impl Domain {
    pub const ALL: [Domain; 11] = [
        Domain::CapacityBuilding,
        Domain::Cybersecurity,
        Domain::DigitalInclusion,
        Domain::EmergencyTelecommunications,
        Domain::EnablingEnvironment,
        Domain::GenericActivities,
        Domain::IctApplications,
        Domain::Infrastructure,
        Domain::Innovation,
        Domain::ClimateChangeEwaste,
        Domain::StatisticsIndicators,
    ];
}

/// What a partnership brings to the summit (seed 000, principle 5): it is new, or it extends
/// an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueAdded {
    New,
    MorePartners,
    AnotherRegion,
    MoreResources,
}

impl ValueAdded {
    pub const ALL: [ValueAdded; 4] = [
        ValueAdded::New,
        ValueAdded::MorePartners,
        ValueAdded::AnotherRegion,
        ValueAdded::MoreResources,
    ];
}

/// Every member after `agreement` is optional in bundle v1 and left out when empty, so a
/// bundle that does not use them is byte for byte what earlier builds wrote.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PartnershipDetails {
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub expected_results: String,
    #[serde(default)]
    pub timeline: String,
    pub funding: Funding,
    pub agreement: AgreementType,
    /// The stakeholder group of a partner, by the name in `partners` (a map, so an older app
    /// that only knows `partners` still shows every name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub partner_groups: BTreeMap<String, StakeholderGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<String>,
    /// ISO 8601 dates: entry into force, and the end the timeline aims at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    /// Whole units of `currency` (an ISO 4217 code): seed 003 counts in dollars and euros,
    /// never in cents, and an integer needs no float formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub funding_sources: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub beneficiary_regions: Vec<Region>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_added: Vec<ValueAdded>,
    /// The partners declare the partnership voluntary and consistent with the UN's principles
    /// and the Millennium Declaration's values (seed 000, principle 2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voluntary_declaration: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

impl PartnershipDetails {
    /// The partners as the form lists them: each name with its group, if chosen.
    pub fn partner_rows(&self) -> Vec<(String, Option<StakeholderGroup>)> {
        self.partners
            .iter()
            .map(|name| (name.clone(), self.partner_groups.get(name).copied()))
            .collect()
    }

    /// Replaces the partners' names; a name that stays keeps its group, and a name changed in
    /// place (same line, the old name gone) takes the old one's: finishing or correcting a
    /// name does not lose the group chosen beside it.
    pub fn set_partners(&mut self, names: Vec<String>) {
        let mut groups = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            let kept = self.partner_groups.get(name).copied().or_else(|| {
                let old = self.partners.get(i)?;
                (!names.contains(old))
                    .then(|| self.partner_groups.get(old).copied())
                    .flatten()
            });
            if let Some(group) = kept {
                groups.insert(name.clone(), group);
            }
        }
        self.partner_groups = groups;
        self.partners = names;
    }

    pub fn set_partner_group(&mut self, name: &str, group: Option<StakeholderGroup>) {
        match group {
            Some(group) => {
                self.partner_groups.insert(name.to_owned(), group);
            }
            None => {
                self.partner_groups.remove(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_renamed_in_place_keeps_its_group() {
        let mut details = PartnershipDetails::default();
        details.set_partners(vec!["Minist".into(), "ONG".into()]);
        details.set_partner_group("Minist", Some(StakeholderGroup::Government));
        details.set_partner_group("ONG", Some(StakeholderGroup::CivilSociety));
        details.set_partners(vec!["Ministère".into(), "ONG".into()]);
        assert_eq!(
            details.partner_rows(),
            vec![
                ("Ministère".into(), Some(StakeholderGroup::Government)),
                ("ONG".into(), Some(StakeholderGroup::CivilSociety)),
            ]
        );
        // A removed partner's group goes with it; the others keep theirs.
        details.set_partners(vec!["ONG".into()]);
        assert_eq!(
            details.partner_rows(),
            vec![("ONG".into(), Some(StakeholderGroup::CivilSociety))]
        );
    }
}
