//! Partner suggestions for one participant from their own device: their current records
//! (drafts included) stand in for their published copy, so a suggestion follows what they are
//! writing now rather than what they last published.

use super::{Networks, PartnerSuggestion};
use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::record::AuthorProfile;
use crate::workspace::Workspace;
use time::OffsetDateTime;

impl Workspace {
    /// What partner suggestions depend on: the profile and each record's kind and topics, at a
    /// fixed version that wins over any published copy. Titles, descriptions and times are left
    /// out, so typing them changes nothing here (a view can keep the suggestions meanwhile).
    pub fn partner_query(&self) -> Option<Bundle> {
        let mut bundle = self.bundle(OffsetDateTime::UNIX_EPOCH)?;
        for record in &mut bundle.records {
            record.revision = u64::MAX;
            record.updated_at = OffsetDateTime::UNIX_EPOCH;
            record.title.clear();
            record.description.clear();
        }
        Some(bundle)
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
    let me = mine.author.id.clone();
    let mut with_me = community.filtered(|a| a.id != me, |_| true);
    with_me.add_bundle(mine);
    let networks = Networks::build(&with_me, catalogue);
    networks
        .partner_suggestions(&with_me, &me, limit)
        .into_iter()
        .filter_map(|s| {
            with_me
                .author(&s.author)
                .cloned()
                .map(|profile| (profile, s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Kind, Region, StakeholderGroup};
    use crate::test_support::profile;
    use time::macros::datetime;
    use uuid::Uuid;

    fn workspace(author: &str, topics: &[&str]) -> Workspace {
        let mut w = Workspace {
            profile: Some(profile(
                author,
                StakeholderGroup::Government,
                Region::Africa,
            )),
            ..Default::default()
        };
        let mut r = w.new_record(
            Uuid::new_v4(),
            Kind::Project,
            author,
            datetime!(2005-02-01 09:00 UTC),
        );
        r.title = format!("{author}'s project");
        r.topics = topics.iter().map(|t| t.to_string()).collect();
        w.save(r, datetime!(2005-02-01 09:00 UTC));
        w
    }

    #[test]
    fn the_query_ignores_what_is_typed_but_not_the_topics() {
        let mut w = workspace("farid", &["C4"]);
        let before = w.partner_query();
        let mut r = w.records.values().next().unwrap().record.clone();
        r.description = "Ateliers de formation".into();
        w.save(r.clone(), datetime!(2005-02-01 10:00 UTC));
        assert_eq!(
            w.partner_query(),
            before,
            "typing a description changes nothing"
        );
        r.topics = vec!["C7.e-health".into()];
        w.save(r, datetime!(2005-02-01 10:05 UTC));
        assert_ne!(w.partner_query(), before, "a new topic does");
    }

    #[test]
    fn drafts_find_partners_that_the_published_copy_would_not() {
        let esther = workspace("esther", &["C4"]);
        let mut community = Community::new();
        community.add_bundle(esther.bundle(datetime!(2005-02-01 09:00 UTC)).unwrap());
        // Farid published on e-health, and now drafts on capacity building.
        let published = workspace("farid", &["C7.e-health"]);
        community.add_bundle(published.bundle(datetime!(2005-02-01 09:00 UTC)).unwrap());
        let drafting = workspace("farid", &["C4"]);
        let suggestions = suggest_partners(
            &community,
            drafting.partner_query().unwrap(),
            Catalogue::wsis(),
            10,
        );
        let names: Vec<(&str, &[String])> = suggestions
            .iter()
            .map(|(p, s)| (p.id.as_str(), s.shared_topics.as_slice()))
            .collect();
        assert_eq!(names, vec![("esther", &["C4".to_owned()][..])]);
    }
}
