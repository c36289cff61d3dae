use time::macros::datetime;

use super::*;
use crate::bundle::Bundle;
use crate::map_query::MapQuery;
use crate::record::{Funding, PartnershipDetails, ValueAdded};
use crate::test_support::{profile, record};
use StakeholderGroup::{CivilSociety, Government, PrivateSector};

/// A partnership meeting every principle once its author's group counts: its partners are
/// all of `partner_groups`.
fn partnership(id: u128, author: &str, partner_groups: &[StakeholderGroup]) -> Record {
    let mut r = record(id, author, Kind::Partnership, &["C4"]);
    let mut details = PartnershipDetails {
        objectives: "Connecter 100 écoles".into(),
        expected_results: "100 écoles connectées".into(),
        funding: Funding::Secured,
        in_force_on: Some("2005-11-18".into()),
        ends_on: Some("2007-12-31".into()),
        value_added: vec![ValueAdded::New],
        voluntary_declaration: true,
        signatories: vec!["La ministre".into()],
        funding_sources: "Budget national".into(),
        ..Default::default()
    };
    let names: Vec<String> = (0..partner_groups.len())
        .map(|i| format!("partner {i}"))
        .collect();
    details.set_partners(names.clone());
    for (name, group) in names.iter().zip(partner_groups) {
        details.set_partner_group(name, Some(*group));
    }
    r.partnership = Some(details);
    r
}

fn kept(filters: &ViewFilters, community: &Community) -> Vec<u128> {
    filters
        .apply(community)
        .records()
        .map(|r| r.id.as_u128())
        .collect()
}

#[test]
fn ready_and_confirmed_are_set_and_read_by_their_keys() {
    let mut filters = ViewFilters::default();
    assert!(filters.set("ready", "1") && filters.set("confirmed", "2025"));
    assert_eq!(filters.get("ready").as_deref(), Some("1"));
    assert_eq!(filters.get("confirmed").as_deref(), Some("2025"));
    assert_eq!(filters.file_suffix(), "ready-confirmed-2025");
    for value in ["0", "yes", "true", ""] {
        filters.set("ready", value);
        assert_eq!(filters.get("ready"), None, "{value:?}");
    }
    for value in ["25", "+2025", "2025a", "20255", "twenty", "-202", ""] {
        filters.set("confirmed", "2025");
        filters.set("confirmed", value);
        assert_eq!(filters.get("confirmed"), None, "{value:?}");
    }
    assert!(filters.is_empty());
}

#[test]
fn ready_and_confirmed_round_trip_through_the_address() {
    let query = MapQuery::parse(
        [
            ("ready", "1"),
            ("confirmed", "2005"),
            ("kind", "partnership"),
        ],
        Catalogue::wsis(),
    );
    assert!(query.filters.ready);
    assert_eq!(query.filters.confirmed, Some(2005));
    assert_eq!(query.to_search(), "confirmed=2005&kind=partnership&ready=1");
    assert_eq!(query.report_search(), query.to_search());
    assert_eq!(query.export_name(), "partnership-ready-confirmed-2005");
}

#[test]
fn ready_keeps_the_partnerships_ready_to_announce_counting_their_authors_group() {
    let mut community = Community::new();
    let at = datetime!(2005-06-01 12:00 UTC);
    // A government author with a civil-society partner: two groups, ready.
    let state = profile("state", Government, Region::Europe);
    let mut unfunded = partnership(2, "state", &[CivilSociety]);
    unfunded.partnership.as_mut().unwrap().funding = Funding::Identified;
    community.add_bundle(Bundle::new(
        state.clone(),
        vec![
            partnership(1, "state", &[CivilSociety]),
            unfunded,
            record(3, "state", Kind::Project, &["C4"]),
        ],
        at,
    ));
    // A civil-society author with civil-society partners only: one group, not ready.
    let ngo = profile("ngo", CivilSociety, Region::Africa);
    community.add_bundle(Bundle::new(
        ngo.clone(),
        vec![
            partnership(4, "ngo", &[CivilSociety]),
            partnership(5, "ngo", &[CivilSociety, PrivateSector]),
        ],
        at,
    ));
    let ready = ViewFilters::parse([("ready", "1")]);
    assert_eq!(kept(&ready, &community), vec![5, 1]);
    let by_record = |author: &AuthorProfile, id: u128| {
        let r = community.records().find(|r| r.id.as_u128() == id).unwrap();
        (ready.keeps_record_of(author, r), ready.keeps_record(r))
    };
    // Without its author, a partnership counts only its partners' groups.
    assert_eq!(by_record(&state, 1), (true, false));
    assert_eq!(by_record(&ngo, 5), (true, true));
    assert_eq!(by_record(&state, 2), (false, false));
    assert_eq!(by_record(&state, 3), (false, false));
    // Other filters apply as before.
    let unready_too = ViewFilters::parse([("kind", "partnership")]);
    assert_eq!(kept(&unready_too, &community), vec![4, 5, 1, 2]);
    assert_eq!(
        unready_too.apply(&community),
        community.filtered(
            |a| unready_too.keeps_author(a),
            |r| unready_too.keeps_record(r)
        )
    );
}

#[test]
fn confirmed_keeps_records_vouched_for_in_that_year_or_later() {
    let edited = record(1, "a", Kind::Project, &["C4"]);
    let mut confirmed = record(2, "a", Kind::Project, &["C4"]);
    confirmed.confirmed_at = Some(datetime!(2006-03-01 09:00 UTC));
    let mut edited_late = record(3, "a", Kind::Event, &["C4"]);
    edited_late.updated_at = datetime!(2007-01-02 09:00 UTC);
    edited_late.confirmed_at = Some(datetime!(2006-01-01 09:00 UTC));
    let keeps = |year: &str| -> Vec<bool> {
        let filters = ViewFilters::parse([("confirmed", year)]);
        [&edited, &confirmed, &edited_late]
            .map(|r| filters.keeps_record(r))
            .to_vec()
    };
    // The records were last edited in 2005, 2005 and 2007.
    assert_eq!(keeps("2005"), [true, true, true]);
    assert_eq!(keeps("2006"), [false, true, true]);
    assert_eq!(keeps("2007"), [false, false, true]);
    assert_eq!(keeps("2008"), [false, false, false]);
}

#[test]
fn the_sdg_filter_keeps_the_records_whose_topics_lead_to_it() {
    let catalogue = Catalogue::wsis();
    let filters = ViewFilters {
        sdg: Some(3),
        ..ViewFilters::default()
    };
    // Every topic: kept exactly when the catalogue says it leads to goal 3, itself or through
    // the action line or e-application above it.
    for (n, topic) in catalogue.topics().iter().enumerate() {
        let tagged = record(n as u128 + 1, "amina", Kind::Project, &[topic.id.as_str()]);
        let leads = catalogue
            .self_and_ancestors(&topic.id)
            .iter()
            .any(|t| t.sdg_goals.contains(&3))
            || catalogue.sdgs_of(&topic.id).contains(&3);
        assert_eq!(filters.keeps_record(&tagged), leads, "{}", topic.id);
    }
    assert!(filters.keeps_record(&record(999, "amina", Kind::Project, &["C7.e-health.b"])));
    assert!(!filters.keeps_record(&record(998, "amina", Kind::Project, &["C9"])));
}
