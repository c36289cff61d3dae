//! The listing of the stored bundles and their strong ETags, derived from the bytes on disk.

use std::fs;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{author_of_file_name, BundleStore};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub author: String,
    pub size: u64,
    pub etag: String,
    /// RFC 3339, UTC.
    pub modified: String,
}

pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

impl BundleStore {
    /// The listing with each file's bytes as read for its ETag, so the two always match.
    pub fn list_with_contents(&self) -> std::io::Result<Vec<(Listed, Vec<u8>)>> {
        let mut listed = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(author) = author_of_file_name(&name) else {
                continue;
            };
            let metadata = entry.metadata()?;
            if !metadata.is_file() {
                continue;
            }
            let bytes = fs::read(entry.path())?;
            let modified = metadata
                .modified()
                .ok()
                .map(time::OffsetDateTime::from)
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default();
            listed.push((
                Listed {
                    author: author.to_owned(),
                    name,
                    size: bytes.len() as u64,
                    etag: etag_of(&bytes),
                    modified,
                },
                bytes,
            ));
        }
        listed.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(listed)
    }
}

/// `If-Match` may list several ETags, or be `*`.
pub(super) fn etag_list_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate == etag)
}
