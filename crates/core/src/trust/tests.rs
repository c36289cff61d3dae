//! A reader's trust, replayed on forged files.

use super::*;
use crate::record::{Kind, Region, StakeholderGroup};
use crate::signing::AuthorKey;
use crate::test_support;
use time::macros::datetime;

fn key(n: u8) -> AuthorKey {
    AuthorKey::from_seed([n; 32])
}

fn bundle_text(author: &str, title: &str) -> String {
    let profile = test_support::profile(author, StakeholderGroup::CivilSociety, Region::Africa);
    let mut record = test_support::record(1, author, Kind::Project, &["C4"]);
    record.title = title.into();
    Bundle::new(profile, vec![record], datetime!(2005-01-10 12:00 UTC)).to_json()
}

fn signed(author: &str, title: &str, key: &AuthorKey) -> String {
    key.sign_json(&bundle_text(author, title)).unwrap()
}

#[test]
fn a_signed_file_named_after_its_author_is_believed_and_pinned_on_first_sight() {
    let mut pins = KeyPins::default();
    let text = signed("alice", "Télécentres", &key(1));
    let trusted = accept_published("alice.json", text.as_bytes(), &pins).unwrap();
    assert_eq!(trusted.public_key, key(1).public_key());
    assert!(pins.pin("alice", &trusted.public_key));
    assert!(!pins.pin("alice", &key(2).public_key()));
    assert!(accept_published("alice.json", text.as_bytes(), &pins).is_ok());
}

#[test]
fn a_file_re_signed_under_a_new_key_is_refused_until_the_facilitator_trusts_it() {
    let mut pins = KeyPins::default();
    pins.pin("alice", &key(1).public_key());
    let forged = signed("alice", "Réécrit par Mallory", &key(2));
    assert_eq!(
        accept_published("alice.json", forged.as_bytes(), &pins),
        Err(BundleError::KeyChanged {
            author: "alice".into()
        })
    );
    pins.forget("alice");
    assert!(accept_published("alice.json", forged.as_bytes(), &pins).is_ok());
}

#[test]
fn a_file_cannot_speak_for_another_author() {
    let text = signed("alice", "Usurpé", &key(2));
    assert_eq!(
        accept_published(
            "mallory-impersonates.json",
            text.as_bytes(),
            &KeyPins::default()
        ),
        Err(BundleError::WrongFileName {
            author: "alice".into()
        })
    );
}

#[test]
fn unsigned_and_altered_files_are_refused() {
    let pins = KeyPins::default();
    let unsigned = bundle_text("alice", "Sans signature");
    assert_eq!(
        accept_published("alice.json", unsigned.as_bytes(), &pins),
        Err(BundleError::Unsigned)
    );
    let altered = signed("alice", "Original", &key(1)).replace("Original", "Altéré");
    assert_eq!(
        accept_published("alice.json", altered.as_bytes(), &pins),
        Err(BundleError::BadSignature)
    );
}

#[test]
fn an_app_takes_back_only_what_it_signed_or_its_token_protects() {
    let mine = key(1).public_key();
    let signed_by_me = signed("alice", "À moi", &key(1));
    let signed_by_mallory = signed("alice", "Contrefait", &key(2));
    let unsigned = bundle_text("alice", "Publié par une ancienne version");
    for token_protected in [true, false] {
        assert!(may_merge_own(&signed_by_me, Some(&mine), token_protected));
        assert!(!may_merge_own(
            &signed_by_mallory,
            Some(&mine),
            token_protected
        ));
        assert!(!may_merge_own(&signed_by_me, None, token_protected));
    }
    assert!(may_merge_own(&unsigned, Some(&mine), true));
    assert!(!may_merge_own(&unsigned, Some(&mine), false));
    let altered = signed_by_me.replace("À moi", "Altéré");
    assert!(!may_merge_own(&altered, Some(&mine), true));
}

#[test]
fn source_names_map_to_authors() {
    assert_eq!(author_of_source("alice.json"), "alice");
    assert_eq!(author_of_source("bundles/alice.json"), "alice");
    assert_eq!(author_of_source("alice"), "alice");
}

#[test]
fn a_kept_copy_is_checked_again_but_for_the_signature_arithmetic() {
    let mut pins = KeyPins::default();
    let text = signed("alice", "Télécentres", &key(1));
    let kept = accept_kept("alice.json", text.as_bytes(), &pins).unwrap();
    assert_eq!(
        kept,
        accept_published("alice.json", text.as_bytes(), &pins).unwrap()
    );
    pins.pin("alice", &key(2).public_key());
    assert_eq!(
        accept_kept("alice.json", text.as_bytes(), &pins),
        Err(BundleError::KeyChanged {
            author: "alice".into()
        })
    );
    assert_eq!(
        accept_kept("bob.json", text.as_bytes(), &KeyPins::default()),
        Err(BundleError::WrongFileName {
            author: "alice".into()
        })
    );
}

#[test]
fn a_kept_copy_with_its_key_is_read_as_the_published_file_was() {
    let mut pins = KeyPins::default();
    let text = signed("alice", "Télécentres", &key(1));
    let public = key(1).public_key();
    assert_eq!(
        accept_kept_signed_by("alice.json", text.as_bytes(), &public, &pins),
        accept_published("alice.json", text.as_bytes(), &pins)
    );
    assert_eq!(
        accept_kept_signed_by("bob.json", text.as_bytes(), &public, &pins),
        Err(BundleError::WrongFileName {
            author: "alice".into()
        })
    );
    pins.pin("alice", &key(2).public_key());
    assert_eq!(
        accept_kept_signed_by("alice.json", text.as_bytes(), &public, &pins),
        Err(BundleError::KeyChanged {
            author: "alice".into()
        })
    );
    // A topic the catalogue no longer has is refused as when it arrived.
    let retired = signed("carla", "Ancien", &key(3)).replace("\"C4\"", "\"C99\"");
    assert!(matches!(
        accept_kept_signed_by(
            "carla.json",
            retired.as_bytes(),
            &key(3).public_key(),
            &KeyPins::default()
        ),
        Err(BundleError::Invalid { .. })
    ));
}

#[test]
fn a_kept_copy_found_valid_by_the_same_rules_is_not_checked_again_but_still_named_and_pinned() {
    let text = signed("alice", "Télécentres", &key(1));
    let public = key(1).public_key();
    let mut pins = KeyPins::default();
    assert_eq!(
        accept_kept_valid("alice.json", text.as_bytes(), &public, &pins),
        accept_published("alice.json", text.as_bytes(), &pins)
    );
    assert!(matches!(
        accept_kept_valid("bob.json", text.as_bytes(), &public, &pins),
        Err(BundleError::WrongFileName { .. })
    ));
    pins.pin("alice", &key(2).public_key());
    assert!(matches!(
        accept_kept_valid("alice.json", text.as_bytes(), &public, &pins),
        Err(BundleError::KeyChanged { .. })
    ));
    // What the rules would refuse is the caller's to know: it kept the copy with them.
    let retired = signed("carla", "Ancien", &key(3)).replace("\"C4\"", "\"C99\"");
    let carla = key(3).public_key();
    let none = KeyPins::default();
    assert!(accept_kept_valid("carla.json", retired.as_bytes(), &carla, &none).is_ok());
    assert_eq!(crate::validate::RULES.len(), 16);
}

#[test]
fn a_copy_in_the_kept_form_is_checked_again_only_under_other_rules() {
    let text = signed("alice", "Télécentres", &key(1));
    let public = key(1).public_key();
    let bundle = || crate::bundle::parse_bundle(text.as_bytes()).unwrap();
    let rules = crate::validate::RULES;
    let mut pins = KeyPins::default();
    assert_eq!(
        accept_kept_bundle("alice.json", bundle(), &public, rules, &pins),
        accept_published("alice.json", text.as_bytes(), &pins)
    );
    assert!(matches!(
        accept_kept_bundle("bob.json", bundle(), &public, rules, &pins),
        Err(BundleError::WrongFileName { .. })
    ));
    let mut retired = bundle();
    retired.records[0].topics = vec!["C99".into()];
    assert!(accept_kept_bundle("alice.json", retired.clone(), &public, rules, &pins).is_ok());
    assert!(matches!(
        accept_kept_bundle("alice.json", retired, &public, "earlier rules", &pins),
        Err(BundleError::Invalid { .. })
    ));
    pins.pin("alice", &key(2).public_key());
    assert!(matches!(
        accept_kept_bundle("alice.json", bundle(), &public, rules, &pins),
        Err(BundleError::KeyChanged { .. })
    ));
}

/// A bundle whose strings hold escapes, quotes, line breaks and accents, signed.
fn signed_with_escapes() -> String {
    signed(
        "alice",
        "Télécentres \"ruraux\"\n\tà Dakar \\ 😀 </script>",
        &key(3),
    )
}

#[test]
fn a_published_file_of_the_common_shape_is_checked_without_a_tree_of_values() {
    let text = signed_with_escapes();
    assert_eq!(
        scanned_signature(text.as_bytes()).map(|m| m.map(|m| m.verify())),
        Some(Ok(Ok(key(3).public_key())))
    );
    let compact: serde_json::Value = serde_json::from_str(&text).unwrap();
    let compact = compact.to_string();
    assert_eq!(
        scanned_signature(compact.as_bytes()).map(|m| m.map(|m| m.verify())),
        Some(Ok(Ok(key(3).public_key())))
    );
    // A repeated key is left to the strict reading, which names it.
    let repeated = text.replacen("{", r#"{"format": "x","#, 1);
    assert_eq!(scanned_signature(repeated.as_bytes()), None);
    assert!(matches!(
        published_signing_key(repeated.as_bytes()),
        Err(BundleError::DuplicateKey { .. })
    ));
}

proptest::proptest! {
    /// Whatever a file is changed into, the scan and the strict reading answer alike.
    #[test]
    fn the_scan_answers_as_the_strict_reading_on_any_change(
        edits in proptest::collection::vec(
            (0.0f64..1.0, 0usize..3, proptest::sample::select(vec![
                "\"", "\\", ",", "}", "]", "{", "[", ":", "1.5", "-0", "01", "1e3", "\\u0041",
                "\\ud800", "\"signature\":1,", "\"format\":\"x\",", "\"version\":99,",
                "\"records\":[],", " ", "\u{1}", "é", "123456789012345678901234", "true", "nul",
            ])),
            0..4,
        ),
        pretty in proptest::bool::ANY,
    ) {
        let mut text = signed_with_escapes();
        if !pretty {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            text = value.to_string();
        }
        let mut bytes = text.into_bytes();
        for (place, operation, snippet) in edits {
            let at = (place * bytes.len() as f64) as usize;
            match operation {
                0 => {
                    bytes.splice(at..at, snippet.bytes());
                }
                1 => {
                    bytes.remove(at.min(bytes.len() - 1));
                }
                _ => {
                    let end = (at + snippet.len()).min(bytes.len());
                    bytes.splice(at..end, snippet.bytes());
                }
            }
        }
        proptest::prop_assert_eq!(published_signature(&bytes), read_signature(&bytes));
    }
}
