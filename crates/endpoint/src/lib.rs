//! The native file endpoint: serves the built app (and, with the sync issue, the author bundles).
//!
//! Kept thin: HTTP concerns here, every rule about bundles in `networkshop-core`.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, Clone)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
    /// Where author bundles are kept, one file per author.
    pub data: PathBuf,
}

/// The whole HTTP application.
pub fn app(config: &Config) -> Router {
    let dist = config.dist.clone();
    Router::new()
        .fallback(move |request: Request<Body>| serve_app(dist.clone(), request))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Wasm and JS shrink to a third or less; the participant may be on a slow line.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Static files of the app; any path without a file extension is a client-side route and gets
/// `index.html`, while a missing asset stays a 404 (an HTML page in place of a wasm file would
/// only hide the error).
async fn serve_app(dist: PathBuf, request: Request<Body>) -> Response {
    let path = request.uri().path().to_owned();
    let last_segment = path.rsplit('/').next().unwrap_or("");
    let is_route = !last_segment.contains('.');
    let result = if is_route && !dist.join(path.trim_start_matches('/')).is_file() {
        ServeFile::new(dist.join("index.html"))
            .oneshot(request)
            .await
    } else {
        ServeDir::new(&dist).oneshot(request).await
    };
    match result {
        Ok(response) => {
            let mut response = response.map(Body::new);
            if is_route {
                // The page shell must be re-validated so that a new build is picked up.
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            }
            response
        }
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// Checks the configured folders before serving, so a wrong `--dist` is an error at start-up
/// rather than a 404 in the participant's browser.
pub fn check_config(config: &Config) -> Result<(), String> {
    if !config.dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the app first (trunk build --release) or pass --dist",
            config.dist.display()
        ));
    }
    std::fs::create_dir_all(&config.data).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e}",
            config.data.display()
        )
    })?;
    Ok(())
}
