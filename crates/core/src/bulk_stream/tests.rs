use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn entries_of(document: &[u8], cuts: &[usize]) -> Vec<Value> {
    split(document, cuts).0
}

/// The entries, and the skeleton as JSON (`Null` when it is not JSON).
fn split(document: &[u8], cuts: &[usize]) -> (Vec<Value>, Value) {
    let mut splitter = EntrySplitter::new("bundles");
    let mut entries = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain([&document.len()]) {
        let cut = cut.clamp(from, document.len());
        for element in splitter.feed(&document[from..cut]) {
            entries.push(serde_json::from_slice(&element).expect("an element is JSON"));
        }
        from = cut;
    }
    let skeleton = serde_json::from_slice(splitter.skeleton()).unwrap_or(Value::Null);
    (entries, skeleton)
}

fn checkpoint(bundles: &[Value]) -> Vec<u8> {
    // Keys around the array, one of them an object with its own "bundles".
    let mut document = json!({
        "seq": 7,
        "about": {"bundles": [{"name": "not an entry"}], "note": "a ] and a } in a string"},
    });
    document["bundles"] = Value::Array(bundles.to_vec());
    document["tail"] = json!("\"bundles\":[");
    serde_json::to_vec_pretty(&document).unwrap()
}

fn entry() -> impl Strategy<Value = Value> {
    ("[a-z]{1,8}", "\\PC{0,12}", prop::collection::vec("[\\[\\]{}\",:\\\\ a-é]{0,6}", 0..4))
        .prop_map(|(name, etag, words)| {
            json!({"name": format!("{name}.json"), "etag": etag, "bundle": {"records": words, "nested": [[{}], {"x": []}]}})
        })
}

proptest! {
    #[test]
    fn the_entries_are_the_same_wherever_the_bytes_are_cut(
        bundles in prop::collection::vec(entry(), 0..6),
        mut cuts in prop::collection::vec(0usize..2000, 0..12),
    ) {
        let document = checkpoint(&bundles);
        cuts.sort_unstable();
        let (entries, skeleton) = split(&document, &cuts);
        prop_assert_eq!(entries, bundles);
        // What is left is the document with the array emptied, the other keys as they were.
        let empty: Value = serde_json::from_slice(&checkpoint(&[])).unwrap();
        prop_assert_eq!(skeleton, empty);
    }

    #[test]
    fn a_cut_download_gives_the_entries_that_arrived_whole(
        bundles in prop::collection::vec(entry(), 1..4),
        keep in 0.0f64..1.0,
    ) {
        let document = checkpoint(&bundles);
        let end = document.iter().rposition(|b| *b == b'}').unwrap();
        let cut = (end as f64 * keep) as usize;
        let entries = entries_of(&document[..cut], &[]);
        prop_assert!(entries.len() <= bundles.len());
        prop_assert_eq!(&bundles[..entries.len()], &entries[..]);
    }
}

#[test]
fn what_is_not_a_checkpoint_has_no_entries() {
    let documents = [
        &br#"{"seq":1,"bundles":[]}"#[..],
        b"[1, 2]",
        b"{\"seq\": 1, \"other\": [{\"name\": \"x\"}]}",
        b"{\"bundles\": [] } {\"bundles\": [{}]}",
        b"",
    ];
    for document in documents {
        assert!(entries_of(document, &[]).is_empty(), "{document:?}");
    }
}
