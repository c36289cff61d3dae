//! The believer: a Web Worker of the facilitator's page that checks published files off the
//! page's thread. It answers each batch the page posts with its verdicts (the format and the
//! checks are the core's `believing`); the page's side is
//! `src/services/community/believer.rs`. Where the browser's Web Crypto has Ed25519, the
//! signatures' equation is checked there (`web_crypto.rs`).

#[cfg(target_arch = "wasm32")]
mod web_crypto;

#[cfg(target_arch = "wasm32")]
mod serve {
    use std::cell::RefCell;
    use std::rc::Rc;

    use futures::future::join_all;
    use networkshop_core::believing::{prepare, verdict, Verdicts, READY};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::spawn_local;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, SubtleCrypto};

    use crate::web_crypto;

    type Listener = Closure<dyn FnMut(MessageEvent)>;

    thread_local! {
        /// The message listener, held for the worker's whole life (it ends when the page
        /// terminates the worker), so it is not leaked with `forget`.
        static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
    }

    /// Finds out whether Web Crypto checks Ed25519, starts answering batches, then tells the
    /// page it may send them.
    pub fn serve() {
        spawn_local(async {
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let subtle = Rc::new(web_crypto::ed25519(&scope).await);
            let replies = scope.clone();
            let listener = Listener::new(move |event: MessageEvent| {
                let message = js_sys::Array::from(&event.data());
                let header = message.get(0).as_string().unwrap_or_default();
                let body = js_sys::Uint8Array::new(&message.get(1)).to_vec();
                spawn_local(answer(replies.clone(), Rc::clone(&subtle), header, body));
            });
            scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            LISTENER.with(|held| held.replace(Some(listener)));
            let _ = scope.post_message(&JsValue::from_str(READY));
        });
    }

    /// Answers one batch. Batches may be answered out of order: the page finds each by its id.
    async fn answer(
        replies: DedicatedWorkerGlobalScope,
        subtle: Rc<Option<SubtleCrypto>>,
        header: String,
        body: Vec<u8>,
    ) {
        let started = js_sys::Date::now();
        let Some(prepared) = prepare(&header, &body) else {
            let _ = replies.post_message(&JsValue::NULL);
            return;
        };
        drop(body);
        let verdicts = match subtle.as_ref() {
            Some(subtle) => {
                join_all(prepared.files.into_iter().map(|file| async move {
                    let equation = match &file {
                        Ok(message) if message.strictly_formed() => {
                            Some(web_crypto::holds(subtle, message).await)
                        }
                        _ => None,
                    };
                    verdict(file, equation)
                }))
                .await
            }
            None => prepared
                .files
                .into_iter()
                .map(|file| verdict(file, None))
                .collect(),
        };
        let verdicts = Verdicts {
            id: prepared.id,
            verdicts,
            took_ms: Some((js_sys::Date::now() - started) as u32),
        };
        let answer =
            serde_json::to_string(&verdicts).map_or(JsValue::NULL, |json| JsValue::from_str(&json));
        let _ = replies.post_message(&answer);
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    serve::serve();
}
