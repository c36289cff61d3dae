//! The shared bundle fixtures (also opened by the browser tests): every valid one parses,
//! round-trips and matches the JSON Schema; every invalid one fails with its expected error.

use std::fs;
use std::path::PathBuf;

use networkshop_core::{parse_bundle, BundleError};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/bundles")
}

fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(fixtures().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {dir}");
    files
}

fn schema() -> jsonschema::Validator {
    let text = fs::read_to_string(repo().join("docs/bundle.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn valid_fixtures_parse_round_trip_and_match_the_schema() {
    let schema = schema();
    for (name, bytes) in files("valid") {
        let bundle = parse_bundle(&bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let written: Value = serde_json::from_str(&bundle.to_json()).unwrap();
        assert_eq!(
            parse_bundle(bundle.to_json().as_bytes()).unwrap(),
            bundle,
            "{name}"
        );
        for value in [&original, &written] {
            let errors: Vec<String> = schema
                .iter_errors(value)
                .map(|e| format!("{} at {}", e, e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{name} against the schema: {errors:#?}");
        }
    }
}

#[test]
fn invalid_fixtures_fail_with_their_expected_error() {
    let expected: Value =
        serde_json::from_slice(&fs::read(fixtures().join("invalid-expected.json")).unwrap())
            .unwrap();
    let files = files("invalid");
    assert_eq!(
        files.len(),
        expected.as_object().unwrap().len(),
        "every invalid fixture has an expectation"
    );
    for (name, bytes) in files {
        let want = &expected[&name];
        let error = parse_bundle(&bytes).expect_err(&name);
        assert_eq!(error.code(), want["error"], "{name}: {error:?}");
        match &error {
            BundleError::Invalid { errors } => assert!(
                errors.iter().any(|e| e.field == want["field"]
                    && serde_json::to_value(e.code).unwrap() == want["code"]),
                "{name}: {errors:?}"
            ),
            BundleError::Malformed { path, .. } => {
                assert_eq!(path, want["path"].as_str().unwrap(), "{name}")
            }
            _ => {}
        }
    }
}

#[test]
fn the_schema_rejects_what_it_can_see_is_wrong() {
    let schema = schema();
    for name in [
        "javascript-url.json",
        "end-before-start.json",
        "newer-version.json",
        "path-traversal-author.json",
        "invalid-currency.json",
        "amount-out-of-range.json",
        "duplicate-domain.json",
        "unknown-partner.json",
    ] {
        let value: Value =
            serde_json::from_slice(&fs::read(fixtures().join("invalid").join(name)).unwrap())
                .unwrap();
        // Date order and a group named for someone not among the partners are beyond JSON
        // Schema; the core catches them (tested above).
        assert_eq!(
            schema.is_valid(&value),
            matches!(name, "end-before-start.json" | "unknown-partner.json"),
            "{name}"
        );
    }
}
