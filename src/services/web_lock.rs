//! One publisher per browser: the Web Locks API's named lock, held from "about to read the
//! token" to "answer handled", so two tabs never make two tokens or race their PUTs.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const PUBLISH_LOCK: &str = "networkshop-publish";

/// Released when dropped. Where the browser has no Web Locks, holding it guards nothing, and
/// the endpoint's ETags still refuse a lost update.
pub struct HeldLock {
    release: Option<Function>,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits until this tab holds the publishing lock.
pub async fn acquire() -> HeldLock {
    let unguarded = HeldLock { release: None };
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return unguarded;
    };
    let Some(locks) = Reflect::get(&navigator, &"locks".into())
        .ok()
        .filter(|l| l.is_object())
    else {
        return unguarded;
    };
    let Some(request) = Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<Function>().ok())
    else {
        return unguarded;
    };
    // The lock is held while the promise the callback returns is pending; its resolve function
    // is handed out through `granted` and called on drop.
    let mut hand_out = None;
    let granted = Promise::new(&mut |resolve, _| hand_out = Some(resolve));
    let Some(hand_out) = hand_out else {
        return unguarded;
    };
    let on_grant = Closure::once(move |_lock: JsValue| -> Promise {
        Promise::new(&mut |release, _| {
            let _ = hand_out.call1(&JsValue::NULL, &release);
        })
    });
    if request
        .call2(
            &locks,
            &PUBLISH_LOCK.into(),
            on_grant.as_ref().unchecked_ref(),
        )
        .is_err()
    {
        return unguarded;
    }
    let release = JsFuture::from(granted)
        .await
        .ok()
        .and_then(|r| r.dyn_into::<Function>().ok());
    drop(on_grant);
    HeldLock { release }
}
