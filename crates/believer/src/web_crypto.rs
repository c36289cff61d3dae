//! The browser's Ed25519 (Web Crypto): native code, where this crate's arithmetic runs as wasm.
//! Only the equation is asked of it, for a signature that passed the core's other strict
//! refusals; what it refuses, or fails to answer, the core checks again
//! (`networkshop_core::believing::verdict`).

use js_sys::{Array, Uint8Array};
use networkshop_core::signing::SignedMessage;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, DedicatedWorkerGlobalScope, SubtleCrypto};

const ED25519: &str = "Ed25519";

/// RFC 8032's first test vector (an empty message): a browser whose Ed25519 does not believe
/// it, or believes it for another message, is not used.
const TEST_KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const TEST_SIGNATURE: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

/// Web Crypto, where it checks Ed25519 signatures as RFC 8032 says.
pub async fn ed25519(scope: &DedicatedWorkerGlobalScope) -> Option<SubtleCrypto> {
    let subtle = scope.crypto().ok()?.subtle();
    let message = |text: &[u8]| SignedMessage {
        public_key: String::new(),
        key: hex(TEST_KEY).try_into().unwrap_or([0; 32]),
        signature: hex(TEST_SIGNATURE).try_into().unwrap_or([0; 64]),
        message: text.to_vec(),
    };
    let works = holds(&subtle, &message(b"")).await && !holds(&subtle, &message(b"x")).await;
    works.then_some(subtle)
}

/// Whether the signature's equation holds; `false` too when Web Crypto fails to answer.
pub async fn holds(subtle: &SubtleCrypto, message: &SignedMessage) -> bool {
    asked(subtle, message).await.unwrap_or(false)
}

async fn asked(subtle: &SubtleCrypto, message: &SignedMessage) -> Result<bool, JsValue> {
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key = subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(&message.key[..]),
        ED25519,
        false,
        &usages,
    )?;
    let key: CryptoKey = JsFuture::from(key).await?.dyn_into()?;
    let holds = subtle.verify_with_str_and_u8_array_and_u8_array(
        ED25519,
        &key,
        &message.signature,
        &message.message,
    )?;
    Ok(JsFuture::from(holds).await?.as_bool() == Some(true))
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .filter_map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}
