//! Hostile text in every field, signed: refused by validation, merged by the decode path.

use serde_json::json;

use super::{signed, Base};

/// An iCalendar injection, bare CR, NUL, NEL, ESC, DEL and U+FFFE (as in the core's tests).
pub const HOSTILE: &str =
    "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:b\rc\0d\u{85}e\u{1b}[2Jf\u{7f}g\u{fffe}h";

pub(super) fn seeds(base: &Base) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_owned(), bytes));

    // Hostile text everywhere, signed (refused by validation, merged by the decode path).
    let mut hostile = base.mallory.clone();
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
    add("hostile", signed(&hostile, &base.mallory_key).into_bytes());
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
    out
}
