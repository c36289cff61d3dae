//! The listing of the stored bundles and their strong ETags, derived from the bytes stored.

use std::io;
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::{stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::changes::PARALLEL_READS;
use super::{author_of_file_name, bundle_key, BundleStore};
use crate::objects::{list_all, Objects, Stored};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub author: String,
    pub size: u64,
    pub etag: String,
    /// RFC 3339, UTC.
    pub modified: String,
}

impl Listed {
    pub(super) fn of(author: &str, stored: &Stored) -> Listed {
        Listed {
            name: format!("{author}.json"),
            author: author.to_owned(),
            size: stored.bytes.len() as u64,
            etag: etag_of(&stored.bytes),
            modified: rfc3339(stored.modified),
        }
    }
}

fn rfc3339(time: Option<SystemTime>) -> String {
    time.map(time::OffsetDateTime::from)
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// A bundle as a listing gives it: its entry, its bytes, and the store's version of them.
/// Shared, so a checkpoint held in memory lends its files to each listing without copies.
pub type Current = (Listed, Arc<Vec<u8>>, String);

impl<O: Objects> BundleStore<O> {
    /// The listing with each file's bytes as read for its ETag, so the two always match.
    ///
    /// A local folder is read whole (an operator may have changed it by hand); a bucket is
    /// never listed per request: its latest checkpoint, held in memory, plus the files
    /// changed since.
    pub async fn list_with_contents(&self) -> io::Result<Vec<(Listed, Arc<Vec<u8>>)>> {
        let current = if O::LISTING_IS_LOCAL {
            self.read_every_bundle(|_| None).await?
        } else {
            self.snapshot().await?
        };
        Ok(current.into_iter().map(|(l, b, _)| (l, b)).collect())
    }

    /// The authors' files as they are now, one read each, in parallel.
    pub(super) async fn read_current(&self, authors: &[String]) -> io::Result<Vec<Current>> {
        let read: Vec<Option<Current>> = self.current_files(authors.to_vec()).try_collect().await?;
        Ok(read.into_iter().flatten().collect())
    }

    /// [`BundleStore::read_current`] as a stream, each file as soon as it is read (in the
    /// authors' order; `None` for one no longer stored), so an answer can start before the
    /// last is read.
    pub fn current_files(
        &self,
        authors: Vec<String>,
    ) -> impl futures_util::Stream<Item = io::Result<Option<Current>>> + Send + 'static {
        let objects = self.objects.clone();
        stream::iter(authors)
            .map(move |author| {
                let objects = objects.clone();
                async move {
                    let stored = objects.get(&bundle_key(&author)).await?;
                    Ok::<_, io::Error>(
                        stored.map(|s| (Listed::of(&author, &s), Arc::new(s.bytes), s.version)),
                    )
                }
            })
            .buffered(PARALLEL_READS)
    }

    /// Every bundle the store lists, sorted by name; `known` gives one already held when the
    /// listing says its version has not changed, sparing its read.
    pub(super) async fn read_every_bundle(
        &self,
        known: impl Fn(&crate::objects::Entry) -> Option<Current>,
    ) -> io::Result<Vec<Current>> {
        let listed = list_all(&self.objects, "bundles", "").await?;
        let mut kept = Vec::new();
        let mut to_read = Vec::new();
        for entry in &listed {
            let Some(author) = author_of_file_name(&entry.name) else {
                continue;
            };
            match known(entry) {
                Some(current) => kept.push(current),
                None => to_read.push(author.to_owned()),
            }
        }
        kept.extend(self.read_current(&to_read).await?);
        kept.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(kept)
    }
}

/// `If-Match` may list several ETags, or be `*`.
pub(super) fn etag_list_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate == etag)
}
