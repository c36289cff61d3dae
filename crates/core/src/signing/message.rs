//! A signature with the bytes it covers, decoded but not yet checked: what checking it takes,
//! whoever does the arithmetic. The believer worker hands the equation to the browser's Web
//! Crypto (native code, several times faster than this crate in wasm) after
//! [`SignedMessage::strictly_formed`]; everything else checks with [`SignedMessage::verify`].
//!
//! `verify_strict` (ed25519-dalek) is RFC 8032's cofactorless equation plus three refusals: a
//! scalar `S` not below the group order, a public key of small order, an `R` of small order.
//! Web Crypto's Ed25519 (BoringSSL in Chromium) is the same equation, comparing the `R` it
//! computes with the signature's bytes; whether it also makes the refusals differs between
//! browsers. So they are made here first, by bytes: then the two agree on every signature,
//! crafted ones included (tested against ed25519-dalek below).

use std::sync::OnceLock;

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::Scalar;
use ed25519_dalek::{Signature, VerifyingKey};

use super::SignatureProblem;

/// A signature, the key that claims it and the canonical bytes it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedMessage {
    /// The key as the file writes it (base64url), which is what a check answers.
    pub public_key: String,
    pub key: [u8; 32],
    pub signature: [u8; 64],
    pub message: Vec<u8>,
}

impl SignedMessage {
    /// The check every signature gets outside the worker: ed25519-dalek's strict one.
    pub fn verify(&self) -> Result<String, SignatureProblem> {
        let key = VerifyingKey::from_bytes(&self.key).map_err(|_| SignatureProblem::Bad)?;
        key.verify_strict(&self.message, &Signature::from_bytes(&self.signature))
            .map_err(|_| SignatureProblem::Bad)?;
        Ok(self.public_key.clone())
    }

    /// Whether the signature passes `verify_strict`'s refusals other than its equation (see
    /// the module): with this, RFC 8032's equation alone decides as `verify_strict` does.
    pub fn strictly_formed(&self) -> bool {
        let (r, s) = self.signature.split_at(32);
        let s: [u8; 32] = s.try_into().unwrap_or([0xff; 32]);
        bool::from(Scalar::from_canonical_bytes(s).is_some())
            && !small_order_encodings()
                .canonical
                .iter()
                .any(|e| e[..] == *r)
            && !small_order_encodings().any.contains(&self.key)
    }
}

/// The byte strings of the eight points of small order.
struct SmallOrder {
    /// Their canonical encodings. An `R` encoded otherwise never equals the canonical encoding
    /// the equation computes, so these are the only ones an equation could accept.
    canonical: Vec<[u8; 32]>,
    /// Every string that decodes to one of them: the canonical ones, with the sign bit set or
    /// clear, and `y` written as `y + p` where that fits (`y` = 0 and 1).
    any: Vec<[u8; 32]>,
}

fn small_order_encodings() -> &'static SmallOrder {
    static ENCODINGS: OnceLock<SmallOrder> = OnceLock::new();
    ENCODINGS.get_or_init(|| {
        let canonical: Vec<[u8; 32]> = EIGHT_TORSION
            .iter()
            .map(|point| point.compress().to_bytes())
            .collect();
        // p = 2^255 - 19, little-endian.
        let mut p = [0xff; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        let mut p_plus_one = p;
        p_plus_one[0] = 0xee;
        let mut any = Vec::new();
        for bytes in canonical.iter().copied().chain([p, p_plus_one]) {
            for sign in [0, 0x80] {
                let mut encoding = bytes;
                encoding[31] = (encoding[31] & 0x7f) | sign;
                if !any.contains(&encoding) {
                    any.push(encoding);
                }
            }
        }
        SmallOrder { canonical, any }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::edwards::CompressedEdwardsY;
    use ed25519_dalek::{Signer, SigningKey};
    use proptest::prelude::*;

    fn dalek_weak_key(bytes: &[u8; 32]) -> Option<bool> {
        VerifyingKey::from_bytes(bytes)
            .ok()
            .map(|key| key.is_weak())
    }

    /// 32-byte little-endian `y` with the sign bit.
    fn encoding(y: [u8; 32], sign: bool) -> [u8; 32] {
        let mut bytes = y;
        bytes[31] = (bytes[31] & 0x7f) | if sign { 0x80 } else { 0 };
        bytes
    }

    fn small(n: u8) -> [u8; 32] {
        let mut bytes = [0; 32];
        bytes[0] = n;
        bytes
    }

    fn below_p(n: u8) -> [u8; 32] {
        // p - n for n ≤ 19 (p's lowest byte is 0xed).
        let mut bytes = [0xff; 32];
        bytes[0] = 0xed - n;
        bytes[31] = 0x7f;
        bytes
    }

    fn above_p(n: u8) -> [u8; 32] {
        // p + n for n ≤ 18 (still below 2^255).
        let mut bytes = [0xff; 32];
        bytes[0] = 0xed + n;
        bytes[31] = 0x7f;
        bytes
    }

    #[test]
    fn a_key_is_refused_as_small_order_exactly_when_ed25519_dalek_refuses_it() {
        let mut tried = 0;
        let mut weak = std::collections::BTreeSet::new();
        let candidates = (0..=20)
            .flat_map(|n| [small(n), below_p(n.min(19)), above_p(n.min(18))])
            .chain(small_order_encodings().canonical.iter().copied());
        for y in candidates {
            for sign in [false, true] {
                let bytes = encoding(y, sign);
                let refused_here = small_order_encodings().any.contains(&bytes);
                match dalek_weak_key(&bytes) {
                    Some(dalek_weak) => assert_eq!(refused_here, dalek_weak, "{bytes:?}"),
                    // Not a point: dalek refuses it before any equation, and so does ours.
                    None => assert!(!refused_here, "{bytes:?}"),
                }
                tried += 1;
                if refused_here {
                    weak.insert(bytes);
                }
            }
        }
        assert!(tried > 100);
        // Every string refused was met, and each agreed with ed25519-dalek.
        assert_eq!(weak.len(), small_order_encodings().any.len());
    }

    #[test]
    fn small_order_encodings_are_the_eight_points() {
        let encodings = small_order_encodings();
        assert_eq!(encodings.canonical.len(), 8);
        for bytes in &encodings.any {
            let point = CompressedEdwardsY(*bytes).decompress().expect("a point");
            assert!(point.is_small_order());
        }
    }

    fn signed(seed: u8, message: &[u8]) -> SignedMessage {
        let key = SigningKey::from_bytes(&[seed; 32]);
        SignedMessage {
            public_key: format!("key-{seed}"),
            key: key.verifying_key().to_bytes(),
            signature: key.sign(message).to_bytes(),
            message: message.to_vec(),
        }
    }

    #[test]
    fn an_ordinary_signature_is_strictly_formed_and_verifies() {
        let message = signed(7, b"bundle");
        assert!(message.strictly_formed());
        assert_eq!(message.verify(), Ok("key-7".into()));
    }

    #[test]
    fn a_malleated_scalar_or_small_order_parts_are_not_strictly_formed() {
        // S + ℓ: the same equation, a second form of the signature.
        let mut malleated = signed(7, b"bundle");
        let mut s = [0u8; 32];
        s.copy_from_slice(&malleated.signature[32..]);
        let mut carry = 0u16;
        let l_bytes = l_bytes();
        for i in 0..32 {
            let sum = u16::from(s[i]) + u16::from(l_bytes[i]) + carry;
            s[i] = sum as u8;
            carry = sum >> 8;
        }
        malleated.signature[32..].copy_from_slice(&s);
        assert!(!malleated.strictly_formed());
        assert!(malleated.verify().is_err());

        let mut small_r = signed(7, b"bundle");
        small_r.signature[..32].copy_from_slice(&small_order_encodings().canonical[1]);
        assert!(!small_r.strictly_formed());

        let mut small_key = signed(7, b"bundle");
        small_key.key = small_order_encodings().any[0];
        assert!(!small_key.strictly_formed());
        assert!(small_key.verify().is_err());
    }

    /// ℓ, the group order, little-endian.
    fn l_bytes() -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(&[
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14,
        ]);
        bytes[31] = 0x10;
        bytes
    }

    proptest! {
        #[test]
        fn a_scalar_is_refused_exactly_when_it_is_not_below_the_order(s in any::<[u8; 32]>(), high in 0u8..0x20) {
            let mut s = s;
            s[31] = high;
            let mut message = signed(9, b"x");
            message.signature[32..].copy_from_slice(&s);
            let below = s.iter().rev().cmp(l_bytes().iter().rev()) == std::cmp::Ordering::Less;
            prop_assert_eq!(message.strictly_formed(), below);
        }
    }
}
