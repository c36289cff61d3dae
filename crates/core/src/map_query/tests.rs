use proptest::prelude::*;

use super::*;
use crate::record::{EventDetails, Kind, Region, StakeholderGroup};
use crate::test_support::{profile, record};

/// What a router does to a search string: split it and percent-decode each side.
fn pairs_of(search: &str) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
    search
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn parse_search(search: &str) -> MapQuery {
    let pairs = pairs_of(search);
    MapQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Catalogue::wsis(),
    )
}

fn parse(pairs: &[(&str, &str)]) -> MapQuery {
    MapQuery::parse(pairs.iter().copied(), Catalogue::wsis())
}

#[test]
fn defaults_write_nothing() {
    assert_eq!(MapQuery::default().to_search(), "");
    assert_eq!(MapQuery::default().report_search(), "");
    assert_eq!(MapQuery::default().export_name(), "");
    assert_eq!(parse(&[("depth", "1"), ("projector", "0")]).to_search(), "");
    assert_eq!(parse(&[]), MapQuery::default());
}

#[test]
fn writes_sorted_encoded_keys() {
    let query = MapQuery {
        depth: 2,
        topic: Some("C7.e-health".into()),
        actor: Some("a b&c=d+é/~".into()),
        filters: ViewFilters {
            group: Some(StakeholderGroup::CivilSociety),
            region: Some(Region::Africa),
            kind: Some(Kind::Event),
            sdg: Some(3),
            from: Some("2005-11-16".into()),
            to: Some("2005-11-18".into()),
            ready: true,
            confirmed: Some(2005),
        },
        by_sdg: true,
        chart: Some(2),
        projector: true,
        tour: true,
        tour_every: Some(12),
        fade: Some(30),
    };
    assert_eq!(
        query.to_search(),
        "actor=a%20b%26c%3Dd%2B%C3%A9%2F~&chart=2&confirmed=2005&depth=2&fade=30&from=2005-11-16\
         &group=civil_society&kind=event&projector=1&ready=1&region=africa&sdg=3&to=2005-11-18\
         &topic=C7.e-health&tour=1&tour_every=12&view=sdg"
    );
    assert_eq!(
        query.report_search(),
        "confirmed=2005&from=2005-11-16&group=civil_society&kind=event&ready=1&region=africa\
         &sdg=3&to=2005-11-18"
    );
    assert_eq!(parse_search(&query.to_search()), query);
}

#[test]
fn invalid_values_and_unknown_keys_are_ignored() {
    let long = "x".repeat(201);
    let query = parse(&[
        ("depth", "4"),
        ("topic", "C99"),
        ("actor", &long),
        ("group", "farmers"),
        ("region", "Africa"),
        ("kind", ""),
        ("sdg", "18"),
        ("from", "2005-13-01"),
        ("to", "tomorrow"),
        ("projector", "yes"),
        ("tour", "true"),
        ("tour_every", "2"),
        ("fade", "4"),
        ("chart", "6"),
        ("colour", "red"),
    ]);
    assert_eq!(query, MapQuery::default());
    assert_eq!(parse(&[("depth", "0")]).depth, 1);
    assert_eq!(parse(&[("depth", "x")]).depth, 1);
    assert_eq!(parse(&[("actor", "")]).actor, None);
    assert_eq!(parse(&[("tour_every", "-5")]).tour_every, None);
    assert_eq!(parse(&[("fade", "5")]).fade, Some(5));
    assert_eq!(parse(&[("chart", "0")]).chart, None);
    assert_eq!(parse(&[("chart", "5")]).chart, Some(5));
    assert_eq!(parse(&[("tour_every", "3")]).tour_every, Some(3));
    assert_eq!(
        parse(&[("actor", &long[1..])]).actor,
        Some(long[1..].into())
    );
}

#[test]
fn the_last_of_a_repeated_key_decides() {
    assert_eq!(parse(&[("depth", "2"), ("depth", "3")]).depth, 3);
    assert_eq!(parse(&[("depth", "2"), ("depth", "9")]).depth, 1);
    let topic = parse(&[("topic", "C4"), ("topic", "C7")]).topic;
    assert_eq!(topic.as_deref(), Some("C7"));
    let group = parse(&[("group", "government"), ("group", "civil_society")]);
    assert_eq!(group.filters.group, Some(StakeholderGroup::CivilSociety));
}

#[test]
fn export_name_joins_only_what_is_set() {
    let mut query = MapQuery {
        topic: Some("C7.e-health".into()),
        ..MapQuery::default()
    };
    assert_eq!(query.export_name(), "C7.e-health");
    query.filters.group = Some(StakeholderGroup::CivilSociety);
    query.filters.from = Some("2005-11-16".into());
    assert_eq!(
        query.export_name(),
        "civil_society-from-2005-11-16-C7.e-health"
    );
    query.topic = None;
    assert_eq!(query.export_name(), "civil_society-from-2005-11-16");
}

#[test]
fn filters_keep_what_they_match() {
    let filters = ViewFilters::parse([
        ("group", "civil_society"),
        ("from", "2005-11-16"),
        ("to", "2005-11-18"),
    ]);
    let civil = profile("a", StakeholderGroup::CivilSociety, Region::Europe);
    let state = profile("b", StakeholderGroup::Government, Region::Europe);
    assert!(filters.keeps_author(&civil) && !filters.keeps_author(&state));
    let on = |starts: &str, ends: &str| {
        let mut r = record(1, "a", Kind::Event, &["C4"]);
        r.event = Some(EventDetails {
            starts_on: starts.into(),
            ends_on: ends.into(),
            time_zone: "UTC".into(),
            place: None,
            online_url: None,
            ..Default::default()
        });
        filters.keeps_record(&r)
    };
    assert!(on("2005-11-15", "2005-11-16") && on("2005-11-18", "2005-11-20"));
    assert!(!on("2005-11-10", "2005-11-15") && !on("2005-11-19", "2005-11-20"));
    assert!(filters.keeps_record(&record(2, "a", Kind::Document, &["C4"])));
    assert!(!filters.is_empty() && ViewFilters::parse([]).is_empty());
    assert_eq!(
        filters.file_suffix(),
        "civil_society-from-2005-11-16-to-2005-11-18"
    );
}

fn arb_date() -> impl Strategy<Value = String> {
    (1990u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn arb_filters() -> impl Strategy<Value = ViewFilters> {
    (
        proptest::option::of(prop::sample::select(StakeholderGroup::ALL.to_vec())),
        proptest::option::of(prop::sample::select(Region::ALL.to_vec())),
        proptest::option::of(prop::sample::select(Kind::ALL.to_vec())),
        proptest::option::of(1u8..=17),
        proptest::option::of(arb_date()),
        proptest::option::of(arb_date()),
        any::<bool>(),
        proptest::option::of(0i32..=9999),
    )
        .prop_map(
            |(group, region, kind, sdg, from, to, ready, confirmed)| ViewFilters {
                group,
                region,
                kind,
                sdg,
                from,
                to,
                ready,
                confirmed,
            },
        )
}

fn arb_query() -> impl Strategy<Value = MapQuery> {
    let ids: Vec<String> = Catalogue::wsis()
        .topics()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    (
        1u8..=3,
        proptest::option::of(prop::sample::select(ids)),
        proptest::option::of("(?s:.){1,200}"),
        arb_filters(),
        any::<(bool, bool, bool)>(),
        proptest::option::of(MIN_TOUR_EVERY..100_000),
        proptest::option::of(MIN_FADE..100_000),
        proptest::option::of(1..=CHARTS),
    )
        .prop_map(
            |(depth, topic, actor, filters, (by_sdg, projector, tour), tour_every, fade, chart)| {
                MapQuery {
                    depth,
                    topic,
                    actor,
                    filters,
                    by_sdg,
                    chart,
                    projector,
                    tour,
                    tour_every,
                    fade,
                }
            },
        )
}

proptest! {
    #[test]
    fn the_address_round_trips(query in arb_query()) {
        let search = query.to_search();
        prop_assert_eq!(parse_search(&search), query.clone());
        let keys: Vec<String> = pairs_of(&search).into_iter().map(|(k, _)| k).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(&keys, &sorted);
        prop_assert!(search.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)));
        let report = parse_search(&query.report_search());
        prop_assert_eq!(report, MapQuery { filters: query.filters.clone(), ..MapQuery::default() });
    }

    #[test]
    fn export_names_have_no_empty_part(query in arb_query()) {
        let name = query.export_name();
        prop_assert!(!name.contains("--"), "{}", name);
        prop_assert!(!name.starts_with('-') && !name.ends_with('-'), "{}", name);
    }
}

#[test]
fn a_control_sets_and_reads_one_filter_by_its_key() {
    let mut filters = ViewFilters::default();
    assert!(filters.set("region", "africa"));
    assert!(filters.set("from", "2005-11-16"));
    assert_eq!(filters.get("region").as_deref(), Some("africa"));
    assert_eq!(filters.get("from").as_deref(), Some("2005-11-16"));
    // A date picker's empty or a hand-made value clears the filter rather than keep nonsense.
    assert!(filters.set("from", "16/11/2005"));
    assert_eq!(filters.get("from"), None);
    assert!(filters.set("region", ""));
    assert!(filters.is_empty());
    assert!(!filters.set("depth", "2"));
}
