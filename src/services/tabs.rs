//! Messages between this app's tabs: "key X was stored", so the others read it again.
//!
//! The listener is owned by the channel (no leaked closure): dropping the last handle closes
//! the channel and frees the listener.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

const CHANNEL: &str = "networkshop";

struct Inner {
    channel: web_sys::BroadcastChannel,
    _listener: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

#[derive(Clone)]
pub struct TabChannel(Rc<Inner>);

impl TabChannel {
    /// `None` where the browser has no BroadcastChannel: tabs then only meet under the
    /// publishing lock, which reads storage afresh.
    pub fn open(on_key: impl Fn(String) + 'static) -> Option<TabChannel> {
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok()?;
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(key) = event.data().as_string() {
                    on_key(key);
                }
            });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(TabChannel(Rc::new(Inner {
            channel,
            _listener: listener,
        })))
    }

    pub fn tell(&self, key: &str) {
        let _ = self.0.channel.post_message(&key.into());
    }
}
