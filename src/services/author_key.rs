//! This participant's signing key (the core's [`AuthorKey`]): made on this device the first
//! time a bundle is signed, kept in IndexedDB under `meta/signing_key`, carried by backups.
//!
//! Readers pin the key of an author's first bundle they see, so a device that makes a second
//! key for the same author is refused everywhere: the key is only ever made under the
//! publishing lock, after reading again that none is stored.

use std::rc::Rc;

use networkshop_core::publishing::HttpAnswer;
use networkshop_core::signing::AuthorKey;
use networkshop_core::trust::may_merge_own;

use crate::storage::Store;

pub const SIGNING_KEY: &str = "signing_key";
/// Field of a backup file (never of a published bundle) that carries the signing key.
pub const SIGNING_KEY_FIELD: &str = "networkshop_signing_key";

pub async fn stored(store: &Store) -> Option<AuthorKey> {
    let text = store.get_meta(SIGNING_KEY).await.ok()??;
    let text: String = serde_json::from_str(&text).ok()?;
    AuthorKey::from_text(&text)
}

/// The stored key, or a new one once it is stored. Call only while holding the publishing
/// lock. `None` without a secure random source or storage: the bundle then goes unsigned and
/// the endpoint says why it refuses it.
pub async fn stored_or_made(store: &Store) -> Option<AuthorKey> {
    if let Some(key) = stored(store).await {
        return Some(key);
    }
    let key = AuthorKey::from_seed(random_bytes()?);
    save(store, &key).await.then_some(key)
}

pub async fn save(store: &Store, key: &AuthorKey) -> bool {
    let text = serde_json::to_string(&key.to_text()).unwrap_or_default();
    store.put_meta(SIGNING_KEY, &text).await.is_ok()
}

/// 32 bytes from the browser's secure random source, or `None` (never a guessable value).
pub fn random_bytes() -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    let crypto = web_sys::window()?.crypto().ok()?;
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    (!bytes.iter().all(|b| *b == 0)).then_some(bytes)
}

/// The file under this participant's name, kept for merging only when the core says this
/// participant's app may take it back (`may_merge_own`). Otherwise the ETag stays, so the next
/// PUT replaces that file.
pub async fn only_own(
    store: Option<Rc<Store>>,
    answer: HttpAnswer,
    token_protected: bool,
) -> HttpAnswer {
    let HttpAnswer::Ok {
        etag,
        body: Some(text),
    } = answer
    else {
        return answer;
    };
    let key = match store {
        Some(store) => stored(&store).await,
        None => None,
    };
    let mine = key.map(|key| key.public_key());
    let ours = may_merge_own(&text, mine.as_deref(), token_protected);
    HttpAnswer::Ok {
        etag,
        body: ours.then_some(text),
    }
}
