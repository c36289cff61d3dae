//! Which published files a reader believes, and for whom they speak.
//!
//! On the project's endpoint a write token binds a file to its author; on a WebDAV server or a
//! shared folder anyone can write any file. So a reader trusts a file only when it is signed,
//! it is named after the author it speaks for, and its key is the one that author's files were
//! signed with when this reader first saw them (trust on first use, as SSH does with hosts).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::bundle::{
    bundle_from_value, check_header, decode_value, validated, Bundle, BundleError, BUNDLE_FORMAT,
    BUNDLE_VERSION, MAX_BUNDLE_BYTES, MAX_RECORDS_PER_BUNDLE,
};
use crate::catalogue::Catalogue;
use crate::signing::{self, SignatureProblem, SignedMessage};

/// Author id → the public key pinned for them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyPins(BTreeMap<String, String>);

impl KeyPins {
    pub fn get(&self, author: &str) -> Option<&str> {
        self.0.get(author).map(String::as_str)
    }

    /// Pins `key` for `author` unless a key is pinned already; true when the pins changed.
    pub fn pin(&mut self, author: &str, key: &str) -> bool {
        if self.0.contains_key(author) {
            return false;
        }
        self.0.insert(author.to_owned(), key.to_owned());
        true
    }

    /// Forgets `author`'s key, so the next file seen for them is pinned: a facilitator's
    /// decision, after checking with the person (who lost their key and had no backup).
    pub fn forget(&mut self, author: &str) {
        self.0.remove(author);
    }
}

/// A published file a reader believes, with the key that signed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trusted {
    pub bundle: Bundle,
    pub public_key: String,
}

/// The author id a file named `source` may speak for: `alice.json` and `alice` name `alice`.
pub fn author_of_source(source: &str) -> &str {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.strip_suffix(".json").unwrap_or(name)
}

/// Decodes, validates and authenticates the published file `source`. It does not pin: the
/// caller pins [`Trusted::public_key`] once it keeps the bundle.
pub fn accept_published(
    source: &str,
    bytes: &[u8],
    pins: &KeyPins,
) -> Result<Trusted, BundleError> {
    accept(source, bytes, pins, signing::verify)
}

/// A copy this reader kept after [`accept_published`] believed it: every check again (a newer
/// catalogue, a pin forgotten since) but the signature's arithmetic, which would be most of
/// the cost of opening a big map from storage.
pub fn accept_kept(source: &str, bytes: &[u8], pins: &KeyPins) -> Result<Trusted, BundleError> {
    accept(source, bytes, pins, signing::claimed_key)
}

/// A copy this reader kept after [`accept_published`] believed it, signed (it said then) by
/// `public_key`: read as the bundle it is, without the strict JSON pass and the signature,
/// which it passed when it arrived, and checked again for what may have changed since (the
/// catalogue, its name, the pin). Opening a map of 200,000 records from storage is mostly
/// this. A copy in an older format goes through [`accept_kept`], which migrates it.
pub fn accept_kept_signed_by(
    source: &str,
    bytes: &[u8],
    public_key: &str,
    pins: &KeyPins,
) -> Result<Trusted, BundleError> {
    read_kept(source, bytes, public_key, pins, true)
}

/// [`accept_kept_signed_by`] for a copy this build's rules found valid when it arrived (kept
/// with [`crate::validate::RULES`], the caller compares): not checked again, still named and
/// pinned. Checking was a tenth of opening a map of 200,000 records from storage.
pub fn accept_kept_valid(
    source: &str,
    bytes: &[u8],
    public_key: &str,
    pins: &KeyPins,
) -> Result<Trusted, BundleError> {
    read_kept(source, bytes, public_key, pins, false)
}

/// A copy this reader kept in the kept form ([`crate::kept_form`]), read back as `bundle`,
/// after it believed the file signed by `public_key` and valid by the rules `rules` names:
/// checked again only when those are not this build's ([`crate::validate::RULES`]), and named
/// and pinned again. A bundle of another version (kept by another build) is read as its JSON,
/// which migrates it.
pub fn accept_kept_bundle(
    source: &str,
    bundle: Bundle,
    public_key: &str,
    rules: &str,
    pins: &KeyPins,
) -> Result<Trusted, BundleError> {
    if bundle.format != BUNDLE_FORMAT || bundle.version != BUNDLE_VERSION {
        return accept_kept(source, bundle.to_json().as_bytes(), pins);
    }
    believed_again(
        source,
        bundle,
        public_key,
        pins,
        rules != crate::validate::RULES,
    )
}

/// A kept copy read as the bundle it is, checked by the rules when `check`; a copy in an older
/// format goes through [`accept_kept`], which migrates it.
fn read_kept(
    source: &str,
    bytes: &[u8],
    public_key: &str,
    pins: &KeyPins,
    check: bool,
) -> Result<Trusted, BundleError> {
    let bundle = match serde_json::from_slice::<Bundle>(bytes) {
        Ok(bundle) if bundle.format == BUNDLE_FORMAT && bundle.version == BUNDLE_VERSION => bundle,
        _ => return accept_kept(source, bytes, pins),
    };
    believed_again(source, bundle, public_key, pins, check)
}

/// A kept bundle of this version believed again: checked by the rules when `check`, named and
/// pinned.
fn believed_again(
    source: &str,
    bundle: Bundle,
    public_key: &str,
    pins: &KeyPins,
    check: bool,
) -> Result<Trusted, BundleError> {
    let bundle = if check {
        validated(bundle, Catalogue::wsis())?
    } else {
        bundle
    };
    believed(source, bundle, public_key.to_owned(), pins)
}

/// The key a published file is signed by, checked as [`accept_published`] checks it (strict
/// JSON, its header, the signature's arithmetic) but not read as a bundle: the believer
/// worker's share of believing a file. [`accept_kept_signed_by`] with this key does the rest,
/// and the two together answer as [`accept_published`] does.
pub fn published_signing_key(bytes: &[u8]) -> Result<String, BundleError> {
    published_signature(bytes)?
        .verify()
        .map_err(signature_error)
}

/// [`published_signing_key`] up to the signature's arithmetic: the file's signature and the
/// bytes it covers, or why it is refused before any arithmetic.
pub fn published_signature(bytes: &[u8]) -> Result<SignedMessage, BundleError> {
    match scanned_signature(bytes) {
        Some(answer) => answer,
        None => read_signature(bytes),
    }
}

/// [`published_signature`] by reading the file into a tree of values: any file.
fn read_signature(bytes: &[u8]) -> Result<SignedMessage, BundleError> {
    let value = decode_value(bytes)?;
    check_header(&value)?;
    let canonical = signing::canonical_bytes(&value);
    signing::signed_message(value.get(signing::SIGNATURE_MEMBER), canonical)
        .map_err(signature_error)
}

/// [`published_signature`] of a file of the common shape, its canonical bytes written
/// straight from its text (`signing::scan`); `None` for any other, which [`read_signature`]
/// judges (and so every refusal's reason, with its place, is the one it gives).
fn scanned_signature(bytes: &[u8]) -> Option<Result<SignedMessage, BundleError>> {
    if bytes.len() > MAX_BUNDLE_BYTES || std::str::from_utf8(bytes).is_err() {
        return None;
    }
    let scanned = signing::scan(bytes)?;
    if scanned
        .records
        .is_some_and(|count| count > MAX_RECORDS_PER_BUNDLE)
    {
        return None;
    }
    let member = |text: Option<&[u8]>| -> Option<Option<Value>> {
        text.map(serde_json::from_slice).transpose().ok()
    };
    // The header as `check_header` reads it: the members it looks at (the records' count is
    // within its limit here).
    let mut header = Map::new();
    for (name, text) in [("format", scanned.format), ("version", scanned.version)] {
        if let Some(value) = member(text)? {
            header.insert(name.to_owned(), value);
        }
    }
    if let Err(error) = check_header(&Value::Object(header)) {
        return Some(Err(error));
    }
    let signature = member(scanned.signature)?;
    Some(signing::signed_message(signature.as_ref(), scanned.canonical).map_err(signature_error))
}

fn signature_error(problem: SignatureProblem) -> BundleError {
    match problem {
        SignatureProblem::Unsigned => BundleError::Unsigned,
        SignatureProblem::Bad => BundleError::BadSignature,
    }
}

fn believed(
    source: &str,
    bundle: Bundle,
    public_key: String,
    pins: &KeyPins,
) -> Result<Trusted, BundleError> {
    let author = bundle.author.id.clone();
    if author_of_source(source) != author {
        return Err(BundleError::WrongFileName { author });
    }
    if pins.get(&author).is_some_and(|pinned| pinned != public_key) {
        return Err(BundleError::KeyChanged { author });
    }
    Ok(Trusted { bundle, public_key })
}

fn accept(
    source: &str,
    bytes: &[u8],
    pins: &KeyPins,
    signer: fn(&serde_json::Value) -> Result<String, SignatureProblem>,
) -> Result<Trusted, BundleError> {
    let value = decode_value(bytes)?;
    check_header(&value)?;
    let public_key = signer(&value).map_err(signature_error)?;
    let bundle = validated(bundle_from_value(value)?, Catalogue::wsis())?;
    believed(source, bundle, public_key, pins)
}

/// Whether a participant's app may merge back `text`, the file under its own name, before
/// publishing over it. A file signed by this participant's key: yes. Signed by another key, or
/// badly: never (on a WebDAV server anyone can write it, and merging a stranger's records would
/// sign them as ours). Unsigned: only behind the project's endpoint, whose write token already
/// binds the file to this participant (a file an earlier build published before bundles were
/// signed, perhaps from another of their devices, must not be lost).
pub fn may_merge_own(text: &str, my_key: Option<&str>, token_protected: bool) -> bool {
    let Ok(value) = decode_value(text.as_bytes()) else {
        return false;
    };
    match signing::verify(&value) {
        Ok(key) => my_key == Some(key.as_str()),
        Err(SignatureProblem::Unsigned) => token_protected,
        Err(SignatureProblem::Bad) => false,
    }
}

#[cfg(test)]
mod tests;
