//! Partner suggestions for one participant from their own device: their current records
//! (drafts included) stand in for their published copy, so a suggestion follows what they are
//! writing now rather than what they last published.
//!
//! Topics decide first (others working on the same subject); among those, a participant with
//! partnerships is offered first who would widen them (seed 000, principle 4: a stakeholder
//! group none of their partnerships has yet) and who works in their domains and beneficiary
//! regions (seed 003's partnership database).

use std::collections::BTreeSet;

use serde::Serialize;
use time::OffsetDateTime;

use super::{Networks, PartnerSuggestion};
use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::readiness::author_group;
use crate::record::{
    code, AuthorProfile, Domain, Kind, PartnershipDetails, Record, Region, StakeholderGroup,
};
use crate::workspace::Workspace;

impl Workspace {
    /// What partner suggestions depend on: the profile, each record's kind and topics, and a
    /// partnership's partners' groups, beneficiary regions and domains, at a fixed version that
    /// wins over any published copy. Everything typed (titles, descriptions, objectives, names)
    /// and every time is left out, so typing changes nothing here (a view can keep the
    /// suggestions meanwhile).
    pub fn partner_query(&self) -> Option<Bundle> {
        let mut bundle = self.bundle(OffsetDateTime::UNIX_EPOCH)?;
        for record in &mut bundle.records {
            record.revision = u64::MAX;
            record.updated_at = OffsetDateTime::UNIX_EPOCH;
            record.confirmed_at = None;
            record.title.clear();
            record.description.clear();
            record.languages.clear();
            record.url = None;
            record.event = None;
            record.document = None;
            record.extra.clear();
            record.partnership = record.partnership.as_ref().map(what_partners_need);
        }
        Some(bundle)
    }
}

/// A partnership reduced to what suggestions read, in one canonical form: the set of its
/// partners' groups (each under its code, as names are not read), its regions and domains.
fn what_partners_need(details: &PartnershipDetails) -> PartnershipDetails {
    let groups: BTreeSet<StakeholderGroup> = details
        .partner_rows()
        .into_iter()
        .filter_map(|(_, group)| group)
        .collect();
    PartnershipDetails {
        partners: groups.iter().map(code).collect(),
        partner_groups: groups.iter().map(|g| (code(g), *g)).collect(),
        beneficiary_regions: sorted(&details.beneficiary_regions),
        domains: sorted(&details.domains),
        ..Default::default()
    }
}

/// A suggestion with the profile to show and what makes it a good partner for partnerships.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerMatch {
    pub profile: AuthorProfile,
    pub suggestion: PartnerSuggestion,
    /// Their group is neither the participant's nor that of any partner of the participant's
    /// partnerships: they would widen them. Without partnerships, "another group".
    pub new_group: bool,
    /// The participant's partnerships' beneficiary regions where they are based or which their
    /// own partnerships benefit.
    pub shared_regions: Vec<Region>,
    /// The participant's partnerships' domains their own partnerships work in too.
    pub shared_domains: Vec<Domain>,
}

/// Each value once, in order: the order and repeats of a list are not read either.
fn sorted<T: Ord + Copy>(values: &[T]) -> Vec<T> {
    let set: BTreeSet<T> = values.iter().copied().collect();
    set.into_iter().collect()
}

/// What one author's partnerships bring together, and where and in what they work.
#[derive(Default)]
struct Reach {
    groups: BTreeSet<StakeholderGroup>,
    regions: BTreeSet<Region>,
    domains: BTreeSet<Domain>,
}

impl Reach {
    fn of<'a>(records: impl IntoIterator<Item = &'a Record>) -> Reach {
        let mut reach = Reach::default();
        let partnerships = records
            .into_iter()
            .filter(|r| r.kind == Kind::Partnership && !r.deleted)
            .filter_map(|r| r.partnership.as_ref());
        for details in partnerships {
            let rows = details.partner_rows().into_iter();
            reach.groups.extend(rows.filter_map(|(_, group)| group));
            reach
                .regions
                .extend(details.beneficiary_regions.iter().copied());
            reach.domains.extend(details.domains.iter().copied());
        }
        reach
    }
}

/// The `limit` best partners for the author of `mine` (a [`Workspace::partner_query`]) among
/// `community`, each with the profile to show.
pub fn suggest_partners(
    community: &Community,
    mine: Bundle,
    catalogue: &'static Catalogue,
    limit: usize,
) -> Vec<(AuthorProfile, PartnerSuggestion)> {
    partner_matches(community, mine, catalogue, limit)
        .into_iter()
        .map(|m| (m.profile, m.suggestion))
        .collect()
}

/// [`suggest_partners`] with what makes each a good partner for partnerships. Best first:
/// most topics in common, then most broader areas, then a new group, then most shared
/// domains, then most shared beneficiary regions, then another group, then another region.
pub fn partner_matches(
    community: &Community,
    mine: Bundle,
    catalogue: &'static Catalogue,
    limit: usize,
) -> Vec<PartnerMatch> {
    let me = mine.author.id.clone();
    let mut my_reach = Reach::of(&mine.records);
    // The author's organisation is a partner of their partnerships.
    my_reach.groups.extend(author_group(&mine.author));
    let mut with_me = community.filtered(|a| a.id != me, |_| true);
    with_me.add_bundle(mine);
    let networks = Networks::build(&with_me, catalogue);
    let mut matches: Vec<PartnerMatch> = networks
        .partner_suggestions(&with_me, &me, usize::MAX)
        .into_iter()
        .filter_map(|suggestion| {
            let profile = with_me.author(&suggestion.author)?.clone();
            let theirs = Reach::of(with_me.records_of(&profile.id));
            let shared_regions = my_reach
                .regions
                .iter()
                .copied()
                .filter(|r| *r == profile.region || theirs.regions.contains(r))
                .collect();
            let shared_domains = my_reach.domains.intersection(&theirs.domains).copied();
            Some(PartnerMatch {
                new_group: !my_reach.groups.contains(&profile.stakeholder_group),
                shared_domains: shared_domains.collect(),
                shared_regions,
                profile,
                suggestion,
            })
        })
        .collect();
    let key = |m: &PartnerMatch| {
        let s = &m.suggestion;
        (
            s.shared_topics.len(),
            s.shared_areas.len(),
            m.new_group,
            m.shared_domains.len(),
            m.shared_regions.len(),
            s.other_group,
            s.other_region,
        )
    };
    // Stable: equal keys keep the networks' order, which ends with the author id.
    matches.sort_by_key(|m| std::cmp::Reverse(key(m)));
    matches.truncate(limit);
    matches
}

#[cfg(test)]
mod tests;
