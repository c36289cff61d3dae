use super::*;
use crate::record::Funding;
use crate::test_support::profile;
use time::macros::datetime;
use uuid::Uuid;
use Region::{Africa, Europe};
use StakeholderGroup::{AcademicTechnical, CivilSociety, Government, InternationalOrganisation};

fn workspace(author: &str, topics: &[&str]) -> Workspace {
    let mut w = Workspace {
        profile: Some(profile(author, Government, Africa)),
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

/// A partnership on C4 with one partner of `group`, for `regions` in `domains`.
fn partnership(
    author: &str,
    group: StakeholderGroup,
    regions: &[Region],
    domains: &[Domain],
) -> Record {
    let mut r = crate::test_support::record(99, author, Kind::Partnership, &["C4"]);
    let mut details = PartnershipDetails {
        partners: vec!["Partner".into()],
        beneficiary_regions: regions.to_vec(),
        domains: domains.to_vec(),
        ..Default::default()
    };
    details.set_partner_group("Partner", Some(group));
    r.partnership = Some(details);
    r
}

/// Four others on C4: a civil-society NGO and a firm in Europe, a school in Africa, and a
/// bank in Europe whose own partnership builds capacity in Africa.
fn room() -> Community {
    let mut community = Community::new();
    let at = datetime!(2005-02-01 09:00 UTC);
    let others = [
        ("ngo", CivilSociety, Europe),
        ("firm", StakeholderGroup::PrivateSector, Europe),
        ("school", AcademicTechnical, Africa),
        ("bank", InternationalOrganisation, Europe),
    ];
    for (id, group, region) in others {
        let mut records = vec![crate::test_support::record(1, id, Kind::Project, &["C4"])];
        if id == "bank" {
            records = vec![partnership(
                "bank",
                Government,
                &[Africa],
                &[Domain::CapacityBuilding],
            )];
        }
        community.add_bundle(Bundle::new(profile(id, group, region), records, at));
    }
    community
}

fn order(matches: &[PartnerMatch]) -> Vec<&str> {
    matches.iter().map(|m| m.profile.id.as_str()).collect()
}

#[test]
fn partnerships_prefer_new_groups_then_shared_domains_and_regions() {
    let mut farid = workspace("farid", &["C4"]);
    let at = datetime!(2005-02-01 10:00 UTC);
    farid.save(
        Record {
            id: Uuid::from_u128(7),
            ..partnership(
                "farid",
                CivilSociety,
                &[Africa],
                &[Domain::CapacityBuilding],
            )
        },
        at,
    );
    let matches = partner_matches(
        &room(),
        farid.partner_query().unwrap(),
        Catalogue::wsis(),
        10,
    );
    // The NGO's group is already a partner's: it widens nothing and comes last.
    assert_eq!(order(&matches), vec!["bank", "school", "firm", "ngo"]);
    let bank = &matches[0];
    assert!(bank.new_group);
    assert_eq!(bank.shared_domains, vec![Domain::CapacityBuilding]);
    assert_eq!(bank.shared_regions, vec![Africa]);
    // Based in a beneficiary region.
    assert_eq!(matches[1].shared_regions, vec![Africa]);
    assert!(matches[1].shared_domains.is_empty());
    assert!(!matches[3].new_group && matches[3].suggestion.other_group);
    // The older entry point keeps the same order.
    let plain = suggest_partners(
        &room(),
        farid.partner_query().unwrap(),
        Catalogue::wsis(),
        2,
    );
    let ids: Vec<&str> = plain.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(ids, vec!["bank", "school"]);
}

#[test]
fn without_partnerships_the_order_is_the_networks_own() {
    let farid = workspace("farid", &["C4"]);
    let mine = farid.partner_query().unwrap();
    let matches = partner_matches(&room(), mine.clone(), Catalogue::wsis(), 10);
    assert!(matches
        .iter()
        .all(|m| m.shared_domains.is_empty() && m.shared_regions.is_empty()));
    assert!(matches
        .iter()
        .all(|m| m.new_group == m.suggestion.other_group));
    let mut with_me = room();
    with_me.add_bundle(mine);
    let networks = Networks::build(&with_me, Catalogue::wsis());
    let expected: Vec<String> = networks
        .partner_suggestions(&with_me, "farid", 10)
        .into_iter()
        .map(|s| s.author)
        .collect();
    assert_eq!(order(&matches), expected);
    assert_eq!(order(&matches), vec!["bank", "firm", "ngo", "school"]);
}

#[test]
fn typing_a_partnership_changes_nothing_but_its_groups_regions_and_domains_do() {
    let mut w = workspace("farid", &["C4"]);
    let at = datetime!(2005-02-01 10:00 UTC);
    let mut r = Record {
        id: Uuid::from_u128(7),
        ..partnership(
            "farid",
            CivilSociety,
            &[Africa],
            &[Domain::CapacityBuilding],
        )
    };
    w.save(r.clone(), at);
    let before = w.partner_query();
    let details = r.partnership.as_mut().unwrap();
    details.objectives = "Connecter 100 écoles".into();
    details.expected_results = "100 écoles".into();
    details.signatories = vec!["Awa Ndiaye".into()];
    details.amount = Some(5_500_000);
    details.funding = Funding::Secured;
    details.funding_sources = "Union européenne".into();
    details.in_force_on = Some("2005-11-18".into());
    details.voluntary_declaration = true;
    // A second partner of a group already there, and one whose group is not chosen yet.
    details.set_partners(vec![
        "Partner".into(),
        "Autre ONG".into(),
        "Ministère".into(),
    ]);
    details.set_partner_group("Autre ONG", Some(CivilSociety));
    r.confirmed_at = Some(at);
    w.save(r.clone(), at);
    assert_eq!(w.partner_query(), before, "typing recomputes nothing");
    for change in [
        |d: &mut PartnershipDetails| d.set_partner_group("Ministère", Some(Government)),
        |d: &mut PartnershipDetails| d.beneficiary_regions.push(Europe),
        |d: &mut PartnershipDetails| d.domains.push(Domain::Cybersecurity),
    ] {
        let mut changed = r.clone();
        change(changed.partnership.as_mut().unwrap());
        let mut w = w.clone();
        w.save(changed, at);
        assert_ne!(w.partner_query(), before);
    }
}
