//! A live view made of many files at once: the kept copies read back when the map opens
//! again. Merged file by file with the index kept in step after each, 10,000 files cost twice
//! what one merge and an index built in bulk cost (`cargo bench -p networkshop-core --bench
//! merge`, "live view, bundle by bundle" against "all at once"); so the files are merged as
//! they come, indexed once they are all in, a part at a time so that the browser gets its turn
//! between parts, and the view is handed over whole. A first visit's pull does the same with
//! the files that come faster than it could merge them one by one ([`LiveLoad::going_on_from`]).

use std::collections::BTreeMap;

use super::{Journal, LiveCommunity, SourceFile};
use crate::bundle::Bundle;
use crate::catalogue::Catalogue;
use crate::merge::Community;
use crate::networks::IndexBuild;

/// Files being gathered into a view.
pub struct LiveLoad {
    catalogue: &'static Catalogue,
    sources: BTreeMap<String, SourceFile>,
    community: Community,
    /// A file came twice: its first copy's records are in `community`, which is merged again
    /// from the files before indexing.
    replaced: bool,
}

/// The gathered files' view, its index being built.
pub struct LiveIndexing {
    load: LiveLoad,
    index: IndexBuild,
}

impl LiveLoad {
    pub fn new(catalogue: &'static Catalogue) -> LiveLoad {
        LiveLoad {
            catalogue,
            sources: BTreeMap::new(),
            community: Community::new(),
            replaced: false,
        }
    }

    /// A load that goes on from `live`'s files, merged again here (their records shared, not
    /// copied), while `live` stays as it is: a first visit's pull, once the files come faster
    /// than it merges them into the view file by file, gathers the rest here and hands the map
    /// the whole view at the end.
    pub fn going_on_from(live: &LiveCommunity) -> LiveLoad {
        let mut load = LiveLoad::new(live.catalogue);
        for (name, file) in &live.sources {
            file.load_into(&mut load.community);
            load.sources.insert(name.clone(), file.clone());
        }
        load
    }

    /// Adds one file (already validated); a second file of the same name replaces the first,
    /// as [`LiveCommunity::upsert`] would.
    pub fn add(&mut self, source: String, bundle: Bundle) {
        let file = SourceFile::from(bundle);
        if !self.replaced {
            file.load_into(&mut self.community);
        }
        self.replaced |= self.sources.insert(source, file).is_some();
    }

    /// Every file is in: the index is built next.
    pub fn indexing(mut self) -> LiveIndexing {
        if self.replaced {
            self.community = Community::new();
            for file in self.sources.values() {
                file.load_into(&mut self.community);
            }
        }
        let index = IndexBuild::new(self.catalogue);
        LiveIndexing { load: self, index }
    }
}

impl LiveIndexing {
    /// Indexes up to `most` more records; true once every record is.
    pub fn step(&mut self, most: usize) -> bool {
        self.index.step(&self.load.community, most)
    }

    /// The view, equal to [`LiveCommunity::from_sources`] of the files (whatever is left to
    /// index is indexed now). Readers of its generation look at all of it.
    pub fn finish(mut self) -> LiveCommunity {
        self.step(usize::MAX);
        let mut journal = Journal::default();
        journal.rebuilt();
        LiveCommunity {
            catalogue: self.load.catalogue,
            sources: self.load.sources,
            community: self.load.community,
            networks: self.index.finish(),
            journal,
        }
    }
}
