//! The community as this browser kept it: read back from IndexedDB when the map opens, before
//! any pull, in slices (see [`Slices`]) so that the map fills in while ten thousand files are
//! read, with how many are read so far.

use leptos::prelude::*;
use networkshop_core::Bundle;

use super::arrivals::KeptCopy;
use super::slices::Slices;
use super::{Community, CommunityCache};
use crate::perf;

impl Community {
    /// Loads the community bundles kept from earlier pulls. It runs before any pull (pulls
    /// stand down while the app is loading), so it starts the view afresh.
    pub(super) async fn load_community(self, stored: Vec<String>) {
        let measure = perf::start("networkshop:load-community");
        let mut cache = CommunityCache::default();
        let mut pins = self.pins.get_value();
        let mut believed: Vec<(String, Bundle)> = Vec::new();
        let mut slices = Slices::new();
        let total = stored.len();
        for (done, json) in stored.into_iter().enumerate() {
            if let Ok(stored) = serde_json::from_str::<KeptCopy>(&json) {
                // Kept copies were believed when pulled; a newer catalogue may still refuse one.
                match stored.believe(&pins) {
                    Ok(trusted) => {
                        // Pins lost with a cleared meta store are taken again from the kept copies.
                        pins.pin(&trusted.bundle.author.id, &trusted.public_key);
                        cache.etags.insert(stored.name.clone(), stored.etag);
                        believed.push((stored.name, trusted.bundle));
                    }
                    Err(error) => {
                        cache.rejected.insert(stored.name, error);
                    }
                }
            }
            if slices.over() {
                let show = slices.time_to_show();
                self.merge(std::mem::take(&mut believed), &[], show);
                if show {
                    self.say_progress(done + 1, Some(total));
                }
                slices.next().await;
            }
        }
        self.merge(believed, &[], true);
        self.pins.set_value(pins);
        self.cache.set(cache);
        measure.end();
    }
}
