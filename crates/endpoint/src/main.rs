use std::net::SocketAddr;
use std::path::PathBuf;

use std::time::Duration;

use axum::serve::ListenerExt;
use clap::Parser;
use networkshop_endpoint::bundles::CheckpointSettings;
use networkshop_endpoint::objects::s3::S3Config;
use networkshop_endpoint::{app_with_timer, check_config, check_store, Config};
use tracing_subscriber::EnvFilter;

/// Serves the Networkshop app and its bundle endpoint.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "NETWORKSHOP_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder of the author bundles (created if missing).
    #[arg(long, env = "NETWORKSHOP_DATA", default_value = "data")]
    data: PathBuf,
    /// Keep bundles in an S3-compatible bucket instead of --data: s3://bucket/prefix. Keys
    /// come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never from the command line.
    #[arg(long, env = "NETWORKSHOP_STORE")]
    store: Option<String>,
    /// The S3 service's address (e.g. https://s3.eu-west-1.amazonaws.com).
    #[arg(long, env = "NETWORKSHOP_S3_ENDPOINT")]
    s3_endpoint: Option<String>,
    /// The bucket's region, for request signatures.
    #[arg(long, env = "NETWORKSHOP_S3_REGION", default_value = "us-east-1")]
    s3_region: String,
    /// Create the bucket if it does not exist (first runs, tests).
    #[arg(long, env = "NETWORKSHOP_S3_CREATE_BUCKET")]
    s3_create_bucket: bool,
    /// Write a checkpoint after this many publications (or a tenth of the files, when more)...
    #[arg(long, env = "NETWORKSHOP_CHECKPOINT_CHANGES", default_value_t = 500)]
    checkpoint_changes: u64,
    /// ...or this many seconds after a change.
    #[arg(long, env = "NETWORKSHOP_CHECKPOINT_SECONDS", default_value_t = 60)]
    checkpoint_seconds: u64,
    /// Folder of the built app.
    #[arg(long, env = "NETWORKSHOP_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Shared key every upload must carry (header X-Networkshop-Key); none by default.
    #[arg(long, env = "NETWORKSHOP_UPLOAD_KEY")]
    upload_key: Option<String>,
    /// Origin allowed to use the bundle routes from another site (repeat, or `*`).
    #[arg(
        long = "cors-origin",
        env = "NETWORKSHOP_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .init();
    let args = Args::parse();
    let s3 = match s3_config(&args) {
        Ok(s3) => s3,
        Err(message) => {
            eprintln!("networkshop-endpoint: {message}");
            std::process::exit(2);
        }
    };
    let config = Config {
        dist: args.dist,
        data: args.data,
        s3,
        checkpoints: CheckpointSettings {
            every_changes: args.checkpoint_changes.max(1),
            every: Duration::from_secs(args.checkpoint_seconds.max(1)),
        },
        upload_key: args.upload_key,
        cors_origins: args.cors_origins,
        write_delay_per_mib: None,
        large_file_bytes: None,
    };
    let checked = match check_config(&config) {
        Ok(()) => check_store(&config).await,
        Err(message) => Err(message),
    };
    if let Err(message) = checked {
        eprintln!("networkshop-endpoint: {message}");
        std::process::exit(2);
    }
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "networkshop-endpoint: cannot listen on {}: {error}",
                args.addr
            );
            std::process::exit(2);
        }
    };
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    match &config.s3 {
        Some(s3) => {
            tracing::info!(dist = %config.dist.display(), bucket = %s3.bucket, prefix = %s3.prefix, endpoint = %s3.endpoint, "serving")
        }
        None => {
            tracing::info!(dist = %config.dist.display(), data = %config.data.display(), "serving")
        }
    }
    println!("Networkshop is running at http://{address}/  (Ctrl-C to stop)");
    // Without Nagle's delay: a response's last small segment leaves at once instead of
    // waiting for the client's acknowledgement of the one before.
    let listener = listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, app_with_timer(&config, true))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .expect("server error");
    println!("Networkshop stopped.");
}

/// `--store s3://…` with its endpoint and the keys from the environment, or `None` for the
/// folder.
fn s3_config(args: &Args) -> Result<Option<S3Config>, String> {
    let Some(store) = &args.store else {
        return Ok(None);
    };
    let (bucket, prefix) = S3Config::parse_store(store)?;
    let endpoint = args
        .s3_endpoint
        .clone()
        .ok_or("--store s3://… needs --s3-endpoint")?;
    let key = |name: &str| {
        std::env::var(name).map_err(|_| format!("--store s3://… needs {name} in the environment"))
    };
    Ok(Some(S3Config {
        endpoint,
        region: args.s3_region.clone(),
        bucket,
        prefix,
        access_key: key("AWS_ACCESS_KEY_ID")?,
        secret_key: key("AWS_SECRET_ACCESS_KEY")?,
        create_bucket: args.s3_create_bucket,
    }))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
