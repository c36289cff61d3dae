//! Forged and tampered files: mallory's own bundle and her claims on alice's and bob's
//! records, impersonation, and alice's real file with its signature altered.

use networkshop_core::signing::SIGNATURE_MEMBER;
use networkshop_core::{Bundle, Kind, Region, StakeholderGroup};
use serde_json::{json, Value};
use time::macros::datetime;

use super::{signed, signed_value, value, Base};
use crate::honest::{profile, record, record_id, tombstone, ALICE, BOB, MALLORY};

/// Mallory's own valid bundle, unsigned: records with alice's and bob's ids, every revision
/// and date in her favour, tombstones for their ids.
pub(super) fn mallory_bundle() -> Value {
    let late = datetime!(2031-12-31 23:59 UTC);
    let early = datetime!(2000-01-01 00:00 UTC);
    let mut mallory = Bundle::new(
        profile(MALLORY, StakeholderGroup::PrivateSector, Region::World),
        vec![],
        late,
    );
    for (author, n) in [(ALICE, 1), (ALICE, 2), (BOB, 2), (BOB, 3)] {
        let mut r = record(MALLORY, 9, Kind::Event, u64::MAX, late);
        r.id = record_id(author, n);
        r.title = format!("{author}'s record, forged");
        mallory.records.push(r);
    }
    let mut t = tombstone(MALLORY, 0, Kind::Document, u64::MAX, late);
    t.id = record_id(ALICE, 4);
    mallory.records.push(t);
    let mut t = tombstone(MALLORY, 0, Kind::Project, u64::MAX, early);
    t.id = record_id(BOB, 1);
    mallory.records.push(t);
    mallory
        .records
        .push(record(MALLORY, 1, Kind::Partnership, 1, early));
    mallory
        .records
        .push(record(MALLORY, 2, Kind::Document, 1, early));
    value(&mallory)
}

pub(super) fn seeds(base: &Base) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_owned(), bytes));

    // Mallory's own valid bundle, signed by her: records with alice's and bob's ids, every
    // revision and date in her favour, tombstones for their ids. Accepted as mallory.json.
    add(
        "mallory-own",
        signed(&base.mallory, &base.mallory_key).into_bytes(),
    );

    // Records that name alice inside mallory's bundle (invalid, merged unvalidated).
    let mut claims = base.mallory.clone();
    claims["records"][0]["author"] = json!(ALICE);
    claims["records"][4]["author"] = json!(ALICE);
    claims["records"][5]["author"] = json!(BOB);
    add(
        "mallory-claims",
        signed(&claims, &base.mallory_key).into_bytes(),
    );

    // Impersonation: alice's id, mallory's key; newer, higher, and backdated variants.
    let mut as_alice = base.alice_signed.clone();
    as_alice["generated_at"] = json!("2031-01-01T00:00:00Z");
    as_alice["author"]["display_name"] = json!("Alice (new key)");
    as_alice["records"][0]["revision"] = json!(99);
    as_alice["records"][0]["title"] = json!("taken over");
    add(
        "impersonate-alice",
        signed(&as_alice, &base.mallory_key).into_bytes(),
    );
    let mut backdated = base.alice_older.clone();
    backdated["generated_at"] = json!("2000-01-01T00:00:00Z");
    for r in backdated["records"].as_array_mut().unwrap() {
        r["deleted"] = json!(true);
        r["revision"] = json!(1_000_000);
        r["updated_at"] = json!("2000-01-01T00:00:00Z");
    }
    add(
        "backdated-tombstones",
        signed(&backdated, &base.mallory_key).into_bytes(),
    );

    // Alice's real file with its signature tampered: mallory's key, bob's signature, none,
    // another algorithm, an extra member, alice's key on mallory's signature.
    let mut swapped = base.alice_signed.clone();
    swapped[SIGNATURE_MEMBER]["public_key"] = json!(base.mallory_key.public_key());
    add("alice-key-swapped", swapped.to_string().into_bytes());
    let mut swapped = base.alice_signed.clone();
    swapped[SIGNATURE_MEMBER] = base.bob_signed[SIGNATURE_MEMBER].clone();
    add("alice-bobs-signature", swapped.to_string().into_bytes());
    let mut unsigned = base.alice_signed.clone();
    unsigned.as_object_mut().unwrap().remove(SIGNATURE_MEMBER);
    add("alice-unsigned", unsigned.to_string().into_bytes());
    let mut algorithm = base.alice_signed.clone();
    algorithm[SIGNATURE_MEMBER]["algorithm"] = json!("none");
    add("alice-algorithm-none", algorithm.to_string().into_bytes());
    let mut extra = base.alice_signed.clone();
    extra[SIGNATURE_MEMBER]["note"] = json!("x");
    add("alice-signature-extra", extra.to_string().into_bytes());
    let mut by_mallory = signed_value(&as_alice, &base.mallory_key);
    by_mallory[SIGNATURE_MEMBER]["public_key"] = json!(base.alice_key);
    add(
        "alice-key-mallory-signature",
        by_mallory.to_string().into_bytes(),
    );
    // Alice's records, reordered and re-indented: still hers, still valid.
    let compact = base.alice_signed.to_string();
    add("alice-compact", compact.clone().into_bytes());
    // The same file under another author id (the name check).
    let mut renamed = base.mallory.clone();
    renamed["author"]["id"] = json!(BOB);
    for r in renamed["records"].as_array_mut().unwrap() {
        r["author"] = json!(BOB);
    }
    add(
        "mallory-as-bob",
        signed(&renamed, &base.mallory_key).into_bytes(),
    );
    out
}
