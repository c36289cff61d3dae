use super::*;
use serde_json::json;

#[test]
fn a_backup_keeps_incomplete_drafts_but_not_another_authors_records() {
    let mut draft = sample();
    draft["records"][0]["topics"] = json!([]);
    draft["records"][0]["title"] = json!("");
    let bytes = serde_json::to_vec(&draft).unwrap();
    assert!(matches!(
        parse_bundle(&bytes),
        Err(BundleError::Invalid { .. })
    ));
    assert_eq!(parse_backup(&bytes).unwrap().records.len(), 1);
    draft["records"][0]["author"] = json!("mallory");
    let bytes = serde_json::to_vec(&draft).unwrap();
    assert!(matches!(
        parse_backup(&bytes),
        Err(BundleError::Invalid { .. })
    ));
}

fn sample() -> Value {
    json!({
        "format": "networkshop.bundle",
        "version": 1,
        "generated_at": "2004-06-01T10:00:00Z",
        "author": {
            "id": "alice", "display_name": "Alice", "stakeholder_group": "civil_society",
            "region": "africa", "country": "Sénégal", "badge": "future field"
        },
        "records": [{
            "id": "00000000-0000-4000-8000-000000000001", "kind": "network",
            "title": "Réseau", "topics": ["C7.e-health"], "revision": 1,
            "updated_at": "2004-06-01T10:00:00Z", "author": "alice",
            "colour": {"future": true}
        }],
        "stamp": "kept"
    })
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let bundle = parse_bundle(sample().to_string().as_bytes()).unwrap();
    let again: Value = serde_json::from_str(&bundle.to_json()).unwrap();
    assert_eq!(again["stamp"], "kept");
    assert_eq!(again["author"]["badge"], "future field");
    assert_eq!(again["records"][0]["colour"], json!({"future": true}));
    assert_eq!(parse_bundle(bundle.to_json().as_bytes()).unwrap(), bundle);
}

#[test]
fn newer_versions_are_refused_with_a_clear_error() {
    let mut value = sample();
    value["version"] = json!(7);
    assert_eq!(
        parse_bundle(value.to_string().as_bytes()),
        Err(BundleError::NewerVersion {
            found: 7,
            supported: 1
        })
    );
    value["version"] = json!(0);
    assert_eq!(
        parse_bundle(value.to_string().as_bytes()),
        Err(BundleError::UnsupportedVersion { found: 0 })
    );
}

#[test]
fn not_json_not_a_bundle_and_malformed() {
    assert!(matches!(
        parse_bundle(b"{ nope"),
        Err(BundleError::NotJson { line: 1, .. })
    ));
    assert_eq!(parse_bundle(b"[1,2]"), Err(BundleError::NotABundle));
    assert_eq!(
        parse_bundle(br#"{"format":"other"}"#),
        Err(BundleError::NotABundle)
    );
    let mut value = sample();
    value["records"][0]["revision"] = json!("three");
    let Err(BundleError::Malformed { path, .. }) = parse_bundle(value.to_string().as_bytes())
    else {
        panic!("expected malformed");
    };
    assert_eq!(path, "records[0].revision");
}

#[test]
fn deep_nesting_and_huge_input_are_errors_not_crashes() {
    let deep = "[".repeat(100_000);
    assert!(matches!(
        parse_bundle(deep.as_bytes()),
        Err(BundleError::NotJson { .. })
    ));
    let huge = vec![b' '; MAX_BUNDLE_BYTES + 1];
    assert!(matches!(
        parse_bundle(&huge),
        Err(BundleError::TooLarge { .. })
    ));
}

#[test]
fn invalid_utf8_and_repeated_keys_are_refused_with_their_place() {
    let text = sample().to_string();
    let mut bytes = text.clone().into_bytes();
    let at = text.find("Réseau").unwrap() + 1;
    bytes[at] = 0xff;
    assert_eq!(
        parse_bundle(&bytes),
        Err(BundleError::NotUtf8 { offset: at })
    );
    let twice = text.replacen("\"id\":\"alice\"", "\"id\":\"alice\",\"id\":\"bob\"", 1);
    assert_eq!(
        parse_bundle(twice.as_bytes()),
        Err(BundleError::DuplicateKey {
            path: "author.id".into()
        })
    );
}

#[test]
fn records_of_another_author_are_invalid() {
    let mut value = sample();
    value["records"][0]["author"] = json!("mallory");
    let Err(BundleError::Invalid { errors }) = parse_bundle(value.to_string().as_bytes()) else {
        panic!("expected invalid");
    };
    assert_eq!(errors[0].field, "records[0].author");
}
