//! One GET whose body is handed over piece by piece as it arrives, for an answer too big to
//! wait for whole (a checkpoint: 60 MB is minutes on conference Wi-Fi). It is given up only
//! when the server sends nothing for a while, never for being long. An answer may be opened
//! (asked, its headers in) and read later: the checkpoint is asked while the changes after it
//! are still arriving.

use std::time::Duration;

use gloo_net::http::{RequestBuilder, Response};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, ReadableStreamReadResult};

use super::SyncError;
use crate::slices::Slices;
use crate::timer::Timer;

/// The most bytes of a piece handed over at once (a few milliseconds of splitting).
const PART_BYTES: u32 = 256 * 1024;

/// An answer whose headers have come, its body not read yet.
pub(super) struct Opened {
    controller: AbortController,
    response: Response,
}

impl Drop for Opened {
    /// An answer given up is not downloaded on for nothing.
    fn drop(&mut self) {
        self.controller.abort();
    }
}

/// Sends `request` and waits for its headers, at most `silence`.
pub(super) async fn open(request: RequestBuilder, silence: Duration) -> Result<Opened, SyncError> {
    let controller = AbortController::new().map_err(|_| SyncError::Unreachable)?;
    let request = request
        .abort_signal(Some(&controller.signal()))
        .build()
        .map_err(|_| SyncError::Unreachable)?;
    let on_silence = controller.clone();
    let _quiet = Timer::start(silence, move || on_silence.abort());
    let response = request.send().await.map_err(|_| SyncError::Unreachable)?;
    Ok(Opened {
        controller,
        response,
    })
}

impl Opened {
    /// Gives each piece of a 200 answer's body to `piece` as it arrives, then the status. Cut
    /// off when `silence` passes without a byte; a cut or broken answer is `Unreachable`,
    /// after whatever pieces came.
    pub(super) async fn read(
        self,
        silence: Duration,
        mut piece: impl FnMut(&[u8]),
    ) -> Result<u16, SyncError> {
        let status = self.response.status();
        let Some(body) = self.response.body().filter(|_| status == 200) else {
            return Ok(status);
        };
        let quiet_for = |controller: &AbortController| {
            let controller = controller.clone();
            Timer::start(silence, move || controller.abort())
        };
        let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        // A piece already downloaded is handed over in a microtask, not a task of its own: a
        // download that ran ahead of the page (a first visit waiting for its worker) was read
        // in one task of up to 470 ms at 10,000 authors, unless the browser is given its turn.
        let mut slices = Slices::new();
        loop {
            // Replaced at every piece: only a silence this long cuts the answer off.
            let _quiet = quiet_for(&self.controller);
            let read: ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(|_| SyncError::Unreachable)?
                .unchecked_into();
            if read.get_done().unwrap_or(true) {
                return Ok(status);
            }
            let Some(bytes) = read.get_value().dyn_into::<Uint8Array>().ok() else {
                continue;
            };
            // A piece that waited may be megabytes: handed over in parts, the browser's turn
            // between them when a slice is over.
            let length = bytes.length();
            let mut at = 0;
            while at < length {
                let end = length.min(at + PART_BYTES);
                piece(&bytes.subarray(at, end).to_vec());
                at = end;
                if slices.over() {
                    slices.next().await;
                }
            }
        }
    }
}
