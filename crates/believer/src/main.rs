//! The believer: a Web Worker of the facilitator's page that checks published files off the
//! page's thread. It answers each batch the page posts with its verdicts (the format and the
//! checks are the core's `believing`); the page's side is
//! `src/services/community/believer.rs`.

#[cfg(target_arch = "wasm32")]
mod serve {
    use std::cell::RefCell;

    use networkshop_core::believing::{check, Verdicts, READY};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    type Listener = Closure<dyn FnMut(MessageEvent)>;

    thread_local! {
        /// The message listener, held for the worker's whole life (it ends when the page
        /// terminates the worker), so it is not leaked with `forget`.
        static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
    }

    /// Starts answering batches, then tells the page it may send them.
    pub fn serve() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let replies = scope.clone();
        let listener = Listener::new(move |event: MessageEvent| {
            let message = js_sys::Array::from(&event.data());
            let header = message.get(0).as_string().unwrap_or_default();
            let body = js_sys::Uint8Array::new(&message.get(1)).to_vec();
            let started = js_sys::Date::now();
            let answer = check(&header, &body)
                .map(|verdicts| Verdicts {
                    took_ms: Some((js_sys::Date::now() - started) as u32),
                    ..verdicts
                })
                .and_then(|verdicts| serde_json::to_string(&verdicts).ok())
                .map_or(JsValue::NULL, |json| JsValue::from_str(&json));
            let _ = replies.post_message(&answer);
        });
        scope.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        LISTENER.with(|held| held.replace(Some(listener)));
        let _ = scope.post_message(&JsValue::from_str(READY));
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    serve::serve();
}
