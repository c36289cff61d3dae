//! The catalogue as the crate embeds it. In a browser (wasm32) it carries only what the app
//! reads: the paragraph sources, the 2006 facilitators and the "condensed" flags stay in
//! `data/topics.json` (native tests and the endpoint keep them), which spares the participant's
//! first load about 1 KB (brotli). Both are minified.

use std::path::Path;

const DROPPED_IN_BROWSER: [&str; 3] = ["source", "facilitators_since_2006", "title_en_condensed"];

fn main() {
    println!("cargo:rerun-if-changed=data/topics.json");
    let text = std::fs::read_to_string("data/topics.json").expect("data/topics.json is readable");
    let mut topics: serde_json::Value = serde_json::from_str(&text)
        .expect("data/topics.json is JSON (checked by the catalogue tests)");
    let browser = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if browser {
        for topic in topics.as_array_mut().into_iter().flatten() {
            if let Some(fields) = topic.as_object_mut() {
                for field in DROPPED_IN_BROWSER {
                    fields.remove(field);
                }
            }
        }
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(
        Path::new(&out).join("topics.json"),
        serde_json::to_string(&topics).expect("JSON values always serialise"),
    )
    .expect("OUT_DIR is writable");
}
