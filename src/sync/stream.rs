//! One GET whose body is handed over piece by piece as it arrives, for an answer too big to
//! wait for whole (a checkpoint: 60 MB is minutes on conference Wi-Fi). It is given up only
//! when the server sends nothing for a while, never for being long.

use std::time::Duration;

use gloo_net::http::RequestBuilder;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, ReadableStreamReadResult};

use super::SyncError;
use crate::timer::Timer;

/// Sends `request` and gives each piece of a 200 answer's body to `piece` as it arrives, then
/// the status. Cut off when `silence` passes without a byte (headers included); a cut or
/// broken answer is `Unreachable`, after whatever pieces came.
pub(super) async fn stream(
    request: RequestBuilder,
    silence: Duration,
    mut piece: impl FnMut(&[u8]),
) -> Result<u16, SyncError> {
    let controller = AbortController::new().map_err(|_| SyncError::Unreachable)?;
    let request = request
        .abort_signal(Some(&controller.signal()))
        .build()
        .map_err(|_| SyncError::Unreachable)?;
    let quiet_for = |controller: &AbortController| {
        let controller = controller.clone();
        Timer::start(silence, move || controller.abort())
    };
    // Replaced at every piece: only a silence this long cuts the answer off.
    let mut _quiet = quiet_for(&controller);
    let response = request.send().await.map_err(|_| SyncError::Unreachable)?;
    let status = response.status();
    let Some(body) = response.body().filter(|_| status == 200) else {
        return Ok(status);
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    loop {
        _quiet = quiet_for(&controller);
        let read: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(|_| SyncError::Unreachable)?
            .unchecked_into();
        if read.get_done().unwrap_or(true) {
            return Ok(status);
        }
        if let Some(bytes) = read.get_value().dyn_ref::<Uint8Array>() {
            piece(&bytes.to_vec());
        }
    }
}
