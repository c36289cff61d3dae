//! Seed 000's seven guiding principles as a checklist read off a partnership record, so that
//! its author sees what the secretariat will ask before announcing it, and a facilitator can
//! list the partnerships ready to be announced.
//!
//! The checklist is derived, never stored: it follows every edit, and a bundle cannot claim a
//! readiness its fields do not show. What is missing comes out as codes; the app words them.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, Funding, Kind, PartnershipDetails, Record, StakeholderGroup};

/// The guiding principles, in the seed's order (`number` gives its numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Principle {
    Objectives,
    /// Voluntary, and respectful of the UN's principles and the Millennium Declaration's values.
    Voluntary,
    /// Linked to the outcomes fixed at intergovernmental level: the Plan of Action.
    SummitOutcomes,
    MultiStakeholder,
    /// New, or bringing clear value added to an existing partnership.
    ValueAdded,
    ConcreteResults,
    Funding,
}

impl Principle {
    pub const ALL: [Principle; 7] = [
        Principle::Objectives,
        Principle::Voluntary,
        Principle::SummitOutcomes,
        Principle::MultiStakeholder,
        Principle::ValueAdded,
        Principle::ConcreteResults,
        Principle::Funding,
    ];

    /// 1 to 7, as the seed numbers them.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
}

/// What keeps a principle from being met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Objectives,
    VoluntaryDeclaration,
    /// No topic of the Plan of Action (only ids the catalogue does not know, or none).
    PlanOfActionTopic,
    /// No partner named.
    Partners,
    /// Some partner's stakeholder group is not given; it might be the second group.
    PartnerGroups,
    /// The author's own group is not chosen yet (a draft profile).
    AuthorGroup,
    /// Every group given is the same one.
    SecondStakeholderGroup,
    ValueAdded,
    ExpectedResults,
    InForceOn,
    EndsOn,
    /// Nobody signed: the seed asks the partners to commit formally to the goals.
    Signatories,
    /// The sources of funding, available or planned, are not named.
    FundingSources,
    /// No source of funding identified.
    FundingNotIdentified,
    /// Sources identified, but the initial funding the seed asks for is not secured.
    InitialFundingNotSecured,
}

/// One principle: met when nothing is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub principle: Principle,
    pub missing: Vec<Missing>,
}

impl Check {
    pub fn met(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The seven checks, in the seed's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub checks: Vec<Check>,
}

impl Checklist {
    /// Every principle met: the secretariat can announce it.
    pub fn ready_to_announce(&self) -> bool {
        self.checks.iter().all(Check::met)
    }

    pub fn unmet(&self) -> impl Iterator<Item = Principle> + '_ {
        self.checks.iter().filter(|c| !c.met()).map(|c| c.principle)
    }

    pub fn met_count(&self) -> usize {
        self.checks.iter().filter(|c| c.met()).count()
    }
}

/// The author's group as the checklist counts it: none while a draft profile has not chosen
/// one, since the preset value would pass for the participant's answer.
pub fn author_group(profile: &AuthorProfile) -> Option<StakeholderGroup> {
    profile
        .has_chosen("stakeholder_group")
        .then_some(profile.stakeholder_group)
}

/// The checklist of a partnership, `None` for other kinds and for a deleted record. The
/// author's organisation is one of the partners, so its group counts towards principle 4.
pub fn checklist(record: &Record, author_group: Option<StakeholderGroup>) -> Option<Checklist> {
    if record.kind != Kind::Partnership || record.deleted {
        return None;
    }
    let none = PartnershipDetails::default();
    let details = record.partnership.as_ref().unwrap_or(&none);
    let checks = Principle::ALL
        .into_iter()
        .map(|principle| Check {
            principle,
            missing: missing(principle, record, details, author_group),
        })
        .collect();
    Some(Checklist { checks })
}

/// Whether a record is a partnership with every principle met.
pub fn ready_to_announce(record: &Record, author_group: Option<StakeholderGroup>) -> bool {
    checklist(record, author_group).is_some_and(|c| c.ready_to_announce())
}

/// The stakeholder groups a partnership brings together: its partners' (those given) and its
/// author's.
pub fn stakeholder_groups(
    details: &PartnershipDetails,
    author_group: Option<StakeholderGroup>,
) -> BTreeSet<StakeholderGroup> {
    details
        .partner_rows()
        .into_iter()
        .filter(|(name, _)| !blank(name))
        .filter_map(|(_, group)| group)
        .chain(author_group)
        .collect()
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn set(date: &Option<String>) -> bool {
    date.as_deref().is_some_and(|d| !blank(d))
}

fn missing(
    principle: Principle,
    record: &Record,
    details: &PartnershipDetails,
    author_group: Option<StakeholderGroup>,
) -> Vec<Missing> {
    let unless = |ok: bool, what: Missing| (!ok).then_some(what);
    let gaps = match principle {
        Principle::Objectives => vec![unless(!blank(&details.objectives), Missing::Objectives)],
        Principle::Voluntary => vec![unless(
            details.voluntary_declaration,
            Missing::VoluntaryDeclaration,
        )],
        Principle::SummitOutcomes => vec![unless(
            record.topics.iter().any(|t| Catalogue::wsis().contains(t)),
            Missing::PlanOfActionTopic,
        )],
        Principle::MultiStakeholder => multi_stakeholder_gaps(details, author_group),
        Principle::ValueAdded => vec![unless(!details.value_added.is_empty(), Missing::ValueAdded)],
        Principle::ConcreteResults => vec![
            unless(!blank(&details.expected_results), Missing::ExpectedResults),
            unless(set(&details.in_force_on), Missing::InForceOn),
            unless(set(&details.ends_on), Missing::EndsOn),
            unless(
                details.signatories.iter().any(|s| !blank(s)),
                Missing::Signatories,
            ),
        ],
        Principle::Funding => vec![
            match details.funding {
                Funding::Secured => None,
                Funding::Identified => Some(Missing::InitialFundingNotSecured),
                Funding::None => Some(Missing::FundingNotIdentified),
            },
            // "Secured" or "identified" says nothing of where the money comes from.
            (details.funding != Funding::None && blank(&details.funding_sources))
                .then_some(Missing::FundingSources),
        ],
    };
    gaps.into_iter().flatten().collect()
}

fn multi_stakeholder_gaps(
    details: &PartnershipDetails,
    author_group: Option<StakeholderGroup>,
) -> Vec<Option<Missing>> {
    if stakeholder_groups(details, author_group).len() >= 2 {
        return Vec::new();
    }
    let named: Vec<_> = details
        .partner_rows()
        .into_iter()
        .filter(|(name, _)| !blank(name))
        .collect();
    let gaps = [
        (named.is_empty(), Missing::Partners),
        (
            named.iter().any(|(_, g)| g.is_none()),
            Missing::PartnerGroups,
        ),
        (author_group.is_none(), Missing::AuthorGroup),
    ];
    if gaps.iter().any(|(gap, _)| *gap) {
        gaps.into_iter()
            .map(|(gap, what)| gap.then_some(what))
            .collect()
    } else {
        // Nothing left to fill in: the groups given are all one.
        vec![Some(Missing::SecondStakeholderGroup)]
    }
}

#[cfg(test)]
mod tests;
