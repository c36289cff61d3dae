//! The native file endpoint: serves the built app and the author bundles.
//!
//! Kept thin: the bundle routes in `bundle_routes/`, the app's files in `app_shell.rs`, one
//! refusal shape in `errors.rs`, the store's rules in `bundles/`, where its bytes live in
//! `objects/` (a folder, or an S3 bucket shared by several processes), and every rule about a
//! bundle's content in `networkshop-core` (the same validation the browser runs).

mod app_shell;
mod atomic;
mod bundle_routes;
pub mod bundles;
mod errors;
pub mod objects;
mod static_files;

use std::path::PathBuf;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::bundles::{BundleStore, CheckpointSettings};
use crate::objects::folder::FolderObjects;
use crate::objects::s3::{S3Config, S3Objects};

/// Header carrying the operator's shared upload key, when one is configured.
pub const UPLOAD_KEY_HEADER: &str = "x-networkshop-key";

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Where author bundles are kept, one file per author (unless `s3` is set).
    pub data: PathBuf,
    /// When set, bundles, tokens and the change log live in this bucket instead of `data`.
    pub s3: Option<S3Config>,
    /// When the change log is compacted into a checkpoint.
    pub checkpoints: CheckpointSettings,
    /// When set, every PUT must carry it in `X-Networkshop-Key`.
    pub upload_key: Option<String>,
    /// Origins allowed to call the bundle routes from another site (`*` for any).
    pub cors_origins: Vec<String>,
    /// Test hook, never set by the binary: each bundle write sleeps this long per MiB between
    /// writing its temporary file and renaming it, as a slow disk would, so tests can hold a
    /// write open where a race would do harm.
    pub write_delay_per_mib: Option<Duration>,
    /// Test hook, never set by the binary: the size above which a file of the app is neither
    /// compressed ahead nor held in memory ([`static_files::LARGE_FILE_BYTES`] when unset).
    pub large_file_bytes: Option<u64>,
}

impl Config {
    fn large_file_bytes(&self) -> u64 {
        self.large_file_bytes
            .unwrap_or(static_files::LARGE_FILE_BYTES)
    }
}

/// The bundle routes over the configured store; with `checkpoint_timer`, the store also
/// writes a checkpoint on its own now and then (the binary's choice; tests call it).
fn bundle_router(config: &Config, checkpoint_timer: bool) -> Result<Router, String> {
    fn routes<O: objects::Objects>(store: BundleStore<O>, config: &Config, timer: bool) -> Router {
        if timer {
            store.spawn_checkpoint_timer();
        }
        bundle_routes::router(store, config.upload_key.clone(), &config.cors_origins)
    }
    Ok(match &config.s3 {
        Some(s3) => routes(
            BundleStore::new(S3Objects::new(s3)?, config.checkpoints),
            config,
            checkpoint_timer,
        ),
        None => {
            let folder = FolderObjects::new(config.data.clone())
                .with_write_delay(config.write_delay_per_mib);
            routes(
                BundleStore::new(folder, config.checkpoints),
                config,
                checkpoint_timer,
            )
        }
    })
}

/// The whole HTTP application. Panics on an S3 configuration [`check_store`] would refuse.
pub fn app(config: &Config) -> Router {
    app_with_timer(config, false)
}

/// [`app`], writing checkpoints on a timer as well as after every `every_changes` changes.
pub fn app_with_timer(config: &Config, checkpoint_timer: bool) -> Router {
    bundle_router(config, checkpoint_timer)
        .expect("store configuration checked")
        .merge(app_shell::router(&config.dist, config.large_file_bytes()))
        // Inside compression, so it reads refusals before they are encoded.
        .layer(map_response(errors::explain_refusals))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Dynamic JSON (listings, bundles) shrinks to a third or less; the participant may be on
        // a slow line. The app's files come compressed already (`static_files/`), and a
        // response with a Content-Encoding is never compressed again.
        .layer(CompressionLayer::new())
        .layer(map_response(static_files::weaken_etag_if_compressed))
        .layer(TraceLayer::new_for_http())
}

/// Checks the configured folders before serving, so a wrong `--dist` is an error at start-up
/// rather than a 404 in the participant's browser; writes the compressed copies of the app's
/// files that are missing or stale (a read-only `dist` is a warning); and removes the
/// temporary files of writes a crash interrupted (they would otherwise stay forever).
pub fn check_config(config: &Config) -> Result<(), String> {
    if !config.dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the app first (trunk build --release) or pass --dist",
            config.dist.display()
        ));
    }
    static_files::precompress_and_log(&config.dist, config.large_file_bytes());
    if config.s3.is_some() {
        return Ok(());
    }
    std::fs::create_dir_all(&config.data).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e}",
            config.data.display()
        )
    })?;
    let removed = FolderObjects::new(config.data.clone())
        .remove_temporaries()
        .map_err(|e| {
            format!(
                "cannot clean the data folder {}: {e}",
                config.data.display()
            )
        })?;
    if removed > 0 {
        tracing::info!(removed, "removed temporary files of interrupted writes");
    }
    Ok(())
}

/// For an S3 store: the bucket answers, and honours conditional writes (else refused: several
/// processes could lose each other's writes). Nothing to check for a folder.
pub async fn check_store(config: &Config) -> Result<(), String> {
    let Some(s3) = &config.s3 else {
        return Ok(());
    };
    let objects = S3Objects::new(s3)?;
    if s3.create_bucket {
        objects
            .create_bucket()
            .await
            .map_err(|e| format!("{} at {}: {e}", s3.bucket, s3.endpoint))?;
    }
    objects
        .probe()
        .await
        .map_err(|e| format!("s3://{}/{} at {}: {e}", s3.bucket, s3.prefix, s3.endpoint))
}
