//! The open topic's resources in words, as the drawing chooses them.

use super::*;
use crate::merge::RecordKey;

#[test]
fn the_listing_keeps_the_first_of_each_kind_as_a_whole_sort_orders_them() {
    // Three actors of 90 records: events on shuffled days, projects with shuffled titles.
    let bundles = (0..3u128).map(|a| {
        let id = format!("p{a}");
        let records = (0..90u128)
            .map(|n| {
                let k = a * 90 + n;
                let shuffled = k * 7_919 % 271;
                if n % 3 == 0 {
                    let day = format!("2005-{:02}-{:02}", 1 + shuffled % 12, 1 + shuffled % 28);
                    event(1_000 + k, &id, &format!("Atelier {shuffled:03}"), &day)
                } else {
                    Record {
                        title: format!("Projet {shuffled:03}"),
                        ..record(1_000 + k, &id, Kind::Project, &["C7.e-health.a"])
                    }
                }
            })
            .collect();
        let group = StakeholderGroup::CivilSociety;
        Bundle::new(named(&id, &format!("P{a}"), group), records, T)
    });
    let (community, networks) = merged(bundles);
    let drawing = draw_network(&community, &networks, TOPIC, 60);
    let under = networks.records_under_in(&community, TOPIC);
    let kinds: Vec<(Kind, usize)> = drawing
        .resources
        .iter()
        .map(|l| (l.kind, l.total))
        .collect();
    assert_eq!(kinds, [(Kind::Event, 90), (Kind::Project, 180)]);
    for listed in &drawing.resources {
        let mut all: Vec<&Record> = under
            .iter()
            .copied()
            .filter(|r| r.kind == listed.kind)
            .collect();
        all.sort_by_key(|r| {
            let start = r.event.as_ref().map(|e| e.starts_on.clone());
            (start, r.title.clone(), r.author.clone(), r.id)
        });
        let expected: Vec<RecordKey> = all.into_iter().take(LISTED).map(RecordKey::of).collect();
        assert_eq!(listed.first, expected, "{:?}", listed.kind);
    }
}
