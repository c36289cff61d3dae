//! The workspace's rules, each replayed on a small example.

use super::*;
use crate::bundle::parse_bundle;
use crate::catalogue::Catalogue;
use crate::record::{AuthorProfile, Kind};
use crate::record::{Region, StakeholderGroup};
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

fn profile(id: &str) -> AuthorProfile {
    crate::test_support::profile(id, StakeholderGroup::AcademicTechnical, Region::AsiaPacific)
}

const T0: OffsetDateTime = datetime!(2005-02-01 09:00 UTC);
const T1: OffsetDateTime = datetime!(2005-02-01 09:05 UTC);
const T2: OffsetDateTime = datetime!(2005-02-01 09:10 UTC);

fn with_one_record() -> (Workspace, Uuid) {
    let mut w = Workspace {
        profile: Some(profile("alice")),
        ..Default::default()
    };
    let id = Uuid::from_u128(7);
    let mut r = w.new_record(id, Kind::Project, "alice", T0);
    r.title = "Télécentres".into();
    r.topics = vec!["C2.i".into()];
    w.save(r, T0);
    (w, id)
}

#[test]
fn states_follow_publishing_and_edits() {
    let (mut w, id) = with_one_record();
    assert_eq!(w.records[&id].state(), PublishState::Draft);
    let bundle = w.bundle(T1).unwrap();
    w.mark_published(&bundle);
    assert_eq!(w.records[&id].state(), PublishState::Published);
    let mut r = w.records[&id].record.clone();
    r.title = "Télécentres ruraux".into();
    w.save(r.clone(), T2);
    assert_eq!(w.records[&id].state(), PublishState::Changed);
    assert_eq!(w.records[&id].record.revision, 2);
    // More edits before the next publish stay on the same revision.
    w.save(r, T2);
    assert_eq!(w.records[&id].record.revision, 2);
}

#[test]
fn delete_is_an_undoable_tombstone_without_content_in_the_bundle() {
    let (mut w, id) = with_one_record();
    w.delete(id, T1);
    assert!(w.visible().is_empty());
    let bundle = w.bundle(T1).unwrap();
    assert!(bundle.records[0].deleted);
    assert!(bundle.records[0].title.is_empty());
    assert!(parse_bundle(bundle.to_json().as_bytes()).is_ok());
    w.undelete(id, T2);
    assert_eq!(w.visible()[0].record.title, "Télécentres");
}

#[test]
fn a_backup_opened_on_a_new_device_restores_profile_and_records() {
    let (w, _) = with_one_record();
    let backup = w.bundle(T1).unwrap();
    let mut fresh = Workspace::default();
    let plan = fresh.plan_import(&backup, &mut || unreachable!());
    assert_eq!(plan.adopt_profile.as_ref().unwrap().id, "alice");
    fresh.apply_import(plan, &[], T2);
    assert_eq!(
        fresh.records.keys().collect::<Vec<_>>(),
        w.records.keys().collect::<Vec<_>>()
    );
    assert_eq!(fresh.profile, w.profile);
}

#[test]
fn importing_never_overwrites_without_asking() {
    let (mut w, id) = with_one_record();
    let mut other_device = w.clone();
    let mut theirs = other_device.records[&id].record.clone();
    theirs.title = "Version de l'autre appareil".into();
    other_device.save(theirs, T2);
    let file = other_device.bundle(T2).unwrap();

    let plan = w.plan_import(&file, &mut || unreachable!());
    assert_eq!(plan.conflicts.len(), 1);
    w.apply_import(plan.clone(), &[false], T2);
    assert_eq!(w.records[&id].record.title, "Télécentres");
    w.apply_import(plan, &[true], T2);
    assert_eq!(w.records[&id].record.title, "Version de l'autre appareil");
    // The same file again: nothing left to ask.
    let again = w.plan_import(&file, &mut || unreachable!());
    assert!(again.conflicts.is_empty() && again.added.is_empty());
}

#[test]
fn publishing_holds_back_incomplete_drafts() {
    let (mut w, id) = with_one_record();
    let incomplete = w.new_record(Uuid::from_u128(8), Kind::Event, "alice", T1);
    let (bundle, held_back) = w.publishable_bundle(T1, Catalogue::wsis()).unwrap();
    assert_eq!(held_back, vec![incomplete.id]);
    assert_eq!(
        bundle.records.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![id]
    );
    assert!(parse_bundle(bundle.to_json().as_bytes()).is_ok());
}

#[test]
fn a_remote_version_from_another_device_merges_record_by_record() {
    let (mut laptop, id) = with_one_record();
    let mut phone = laptop.clone();
    // The phone edits the shared record and adds one; the laptop adds its own.
    let mut edited = phone.records[&id].record.clone();
    edited.title = "Édité sur le téléphone".into();
    edited.revision = 2;
    phone.save(edited, T2);
    let mut from_phone = phone.new_record(Uuid::from_u128(20), Kind::Project, "alice", T2);
    from_phone.title = "Du téléphone".into();
    from_phone.topics = vec!["C4".into()];
    phone.save(from_phone, T2);
    let mut from_laptop = laptop.new_record(Uuid::from_u128(30), Kind::Project, "alice", T1);
    from_laptop.title = "Du portable".into();
    laptop.save(from_laptop, T1);

    let stored = phone.bundle(T2).unwrap();
    let mut changed = laptop.absorb_remote(&stored);
    changed.sort();
    assert_eq!(changed, vec![id, Uuid::from_u128(20)]);
    assert_eq!(laptop.records[&id].record.title, "Édité sur le téléphone");
    assert!(laptop.records.contains_key(&Uuid::from_u128(30)));
    assert_eq!(laptop.records[&id].state(), PublishState::Published);
    // Absorbing the same bundle again changes nothing.
    assert!(laptop.absorb_remote(&stored).is_empty());
}

#[test]
fn a_colleagues_file_is_copied_under_new_ids() {
    let (w, id) = with_one_record();
    let mut bob = Workspace {
        profile: Some(profile("bob")),
        ..Default::default()
    };
    let plan = bob.plan_import(&w.bundle(T1).unwrap(), &mut || Uuid::from_u128(99));
    assert_eq!(plan.copied_from.as_deref(), Some("alice"));
    bob.apply_import(plan, &[], T2);
    let copy = &bob.records[&Uuid::from_u128(99)].record;
    assert_eq!(
        (copy.author.as_str(), copy.title.as_str()),
        ("bob", "Télécentres")
    );
    assert!(!bob.records.contains_key(&id));
}
