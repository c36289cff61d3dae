//! The Networkshop browser app (Leptos, client-side rendered to wasm).
//!
//! A thin shell over `networkshop-core`: views talk to three services (drafts, publishing,
//! community); the services talk to storage (IndexedDB) and to the file endpoint (sync). No
//! domain rule lives here.

pub mod app;
pub mod clock;
pub mod components;
pub mod files;
pub mod human_inputs;
pub mod i18n;
pub mod pages;
pub mod perf;
pub mod services;
pub mod slices;
pub mod storage;
pub mod sync;
pub mod timer;
pub mod view_filters;
pub mod web_address;

pub use app::{FacilitatorApp, ParticipantApp};

/// Entry point of the participant's wasm (`/`, `/topics`, `/about`).
pub fn start_participant() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(ParticipantApp);
}

/// Entry point of the facilitator's wasm (`/map`, `/report`).
pub fn start_facilitator() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(FacilitatorApp);
}

/// Lets the app shell open offline on the next visit. Failure only costs offline start-up,
/// so it is not reported to the participant.
fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
