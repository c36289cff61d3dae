//! The publishing service: runs the core's [`Publisher`] state machine and carries out its
//! commands (storage, the cross-tab lock, HTTP, timers). Every decision is the core's; this
//! file only moves events in and commands out.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use networkshop_core::catalogue::Catalogue;
use networkshop_core::publishing::{
    Command, Context, Event, PublishMeta, Publisher, Status, Ticket,
};
use networkshop_core::signing::AuthorKey;
use serde::{Deserialize, Serialize};
use web_sys::AbortController;

use super::author_key;
use super::drafts::Drafts;
use super::now;
use super::web_lock::{self, HeldLock};
use crate::storage::Store;
use crate::sync::{Endpoint, Protocol};
use crate::timer::Timer;

pub const SETTINGS_KEY: &str = "sync_settings";
pub const PUBLISH_KEY: &str = "publish";
/// The write token has a key of its own, written only under the publishing lock.
pub const TOKEN_KEY: &str = "write_token";
/// Field of a backup file (never of a published bundle) that carries the write token.
pub const WRITE_TOKEN_FIELD: &str = "networkshop_write_token";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncSettings {
    /// Endpoint base address; the app's own origin when empty.
    #[serde(default)]
    pub endpoint: String,
    /// On unless the participant turned it off: "Done" then puts a record on the map.
    #[serde(default = "on")]
    pub auto_publish: bool,
    #[serde(default)]
    pub upload_key: Option<String>,
    /// The endpoint is a WebDAV collection rather than a Networkshop endpoint.
    #[serde(default)]
    pub webdav: bool,
}

fn on() -> bool {
    true
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            endpoint: String::new(),
            auto_publish: true,
            upload_key: None,
            webdav: false,
        }
    }
}

/// What the shell holds on the machine's behalf: its timers, requests in flight and the lock.
#[derive(Default)]
struct Resources {
    timers: HashMap<Ticket, Timer>,
    requests: HashMap<Ticket, AbortController>,
    lock: Option<HeldLock>,
    online: Option<WindowListenerHandle>,
}

#[derive(Clone, Copy)]
pub struct Publishing {
    pub settings: RwSignal<SyncSettings>,
    pub status: RwSignal<Status>,
    /// The meta as the machine last saw it (last publish time, pending).
    pub meta: RwSignal<PublishMeta>,
    drafts: Drafts,
    machine: StoredValue<Publisher, LocalStorage>,
    resources: StoredValue<Resources, LocalStorage>,
    store: StoredValue<Option<Rc<Store>>, LocalStorage>,
}

impl Publishing {
    pub fn new(drafts: Drafts) -> Publishing {
        Publishing {
            settings: RwSignal::new(SyncSettings::default()),
            status: RwSignal::new(Status::Idle),
            meta: RwSignal::new(PublishMeta::default()),
            drafts,
            machine: StoredValue::new_local(Publisher::default()),
            resources: StoredValue::new_local(Resources::default()),
            store: StoredValue::new_local(None),
        }
    }

    /// Loads the settings and the stored meta, then lets the machine resume a pending publish.
    pub async fn start(self, store: Option<Rc<Store>>) {
        self.store.set_value(store.clone());
        let (settings, meta, token) = match &store {
            Some(store) => (
                read::<SyncSettings>(store, SETTINGS_KEY).await,
                read::<PublishMeta>(store, PUBLISH_KEY).await,
                read::<String>(store, TOKEN_KEY).await,
            ),
            None => (None, None, None),
        };
        if let Some(settings) = settings {
            self.settings.set(settings);
        }
        // Builds before the publishing lock kept the token inside the meta, which is rewritten
        // without it: move it to its own key first, or a reload would lose it.
        let legacy = meta.as_ref().and_then(|m| m.token.clone());
        let token = match (token, legacy, &store) {
            (None, Some(legacy), Some(store)) => {
                let _ = store.put_meta(TOKEN_KEY, &json(&legacy)).await;
                Some(legacy)
            }
            (token, _, _) => token,
        };
        self.drafts
            .on_edit(Callback::new(move |_| self.dispatch(Event::EditSaved)));
        let auto = self.settings.with_untracked(|s| s.auto_publish);
        self.dispatch(Event::Started {
            stored: meta,
            token,
            auto,
        });
        let on_online =
            window_event_listener(leptos::ev::online, move |_| self.dispatch(Event::Online));
        self.resources.update_value(|r| r.online = Some(on_online));
    }

    pub fn endpoint(self) -> Endpoint {
        let settings = self.settings.get_untracked();
        let base = if settings.endpoint.trim().is_empty() {
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default()
        } else {
            settings.endpoint.clone()
        };
        let protocol = if settings.webdav {
            Protocol::WebDav
        } else {
            Protocol::Networkshop
        };
        Endpoint::new(
            &base,
            protocol,
            settings.upload_key.filter(|k| !k.is_empty()),
        )
    }

    pub fn save_settings(self, settings: SyncSettings) {
        let before = self.settings.get_untracked();
        self.settings.set(settings.clone());
        self.write(
            SETTINGS_KEY,
            serde_json::to_string(&settings).unwrap_or_default(),
        );
        if settings.auto_publish != before.auto_publish {
            self.dispatch(Event::AutoPublishChanged(settings.auto_publish));
        }
        if (&settings.endpoint, &settings.upload_key, settings.webdav)
            != (&before.endpoint, &before.upload_key, before.webdav)
        {
            self.dispatch(Event::EndpointChanged);
        }
    }

    pub fn request(self) {
        self.dispatch(Event::PublishRequested);
    }

    /// The participant confirmed a backup carrying this write token.
    pub fn import_token(self, token: String) {
        self.dispatch(Event::TokenImported(token));
    }

    /// This browser's write token, for a backup file.
    pub async fn token(self) -> Option<String> {
        let store = self.store.get_value()?;
        read::<String>(&store, TOKEN_KEY)
            .await
            .or(read::<PublishMeta>(&store, PUBLISH_KEY)
                .await
                .and_then(|m| m.token))
    }

    pub fn is_working(self) -> bool {
        self.status.with(|s| *s == Status::Working)
    }

    fn dispatch(self, event: Event) {
        let ctx = Context {
            now: now(),
            catalogue: Catalogue::wsis(),
        };
        let mut workspace = self.drafts.workspace.get_untracked();
        let before = workspace.clone();
        let mut commands = Vec::new();
        self.machine.update_value(|machine| {
            commands = machine.step(&mut workspace, &ctx, event);
            self.meta.set(machine.meta().clone());
        });
        if workspace != before {
            self.drafts.workspace.set(workspace);
        }
        for command in commands {
            self.run(command);
        }
    }

    fn run(self, command: Command) {
        match command {
            Command::SaveMeta(meta) => self.write(
                PUBLISH_KEY,
                serde_json::to_string(&meta).unwrap_or_default(),
            ),
            Command::SaveToken { ticket, token } => spawn_local(async move {
                let ok = match self.store.get_value() {
                    Some(store) => store.put_meta(TOKEN_KEY, &json(&token)).await.is_ok(),
                    None => false,
                };
                self.dispatch(Event::TokenSaved { ticket, ok });
            }),
            Command::WriteRecords(ids) => self.drafts.write_records(&ids),
            Command::AcquireLock => spawn_local(async move {
                let lock = web_lock::acquire().await;
                self.resources.update_value(|r| r.lock = Some(lock));
                let (stored, token) = match self.store.get_value() {
                    Some(store) => (
                        read::<PublishMeta>(&store, PUBLISH_KEY).await,
                        read::<String>(&store, TOKEN_KEY).await,
                    ),
                    None => (None, None),
                };
                let records = self.drafts.stored_records().await;
                self.dispatch(Event::LockGranted {
                    stored,
                    token,
                    records,
                });
            }),
            Command::ReleaseLock => self.resources.update_value(|r| r.lock = None),
            Command::MakeToken => self.dispatch(Event::TokenMade(random_token())),
            Command::Put {
                ticket,
                body,
                precondition,
                token,
            } => {
                let Some(abort) = self.track(ticket) else {
                    return;
                };
                let endpoint = self.endpoint();
                spawn_local(async move {
                    let name = self.own_file_name();
                    // Signed here, under the publishing lock the machine holds for this PUT.
                    let key = match self.store.get_value() {
                        Some(store) => author_key::stored_or_made(&store).await,
                        None => None,
                    };
                    let body = key
                        .and_then(|key| key.sign_json(&body).ok())
                        .unwrap_or(body);
                    let answer = endpoint
                        .put(&name, body, &precondition, &token, &abort)
                        .await;
                    self.resources.update_value(|r| {
                        r.requests.remove(&ticket);
                    });
                    self.dispatch(Event::PutAnswered { ticket, answer });
                });
            }
            Command::Get { ticket } => {
                let Some(abort) = self.track(ticket) else {
                    return;
                };
                let endpoint = self.endpoint();
                let token_protected = !self.settings.with_untracked(|s| s.webdav);
                spawn_local(async move {
                    let answer = endpoint.fetch_own(&self.own_file_name(), &abort).await;
                    let answer =
                        author_key::only_own(self.store.get_value(), answer, token_protected).await;
                    self.resources.update_value(|r| {
                        r.requests.remove(&ticket);
                    });
                    self.dispatch(Event::GetAnswered { ticket, answer });
                });
            }
            Command::Abort { ticket } => self.resources.update_value(|r| {
                if let Some(request) = r.requests.remove(&ticket) {
                    request.abort();
                }
            }),
            Command::StartTimer { ticket, after_ms } => {
                let timer = Timer::start(Duration::from_millis(after_ms), move || {
                    // Handled after this callback returns, so the timer can be dropped.
                    spawn_local(async move {
                        self.resources.update_value(|r| {
                            r.timers.remove(&ticket);
                        });
                        self.dispatch(Event::TimerFired { ticket });
                    })
                });
                self.resources.update_value(|r| {
                    r.timers.insert(ticket, timer);
                });
            }
            Command::Tell(status) => self.status.set(status),
        }
    }

    /// This browser's signing key as text, for a backup file.
    pub async fn signing_key(self) -> Option<String> {
        let store = self.store.get_value()?;
        author_key::stored(&store).await.map(|key| key.to_text())
    }

    /// The participant confirmed a backup carrying this signing key: bundles are signed with
    /// it from now on (the key readers already pinned for this author).
    pub async fn import_signing_key(self, text: String) -> bool {
        let (Some(store), Some(key)) = (self.store.get_value(), AuthorKey::from_text(&text)) else {
            return false;
        };
        let _lock = web_lock::acquire().await;
        author_key::save(&store, &key).await
    }

    fn track(self, ticket: Ticket) -> Option<AbortController> {
        let controller = AbortController::new().ok()?;
        self.resources.update_value(|r| {
            r.requests.insert(ticket, controller.clone());
        });
        Some(controller)
    }

    fn own_file_name(self) -> String {
        let author = self
            .drafts
            .workspace
            .with_untracked(|w| w.profile.as_ref().map(|p| p.id.clone()).unwrap_or_default());
        format!("{author}.json")
    }

    fn write(self, key: &'static str, json: String) {
        let Some(store) = self.store.get_value() else {
            return;
        };
        // A lost settings or meta write costs a setting or a 412 later, never a draft.
        spawn_local(async move {
            let _ = store.put_meta(key, &json).await;
        });
    }
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

async fn read<T: for<'de> Deserialize<'de>>(store: &Store, key: &str) -> Option<T> {
    let text = store.get_meta(key).await.ok()??;
    serde_json::from_str(&text).ok()
}

/// `None` without a secure random source: a guessable token would let anyone publish under
/// this participant's name.
fn random_token() -> Option<String> {
    let bytes = author_key::random_bytes()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
