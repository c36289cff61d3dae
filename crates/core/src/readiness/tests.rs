use super::*;
use crate::record::{Region, ValueAdded};
use crate::test_support::{profile, record};
use Missing as M;
use Principle as P;
use StakeholderGroup::{CivilSociety, Government, PrivateSector};

/// A partnership of a government author with a civil-society partner that meets all seven.
fn ready() -> Record {
    let mut r = record(1, "awa", Kind::Partnership, &["C4", "C7.e-health"]);
    let mut details = PartnershipDetails {
        partners: vec!["ONG Lien".into()],
        objectives: "Connecter 100 écoles".into(),
        expected_results: "100 écoles connectées, 400 enseignants formés".into(),
        timeline: "2005–2007".into(),
        funding: Funding::Secured,
        in_force_on: Some("2005-11-18".into()),
        ends_on: Some("2007-12-31".into()),
        value_added: vec![ValueAdded::AnotherRegion],
        voluntary_declaration: true,
        signatories: vec!["Ministre de l'Éducation".into()],
        funding_sources: "Fonds de solidarité numérique".into(),
        ..Default::default()
    };
    details.set_partner_group("ONG Lien", Some(CivilSociety));
    r.partnership = Some(details);
    r
}

fn with(change: impl FnOnce(&mut PartnershipDetails)) -> Record {
    let mut r = ready();
    change(r.partnership.as_mut().unwrap());
    r
}

fn unmet(record: &Record, author: Option<StakeholderGroup>) -> Vec<(Principle, Vec<Missing>)> {
    checklist(record, author)
        .expect("a partnership has a checklist")
        .checks
        .into_iter()
        .filter(|c| !c.met())
        .map(|c| (c.principle, c.missing))
        .collect()
}

#[test]
fn each_principle_fails_alone_and_says_what_is_missing() {
    let no_topic = {
        let mut r = ready();
        r.topics = vec!["Z99".into()];
        r
    };
    let cases: Vec<(&str, Record, Principle, Vec<Missing>)> = vec![
        (
            "objectives blank",
            with(|d| d.objectives = " \n ".into()),
            P::Objectives,
            vec![M::Objectives],
        ),
        (
            "no declaration",
            with(|d| d.voluntary_declaration = false),
            P::Voluntary,
            vec![M::VoluntaryDeclaration],
        ),
        (
            "no Plan of Action topic",
            no_topic,
            P::SummitOutcomes,
            vec![M::PlanOfActionTopic],
        ),
        (
            "partner of the author's group",
            with(|d| d.set_partner_group("ONG Lien", Some(Government))),
            P::MultiStakeholder,
            vec![M::SecondStakeholderGroup],
        ),
        (
            "partner's group not given",
            with(|d| d.set_partner_group("ONG Lien", None)),
            P::MultiStakeholder,
            vec![M::PartnerGroups],
        ),
        (
            "no partner",
            with(|d| d.set_partners(vec![])),
            P::MultiStakeholder,
            vec![M::Partners],
        ),
        (
            "nothing new",
            with(|d| d.value_added.clear()),
            P::ValueAdded,
            vec![M::ValueAdded],
        ),
        (
            "no expected results",
            with(|d| d.expected_results.clear()),
            P::ConcreteResults,
            vec![M::ExpectedResults],
        ),
        (
            "no dates",
            with(|d| {
                d.in_force_on = None;
                d.ends_on = Some(" ".into());
            }),
            P::ConcreteResults,
            vec![M::InForceOn, M::EndsOn],
        ),
        (
            "nobody signed",
            with(|d| d.signatories = vec![" ".into()]),
            P::ConcreteResults,
            vec![M::Signatories],
        ),
        (
            "secured, but from where?",
            with(|d| d.funding_sources = "  ".into()),
            P::Funding,
            vec![M::FundingSources],
        ),
        (
            "funding identified, not secured",
            with(|d| d.funding = Funding::Identified),
            P::Funding,
            vec![M::InitialFundingNotSecured],
        ),
        (
            "no funding",
            with(|d| d.funding = Funding::None),
            P::Funding,
            vec![M::FundingNotIdentified],
        ),
    ];
    for (name, record, principle, missing) in cases {
        assert_eq!(
            unmet(&record, Some(Government)),
            vec![(principle, missing)],
            "{name}"
        );
        assert!(!ready_to_announce(&record, Some(Government)), "{name}");
    }
}

#[test]
fn all_seven_met_is_ready_to_announce() {
    let list = checklist(&ready(), Some(Government)).unwrap();
    assert_eq!(
        list.checks.iter().map(|c| c.principle).collect::<Vec<_>>(),
        Principle::ALL
    );
    assert_eq!(list.met_count(), 7);
    assert!(list.ready_to_announce());
    assert_eq!(list.unmet().count(), 0);
    assert_eq!(
        Principle::ALL.map(Principle::number),
        [1, 2, 3, 4, 5, 6, 7],
        "the seed's numbering"
    );
}

#[test]
fn the_authors_group_counts_as_a_partners() {
    // (partners' groups, author's group, met, missing)
    let cases = [
        (vec![CivilSociety], Some(Government), true, vec![]),
        (
            vec![CivilSociety],
            Some(CivilSociety),
            false,
            vec![M::SecondStakeholderGroup],
        ),
        (vec![CivilSociety], None, false, vec![M::AuthorGroup]),
        // Two groups among the partners need no author's group.
        (vec![CivilSociety, PrivateSector], None, true, vec![]),
        (
            vec![CivilSociety, CivilSociety],
            Some(CivilSociety),
            false,
            vec![M::SecondStakeholderGroup],
        ),
    ];
    for (partners, author, met, missing) in cases {
        let record = with(|d| {
            let names: Vec<String> = (0..partners.len()).map(|i| format!("p{i}")).collect();
            d.set_partners(names.clone());
            for (name, group) in names.iter().zip(&partners) {
                d.set_partner_group(name, Some(*group));
            }
        });
        let check = checklist(&record, author).unwrap().checks[3].clone();
        assert_eq!(check.principle, P::MultiStakeholder);
        assert_eq!(
            (check.met(), check.missing),
            (met, missing),
            "{partners:?} {author:?}"
        );
    }
}

#[test]
fn a_group_only_counts_for_a_named_partner() {
    let record = with(|d| {
        d.partners = vec!["  ".into()];
        d.partner_groups = [("  ".to_owned(), CivilSociety)].into();
    });
    assert_eq!(
        unmet(&record, Some(Government)),
        vec![(P::MultiStakeholder, vec![M::Partners])]
    );
}

#[test]
fn only_live_partnerships_have_a_checklist() {
    let mut deleted = ready();
    deleted.deleted = true;
    assert_eq!(checklist(&deleted, Some(Government)), None);
    assert!(!ready_to_announce(&deleted, Some(Government)));
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Partnership) {
        let mut other = ready();
        other.kind = kind;
        assert_eq!(checklist(&other, Some(Government)), None, "{kind:?}");
    }
}

#[test]
fn a_partnership_without_details_misses_everything_but_its_topics() {
    let mut bare = ready();
    bare.partnership = None;
    let unmet: Vec<Principle> = unmet(&bare, Some(Government))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let expected: Vec<Principle> = Principle::ALL
        .into_iter()
        .filter(|p| *p != P::SummitOutcomes)
        .collect();
    assert_eq!(unmet, expected);
}

#[test]
fn a_draft_profile_has_no_group_until_chosen() {
    let mut draft = crate::record::AuthorProfile::new_draft("awa".into());
    assert_eq!(author_group(&draft), None);
    draft.stakeholder_group = PrivateSector;
    draft.choose("stakeholder_group");
    assert_eq!(author_group(&draft), Some(PrivateSector));
    let published = profile("awa", Government, Region::Africa);
    assert_eq!(author_group(&published), Some(Government));
}

#[test]
fn codes_are_what_the_exports_write() {
    use crate::record::code;
    assert_eq!(code(&P::SummitOutcomes), "summit_outcomes");
    assert_eq!(
        code(&M::InitialFundingNotSecured),
        "initial_funding_not_secured"
    );
}
