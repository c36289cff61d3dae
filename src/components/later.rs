//! Parts of a page that arrive in a wasm chunk of their own. `scripts/build-app.sh` cuts every
//! function declared with [`later_fn!`] out of the participant's wasm: the profile form is
//! usable before they come, and they are fetched as soon as the page is up (and cached by the
//! service worker with the rest of the app).

use std::future::Future;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::i18n::{tr, use_lang};
use crate::timer::sleep;

/// Declares a function of the later chunk, called as an `async fn` whose `Err(ChunkMissing)`
/// says the chunk could not be fetched. Only the app's release build (`cfg(wasm_split)`, set by
/// `scripts/build-app.sh`) splits; elsewhere (the browser unit tests, whose runner serves no
/// chunk) it is a plain `async fn`.
macro_rules! later_fn {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(wasm_split)]
        $(#[$attr])*
        #[::leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(wasm_split))]
        $(#[$attr])*
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}
pub(crate) use later_fn;

/// A chunk that could not be fetched: offline on a first visit, or a server that is down.
#[derive(Debug, Clone, Copy)]
pub struct ChunkMissing;

impl From<SplitLoaderError> for ChunkMissing {
    fn from(_: SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// What a split function gives: the part's view, or why it could not come.
pub type Part = Result<AnyView, ChunkMissing>;

/// What the later chunk brings, once it is here: a chunk that does not come (offline on a first
/// visit) is asked for again every few seconds.
pub async fn until_here<T, F: Future<Output = Result<T, ChunkMissing>>>(get: impl Fn() -> F) -> T {
    loop {
        match get().await {
            Ok(value) => return value,
            Err(ChunkMissing) => sleep(Duration::from_secs(5)).await,
        }
    }
}

/// Shows "loading" where the part will be, then the part, or a message and a retry button
/// when its chunk could not be fetched (a retry fetches it again).
#[component]
pub fn Later(load: fn() -> LocalBoxFuture<'static, Part>) -> impl IntoView {
    let lang = use_lang();
    let attempt = RwSignal::new(0u32);
    let part = move || {
        attempt.track();
        // Suspense wants a `Send` future; the app is single-threaded wasm.
        Suspend::new(SendWrapper::new(async move {
            match load().await {
                Ok(view) => view,
                Err(ChunkMissing) => view! {
                    <div class="later-failed" role="alert">
                        <p>{move || tr!(lang.get(), part_could_not_load)}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {move || tr!(lang.get(), try_again)}
                        </button>
                    </div>
                }
                .into_any(),
            }
        }))
    };
    view! {
        <Suspense fallback=move || view! { <p class="hint" role="status">{move || tr!(lang.get(), loading)}</p> }>
            {part}
        </Suspense>
    }
}
