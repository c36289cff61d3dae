use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use networkshop_endpoint::{app, check_config, Config};
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
    let config = Config {
        dist: args.dist,
        data: args.data,
        upload_key: args.upload_key,
        cors_origins: args.cors_origins,
        write_delay_per_mib: None,
        large_file_bytes: None,
    };
    if let Err(message) = check_config(&config) {
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
    tracing::info!(dist = %config.dist.display(), data = %config.data.display(), "serving");
    println!("Networkshop is running at http://{address}/  (Ctrl-C to stop)");
    axum::serve(listener, app(&config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .expect("server error");
    println!("Networkshop stopped.");
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
