//! The seed corpus: the project's fixtures plus freshly signed bundles, honest and hostile.
//! Deterministic: the same files every time (Ed25519 signatures are deterministic too).

use std::path::{Path, PathBuf};

use networkshop_core::signing::{AuthorKey, SIGNATURE_MEMBER};
use networkshop_core::{Bundle, Kind, Region, StakeholderGroup};
use serde_json::{json, Value};
use time::macros::datetime;

use crate::honest::{honest, key, profile, record, record_id, tombstone, ALICE, BOB, MALLORY};

/// An iCalendar injection, bare CR, NUL, NEL, ESC, DEL and U+FFFE (as in the core's tests).
pub const HOSTILE: &str =
    "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rc\0d\u{85}e\u{1b}[2Jf\u{7f}g\u{fffe}h";

/// `tests/fixtures/bundles` at the repository root.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bundles")
}

/// Every `.json` file under the fixtures, as (name, bytes), sorted by path.
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let root = fixtures_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let name = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .trim_end_matches(".json")
                .replace('/', "-");
            Some((format!("fixture-{name}"), bytes))
        })
        .collect()
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
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_owned(), bytes));

    // The honest files themselves: replayed as alice.json they are accepted, as mallory.json
    // refused for their name.
    for (i, (name, text)) in honest.signed.iter().enumerate() {
        add(
            &format!("honest-{i}-{}", name.trim_end_matches(".json")),
            text.clone().into_bytes(),
        );
    }
    let alice_signed: Value = serde_json::from_str(&honest.signed[2].1).unwrap();
    let alice_older: Value = serde_json::from_str(&honest.signed[0].1).unwrap();
    let bob_signed: Value = serde_json::from_str(&honest.signed[3].1).unwrap();
    let mallory_key = key(MALLORY);
    let late = datetime!(2031-12-31 23:59 UTC);
    let early = datetime!(2000-01-01 00:00 UTC);

    // Mallory's own valid bundle, signed by her: records with alice's and bob's ids, every
    // revision and date in her favour, tombstones for their ids. Accepted as mallory.json.
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
    let mallory_value = value(&mallory);
    add(
        "mallory-own",
        signed(&mallory_value, &mallory_key).into_bytes(),
    );

    // Records that name alice inside mallory's bundle (invalid, merged unvalidated).
    let mut claims = mallory_value.clone();
    claims["records"][0]["author"] = json!(ALICE);
    claims["records"][4]["author"] = json!(ALICE);
    claims["records"][5]["author"] = json!(BOB);
    add("mallory-claims", signed(&claims, &mallory_key).into_bytes());

    // Impersonation: alice's id, mallory's key; newer, higher, and backdated variants.
    let mut as_alice = alice_signed.clone();
    as_alice["generated_at"] = json!("2031-01-01T00:00:00Z");
    as_alice["author"]["display_name"] = json!("Alice (new key)");
    as_alice["records"][0]["revision"] = json!(99);
    as_alice["records"][0]["title"] = json!("taken over");
    add(
        "impersonate-alice",
        signed(&as_alice, &mallory_key).into_bytes(),
    );
    let mut backdated = alice_older.clone();
    backdated["generated_at"] = json!("2000-01-01T00:00:00Z");
    for r in backdated["records"].as_array_mut().unwrap() {
        r["deleted"] = json!(true);
        r["revision"] = json!(1_000_000);
        r["updated_at"] = json!("2000-01-01T00:00:00Z");
    }
    add(
        "backdated-tombstones",
        signed(&backdated, &mallory_key).into_bytes(),
    );

    // Alice's real file with its signature tampered: mallory's key, bob's signature, none,
    // another algorithm, an extra member, alice's key on mallory's signature.
    let mut swapped = alice_signed.clone();
    swapped[SIGNATURE_MEMBER]["public_key"] = json!(mallory_key.public_key());
    add("alice-key-swapped", swapped.to_string().into_bytes());
    let mut swapped = alice_signed.clone();
    swapped[SIGNATURE_MEMBER] = bob_signed[SIGNATURE_MEMBER].clone();
    add("alice-bobs-signature", swapped.to_string().into_bytes());
    let mut unsigned = alice_signed.clone();
    unsigned.as_object_mut().unwrap().remove(SIGNATURE_MEMBER);
    add("alice-unsigned", unsigned.to_string().into_bytes());
    let mut algorithm = alice_signed.clone();
    algorithm[SIGNATURE_MEMBER]["algorithm"] = json!("none");
    add("alice-algorithm-none", algorithm.to_string().into_bytes());
    let mut extra = alice_signed.clone();
    extra[SIGNATURE_MEMBER]["note"] = json!("x");
    add("alice-signature-extra", extra.to_string().into_bytes());
    let mut by_mallory = signed_value(&as_alice, &mallory_key);
    by_mallory[SIGNATURE_MEMBER]["public_key"] = json!(honest.alice_key);
    add(
        "alice-key-mallory-signature",
        by_mallory.to_string().into_bytes(),
    );
    // Alice's records, reordered and re-indented: still hers, still valid.
    let compact = alice_signed.to_string();
    add("alice-compact", compact.clone().into_bytes());
    // The same file under another author id (the name check).
    let mut renamed = mallory_value.clone();
    renamed["author"]["id"] = json!(BOB);
    for r in renamed["records"].as_array_mut().unwrap() {
        r["author"] = json!(BOB);
    }
    add(
        "mallory-as-bob",
        signed(&renamed, &mallory_key).into_bytes(),
    );

    // Hostile text everywhere, signed (refused by validation, merged by the decode path).
    let mut hostile = mallory_value.clone();
    for field in ["display_name", "organisation", "country", "contact"] {
        hostile["author"][field] = json!(HOSTILE);
    }
    for r in hostile["records"].as_array_mut().unwrap() {
        r["deleted"] = json!(false);
        r["title"] = json!(HOSTILE);
        r["description"] = json!(HOSTILE);
        r["topics"] = json!(["C4", HOSTILE]);
        r["languages"] = json!([HOSTILE]);
        r["url"] = json!(format!("https://x.org/{HOSTILE}"));
        r["kind"] = json!("event");
        r["event"] = json!({
            "starts_on": "2005-11-16", "ends_on": "2004-01-01", "time_zone": HOSTILE,
            "place": HOSTILE, "online_url": "https://x.org/\u{85}"
        });
        r["document"] = json!({"language": HOSTILE, "year": -2147483648i64});
        r["partnership"] = json!({
            "partners": [HOSTILE], "objectives": HOSTILE, "expected_results": HOSTILE,
            "timeline": HOSTILE, "funding": "none", "agreement": "mou"
        });
    }
    add("hostile", signed(&hostile, &mallory_key).into_bytes());
    let mut hostile_kinds = hostile.clone();
    for (i, kind) in ["network", "event", "document", "project", "partnership"]
        .iter()
        .enumerate()
    {
        hostile_kinds["records"][i]["kind"] = json!(kind);
    }
    hostile_kinds["records"][1]["event"]["starts_on"] = json!("+002005-11-16");
    hostile_kinds["records"][2]["event"]["ends_on"] = json!("9999-12-31");
    add("hostile-kinds", hostile_kinds.to_string().into_bytes());

    // Numbers at and past their limits, odd dates and versions.
    let text = mallory_value.to_string();
    for (name, from, to) in [
        (
            "revision-overflow",
            "\"revision\":1,",
            "\"revision\":18446744073709551616,",
        ),
        ("revision-float", "\"revision\":1,", "\"revision\":1e400,"),
        ("revision-negative", "\"revision\":1,", "\"revision\":-1,"),
        ("revision-zero", "\"revision\":1,", "\"revision\":0,"),
        ("year-overflow", "\"year\":2004", "\"year\":2147483648"),
        ("version-2", "\"version\":1", "\"version\":2"),
        ("version-0", "\"version\":1", "\"version\":0"),
        (
            "version-max",
            "\"version\":1",
            "\"version\":18446744073709551615",
        ),
        (
            "date-far",
            "\"generated_at\":\"2031-12-31T23:59:00Z\"",
            "\"generated_at\":\"9999-12-31T23:59:59.999999999-23:59\"",
        ),
        (
            "date-leap",
            "\"generated_at\":\"2031-12-31T23:59:00Z\"",
            "\"generated_at\":\"2005-12-31T23:59:60Z\"",
        ),
        (
            "duplicate-key",
            "\"version\":1",
            "\"version\":1,\"version\":1",
        ),
        (
            "escaped-duplicate",
            "\"version\":1",
            "\"version\":1,\"vers\\u0069on\":1",
        ),
        ("lone-surrogate", "\"title\":\"", "\"title\":\"\\ud800"),
        ("nul-escape", "\"title\":\"", "\"title\":\"\\u0000"),
        ("bom", "{", "\u{feff}{"),
    ] {
        add(
            &format!("edge-{name}"),
            text.replacen(from, to, 1).into_bytes(),
        );
    }
    let mut bytes = text.clone().into_bytes();
    let at = text.find("forged").unwrap();
    bytes[at] = 0xff;
    add("edge-not-utf8", bytes);
    let mut nested = String::new();
    for depth in [100usize, 127, 128, 129, 500] {
        nested.clear();
        nested.push_str(&"[".repeat(depth));
        nested.push_str(&"]".repeat(depth));
        add(
            &format!("edge-nested-{depth}"),
            text.replacen(
                "\"author\":{",
                &format!("\"deep\":{nested},\"author\":{{"),
                1,
            )
            .into_bytes(),
        );
    }
    add("edge-empty", Vec::new());
    add("edge-not-a-bundle", b"{\"format\":\"other\"}".to_vec());
    add("edge-trailing", format!("{text} {{}}").into_bytes());
    add(
        "edge-numbers",
        b"[0,-0,1e308,-1e-308,123456789012345678901234567890,0.1e1]".to_vec(),
    );
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

/// Tokens for AFL++'s dictionary: the format's members and values, and the three keys.
pub fn dictionary() -> String {
    let honest = honest();
    let mut tokens: Vec<String> = [
        "format",
        "networkshop.bundle",
        "version",
        "author",
        "records",
        "generated_at",
        "id",
        "display_name",
        "organisation",
        "stakeholder_group",
        "country",
        "region",
        "contact",
        "kind",
        "title",
        "description",
        "topics",
        "languages",
        "revision",
        "updated_at",
        "deleted",
        "url",
        "event",
        "document",
        "partnership",
        "starts_on",
        "ends_on",
        "time_zone",
        "place",
        "online_url",
        "language",
        "year",
        "partners",
        "objectives",
        "expected_results",
        "timeline",
        "funding",
        "agreement",
        "signature",
        "algorithm",
        "public_key",
        "value",
        "ed25519",
        "alice",
        "bob",
        "mallory",
        "civil_society",
        "government",
        "private_sector",
        "africa",
        "world",
        "network",
        "project",
        "mou",
        "identified",
        "C4",
        "C7.e-health",
        "UTC",
        "Africa/Tunis",
        "https://x.org/",
        "2005-11-16",
        "2005-01-10T10:00:00Z",
        "9999-12-31T23:59:59Z",
        "00000000-0000-4000-8000-000000000001",
    ]
    .iter()
    .map(|t| format!("\"{t}\""))
    .collect();
    tokens.push(format!("\"{}\"", honest.alice_key));
    tokens.push(format!("\"{}\"", honest.bob_key));
    tokens.push(format!("\"{}\"", key(MALLORY).public_key()));
    for (author, n) in [(ALICE, 1), (ALICE, 2), (BOB, 1), (BOB, 2)] {
        tokens.push(format!("\"{}\"", record_id(author, n)));
    }
    for raw in [
        "true",
        "false",
        "null",
        "18446744073709551615",
        "18446744073709551616",
        "-1",
        "1e400",
        "\\u0000",
        "\\ud800",
        "\\n",
        "\\r",
        "\\u0085",
        "[[[[",
        "{\"\":",
        "\":{",
        "\",\"",
    ] {
        tokens.push(raw.to_owned());
    }
    tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let escaped: String = t
                .bytes()
                .map(|b| match b {
                    b'"' | b'\\' => format!("\\{}", b as char),
                    0x20..=0x7e => (b as char).to_string(),
                    _ => format!("\\x{b:02x}"),
                })
                .collect();
            format!("t{i}=\"{escaped}\"\n")
        })
        .collect()
}
