//! Malformed files: numbers at and past their limits, odd dates and versions, bad bytes,
//! deep nesting, and things that are not bundles at all.

use super::Base;

pub(super) fn seeds(base: &Base) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_owned(), bytes));

    // Numbers at and past their limits, odd dates and versions.
    let text = base.mallory.to_string();
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
