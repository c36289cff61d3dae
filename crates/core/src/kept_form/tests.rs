use proptest::prelude::*;
use serde_json::json;
use time::macros::datetime;

use super::*;
use crate::record::{DocumentDetails, EventDetails};
use crate::test_support::{profile, record};

fn full_bundle() -> Bundle {
    let mut event = record(1, "amina", Kind::Event, &["C7", "C3"]);
    event.title = "Atelier « données ouvertes » — Tunis".into();
    event.description = "Ligne 1\r\nLigne 2\ttabulée".into();
    event.languages = vec!["fr".into(), "ar".into()];
    event.url = Some("https://example.org/atelier".into());
    event.event = Some(EventDetails {
        starts_on: "2005-11-16".into(),
        ends_on: "2005-11-18".into(),
        time_zone: "Africa/Tunis".into(),
        place: Some("Kram".into()),
        ..EventDetails::default()
    });
    event.updated_at = datetime!(2005-11-16 09:30:15.123456789 +01:00);
    event.confirmed_at = Some(datetime!(2025-06-01 12:00 -05:30));
    event.revision = 7;
    event
        .extra
        .insert("from_a_newer_build".into(), json!({"n": [1, 2.5, null]}));
    let mut document = record(2, "amina", Kind::Document, &["C1"]);
    document.document = Some(DocumentDetails {
        language: Some("fr".into()),
        year: Some(2003),
        ..DocumentDetails::default()
    });
    document.deleted = true;
    let mut author = profile("amina", StakeholderGroup::CivilSociety, Region::Africa);
    author.contact = Some("amina@example.org".into());
    author.country = "TN".into();
    author
        .extra
        .insert("networkshop_unchosen".into(), json!([]));
    let mut bundle = Bundle::new(
        author,
        vec![event, document],
        datetime!(2005-11-18 18:00 +01:00),
    );
    bundle
        .extra
        .insert("signature".into(), json!({"key": "k", "value": "v"}));
    bundle
}

#[test]
fn a_bundle_reads_back_as_kept() {
    let bundle = full_bundle();
    let kept = keep(&bundle);
    assert_eq!(read(&kept), Some(bundle.clone()));
    assert!(kept.len() < bundle.to_json().len());
    // The record's canonical text (the merge's tie-break) is the same: offsets are kept.
    assert_eq!(read(&kept).unwrap().to_json(), bundle.to_json());
}

#[test]
fn what_is_not_a_kept_bundle_is_not_read() {
    let kept = keep(&full_bundle());
    assert_eq!(read(&kept[..kept.len() - 1]), None);
    assert_eq!(read(&[kept.as_slice(), &[0]].concat()), None);
    assert_eq!(read(b""), None);
    assert_eq!(read(full_bundle().to_json().as_bytes()), None);
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zé« »\u{a0}\n\r\t\"\\\\]{0,12}",
        any::<String>(),
    ]
}

fn arb_record() -> impl Strategy<Value = Record> {
    (
        any::<u128>(),
        0..Kind::ALL.len(),
        (arb_text(), arb_text()),
        prop::collection::vec(arb_text(), 0..3),
        (
            any::<u64>(),
            -2_000_000_000i64..4_000_000_000,
            0u32..1_000_000_000,
        ),
        -86_399i32..86_400,
        (any::<bool>(), prop::option::of(arb_text())),
        prop::option::of(arb_text()),
    )
        .prop_map(
            |(
                id,
                kind,
                (title, description),
                topics,
                (revision, seconds, nanos),
                offset,
                (deleted, url),
                extra,
            )| {
                let mut record = record(id, "author", Kind::ALL[kind], &[]);
                record.title = title;
                record.description = description;
                record.topics = topics;
                record.revision = revision;
                let offset = UtcOffset::from_whole_seconds(offset).unwrap();
                record.updated_at = OffsetDateTime::from_unix_timestamp(seconds)
                    .unwrap()
                    .replace_nanosecond(nanos)
                    .unwrap()
                    .to_offset(offset);
                record.deleted = deleted;
                record.url = url;
                if let Some(text) = extra {
                    record.extra.insert(text.clone(), json!(text));
                    record.document = Some(DocumentDetails {
                        language: Some(text),
                        ..DocumentDetails::default()
                    });
                }
                record
            },
        )
}

proptest! {
    #[test]
    fn any_bundle_reads_back_as_kept(
        records in prop::collection::vec(arb_record(), 0..6),
        name in arb_text(),
        contact in prop::option::of(arb_text()),
    ) {
        let mut author = profile("author", StakeholderGroup::ALL[records.len() % 5], Region::ALL[records.len() % 7]);
        author.display_name = name;
        author.contact = contact;
        let bundle = Bundle::new(author, records, datetime!(2026-11-27 23:00 UTC));
        prop_assert_eq!(read(&keep(&bundle)), Some(bundle));
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read(&bytes);
    }
}
