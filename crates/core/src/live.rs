//! The community view as the map keeps it while bundles keep arriving.
//!
//! The merge is a semilattice, so a bundle that only moves its author forward (a newer
//! profile, newer versions of the same records, more records) is merged in place and the
//! networks index updated from the [`Changes`]: one new bundle costs its own size, not the
//! community's. Anything the semilattice cannot take back — a file removed from the endpoint, a
//! record dropped from a file, an older file replacing a newer one —
//! rebuilds from the current files, so the view always equals a fresh merge of what is
//! published now.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use time::OffsetDateTime;

use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::merge::{Changes, Community, RecordKey};
use crate::networks::Networks;
use crate::record::{AuthorProfile, Record};

mod journal;
mod loading;
use journal::Journal;
pub use loading::{LiveIndexing, LiveLoad};

#[derive(Debug, Clone)]
pub struct LiveCommunity {
    catalogue: &'static Catalogue,
    sources: BTreeMap<String, SourceFile>,
    community: Community,
    networks: Networks,
    journal: Journal,
}

/// One published file as the view keeps it, for a rebuild: its records are the merged view's
/// own (shared, not copied: 200,000 records are held once).
#[derive(Debug, Clone)]
struct SourceFile {
    author: AuthorProfile,
    generated_at: OffsetDateTime,
    records: Vec<Arc<Record>>,
}

impl From<Bundle> for SourceFile {
    fn from(bundle: Bundle) -> SourceFile {
        SourceFile {
            author: bundle.author,
            generated_at: bundle.generated_at,
            records: bundle.records.into_iter().map(Arc::new).collect(),
        }
    }
}

impl SourceFile {
    fn merge_into(&self, community: &mut Community) -> Changes {
        community.add_shared(&self.author, self.generated_at, &self.records)
    }

    /// [`SourceFile::merge_into`] for a view indexed once all its files are in (a load, a
    /// rebuild).
    fn load_into(&self, community: &mut Community) {
        community.add_shared_untracked(&self.author, self.generated_at, &self.records);
    }
}

/// What an update did to the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// Merged in place; these authors and records changed.
    Merged(Changes),
    /// Rebuilt from the current files.
    Rebuilt,
}

impl LiveCommunity {
    pub fn new(catalogue: &'static Catalogue) -> LiveCommunity {
        LiveCommunity {
            catalogue,
            sources: BTreeMap::new(),
            community: Community::new(),
            networks: Networks::new(catalogue),
            journal: Journal::default(),
        }
    }

    /// A view of already validated bundles, by source name.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, Bundle)>,
        catalogue: &'static Catalogue,
    ) -> LiveCommunity {
        let mut live = LiveCommunity::new(catalogue);
        live.sources = sources
            .into_iter()
            .map(|(name, bundle)| (name, SourceFile::from(bundle)))
            .collect();
        live.rebuild();
        live
    }

    pub fn community(&self) -> &Community {
        &self.community
    }

    pub fn networks(&self) -> &Networks {
        &self.networks
    }

    /// The files the view is made of, by name.
    pub fn source_names(&self) -> impl Iterator<Item = &String> {
        self.sources.keys()
    }

    /// The files the view is made of, as bundles (copies, for tests).
    #[cfg(test)]
    fn source_bundles(&self) -> impl Iterator<Item = (&String, Bundle)> {
        self.sources.iter().map(|(name, file)| {
            let records = file.records.iter().map(|r| Record::clone(r)).collect();
            (
                name,
                Bundle::new(file.author.clone(), records, file.generated_at),
            )
        })
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// A number that changes with every update of the view (see [`LiveCommunity::changed_since`]).
    pub fn generation(&self) -> u64 {
        self.journal.generation()
    }

    /// The records an update touched after `generation` (shown, changed or now hidden), or
    /// `None` when the view cannot tell (rebuilt since, or too long ago): look at it all.
    pub fn changed_since(&self, generation: u64) -> Option<BTreeSet<RecordKey>> {
        self.journal.since(generation, usize::MAX)
    }

    /// [`LiveCommunity::changed_since`], `None` also when more than `most` records changed: for
    /// a reader to whom looking each up costs more than one pass over the view.
    pub fn changed_since_at_most(
        &self,
        generation: u64,
        most: usize,
    ) -> Option<BTreeSet<RecordKey>> {
        self.journal.since(generation, most)
    }

    /// [`LiveCommunity::changed_since_at_most`] with the authors whose profile changed: what a
    /// view derived from this one (the map's filtered copy) takes in to follow it.
    pub fn changes_since_at_most(&self, generation: u64, most: usize) -> Option<Changes> {
        self.journal.changes_since(generation, most)
    }

    /// Puts the current version of one source file (already validated).
    pub fn upsert(&mut self, source: &str, bundle: Bundle) -> Update {
        let in_place = self.merges_in_place(self.sources.get(source), &bundle);
        let file = SourceFile::from(bundle);
        let changes = in_place.then(|| file.merge_into(&mut self.community));
        self.sources.insert(source.to_owned(), file);
        if let Some(changes) = changes {
            self.networks.apply(&self.community, &changes);
            self.journal.merged(&changes);
            Update::Merged(changes)
        } else {
            self.rebuild();
            Update::Rebuilt
        }
    }

    /// Forgets a source file that is no longer published.
    pub fn remove(&mut self, source: &str) -> Update {
        if self.sources.remove(source).is_some() {
            self.rebuild();
            Update::Rebuilt
        } else {
            Update::Merged(Changes::default())
        }
    }

    /// Whether merging `new` in place shows what a fresh merge of the current files would:
    /// the same author, no older profile, every old record still there, unchanged or at a later
    /// version. Other authors' bundles never matter: no bundle touches another author's records.
    fn merges_in_place(&self, old: Option<&SourceFile>, new: &Bundle) -> bool {
        let Some(old) = old else {
            return true;
        };
        if old.author.id != new.author.id || new.generated_at < old.generated_at {
            return false;
        }
        let newer: BTreeMap<_, _> = new.records.iter().map(|r| (r.id, r)).collect();
        let records_move_forward = old.records.iter().all(|before| {
            newer.get(&before.id).is_some_and(|after| {
                after.version_key() > before.version_key() || *after == &**before
            })
        });
        // Same timestamp with another profile: the tie-break may pick the old one.
        records_move_forward && (new.generated_at > old.generated_at || new.author == old.author)
    }

    fn rebuild(&mut self) {
        let mut community = Community::new();
        for file in self.sources.values() {
            file.load_into(&mut community);
        }
        self.networks = Networks::build(&community, self.catalogue);
        self.community = community;
        self.journal.rebuilt();
    }
}

#[cfg(test)]
mod tests;
