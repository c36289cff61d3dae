//! The AFL++ dictionary.

use crate::honest::{honest, key, record_id, ALICE, BOB, MALLORY};

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
