//! Signed bundles: each author has an Ed25519 key, made on their device, and every bundle they
//! publish carries their public key and a signature over its canonical bytes.
//!
//! The canonical bytes are the bundle's JSON without its `signature` member, objects' keys
//! sorted, no whitespace: RFC 8785 (JCS) for documents whose numbers are integers, which is
//! all a bundle holds. Signing and checking both go through [`canonical_bytes`], so a bundle
//! re-indented, re-ordered or re-encoded on the way still checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod message;
mod scan;
pub use message::SignedMessage;
pub(crate) use scan::scan;

pub const SIGNATURE_MEMBER: &str = "signature";
pub const ALGORITHM: &str = "ed25519";

/// What a signed bundle carries under `signature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleSignature {
    pub algorithm: String,
    /// The author's public key, 32 bytes, base64url without padding.
    pub public_key: String,
    /// 64 bytes, base64url without padding.
    pub value: String,
}

/// Why a bundle's signature does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureProblem {
    Unsigned,
    Bad,
}

/// An author's signing key. Only its 32-byte seed is stored (in the browser and in backups).
#[derive(Clone)]
pub struct AuthorKey(SigningKey);

impl AuthorKey {
    /// `seed` must come from a secure random source (the shell's `crypto.getRandomValues`).
    pub fn from_seed(seed: [u8; 32]) -> AuthorKey {
        AuthorKey(SigningKey::from_bytes(&seed))
    }

    /// The seed as stored: base64url text.
    pub fn to_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_bytes())
    }

    pub fn from_text(text: &str) -> Option<AuthorKey> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        Some(AuthorKey::from_seed(bytes.try_into().ok()?))
    }

    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.verifying_key().to_bytes())
    }

    /// Signs a bundle's JSON text; any signature it already had is replaced.
    pub fn sign_json(&self, bundle_json: &str) -> Result<String, serde_json::Error> {
        let mut value: Value = serde_json::from_str(bundle_json)?;
        if let Some(object) = value.as_object_mut() {
            object.remove(SIGNATURE_MEMBER);
        }
        let signature = self.0.sign(&canonical_bytes(&value));
        let block = BundleSignature {
            algorithm: ALGORITHM.into(),
            public_key: self.public_key(),
            value: URL_SAFE_NO_PAD.encode(signature.to_bytes()),
        };
        if let Some(object) = value.as_object_mut() {
            object.insert(SIGNATURE_MEMBER.into(), serde_json::to_value(block)?);
        }
        serde_json::to_string_pretty(&value)
    }
}

impl std::fmt::Debug for AuthorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthorKey({})", self.public_key())
    }
}

/// The bytes a signature covers: `value` without its signature, keys sorted, compact.
/// Written straight from the value (no sorted copy of it: that copy was a third of a first
/// visit's signature checks).
pub fn canonical_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    write_canonical(&mut out, value, true);
    out
}

fn write_canonical(out: &mut Vec<u8>, value: &Value, top: bool) {
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_canonical(out, item, false);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut members: Vec<(&String, &Value)> = members
                .iter()
                .filter(|(key, _)| !(top && *key == SIGNATURE_MEMBER))
                .collect();
            members.sort_unstable_by_key(|(key, _)| *key);
            out.push(b'{');
            for (n, (key, member)) in members.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_scalar(out, key);
                out.push(b':');
                write_canonical(out, member, false);
            }
            out.push(b'}');
        }
        scalar => write_scalar(out, scalar),
    }
}

/// A string, number, boolean or null as `serde_json` writes it, escapes included.
fn write_scalar(out: &mut Vec<u8>, scalar: &(impl Serialize + ?Sized)) {
    // Writing JSON text into memory cannot fail.
    let _ = serde_json::to_writer(out, scalar);
}

/// The signature block a decoded bundle carries (its `signature` member), if well formed.
fn block_of(member: Option<&Value>) -> Result<BundleSignature, SignatureProblem> {
    let block = member.ok_or(SignatureProblem::Unsigned)?;
    let block: BundleSignature =
        serde_json::from_value(block.clone()).map_err(|_| SignatureProblem::Bad)?;
    if block.algorithm != ALGORITHM {
        return Err(SignatureProblem::Bad);
    }
    Ok(block)
}

/// The public key a bundle says signed it, unchecked: for copies already verified once.
pub fn claimed_key(value: &Value) -> Result<String, SignatureProblem> {
    Ok(block_of(value.get(SIGNATURE_MEMBER))?.public_key)
}

/// Checks the signature of a decoded bundle and gives the public key that made it.
pub fn verify(value: &Value) -> Result<String, SignatureProblem> {
    signed_message(value.get(SIGNATURE_MEMBER), canonical_bytes(value))?.verify()
}

/// The signature a document carries (its `signature` member), with its canonical bytes,
/// decoded for checking.
pub(crate) fn signed_message(
    member: Option<&Value>,
    canonical: Vec<u8>,
) -> Result<SignedMessage, SignatureProblem> {
    let block = block_of(member)?;
    Ok(SignedMessage {
        key: decode_fixed(&block.public_key)?,
        signature: decode_fixed(&block.value)?,
        public_key: block.public_key,
        message: canonical,
    })
}

fn decode_fixed<const N: usize>(text: &str) -> Result<[u8; N], SignatureProblem> {
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(SignatureProblem::Bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e9f64..1e9).prop_map(Value::from),
            ".{0,6}".prop_map(Value::from),
            prop::sample::select(vec!["\"\\\u{1}\n", "é😀", "</script>"]).prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof!["[a-z]{0,3}", ".{0,3}", Just(SIGNATURE_MEMBER.to_owned())],
                        inner
                    ),
                    0..6
                )
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The bytes every signature made so far covers: a sorted copy without the top-level
        /// signature, written compactly by `serde_json`.
        #[test]
        fn canonical_bytes_are_the_sorted_copy_written_compactly(value in arb_json()) {
            let mut copy = value.clone();
            if let Some(object) = copy.as_object_mut() {
                object.remove(SIGNATURE_MEMBER);
            }
            copy.sort_all_objects();
            prop_assert_eq!(canonical_bytes(&value), serde_json::to_vec(&copy).unwrap());
        }
    }

    proptest! {
        /// What the scan reads, it writes as [`canonical_bytes`] does, however laid out.
        #[test]
        fn the_scan_writes_the_canonical_bytes(value in arb_json(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                value.to_string()
            };
            if let Some(scanned) = scan(text.as_bytes()) {
                prop_assert_eq!(scanned.canonical, canonical_bytes(&value));
            }
        }
    }

    fn key(n: u8) -> AuthorKey {
        AuthorKey::from_seed([n; 32])
    }

    fn signed(value: &Value, key: &AuthorKey) -> Value {
        serde_json::from_str(&key.sign_json(&value.to_string()).unwrap()).unwrap()
    }

    #[test]
    fn a_signed_bundle_checks_however_it_is_laid_out() {
        let doc = json!({"format": "networkshop.bundle", "author": {"id": "alice", "b": [1, "é"]}});
        let value = signed(&doc, &key(1));
        assert_eq!(verify(&value), Ok(key(1).public_key()));
        // Re-ordered keys and other whitespace: the same canonical bytes.
        let text = serde_json::to_string_pretty(&value).unwrap();
        let reordered: Value =
            serde_json::from_str(&text.replace("\"format\": \"networkshop.bundle\",", ""))
                .map(|mut v: Value| {
                    v["format"] = json!("networkshop.bundle");
                    v
                })
                .unwrap();
        assert_eq!(verify(&reordered), Ok(key(1).public_key()));
    }

    #[test]
    fn any_change_after_signing_breaks_the_signature() {
        let value = signed(&json!({"author": {"id": "alice"}, "records": []}), &key(1));
        let mut changed = value.clone();
        changed["author"]["id"] = json!("bob");
        assert_eq!(verify(&changed), Err(SignatureProblem::Bad));
        let mut other_key = value.clone();
        other_key["signature"]["public_key"] = json!(key(2).public_key());
        assert_eq!(verify(&other_key), Err(SignatureProblem::Bad));
        let mut unsigned = value.clone();
        unsigned.as_object_mut().unwrap().remove("signature");
        assert_eq!(verify(&unsigned), Err(SignatureProblem::Unsigned));
        let mut garbage = value;
        garbage["signature"]["value"] = json!("not base64!");
        assert_eq!(verify(&garbage), Err(SignatureProblem::Bad));
    }

    #[test]
    fn a_key_survives_its_text_form() {
        let k = key(7);
        let again = AuthorKey::from_text(&k.to_text()).unwrap();
        assert_eq!(again.public_key(), k.public_key());
        assert!(AuthorKey::from_text("short").is_none());
    }
}
