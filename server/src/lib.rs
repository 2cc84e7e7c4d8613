#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use layanan_protocol::AgencyPublicKey;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod auth;
pub mod blob;
pub mod clock;
pub mod config;
pub mod error;
pub mod forms;
pub mod forms_engine;
pub mod keys;
pub mod maintenance;
pub mod middleware;
pub mod otp;
pub mod ratelimit;
pub mod routes;
pub mod secrets;
pub mod state;
pub mod storage;
pub mod submissions;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod validate;

pub use config::{Limits, ServerConfig, StorageConfig};
pub use forms_engine::FormsEngineValidator;
pub use otp::{InProcessOtpSender, LogOtpSender, OtpSender};
pub use validate::{Envelope, Rejection, SubmissionValidator, WellFormedXml};

use crate::blob::LocalBlobStore;
use crate::forms::FormStore;
use crate::ratelimit::RateLimiter;
use crate::secrets::Secrets;
use crate::state::{AppState, Inner};
use crate::storage::{PostgresStorage, SqliteStorage, Storage};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("keys: {0}")]
    Keys(#[from] keys::KeyError),
    #[error("storage: {0}")]
    Storage(#[from] storage::StorageError),
}

/// Builds the application (storage opened and migrated, keys loaded) without binding.
pub async fn build_app(config: ServerConfig) -> Result<(axum::Router, AppState), StartError> {
    std::fs::create_dir_all(config.forms_dir())?;
    let keys_dir = config.data_dir.join("keys");
    let signer = keys::load_or_create_agency_key(&keys_dir)?;
    let secret = keys::load_or_create_server_secret(&keys_dir)?;
    let storage: Arc<dyn Storage> = match &config.storage {
        StorageConfig::Sqlite => {
            let path = config.data_dir.join("layanan.sqlite3");
            let opened = tokio::task::spawn_blocking(move || SqliteStorage::open(&path))
                .await
                .map_err(|_| storage::StorageError::Task)??;
            Arc::new(opened)
        }
        StorageConfig::Postgres { url, schema } => {
            Arc::new(PostgresStorage::connect(url, schema.as_deref()).await?)
        }
    };
    let otp: Option<Arc<dyn OtpSender>> = match (&config.otp_sender, config.dev_mode) {
        (Some(sender), _) => Some(Arc::clone(sender)),
        (None, true) => Some(Arc::new(LogOtpSender)),
        (None, false) => None,
    };
    let validator: Arc<dyn SubmissionValidator> = config
        .validator
        .clone()
        .unwrap_or_else(|| Arc::new(forms_engine::FormsEngineValidator::default()));
    let limits = &config.limits;
    let inner = Inner {
        storage,
        blobs: Arc::new(LocalBlobStore::new(config.data_dir.join("blobs"))),
        forms: Arc::new(FormStore::new(config.forms_dir())),
        signer,
        secrets: Secrets::new(&secret),
        validator,
        otp,
        client_limiter: RateLimiter::new(limits.requests_per_minute, Duration::from_secs(60)),
        phone_limiter: RateLimiter::new(limits.sign_ins_per_hour, Duration::from_secs(3600)),
        config,
    };
    let state = AppState::new(inner);
    Ok((routes::router(state.clone()), state))
}

/// A server running on a tokio task. Dropping it stops the server too.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    maintenance: JoinHandle<()>,
}

impl RunningServer {
    /// The bound address (the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The key receipts from this server verify against.
    pub fn agency_public_key(&self) -> &AgencyPublicKey {
        self.state.signer.public_key()
    }

    /// Runs one housekeeping sweep now (it also runs every
    /// `Limits::maintenance_interval`); returns how many stale uploads it removed.
    pub async fn run_maintenance(&self) -> Result<usize, error::ApiError> {
        maintenance::sweep(&self.state).await
    }

    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        self.maintenance.abort();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task
                .await
                .map_err(|e| std::io::Error::other(e.to_string()))?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.maintenance.abort();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts the server on `addr` (use `127.0.0.1:0` for an ephemeral port) on the
/// current tokio runtime.
pub async fn start(config: ServerConfig, addr: SocketAddr) -> Result<RunningServer, StartError> {
    let (app, state) = build_app(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, key_id = %state.signer.public_key().key_id, "layanan-server listening");
    let maintenance = tokio::spawn(maintenance::run(
        state.clone(),
        state.config.limits.maintenance_interval,
    ));
    Ok(RunningServer {
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
        maintenance,
    })
}
