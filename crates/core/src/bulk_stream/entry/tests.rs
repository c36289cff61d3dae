use proptest::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::*;

/// The entry as serde_json reads it: what the parts must equal.
#[derive(Deserialize)]
struct Entry<'a> {
    name: String,
    etag: String,
    #[serde(borrow)]
    bundle: Option<&'a RawValue>,
}

fn as_json(element: &[u8]) -> Option<(String, String, Option<&[u8]>)> {
    let entry: Entry = serde_json::from_slice(element).ok()?;
    Some((
        entry.name,
        entry.etag,
        entry.bundle.map(|raw| raw.get().as_bytes()),
    ))
}

#[test]
fn the_endpoints_entries_are_read_as_serde_json_reads_them() {
    let since = br#"{"name":"a\"b.json","author":"a","size":12,"etag":"\"e1\"","modified":"2026-11-27T23:00:00Z","bundle":{"t":"x}\"]","n":[1,{"y":null}]}}"#;
    let checkpoint = br#"{"name":"c.json","author":"c","size":2,"etag":"\"e2\"","modified":"2026-11-27T23:00:00Z","bundle":{},"stored_version":"v\"1"}"#;
    let not_json = br#"{"name":"d.json","etag":"\"e3\"","bundle":null}"#;
    for element in [&since[..], checkpoint, not_json] {
        assert_eq!(read_entry(element), as_json(element));
        assert!(read_entry(element).is_some());
    }
    assert_eq!(read_entry(not_json).unwrap().2, None);
}

#[test]
fn what_is_not_an_entry_is_not_read() {
    for element in [
        &br#"{"name":"a.json","etag":"e"}"#[..],
        br#"{"name":"a.json","name":"b.json","etag":"e","bundle":{}}"#,
        br#"{"name":1,"etag":"e","bundle":{}}"#,
        br#"{"name":"a.json","etag":"e","bundle":{}"#,
        br#"{"name":"a.json","etag":"e","bundle":{}} x"#,
        br#"["name","a.json"]"#,
        b"{}",
        b"",
    ] {
        assert_eq!(
            read_entry(element),
            None,
            "{}",
            String::from_utf8_lossy(element)
        );
    }
}

fn member() -> impl Strategy<Value = Value> {
    prop_oneof![
        "\\PC{0,8}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        Just(Value::Null),
        Just(json!(true)),
        prop::collection::vec("[\\[\\]{}\",:\\\\ a-é]{0,6}", 0..4)
            .prop_map(|words| json!({"records": words, "nested": [[{}], {"x": []}]})),
    ]
}

proptest! {
    #[test]
    fn any_entry_is_read_as_serde_json_reads_it(
        name in "\\PC{0,10}",
        etag in "\\PC{0,10}",
        bundle in member(),
        others in prop::collection::vec(("[a-z_]{1,8}", member()), 0..3),
        bundle_at in 0usize..6,
        pretty in any::<bool>(),
    ) {
        let mut members: Vec<(String, Value)> = others
            .into_iter()
            .filter(|(key, _)| !["name", "etag", "bundle"].contains(&key.as_str()))
            .collect();
        members.insert(0, ("name".into(), name.into()));
        members.insert(1.min(members.len()), ("etag".into(), etag.into()));
        members.insert(bundle_at.min(members.len()), ("bundle".into(), bundle));
        let object: serde_json::Map<String, Value> = members.into_iter().collect();
        let element = if pretty {
            serde_json::to_vec_pretty(&object).unwrap()
        } else {
            serde_json::to_vec(&object).unwrap()
        };
        prop_assert_eq!(read_entry(&element), as_json(&element));
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        let _ = read_entry(&bytes);
    }
}
