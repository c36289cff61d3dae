//! The app's services, each with one job, provided as context by [`provide_services`] (the
//! participant's app has no community: it never pulls everyone's bundles):
//! - [`Drafts`]: this participant's records and profile, autosaved, shared with other tabs;
//! - [`Publishing`]: the core's publishing state machine and the commands it gives;
//! - [`Community`]: everyone's bundles, pulled, kept and merged into the live view.
//!
//! Each owns its IndexedDB keys (drafts: `records`, `meta/profile`; publishing:
//! `meta/publish`, `meta/write_token`, `meta/signing_key`, `meta/sync_settings`; community:
//! `community`, `meta/key_pins`).
//! Dependencies point one way: community → publishing (the endpoint) → drafts. Views talk to
//! services, never to storage or HTTP.

pub mod author_key;
pub mod community;
pub mod drafts;
pub mod publishing;
mod record_codec;
mod tabs;
mod web_lock;

use std::future::Future;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{FutureExt, LocalBoxFuture};

use leptos::prelude::*;
use leptos::task::spawn_local;
use time::OffsetDateTime;

/// Why a save or a pull failed, as the views word it.
pub use crate::storage::StorageError;
pub use crate::sync::SyncError;
pub use community::{Community, CommunityCache};
pub use drafts::{Drafts, SaveStatus};
pub use publishing::{Publishing, SyncSettings};

use crate::components::later::{later_fn, until_here, ChunkMissing};
use crate::storage::{Store, DB_NAME};
use record_codec::record_codec;

/// The browser's clock (the core takes time as a value).
pub fn now() -> OffsetDateTime {
    let millis = js_sys::Date::now() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Makes the services, provides them and starts them: drafts first (the forms wait for them;
/// the profile, then the records once their codec has come with the later chunk), then
/// publishing (which may resume a pending publish); beside them what `more` adds (the
/// facilitator's app: [`Community::provide`], told when publishing has started; the
/// participant's: nothing, so its wasm carries none of the pulling, merging and networks code).
pub fn provide_services<Start, Started>(more: impl FnOnce(Publishing) -> Start)
where
    Start: FnOnce(Option<Rc<Store>>, PublishingStarted) -> Started + 'static,
    Started: Future<Output = ()> + 'static,
{
    let drafts = Drafts::new();
    let publishing = Publishing::new(drafts);
    provide_context(drafts);
    provide_context(publishing);
    let start_more = more(publishing);
    spawn_local(async move {
        let store = Store::open(DB_NAME).await.ok().map(Rc::new);
        let (started, publishing_started) = oneshot::channel();
        let drafts_then_publishing = {
            let store = store.clone();
            async move {
                drafts.load(store.clone()).await;
                if drafts.is_loaded() {
                    let codec = until_here(record_codec).await;
                    drafts.load_records(codec).await;
                    until_here(|| publishing_starter(publishing, store.clone()))
                        .await
                        .await;
                }
                let _ = started.send(());
            }
        };
        // What `more` adds starts with them, not after: the facilitator's community reads its
        // kept copies while the drafts load (opening the map again used to wait for them).
        futures::join!(
            drafts_then_publishing,
            start_more(store, publishing_started)
        );
        drafts.persisted.set(request_persistence().await);
    });
}

/// Comes once publishing has started: its settings, which name the endpoint, are read.
pub type PublishingStarted = oneshot::Receiver<()>;

later_fn! {
    /// Publishing's machine, signing and bundle code.
    fn publishing_starter(
        publishing: Publishing,
        store: Option<Rc<Store>>,
    ) -> Result<LocalBoxFuture<'static, ()>, ChunkMissing> {
        Ok(publishing.start(store).boxed_local())
    }
}

/// The participant's app adds no service to drafts and publishing.
pub fn nothing_more(
    _: Publishing,
) -> impl FnOnce(Option<Rc<Store>>, PublishingStarted) -> std::future::Ready<()> {
    |_, _| std::future::ready(())
}

/// Asks the browser not to evict our data; `None` where the API is missing.
async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    let granted = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    granted.as_bool()
}

pub fn use_drafts() -> Drafts {
    expect_context::<Drafts>()
}

pub fn use_publishing() -> Publishing {
    expect_context::<Publishing>()
}

pub fn use_community() -> Community {
    expect_context::<Community>()
}
