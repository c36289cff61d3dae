//! The page's side of the believer worker (`crates/believer`, the core's `believing`): started
//! with the page where this browser keeps no copies (a first visit is coming), else when a pull
//! has many files to read; fed a few batches ahead of the merge, terminated with the pull. Until
//! it says it is ready, and where the browser has no workers or the worker fails, the pull
//! checks the files itself, as it always did.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::select;
use networkshop_core::believing::{pack, Verdicts, READY};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use crate::perf;
use crate::timer::sleep;

/// The answer to a batch: `None` when the worker failed (the page checks the batch itself).
pub(super) type Answer = oneshot::Receiver<Option<Verdicts>>;

#[derive(Default)]
struct Inbox {
    ready: bool,
    failed: bool,
    /// Told once the worker is ready, or has failed.
    started: Option<oneshot::Sender<()>>,
    waiting: HashMap<u32, oneshot::Sender<Option<Verdicts>>>,
}

impl Inbox {
    fn fail(&mut self) {
        self.failed = true;
        if let Some(started) = self.started.take() {
            let _ = started.send(());
        }
        for (_, waiting) in self.waiting.drain() {
            let _ = waiting.send(None);
        }
    }
}

pub(crate) struct Believer {
    worker: Worker,
    inbox: Rc<RefCell<Inbox>>,
    started: Option<oneshot::Receiver<()>>,
    next_id: u32,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Believer {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

impl Believer {
    /// Starts the worker the page names (`<meta name="networkshop-believer">`, written by
    /// `scripts/build-app.sh`); `None` where there is none or the browser has no workers.
    pub(super) fn start() -> Option<Believer> {
        let url = web_sys::window()?
            .document()?
            .query_selector("meta[name=networkshop-believer]")
            .ok()??
            .get_attribute("content")?;
        let worker = Worker::new(&url).ok()?;
        let (started, on_start) = oneshot::channel();
        let inbox = Rc::new(RefCell::new(Inbox {
            started: Some(started),
            ..Inbox::default()
        }));
        let heard = Rc::clone(&inbox);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string();
            let mut inbox = heard.borrow_mut();
            if text.as_deref() == Some(READY) {
                perf::mark_counting("networkshop:believer-ready", 0);
                inbox.ready = true;
                if let Some(started) = inbox.started.take() {
                    let _ = started.send(());
                }
                return;
            }
            match text.and_then(|json| serde_json::from_str::<Verdicts>(&json).ok()) {
                Some(verdicts) => {
                    perf::mark_counting("networkshop:believed-by-worker", verdicts.verdicts.len());
                    if let Some(took) = verdicts.took_ms {
                        perf::mark_counting("networkshop:worker-checked-in-ms", took as usize);
                    }
                    if let Some(waiting) = inbox.waiting.remove(&verdicts.id) {
                        let _ = waiting.send(Some(verdicts));
                    }
                }
                // An answer it could not write: the page no longer relies on it.
                None => inbox.fail(),
            }
        });
        let failed = Rc::clone(&inbox);
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            failed.borrow_mut().fail();
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Believer {
            worker,
            inbox,
            started: Some(on_start),
            next_id: 0,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Waits, at most `within`, for the worker to be ready: a small room's files arrive
    /// before the worker has compiled, and checking them here would not save the wait.
    pub(super) async fn wait_ready(&mut self, within: Duration) -> bool {
        if let Some(on_start) = self.started.take() {
            let timeout = Box::pin(sleep(within));
            let _ = select(on_start, timeout).await;
        }
        self.ready()
    }

    /// Stops relying on the worker (it stayed silent): what it was asked is answered `None`.
    pub(super) fn give_up(&self) {
        self.inbox.borrow_mut().fail();
    }

    /// Whether batches may be posted now (before it is ready they would be dropped unheard).
    pub(super) fn ready(&self) -> bool {
        let inbox = self.inbox.borrow();
        inbox.ready && !inbox.failed
    }

    /// Posts `(name, text)` files, their bytes copied into one buffer moved to the worker.
    pub(super) fn check<'a>(
        &mut self,
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Answer {
        let (answer, answered) = oneshot::channel();
        self.next_id += 1;
        let (header, body) = pack(
            self.next_id,
            files
                .into_iter()
                .map(|(name, text)| (name, text.as_bytes())),
        );
        let buffer = js_sys::Uint8Array::from(body.as_slice());
        let message = js_sys::Array::of2(&JsValue::from_str(&header), &buffer);
        let moved = js_sys::Array::of1(&buffer.buffer());
        let mut inbox = self.inbox.borrow_mut();
        if inbox.failed
            || self
                .worker
                .post_message_with_transfer(&message, &moved)
                .is_err()
        {
            let _ = answer.send(None);
        } else {
            inbox.waiting.insert(self.next_id, answer);
        }
        answered
    }
}
