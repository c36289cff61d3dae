//! Topic search for the topic picker, typed on a phone in French or English: blind to accents,
//! case and hyphens, and ranked so that the topic the user most likely means comes first.

use rustc_hash::FxHashMap;

use super::synonyms::SYNONYMS;
use super::{Catalogue, Topic};
use crate::text::{fold, folded_words};

/// Why a topic matched, best first: the derived order is the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Id,
    /// The query is a whole title: "Coopération internationale et régionale" is C11 even
    /// though C4.m, earlier in the catalogue, starts the same way.
    Title,
    /// The query is a synonym; it outranks titles that merely start with it, so that
    /// "formation" gives C4 before "Formation et sensibilisation des utilisateurs…".
    Synonym,
    TitleStart,
    /// Every query word is a word of one title.
    Words,
    /// Any other match: the words inside id or titles (what the search found before it
    /// ranked), the squashed query from any word of a title on, or the start of a synonym.
    Other,
}

/// Folded, squashed forms computed once per catalogue, so a keystroke only compares strings.
#[derive(Debug)]
pub(super) struct SearchIndex {
    entries: Vec<Entry>,
    /// Squashed synonym, and the position of the topic it names.
    synonyms: Vec<(String, usize)>,
}

#[derive(Debug)]
struct Entry {
    /// Folded "id title_en title_fr".
    haystack: String,
    titles: [Title; 2],
}

#[derive(Debug)]
struct Title {
    words: Vec<String>,
    /// The words run together, so that "e-health", "ehealth" and "E Health" all meet
    /// "E-health", and "cybersante" meets "Cybersanté".
    squashed: String,
    /// Where each word begins in `squashed`.
    starts: Vec<usize>,
    /// Where the title proper begins in `squashed`: after a French article, so that
    /// "accès à l'information" starts "L'accès à l'information et au savoir".
    opening: usize,
}

/// Folded, with everything but letters and digits removed.
fn squash(text: &str) -> String {
    folded_words(text).concat()
}

impl Title {
    fn new(text: &str) -> Title {
        let words = folded_words(text);
        let mut squashed = String::new();
        let mut starts = Vec::with_capacity(words.len());
        for word in &words {
            starts.push(squashed.len());
            squashed.push_str(word);
        }
        let opening = match words.first().map(String::as_str) {
            Some("l" | "le" | "la" | "les") => words[0].len(),
            _ => 0,
        };
        Title {
            words,
            squashed,
            starts,
            opening,
        }
    }

    fn rank(&self, query: &[String], squashed: &str) -> Option<Rank> {
        let proper = &self.squashed[self.opening..];
        if proper == squashed || self.squashed == squashed {
            Some(Rank::Title)
        } else if proper.starts_with(squashed) || self.squashed.starts_with(squashed) {
            Some(Rank::TitleStart)
        } else if query.iter().all(|w| self.words.contains(w)) {
            Some(Rank::Words)
        } else if self
            .starts
            .iter()
            .any(|&s| self.squashed[s..].starts_with(squashed))
        {
            Some(Rank::Other)
        } else {
            None
        }
    }
}

impl SearchIndex {
    pub(super) fn new(topics: &[Topic], by_id: &FxHashMap<String, usize>) -> SearchIndex {
        let entries = topics
            .iter()
            .map(|t| Entry {
                haystack: fold(&format!("{} {} {}", t.id, t.title_en, t.title_fr)),
                titles: [Title::new(&t.title_en), Title::new(&t.title_fr)],
            })
            .collect();
        // A catalogue other than the WSIS one simply lacks some of the targets.
        let synonyms = SYNONYMS
            .iter()
            .filter_map(|(id, phrases)| Some((*by_id.get(*id)?, *phrases)))
            .flat_map(|(i, phrases)| phrases.iter().map(move |p| (squash(p), i)))
            .collect();
        SearchIndex { entries, synonyms }
    }
}

impl Catalogue {
    /// Topics whose id, title (either language) or synonym matches the query, ignoring case,
    /// accents and hyphens; best match first (see [`Rank`]), catalogue order within a rank.
    /// A query without letters or digits finds nothing.
    pub fn search(&self, query: &str) -> Vec<&Topic> {
        self.ranked(query)
            .into_iter()
            .map(|(_, i)| &self.topics[i])
            .collect()
    }

    fn search_index(&self) -> &SearchIndex {
        self.index
            .get_or_init(|| SearchIndex::new(&self.topics, &self.by_id))
    }

    fn ranked(&self, query: &str) -> Vec<(Rank, usize)> {
        let words = folded_words(query);
        let squashed = words.concat();
        if squashed.is_empty() {
            return Vec::new();
        }
        let id = query.trim();
        let index = self.search_index();
        let synonym = |i: usize| {
            index
                .synonyms
                .iter()
                .filter(|(phrase, target)| *target == i && phrase.starts_with(&squashed))
                .map(|(phrase, _)| {
                    if phrase.len() == squashed.len() {
                        Rank::Synonym
                    } else {
                        Rank::Other
                    }
                })
                .min()
        };
        let mut hits: Vec<(Rank, usize)> = index
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                let in_haystack = words.iter().all(|w| entry.haystack.contains(w.as_str()));
                [
                    self.topics[i]
                        .id
                        .eq_ignore_ascii_case(id)
                        .then_some(Rank::Id),
                    entry.titles[0].rank(&words, &squashed),
                    entry.titles[1].rank(&words, &squashed),
                    synonym(i),
                    in_haystack.then_some(Rank::Other),
                ]
                .into_iter()
                .flatten()
                .min()
                .map(|rank| (rank, i))
            })
            .collect();
        // Stable: catalogue order within a rank.
        hits.sort_by_key(|&(rank, _)| rank);
        hits
    }
}

#[cfg(test)]
mod tests;
