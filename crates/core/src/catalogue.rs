//! The topic catalogue of the Geneva Plan of Action (WSIS-03/GENEVA/DOC/5).
//!
//! The data lives in `data/topics.json`, written from `shared/reference/wsis-topics.json`; ids
//! follow the official lettering and never change once published, because every record and
//! every bundle refers to topics by id.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use search::SearchIndex;

mod sdgs;
mod search;
mod synonyms;

pub use sdgs::{Sdg, SDGS};

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
    /// A shorter title, condensed from an official heading too long for a map's block, where
    /// one is needed; otherwise the title is short enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_fr: Option<String>,
    /// The English title is condensed from the paragraph text (the source letters, not titles).
    /// Like `source`, not carried to the browser (see `build.rs`).
    #[serde(default)]
    pub title_en_condensed: bool,
    /// The French title is our translation, to be shown as provisional until checked.
    pub title_fr_provisional: bool,
    /// Paragraph of the Plan of Action the topic comes from.
    #[serde(default)]
    pub source: String,
    /// Facilitators were assigned in 2006, after the process this tool serves: later information.
    /// The data repeats a line's facilitators on its sub-paragraphs; read them through
    /// [`Catalogue::facilitators`], which answers the same natively and in the browser (whose
    /// copy keeps them only where they were designated, see `build.rs`).
    #[serde(default)]
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

    /// The title for a small space: the short title where the catalogue has one.
    pub fn short_title(&self, lang: Lang) -> &str {
        let short = match lang {
            Lang::Fr => &self.short_fr,
            Lang::En => &self.short_en,
        };
        short.as_deref().unwrap_or_else(|| self.title(lang))
    }
}

/// The year the facilitators were designated (the follow-up meeting of 24 February 2006, after
/// the Tunis Agenda). The process this tool serves (2004–2005) had none: a view names them as
/// designated in this year, never as part of that process.
pub const FACILITATORS_DESIGNATED_IN: i32 = 2006;

/// Whether facilitators were designated for `topic` itself: the action lines and C7's
/// e-applications. `build.rs` keeps the field in the browser's copy by the same rule (a build
/// script cannot call the crate it builds); a test compares the two.
pub fn designates_facilitators(topic: &Topic) -> bool {
    topic.level == 1 || (topic.level == 2 && topic.parent.as_deref() == Some("C7"))
}

/// The languages the catalogue carries titles in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

/// The most topics a catalogue holds: the networks index keeps a record's topics as bits at
/// their positions (the Plan of Action has 169).
pub const MOST_TOPICS: usize = 256;

/// The catalogue with its indexes; build it once (see [`Catalogue::wsis`]).
#[derive(Debug)]
pub struct Catalogue {
    topics: Vec<Topic>,
    /// Fx rather than SipHash: only the catalogue's own ids are ever inserted, so a hostile
    /// bundle's topic strings can look up but never fill a bucket; each record's topics are
    /// looked up several times when the map indexes them.
    by_id: FxHashMap<String, usize>,
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// Made at the first search: folding every title took the map's first task 30 ms in the
    /// browser, and the map never searches.
    index: OnceLock<SearchIndex>,
}

static WSIS: OnceLock<Catalogue> = OnceLock::new();

impl Catalogue {
    /// The WSIS Geneva Plan of Action catalogue shipped with the crate.
    pub fn wsis() -> &'static Catalogue {
        WSIS.get_or_init(|| {
            let topics: Vec<Topic> =
                serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/topics.json")))
                    .expect("data/topics.json is checked by the catalogue tests");
            Catalogue::new(topics)
        })
    }

    /// # Panics
    /// With more than [`MOST_TOPICS`] topics.
    pub fn new(topics: Vec<Topic>) -> Catalogue {
        assert!(
            topics.len() <= MOST_TOPICS,
            "a catalogue holds at most {MOST_TOPICS} topics"
        );
        let by_id: FxHashMap<String, usize> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let parents: Vec<Option<usize>> = topics
            .iter()
            .map(|t| t.parent.as_ref().and_then(|p| by_id.get(p)).copied())
            .collect();
        let mut children = vec![Vec::new(); topics.len()];
        for (i, parent) in parents.iter().enumerate() {
            if let Some(parent) = parent {
                children[*parent].push(i);
            }
        }
        Catalogue {
            topics,
            by_id,
            parents,
            children,
            index: OnceLock::new(),
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
        self.lineage(id).skip(1).collect()
    }

    /// The topic and its ancestors: every topic a record tagged `id` counts for on the map.
    pub fn self_and_ancestors(&self, id: &str) -> Vec<&Topic> {
        self.lineage(id).collect()
    }

    /// [`Catalogue::self_and_ancestors`] without collecting them (the map walks it for every
    /// topic of every record); empty for an id the catalogue does not hold.
    /// The positions of the topic at `position` and its ancestors, nearest first.
    pub fn lineage_at(&self, position: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(position), |&i| self.parents[i])
    }

    pub fn lineage(&self, id: &str) -> impl Iterator<Item = &Topic> {
        std::iter::successors(self.position(id), |&i| self.parents[i]).map(|i| &self.topics[i])
    }

    /// The section or action line (level 1) a topic rolls up to.
    pub fn action_line(&self, id: &str) -> Option<&Topic> {
        self.self_and_ancestors(id).into_iter().last()
    }

    /// The facilitators designated in [`FACILITATORS_DESIGNATED_IN`] for an action line or one of
    /// C7's e-applications, as the catalogue names them ("WHO (lead)"); empty for other topics,
    /// whose facilitators are their line's or e-application's.
    pub fn facilitators(&self, id: &str) -> &[String] {
        match self.get(id) {
            Some(topic) if designates_facilitators(topic) => &topic.facilitators_since_2006,
            _ => &[],
        }
    }

    /// The topic's ancestor (or itself) at granularity `level`, if any; a C1 sub-paragraph has
    /// no level-2 ancestor, so at level 2 it rolls up to C1 itself.
    pub fn rolled_up_to(&self, id: &str, level: u8) -> Option<&Topic> {
        self.self_and_ancestors(id)
            .into_iter()
            .find(|t| t.level <= level)
    }
}

#[cfg(test)]
mod tests;
