//! The topic catalogue of the Geneva Plan of Action (WSIS-03/GENEVA/DOC/5).
//!
//! The data lives in `data/topics.json`, written from `shared/reference/wsis-topics.json`; ids
//! follow the official lettering and never change once published, because every record and
//! every bundle refers to topics by id.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::{fold, folded_words};

/// One topic of the Plan of Action.
///
/// `level` is the granularity, not the depth: 1 = section or action line (14), 2 = target,
/// e-application, D1/D2 or E item (25), 3 = lettered sub-paragraph of section C (130). A level-3
/// topic of C1 hangs directly under C1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub parent: Option<String>,
    pub level: u8,
    pub title_en: String,
    pub title_fr: String,
    /// The English title is condensed from the paragraph text (the source letters, not titles).
    pub title_en_condensed: bool,
    /// The French title is our translation, to be shown as provisional until checked.
    pub title_fr_provisional: bool,
    /// Paragraph of the Plan of Action the topic comes from.
    pub source: String,
    /// Facilitators were assigned in 2006, after the process this tool serves: later information.
    pub facilitators_since_2006: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdg_goals: Vec<u8>,
}

impl Topic {
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.title_fr,
            Lang::En => &self.title_en,
        }
    }
}

/// The languages the catalogue carries titles in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

/// The catalogue with its indexes; build it once (see [`Catalogue::wsis`]).
#[derive(Debug)]
pub struct Catalogue {
    topics: Vec<Topic>,
    by_id: HashMap<String, usize>,
    children: Vec<Vec<usize>>,
    /// Folded "id title_en title_fr" per topic, for search.
    haystacks: Vec<String>,
}

static WSIS: OnceLock<Catalogue> = OnceLock::new();

impl Catalogue {
    /// The WSIS Geneva Plan of Action catalogue shipped with the crate.
    pub fn wsis() -> &'static Catalogue {
        WSIS.get_or_init(|| {
            let topics: Vec<Topic> = serde_json::from_str(include_str!("../data/topics.json"))
                .expect("data/topics.json is checked by the catalogue tests");
            Catalogue::new(topics)
        })
    }

    pub fn new(topics: Vec<Topic>) -> Catalogue {
        let by_id: HashMap<String, usize> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let mut children = vec![Vec::new(); topics.len()];
        for (i, topic) in topics.iter().enumerate() {
            if let Some(parent) = topic.parent.as_ref().and_then(|p| by_id.get(p)) {
                children[*parent].push(i);
            }
        }
        let haystacks = topics
            .iter()
            .map(|t| fold(&format!("{} {} {}", t.id, t.title_en, t.title_fr)))
            .collect();
        Catalogue {
            topics,
            by_id,
            children,
            haystacks,
        }
    }

    /// All topics in catalogue order (B, C1…C11, D, E, each followed by its descendants).
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.by_id.get(id).map(|&i| &self.topics[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Position of a topic in catalogue order; the map lays topics out by it.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Top-level entries: section B, the action lines C1–C11, sections D and E.
    pub fn roots(&self) -> impl Iterator<Item = &Topic> {
        self.topics.iter().filter(|t| t.parent.is_none())
    }

    pub fn children(&self, id: &str) -> impl Iterator<Item = &Topic> {
        let indexes = self
            .by_id
            .get(id)
            .map(|&i| self.children[i].as_slice())
            .unwrap_or(&[]);
        indexes.iter().map(|&i| &self.topics[i])
    }

    /// Parent, grandparent… up to the root, nearest first; the topic itself is not included.
    pub fn ancestors(&self, id: &str) -> Vec<&Topic> {
        let mut chain = Vec::new();
        let mut current = self.get(id);
        while let Some(parent) = current
            .and_then(|t| t.parent.as_deref())
            .and_then(|p| self.get(p))
        {
            chain.push(parent);
            current = Some(parent);
        }
        chain
    }

    /// The topic and its ancestors: every topic a record tagged `id` counts for on the map.
    pub fn self_and_ancestors(&self, id: &str) -> Vec<&Topic> {
        let mut chain: Vec<&Topic> = self.get(id).into_iter().collect();
        chain.extend(self.ancestors(id));
        chain
    }

    /// The section or action line (level 1) a topic rolls up to.
    pub fn action_line(&self, id: &str) -> Option<&Topic> {
        self.self_and_ancestors(id).into_iter().last()
    }

    /// The topic's ancestor (or itself) at granularity `level`, if any; a C1 sub-paragraph has
    /// no level-2 ancestor, so at level 2 it rolls up to C1 itself.
    pub fn rolled_up_to(&self, id: &str, level: u8) -> Option<&Topic> {
        self.self_and_ancestors(id)
            .into_iter()
            .find(|t| t.level <= level)
    }

    /// Topics whose id or title (either language) contains every word of the query, ignoring
    /// case and accents; catalogue order. An empty query finds nothing.
    pub fn search(&self, query: &str) -> Vec<&Topic> {
        let words = folded_words(query);
        if words.is_empty() {
            return Vec::new();
        }
        self.haystacks
            .iter()
            .enumerate()
            .filter(|(_, hay)| words.iter().all(|w| hay.contains(w.as_str())))
            .map(|(i, _)| &self.topics[i])
            .collect()
    }
}

#[cfg(test)]
mod tests {
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
    fn search_ignores_accents_and_case_in_both_languages() {
        let ids = |q| {
            wsis()
                .search(q)
                .iter()
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
        };
        assert!(ids("cybersante").contains(&"C7.e-health".to_string()));
        assert!(ids("CYBERSANTÉ").contains(&"C7.e-health".to_string()));
        assert!(ids("e-health").contains(&"C7.e-health".to_string()));
        assert!(ids("capacity building").contains(&"C4".to_string()));
        assert!(ids("renforcement capacites").contains(&"C4".to_string()));
        assert!(ids("").is_empty());
        assert!(ids("zzzz-no-such-topic").is_empty());
    }

    #[test]
    fn provisional_french_titles_are_flagged() {
        assert!(!wsis().get("C7.e-government").unwrap().title_fr_provisional);
        assert!(wsis().get("C4").unwrap().title_fr_provisional);
        assert!(!wsis().get("C4").unwrap().facilitators_since_2006.is_empty());
    }
}
