//! `layanan-server`: with no arguments, serves on 127.0.0.1:8080 from `./layanan-data`
//! with SQLite. See `--help`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use layanan_server::{ServerConfig, StorageConfig};
use tracing_subscriber::EnvFilter;

/// Layanan reference government server (OpenRosa 1.0 + citizen extensions).
#[derive(Debug, Parser)]
#[command(name = "layanan-server", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "LAYANAN_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Data folder: forms/, blobs/, keys/ and the SQLite database.
    #[arg(long, env = "LAYANAN_DATA_DIR", default_value = "layanan-data")]
    data_dir: PathBuf,
    /// Development mode: sign-in codes are written to the log, and an officer token is
    /// created in <data-dir>/keys/officer-token if none is given.
    #[arg(long, env = "LAYANAN_DEV")]
    dev: bool,
    /// Use PostgreSQL instead of SQLite, e.g. postgres://user@localhost/layanan.
    /// Prefer the environment variable when the URL holds a password: flags show in the
    /// process list.
    #[arg(long, env = "LAYANAN_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// Base URL for links in the form list (default: from the Host header).
    #[arg(long, env = "LAYANAN_PUBLIC_URL")]
    public_url: Option<String>,
    /// File holding the officer token (an environment variable or file keeps it out of
    /// the process list).
    #[arg(long, env = "LAYANAN_OFFICER_TOKEN_FILE")]
    officer_token_file: Option<PathBuf>,
    /// Refuse OpenRosa submissions that carry no citizen token.
    #[arg(long)]
    require_sign_in: bool,
    /// Running behind a load balancer: rate-limit by the last X-Forwarded-For address.
    #[arg(long, env = "LAYANAN_BEHIND_PROXY")]
    behind_proxy: bool,
}

fn officer_token(args: &Args) -> Result<Option<String>, Box<dyn std::error::Error>> {
    if let Some(path) = &args.officer_token_file {
        return Ok(Some(std::fs::read_to_string(path)?.trim().to_owned()));
    }
    if let Ok(token) = std::env::var("LAYANAN_OFFICER_TOKEN") {
        return Ok(Some(token.trim().to_owned()));
    }
    if !args.dev {
        return Ok(None);
    }
    let keys = args.data_dir.join("keys");
    let token = layanan_server::keys::load_or_create_officer_token(&keys)?;
    tracing::info!(file = %keys.join("officer-token").display(), "development mode: officer token file");
    Ok(Some(token))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let mut config = ServerConfig::new(&args.data_dir);
    config.dev_mode = args.dev;
    config.public_base_url = args.public_url.clone();
    config.allow_anonymous_submissions = !args.require_sign_in;
    config.trust_forwarded_for = args.behind_proxy;
    config.officer_token = officer_token(&args)?;
    if let Some(url) = &args.postgres_url {
        config.storage = StorageConfig::Postgres {
            url: url.clone(),
            schema: None,
        };
    }
    if !args.dev {
        tracing::info!("sign-in codes need an SMS gateway; run with --dev to log them instead");
    }
    let server = layanan_server::start(config, args.addr).await?;
    tracing::info!(url = %server.base_url(), "ready; forms are read from {}/forms", args.data_dir.display());
    tokio::signal::ctrl_c().await?;
    tracing::info!("shutting down");
    server.shutdown().await?;
    Ok(())
}
