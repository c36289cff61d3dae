//! The fuzzing harness of issue 12: one function, [`check`], that AFL++ (`src/bin/afl_target.rs`)
//! and the smoke test (`cargo test` in this folder) both run on arbitrary bytes.
//!
//! The bytes are a published file named `mallory.json` and, when the first byte is odd (as `{`
//! is), also one named `alice.json`: an impersonation attempt. They are decoded every way the
//! project decodes files, checked through the trust path against pins holding alice's and bob's
//! keys, and merged (validated or not) into a fixed honest community; the result must keep the
//! merge laws and render in every export format. Any broken invariant is an `Err` naming it,
//! which [`run`] turns into a panic: a crash for AFL++.

pub mod honest;
pub mod outputs;
pub mod seeds;

use networkshop_core::bundle::{decode_bundle, parse_backup, parse_bundle};
use networkshop_core::catalogue::Lang;
use networkshop_core::export::{inventory_report, parse_collection, ExportContext, Format};
use networkshop_core::trust::{accept_published, may_merge_own, Trusted};
use networkshop_core::{Bundle, Catalogue, Community};
use time::macros::datetime;

use honest::{honest, Honest, ALICE, HONEST, MALLORY};

/// Runs [`check`] and panics with the broken invariant.
pub fn run(data: &[u8]) {
    if let Err(violation) = check(data) {
        panic!("invariant broken: {violation}");
    }
}

/// Whether this input is also tried as `alice.json`.
pub fn impersonates(data: &[u8]) -> bool {
    data.first().is_some_and(|b| b & 1 == 1)
}

pub fn check(data: &[u8]) -> Result<(), String> {
    let honest = honest();

    // (a) Every decoder takes any bytes without panicking (a panic aborts under AFL++).
    let parsed = parse_bundle(data);
    let decoded = decode_bundle(data);
    let _ = parse_backup(data);
    let _ = parse_collection(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = may_merge_own(text, Some(honest.alice_key.as_str()), false);
    }

    // Validation only refuses: what parses, decodes to the same bundle, and survives its own
    // serialisation (the app saves and re-reads bundles).
    if let Ok(bundle) = &parsed {
        if decoded.as_ref() != Ok(bundle) {
            return Err(format!(
                "parse_bundle accepted what decode_bundle gives otherwise: {:?}",
                decoded.as_ref().err()
            ));
        }
        match parse_bundle(bundle.to_json().as_bytes()) {
            Ok(again) if &again == bundle => {}
            other => {
                return Err(format!(
                    "a valid bundle does not survive to_json/parse_bundle: {:?}",
                    other.err()
                ))
            }
        }
    }

    // (b) and (c), the trust path: as `mallory.json`, and maybe as `alice.json`.
    let as_mallory = accept_published("mallory.json", data, &honest.pins);
    if let Ok(trusted) = &as_mallory {
        if trusted.bundle.author.id != MALLORY {
            return Err(format!(
                "mallory.json accepted for author {:?}",
                trusted.bundle.author.id
            ));
        }
        merged_trusted(honest, trusted, &[])?;
    }
    if impersonates(data) {
        let as_alice = accept_published("alice.json", data, &honest.pins);
        if let Ok(trusted) = &as_alice {
            if trusted.public_key != honest.alice_key {
                return Err(format!(
                    "alice.json accepted with another key than alice's: {}",
                    trusted.public_key
                ));
            }
            if trusted.bundle.author.id != ALICE {
                return Err(format!(
                    "alice.json accepted for author {:?}",
                    trusted.bundle.author.id
                ));
            }
            merged_trusted(honest, trusted, &[ALICE])?;
        }
        // Only the file name differs: a refusal that is not about the name is the same.
        if let (Err(a), Err(m)) = (&as_alice, &as_mallory) {
            let about_name = |code| matches!(code, "wrong_file_name" | "key_changed");
            if !about_name(a.code()) && !about_name(m.code()) && a != m {
                return Err(format!("one file, two verdicts: {a:?} / {m:?}"));
            }
        }
    }

    // (c), (d), (e) on whatever decodes, validated or not.
    if let Ok(bundle) = decoded {
        let lang = if data.len().is_multiple_of(2) {
            Lang::Fr
        } else {
            Lang::En
        };
        let merged = merged_unvalidated(honest, bundle)?;
        // Reading the JSON and XML exports back costs as much as the rest of a run: done for
        // one input in four, chosen by length so that an input always gets the same checks.
        exports(&merged, lang, data.len().is_multiple_of(4))?;
    }
    Ok(())
}

/// An accepted file merged into the honest view changes no honest author but those in `own`.
fn merged_trusted(honest: &Honest, trusted: &Trusted, own: &[&str]) -> Result<(), String> {
    let mut merged = honest.community.clone();
    merged.add_bundle(trusted.bundle.clone());
    for author in HONEST {
        if !own.contains(&author) {
            unchanged(&honest.community, &merged, author, "an accepted file")?;
        }
    }
    Ok(())
}

/// Merges a bundle that may never have been validated; returns the merged view.
fn merged_unvalidated(honest: &Honest, bundle: Bundle) -> Result<Community, String> {
    let mut merged = honest.community.clone();
    merged.add_bundle(bundle.clone());
    // (c) Only the bundle's own author can change.
    for author in HONEST {
        if bundle.author.id != author {
            unchanged(&honest.community, &merged, author, "a decoded bundle")?;
        }
    }
    // (d) Idempotent: the same bundle again changes nothing.
    let mut twice = merged.clone();
    let changes = twice.add_bundle(bundle.clone());
    if !changes.is_empty() {
        return Err(format!("adding a bundle twice changed {changes:?}"));
    }
    if twice != merged {
        return Err("adding a bundle twice changed the view".into());
    }
    // Order-independent: first the bundle, then the honest ones, gives the same view.
    let mut first = Community::new();
    first.add_bundle(bundle);
    for b in &honest.bundles {
        first.add_bundle(b.clone());
    }
    if first != merged {
        return Err("merging the bundle first or last gives different views".into());
    }
    Ok(merged)
}

fn unchanged(
    before: &Community,
    after: &Community,
    author: &str,
    what: &str,
) -> Result<(), String> {
    if before.author(author) != after.author(author) {
        return Err(format!("{what} changed {author}'s profile"));
    }
    if !before.records_of(author).eq(after.records_of(author)) {
        return Err(format!("{what} changed {author}'s records"));
    }
    Ok(())
}

/// (e) Every format renders; the calendar and the graph carry nothing their format forbids.
/// `read_back`: the JSON exports also parse as JSON, and the GEXF as well-formed XML.
fn exports(community: &Community, lang: Lang, read_back: bool) -> Result<(), String> {
    let context = ExportContext {
        catalogue: Catalogue::wsis(),
        lang,
        generated_at: datetime!(2005-11-10 09:30 UTC),
    };
    for format in Format::ALL {
        let text = format.render(community, &context);
        match format {
            Format::ICalendar => outputs::check_icalendar(&text)?,
            Format::Gexf => outputs::check_gexf(&text, read_back)?,
            Format::Json | Format::CslJson | Format::JsonLd if read_back => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    return Err(format!("{format:?} export is not JSON: {e}"));
                }
            }
            Format::Json | Format::CslJson | Format::JsonLd | Format::Csv => {}
        }
    }
    let _ = inventory_report(community, context.catalogue);
    Ok(())
}
