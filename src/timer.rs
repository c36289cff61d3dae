//! A timeout that owns its callback: dropped before it fires, it is cleared and its closure
//! freed, so a request that answers in time leaves nothing behind.

use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub struct Timer {
    handle: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    pub fn start(after: Duration, fire: impl FnOnce() + 'static) -> Timer {
        let callback = Closure::once(fire);
        let handle = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    callback.as_ref().unchecked_ref(),
                    i32::try_from(after.as_millis()).unwrap_or(i32::MAX),
                )
                .ok()
        });
        Timer {
            handle,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let (Some(handle), Some(window)) = (self.handle, web_sys::window()) {
            window.clear_timeout_with_handle(handle);
        }
    }
}

/// Resolves after `after`; its timer is cleared if the future is dropped first.
pub async fn sleep(after: Duration) {
    let (done, fired) = futures::channel::oneshot::channel();
    let _timer = Timer::start(after, move || {
        let _ = done.send(());
    });
    let _ = fired.await;
}
