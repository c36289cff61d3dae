//! Checking published files off the page's thread. A facilitator's first visit to a big room
//! reads ten thousand signed files, and checking them (strict JSON, canonical bytes, Ed25519)
//! is most of its work. The believer, a Web Worker (`crates/believer`), checks batches of
//! files and says for each the key it is signed by, or why it is refused; the page then reads
//! each believed file the cheap way, as it reads its kept copies
//! ([`crate::trust::accept_kept_signed_by`]), and pins keys itself.
//!
//! Here are the messages and the worker's job: a batch is a JSON header (names and byte
//! lengths) with the files' bytes one after the other in one buffer, moved to the worker, not
//! copied; the answer is JSON.

use serde::{Deserialize, Serialize};

use crate::signing::SignedMessage;
use crate::trust::published_signature;
#[cfg(doc)]
use crate::trust::published_signing_key;
use crate::BundleError;

/// What the worker posts once it can take batches: messages posted before that would be
/// dropped (no listener yet), so the page waits for it.
pub const READY: &str = "networkshop-believer-ready";

/// A batch's header: the files' names and byte lengths, in the order of their bytes.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct BatchHeader {
    pub id: u32,
    pub files: Vec<(String, usize)>,
}

/// The answer to one batch: for each file, in order, the key it is signed by or its refusal.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Verdicts {
    pub id: u32,
    pub verdicts: Vec<Result<String, BundleError>>,
    /// How long the worker took to check them, in milliseconds, when it says (the benchmark
    /// reads it).
    #[serde(default)]
    pub took_ms: Option<u32>,
}

/// Packs files as a batch: its header, as JSON, and their bytes end to end.
pub fn pack<'a>(
    id: u32,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> (String, Vec<u8>) {
    let mut header = BatchHeader {
        id,
        files: Vec::new(),
    };
    let mut body = Vec::new();
    for (name, bytes) in files {
        header.files.push((name.to_owned(), bytes.len()));
        body.extend_from_slice(bytes);
    }
    (serde_json::to_string(&header).unwrap_or_default(), body)
}

/// A batch read up to the signatures' arithmetic: for each file, in order, its signature and
/// the bytes it covers ([`published_signature`]), or why it is refused before any arithmetic.
pub struct Prepared {
    pub id: u32,
    pub files: Vec<Result<SignedMessage, BundleError>>,
}

/// Reads a batch the page posted. A header that does not parse gives `None` (the page then
/// checks the batch itself); a body shorter than the header says refuses the files it lacks.
pub fn prepare(header: &str, body: &[u8]) -> Option<Prepared> {
    let header: BatchHeader = serde_json::from_str(header).ok()?;
    let mut rest = body;
    let files = header
        .files
        .iter()
        .map(|(_, len)| {
            let Some((bytes, after)) = rest.split_at_checked(*len) else {
                rest = &[];
                return Err(BundleError::NotABundle);
            };
            rest = after;
            published_signature(bytes)
        })
        .collect();
    Some(Prepared {
        id: header.id,
        files,
    })
}

/// A file's verdict, given what another implementation of RFC 8032's equation said of its
/// signature (`None`: none was asked). It is taken only to believe a signature that passes
/// `verify_strict`'s other refusals ([`SignedMessage::strictly_formed`]); anything else, and
/// every refusal, is decided by ed25519-dalek, so the verdict is always the one
/// [`crate::trust::published_signing_key`] gives.
pub fn verdict(
    file: Result<SignedMessage, BundleError>,
    equation: Option<bool>,
) -> Result<String, BundleError> {
    let message = file?;
    if equation == Some(true) && message.strictly_formed() {
        return Ok(message.public_key);
    }
    message.verify().map_err(|_| BundleError::BadSignature)
}

/// The worker's job where it has no other arithmetic: [`published_signing_key`] for each file;
/// the page does the rest.
pub fn check(header: &str, body: &[u8]) -> Option<Verdicts> {
    let prepared = prepare(header, body)?;
    Some(Verdicts {
        id: prepared.id,
        verdicts: prepared
            .files
            .into_iter()
            .map(|file| verdict(file, None))
            .collect(),
        took_ms: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AuthorProfile, Region, StakeholderGroup};
    use crate::signing::AuthorKey;
    use crate::trust::{accept_kept_signed_by, accept_published, KeyPins, Trusted};
    use crate::Bundle;

    /// A file `author` published, signed, with the key it is signed by.
    fn signed_bundle_json(author: &str) -> (String, String) {
        let profile = AuthorProfile {
            id: author.into(),
            display_name: "Alice".into(),
            organisation: String::new(),
            stakeholder_group: StakeholderGroup::CivilSociety,
            country: String::new(),
            region: Region::Africa,
            contact: None,
            extra: Default::default(),
        };
        let bundle = Bundle::new(
            profile,
            vec![],
            time::macros::datetime!(2005-01-10 12:00 UTC),
        );
        let key = AuthorKey::from_seed([3; 32]);
        (key.sign_json(&bundle.to_json()).unwrap(), key.public_key())
    }

    /// The worker's verdict, then the page's cheap reading, as the page does it.
    fn believed_in_two_halves(
        name: &str,
        verdict: Result<String, BundleError>,
        bytes: &[u8],
        pins: &KeyPins,
    ) -> Result<Trusted, BundleError> {
        verdict.and_then(|key| accept_kept_signed_by(name, bytes, &key, pins))
    }

    #[test]
    fn the_worker_and_the_page_together_believe_what_one_check_believes() {
        let (good, key) = signed_bundle_json("alice");
        let forged = good.replace("Alice", "Mallory");
        let unsigned = serde_json::to_string(&{
            let mut value: serde_json::Value = serde_json::from_str(&good).unwrap();
            value.as_object_mut().unwrap().remove("signature");
            value
        })
        .unwrap();
        let duplicate_key = good.replacen('{', r#"{"format":"x","#, 1);
        let files: Vec<(&str, &[u8])> = vec![
            ("alice.json", good.as_bytes()),
            ("alice.json", forged.as_bytes()),
            ("bob.json", good.as_bytes()),
            ("alice.json", unsigned.as_bytes()),
            ("alice.json", duplicate_key.as_bytes()),
            ("junk.json", b"{not json"),
        ];
        let (header, body) = pack(7, files.clone());
        let answer = check(&header, &body).expect("a header the page wrote");
        assert_eq!(answer.id, 7);
        assert_eq!(answer.verdicts[0], Ok(key.clone()));
        assert_eq!(answer.verdicts[1], Err(BundleError::BadSignature));
        let mut pinned = KeyPins::default();
        pinned.pin("alice", "another key");
        for pins in [KeyPins::default(), pinned] {
            for ((name, bytes), verdict) in files.iter().zip(&answer.verdicts) {
                assert_eq!(
                    believed_in_two_halves(name, verdict.clone(), bytes, &pins),
                    accept_published(name, bytes, &pins),
                    "{name}: {}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        let json = serde_json::to_string(&answer).unwrap();
        assert_eq!(serde_json::from_str::<Verdicts>(&json).unwrap(), answer);
    }

    #[test]
    fn a_short_body_refuses_what_it_lacks_and_a_bad_header_gets_no_answer() {
        let (good, key) = signed_bundle_json("alice");
        let (header, body) = pack(1, [("alice.json", good.as_bytes()); 2]);
        let answer = check(&header, &body[..good.len() + 3]).unwrap();
        assert_eq!(answer.verdicts, vec![Ok(key), Err(BundleError::NotABundle)]);
        assert_eq!(check("{", &body), None);
    }

    #[test]
    fn an_outside_equation_only_ever_believes_what_ed25519_dalek_believes() {
        let (good, key) = signed_bundle_json("alice");
        let forged = good.replace("Alice", "Mallory");
        let files = [good.as_bytes(), forged.as_bytes(), b"{not json"];
        let (header, body) = pack(3, files.iter().map(|bytes| ("alice.json", *bytes)));
        let checked = check(&header, &body).unwrap().verdicts;
        // An equation that answers honestly, or says no to everything, changes no verdict.
        let honest = |file: &Result<SignedMessage, BundleError>| {
            file.as_ref().ok().map(|message| message.verify().is_ok())
        };
        for answer in [Some(false), None] {
            let verdicts: Vec<_> = prepare(&header, &body)
                .unwrap()
                .files
                .into_iter()
                .map(|file| {
                    let said = answer.or(honest(&file));
                    verdict(file, said)
                })
                .collect();
            assert_eq!(verdicts, checked);
        }
        assert_eq!(checked[0], Ok(key));
        // A signature whose R is of small order is refused, whatever the equation says.
        let mut prepared = prepare(&header, &body).unwrap().files.remove(0).unwrap();
        prepared.signature[..32].copy_from_slice(&[0; 32]);
        prepared.signature[0] = 1;
        assert_eq!(
            verdict(Ok(prepared), Some(true)),
            Err(BundleError::BadSignature)
        );
    }
}
