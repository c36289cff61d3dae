//! One pull's answers on their way into the live view: each file believed or refused (see the
//! core's `trust`), the believed ones batched with their copies for IndexedDB.

use networkshop_core::kept_form;
use networkshop_core::trust::Trusted;
use networkshop_core::trust::{
    accept_kept, accept_kept_signed_by, accept_kept_valid, accept_published, KeyPins,
};
use networkshop_core::validate::RULES;
use networkshop_core::{Bundle, BundleError};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::kept_pack::KeptFile;
use super::CommunityCache;
use crate::sync::{Fetched, SyncError};

/// Pulled files not yet merged: the parsed bundles and their copies for IndexedDB.
#[derive(Default)]
pub(super) struct Arrivals {
    pub(super) arrived: Vec<(String, Bundle)>,
    /// Their copies for IndexedDB (see `kept_pack`).
    pub(super) to_keep: Vec<KeptFile>,
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
            Ok(Fetched::Body { bytes, etag }) => {
                let believed = accept_published(name, &bytes, pins);
                self.take_believed(cache, pins, name, etag, believed);
            }
            Ok(Fetched::Unchanged | Fetched::Missing) => {}
            Err(error) => return Some(error),
        }
        None
    }

    /// Takes a file the believer worker checked: signed by `verdict`'s key, it is read the
    /// cheap way (the strict pass and the signature are done) and checked against the pins;
    /// refused, it is listed with the worker's reason.
    pub(super) fn take_checked(
        &mut self,
        cache: &mut CommunityCache,
        pins: &mut KeyPins,
        name: &str,
        (bytes, etag): (Vec<u8>, Option<String>),
        verdict: Result<String, BundleError>,
    ) {
        let believed = verdict.and_then(|key| accept_kept_signed_by(name, &bytes, &key, pins));
        self.take_believed(cache, pins, name, etag, believed);
    }

    fn take_believed(
        &mut self,
        cache: &mut CommunityCache,
        pins: &mut KeyPins,
        name: &str,
        etag: Option<String>,
        believed: Result<Trusted, BundleError>,
    ) {
        match believed {
            Ok(trusted) => {
                if pins.pin(&trusted.bundle.author.id, &trusted.public_key) {
                    self.pinned
                        .push((trusted.bundle.author.id.clone(), trusted.public_key.clone()));
                }
                self.to_keep.push(KeptFile {
                    name: name.to_owned(),
                    etag: etag.clone(),
                    key: trusted.public_key.clone(),
                    kept: kept_form::keep(&trusted.bundle),
                });
                cache.rejected.remove(name);
                cache.etags.insert(name.to_owned(), etag);
                self.arrived.push((name.to_owned(), trusted.bundle));
            }
            Err(error) => {
                cache.rejected.insert(name.to_owned(), error);
            }
        }
    }
}

/// The file a kept copy of an earlier build is of (see `kept_pack`), read from its first member
/// where that is its name, without the rest; a copy written otherwise is read whole.
pub(super) fn kept_name(copy: &str) -> Option<String> {
    let written_here = copy
        .strip_prefix(r#"{"name":"#)
        .and_then(|rest| String::deserialize(&mut serde_json::Deserializer::from_str(rest)).ok());
    written_here.or_else(|| serde_json::from_str::<KeptCopy>(copy).ok().map(|c| c.name))
}

/// A kept copy of an earlier build, as read back: the file as its `bundle` member with its
/// `key`, or, earlier still, its `text` (the file as a string), which is read the slow way.
#[derive(Deserialize)]
pub(super) struct KeptCopy<'a> {
    pub(super) name: String,
    pub(super) etag: Option<String>,
    #[serde(default)]
    key: Option<String>,
    /// The checks it passed, from this build's copies on.
    #[serde(default)]
    rules: Option<String>,
    #[serde(default, borrow)]
    bundle: Option<&'a RawValue>,
    #[serde(default)]
    text: Option<String>,
}

impl KeptCopy<'_> {
    /// Believed again as [`accept_kept_valid`] (checked by the same rules when it arrived),
    /// [`accept_kept_signed_by`] or [`accept_kept`] say.
    pub(super) fn believe(&self, pins: &KeyPins) -> Result<Trusted, BundleError> {
        match (&self.key, self.bundle, &self.text) {
            (Some(key), Some(bundle), _) if self.rules.as_deref() == Some(RULES) => {
                accept_kept_valid(&self.name, bundle.get().as_bytes(), key, pins)
            }
            (Some(key), Some(bundle), _) => {
                accept_kept_signed_by(&self.name, bundle.get().as_bytes(), key, pins)
            }
            (_, _, Some(text)) => accept_kept(&self.name, text.as_bytes(), pins),
            _ => Err(BundleError::NotABundle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_builds_copy_reads_back() {
        let text = r#"{"format":"networkshop.bundle","records":[]}"#;
        let json = format!(
            r#"{{"name":"a\"b.json","etag":"\"e1\"","key":"k","rules":"{RULES}","bundle":{text}}}"#
        );
        let copy: KeptCopy = serde_json::from_str(&json).unwrap();
        assert_eq!(copy.name, "a\"b.json");
        assert_eq!(copy.etag.as_deref(), Some("\"e1\""));
        assert_eq!(copy.key.as_deref(), Some("k"));
        assert_eq!(copy.bundle.map(RawValue::get), Some(text));
        assert_eq!(copy.rules.as_deref(), Some(RULES));
        assert_eq!(kept_name(&json).as_deref(), Some("a\"b.json"));
        let earlier_build = r#"{"etag":null,"name":"c.json","text":"{}"}"#;
        assert_eq!(kept_name(earlier_build).as_deref(), Some("c.json"));
        let none: KeptCopy = serde_json::from_str(earlier_build).unwrap();
        assert_eq!(none.etag, None);
    }
}
