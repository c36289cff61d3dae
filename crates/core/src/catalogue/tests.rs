use super::*;
use std::collections::{BTreeMap, HashSet};

fn wsis() -> &'static Catalogue {
    Catalogue::wsis()
}

#[test]
fn has_the_169_topics_in_three_levels() {
    let topics = wsis().topics();
    assert_eq!(topics.len(), 169);
    let count = |level| topics.iter().filter(|t| t.level == level).count();
    assert_eq!((count(1), count(2), count(3)), (14, 25, 130));
}

#[test]
fn ids_are_unique_and_every_parent_exists_at_a_coarser_level() {
    let mut seen = HashSet::new();
    for topic in wsis().topics() {
        assert!(seen.insert(&topic.id), "duplicate id {}", topic.id);
        match &topic.parent {
            None => assert_eq!(topic.level, 1, "{} has no parent", topic.id),
            Some(parent) => {
                let parent = wsis().get(parent).unwrap_or_else(|| panic!("{}", topic.id));
                assert!(parent.level < topic.level, "{}", topic.id);
                assert!(
                    topic.id.starts_with(&parent.id),
                    "{} under {}",
                    topic.id,
                    parent.id
                );
            }
        }
    }
}

#[test]
fn every_topic_has_both_titles_and_a_source() {
    for topic in wsis().topics() {
        assert!(!topic.title_en.trim().is_empty(), "{}", topic.id);
        assert!(!topic.title_fr.trim().is_empty(), "{}", topic.id);
        assert!(!topic.source.trim().is_empty(), "{}", topic.id);
    }
}

#[test]
fn sub_paragraph_counts_per_action_line_match_the_reference_notes() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for topic in wsis().topics().iter().filter(|t| t.level == 3) {
        *counts
            .entry(wsis().action_line(&topic.id).unwrap().id.clone())
            .or_default() += 1;
    }
    let expected = [
        ("C1", 9),
        ("C2", 12),
        ("C3", 10),
        ("C4", 16),
        ("C5", 10),
        ("C6", 18),
        ("C7", 26),
        ("C8", 15),
        ("C9", 7),
        ("C10", 4),
        ("C11", 3),
    ];
    for (line, n) in expected {
        assert_eq!(counts.get(line), Some(&n), "{line}");
    }
    assert_eq!(counts.len(), 11);
}

#[test]
fn c7_has_its_eight_e_applications() {
    let apps: Vec<_> = wsis().children("C7").map(|t| t.id.as_str()).collect();
    assert_eq!(apps.len(), 8);
    assert!(apps.contains(&"C7.e-health"));
    assert_eq!(wsis().get("C7.e-health").unwrap().title_fr, "Cybersanté");
}

#[test]
fn ancestors_and_roll_up() {
    let chain: Vec<_> = wsis()
        .ancestors("C7.e-health.c")
        .iter()
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(chain, vec!["C7.e-health", "C7"]);
    assert_eq!(wsis().action_line("C7.e-health.c").unwrap().id, "C7");
    assert_eq!(wsis().action_line("C2").unwrap().id, "C2");
    assert_eq!(
        wsis().rolled_up_to("C7.e-health.c", 2).unwrap().id,
        "C7.e-health"
    );
    assert_eq!(wsis().rolled_up_to("C2.a", 2).unwrap().id, "C2");
    assert!(wsis().ancestors("nope").is_empty());
}

#[test]
fn provisional_french_titles_are_flagged() {
    assert!(!wsis().get("C7.e-government").unwrap().title_fr_provisional);
    assert!(!wsis().get("C4").unwrap().title_fr_provisional);
    assert!(wsis().get("C4.a").unwrap().title_fr_provisional);
    assert!(!wsis().get("C4").unwrap().facilitators_since_2006.is_empty());
}
