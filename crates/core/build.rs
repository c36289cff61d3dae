//! The catalogue as the crate embeds it. In a browser (wasm32) it carries only what the app
//! reads: the paragraph sources and the "condensed" flags stay in `data/topics.json` (native
//! tests and the endpoint keep them), which spares the participant's first load about 1 KB
//! (brotli). The 2006 facilitators go to the browser only where they were designated (action
//! lines and C7's e-applications) and not empty, for the action-line team view: about 0.2 KB
//! (gzip 9; 1.2 KB raw), where the data's copies on every sub-paragraph would double it for
//! nothing. Both copies are minified.
//!
//! The browser's copy is written on every target as `topics.browser.json`, so native tests can
//! check that it loads and still holds what the app shows.

use std::path::Path;

const DROPPED_IN_BROWSER: [&str; 2] = ["source", "title_en_condensed"];
const FACILITATORS: &str = "facilitators_since_2006";

/// The rule of `catalogue::designates_facilitators`, which a build script cannot call; a test
/// in `map/team/tests.rs` checks that both agree.
fn designates_facilitators(topic: &serde_json::Map<String, serde_json::Value>) -> bool {
    let level = topic.get("level").and_then(serde_json::Value::as_u64);
    let parent = topic.get("parent").and_then(serde_json::Value::as_str);
    level == Some(1) || (level == Some(2) && parent == Some("C7"))
}

fn browser_copy(topics: &serde_json::Value) -> serde_json::Value {
    let mut topics = topics.clone();
    for topic in topics.as_array_mut().into_iter().flatten() {
        if let Some(fields) = topic.as_object_mut() {
            for field in DROPPED_IN_BROWSER {
                fields.remove(field);
            }
            let none = fields
                .get(FACILITATORS)
                .and_then(serde_json::Value::as_array)
                .is_none_or(Vec::is_empty);
            if none || !designates_facilitators(fields) {
                fields.remove(FACILITATORS);
            }
        }
    }
    topics
}

fn write(name: &str, value: &serde_json::Value) {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(
        Path::new(&out).join(name),
        serde_json::to_string(value).expect("JSON values always serialise"),
    )
    .expect("OUT_DIR is writable");
}

/// What checking a bundle depends on: the catalogue, the rules, the records and bundles they
/// read (the time zones and languages come from the browser, not from here).
const RULE_SOURCES: [&str; 6] = [
    "data/topics.json",
    "src/validate",
    "src/record.rs",
    "src/record",
    "src/bundle.rs",
    "src/catalogue.rs",
];

/// FNV-1a over the rule sources' paths and bytes, in path order: a build whose checks could
/// judge a bundle otherwise has another fingerprint (see `validate::RULES`).
fn rules_fingerprint() -> String {
    fn files(path: &Path, into: &mut Vec<std::path::PathBuf>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path)
                .expect("rule sources are readable")
                .flatten()
            {
                files(&entry.path(), into);
            }
        } else {
            into.push(path.to_owned());
        }
    }
    let mut paths = Vec::new();
    for source in RULE_SOURCES {
        println!("cargo:rerun-if-changed={source}");
        files(Path::new(source), &mut paths);
    }
    paths.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in paths {
        let bytes = std::fs::read(&path).expect("rule sources are readable");
        for byte in path.to_string_lossy().bytes().chain(bytes) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("rules.txt"), rules_fingerprint())
        .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=data/topics.json");
    let text = std::fs::read_to_string("data/topics.json").expect("data/topics.json is readable");
    let topics: serde_json::Value = serde_json::from_str(&text)
        .expect("data/topics.json is JSON (checked by the catalogue tests)");
    let browser = browser_copy(&topics);
    let in_browser = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    write("topics.json", if in_browser { &browser } else { &topics });
    write("topics.browser.json", &browser);
}
