//! The Networkshop browser app (Leptos, client-side rendered to wasm).
//!
//! A thin shell over `networkshop-core`: views read and write reactive state, state talks to
//! storage (IndexedDB) and, later, to the sync endpoint. No domain rule lives here.

pub mod app;
pub mod i18n;
pub mod pages;
pub mod storage;

pub use app::App;

/// Entry point of the wasm binary.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
