//! The seed corpus: the project's fixtures plus freshly signed bundles, honest and hostile.
//! Deterministic: the same files every time (Ed25519 signatures are deterministic too).
//!
//! One family of seeds a file: the project's fixtures (`fixtures`), the forged and tampered
//! files (`forged`), hostile text (`hostile`), numbers, dates and bytes at their limits
//! (`malformed`); the AFL++ dictionary in `dictionary`.

mod dictionary;
mod fixtures;
mod forged;
mod hostile;
mod malformed;

use std::path::Path;

use networkshop_core::signing::AuthorKey;
use networkshop_core::Bundle;
use serde_json::Value;

use crate::honest::{honest, key, MALLORY};

pub use dictionary::dictionary;
pub use fixtures::{fixtures, fixtures_dir};
pub use hostile::HOSTILE;

/// What the generated families build on: the honest files as JSON, and mallory's own bundle.
struct Base {
    alice_key: String,
    alice_signed: Value,
    alice_older: Value,
    bob_signed: Value,
    mallory_key: AuthorKey,
    /// Mallory's own valid bundle, unsigned (see `forged::mallory_bundle`).
    mallory: Value,
}

fn value(bundle: &Bundle) -> Value {
    serde_json::from_str(&bundle.to_json()).expect("a bundle is JSON")
}

fn signed(value: &Value, key: &AuthorKey) -> String {
    key.sign_json(&value.to_string()).expect("signs")
}

fn signed_value(value: &Value, key: &AuthorKey) -> Value {
    serde_json::from_str(&signed(value, key)).expect("signed JSON")
}

/// Freshly generated files, as (name, bytes).
pub fn generated() -> Vec<(String, Vec<u8>)> {
    let honest = honest();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();

    // The honest files themselves: replayed as alice.json they are accepted, as mallory.json
    // refused for their name.
    for (i, (name, text)) in honest.signed.iter().enumerate() {
        out.push((
            format!("honest-{i}-{}", name.trim_end_matches(".json")),
            text.clone().into_bytes(),
        ));
    }
    let base = Base {
        alice_key: honest.alice_key.clone(),
        alice_signed: serde_json::from_str(&honest.signed[2].1).unwrap(),
        alice_older: serde_json::from_str(&honest.signed[0].1).unwrap(),
        bob_signed: serde_json::from_str(&honest.signed[3].1).unwrap(),
        mallory_key: key(MALLORY),
        mallory: forged::mallory_bundle(),
    };
    out.extend(forged::seeds(&base));
    out.extend(hostile::seeds(&base));
    out.extend(malformed::seeds(&base));
    out
}

/// Every seed, with each file also in a variant that starts with a newline: an even first
/// byte, so the harness tries it as `mallory.json` only (an odd one, `{`, adds `alice.json`).
pub fn all() -> Vec<(String, Vec<u8>)> {
    let mut seeds = fixtures();
    seeds.extend(generated());
    let mut out = Vec::with_capacity(seeds.len() * 2);
    for (name, bytes) in seeds {
        let mut newline = b"\n".to_vec();
        newline.extend_from_slice(&bytes);
        out.push((format!("{name}.json"), bytes));
        out.push((format!("{name}.nl.json"), newline));
    }
    out
}

/// Writes the corpus into `dir` (created if missing); returns how many files.
pub fn write_corpus(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let seeds = all();
    for (name, bytes) in &seeds {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(seeds.len())
}
