//! One pull's answers on their way into the live view: each file believed or refused (see the
//! core's `trust`), the believed ones batched with their copies for IndexedDB.

use networkshop_core::trust::{accept_published, KeyPins};
use networkshop_core::Bundle;
use serde::{Deserialize, Serialize};

use super::CommunityCache;
use crate::sync::{Fetched, SyncError};

/// Pulled files not yet merged: the parsed bundles and their copies for IndexedDB.
#[derive(Default)]
pub(super) struct Arrivals {
    pub(super) arrived: Vec<(String, Bundle)>,
    pub(super) to_keep: Vec<(String, String)>,
    /// (author, key) pinned by this pull for the first time.
    pub(super) pinned: Vec<(String, String)>,
}

impl Arrivals {
    /// Takes one answer: a believed bundle joins the batch and its key is pinned on first
    /// sight; a refused one is listed with its reason, and the version shown before (if any)
    /// stays. A network or server error is handed back (the pull stops there).
    pub(super) fn take(
        &mut self,
        cache: &mut CommunityCache,
        pins: &mut KeyPins,
        name: &str,
        answer: Result<Fetched, SyncError>,
    ) -> Option<SyncError> {
        match answer {
            Ok(Fetched::Body { bytes, etag }) => match accept_published(name, &bytes, pins) {
                Ok(trusted) => {
                    if pins.pin(&trusted.bundle.author.id, &trusted.public_key) {
                        self.pinned
                            .push((trusted.bundle.author.id.clone(), trusted.public_key.clone()));
                    }
                    let stored = StoredBundle {
                        name: name.to_owned(),
                        etag: etag.clone(),
                        // Believed files are UTF-8: strict decoding checked it.
                        text: String::from_utf8(bytes).unwrap_or_default(),
                    };
                    self.to_keep.push((
                        name.to_owned(),
                        serde_json::to_string(&stored).unwrap_or_default(),
                    ));
                    cache.rejected.remove(name);
                    cache.etags.insert(name.to_owned(), etag);
                    self.arrived.push((name.to_owned(), trusted.bundle));
                }
                Err(error) => {
                    cache.rejected.insert(name.to_owned(), error);
                }
            },
            Ok(Fetched::Unchanged | Fetched::Missing) => {}
            Err(error) => return Some(error),
        }
        None
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredBundle {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    pub(super) text: String,
}
