//! `SyncService`: the shells' handle on the sync engine. The shells decide when to
//! run it (WorkManager, BGTaskScheduler, a "send now" button) and report the network;
//! the core decides everything else.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use layanan_device::sync as dsync;
use layanan_protocol::{hex, AgencyPublicKey};

use crate::profile::Profile;
use crate::records::{OutboxError, OutboxState};
use crate::runtime::runtime;

/// Why a sync call failed. Kotlin: `SyncException`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SyncError {
    /// The profile has no session on this server: sign in first.
    #[error("not signed in")]
    NotSignedIn,
    /// The server refused the request; `user_message` (Bahasa Indonesia) and
    /// `user_message_en` are ready to show.
    #[error("server refused ({status}): {code}")]
    Refused {
        status: u16,
        code: String,
        user_message: String,
        user_message_en: String,
    },
    /// No answer from the server (offline, timeout). Try again later.
    #[error("network: {reason}")]
    Network { reason: String },
    /// A parameter was refused (e.g. the agency key is not 32 bytes of hex).
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The run was cancelled with `cancel()`.
    #[error("cancelled")]
    Cancelled,
    /// The local store failed.
    #[error("store: {reason}")]
    Store { reason: String },
}

impl From<dsync::SyncError> for SyncError {
    fn from(e: dsync::SyncError) -> Self {
        match e {
            dsync::SyncError::NotSignedIn => Self::NotSignedIn,
            dsync::SyncError::Store(e) => Self::Store {
                reason: e.to_string(),
            },
            dsync::SyncError::Client(dsync::ClientError::Http { status, body, .. }) => {
                let (code, user_message, user_message_en) = match body {
                    Some(b) => (serde_code(&b.code), b.message, b.message_en),
                    None => (
                        format!("http_{status}"),
                        "Server menolak permintaan.".into(),
                        "The server refused the request.".into(),
                    ),
                };
                Self::Refused {
                    status,
                    code,
                    user_message,
                    user_message_en,
                }
            }
            dsync::SyncError::Client(e) => Self::Network {
                reason: e.to_string(),
            },
        }
    }
}

/// The wire spelling of an error code (`instance_id_conflict`, ...).
fn serde_code(code: &layanan_protocol::ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// A started sign-in: the server sent a one-time code by SMS.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SignInChallenge {
    pub challenge_id: String,
    pub expires_in_secs: u64,
    pub code_length: u32,
}

/// Why a run ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum StopReason {
    ServerUnreachable,
    TimeBudget,
    SignInRequired,
    Offline,
    WaitingForUnmetered,
}

/// What one run did.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SyncReport {
    pub sent: u32,
    pub duplicates: u32,
    pub failed: u32,
    pub wedged: u32,
    pub remaining: u32,
    pub new_status_events: u32,
    pub bytes_sent: u64,
    pub stopped: Option<StopReason>,
}

/// Progress of a run, delivered to a [`SyncListener`].
#[derive(Debug, Clone, uniffi::Enum)]
pub enum SyncEvent {
    Started {
        due: u32,
    },
    ItemStarted {
        instance_id: String,
    },
    Upload {
        instance_id: String,
        sent: u64,
        total: u64,
    },
    ItemFinished {
        instance_id: String,
        state: OutboxState,
        error: Option<OutboxError>,
    },
    StatusUpdated {
        new_events: u32,
    },
    Finished {
        report: SyncReport,
    },
}

/// Receives a run's progress, on a background thread.
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    fn on_event(&self, event: SyncEvent);
}

/// What a forms refresh did.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormsUpdate {
    pub downloaded: u32,
    pub unchanged: u32,
}

/// What the shell knows about the network.
#[derive(Debug, Clone, Copy, uniffi::Record)]
pub struct NetworkState {
    pub connected: bool,
    pub metered: bool,
}

impl From<dsync::StopReason> for StopReason {
    fn from(r: dsync::StopReason) -> Self {
        match r {
            dsync::StopReason::ServerUnreachable => Self::ServerUnreachable,
            dsync::StopReason::TimeBudget => Self::TimeBudget,
            dsync::StopReason::SignInRequired => Self::SignInRequired,
            dsync::StopReason::Offline => Self::Offline,
            dsync::StopReason::WaitingForUnmetered => Self::WaitingForUnmetered,
        }
    }
}

impl From<dsync::SyncReport> for SyncReport {
    fn from(r: dsync::SyncReport) -> Self {
        Self {
            sent: r.sent,
            duplicates: r.duplicates,
            failed: r.failed,
            wedged: r.wedged,
            remaining: r.remaining,
            new_status_events: r.new_status_events,
            bytes_sent: r.bytes_sent,
            stopped: r.stopped.map(Into::into),
        }
    }
}

impl From<dsync::SyncEvent> for SyncEvent {
    fn from(e: dsync::SyncEvent) -> Self {
        match e {
            dsync::SyncEvent::Started { due } => Self::Started { due },
            dsync::SyncEvent::ItemStarted { instance_id } => Self::ItemStarted { instance_id },
            dsync::SyncEvent::Upload {
                instance_id,
                sent,
                total,
            } => Self::Upload {
                instance_id,
                sent,
                total,
            },
            dsync::SyncEvent::ItemFinished {
                instance_id,
                state,
                error,
            } => Self::ItemFinished {
                instance_id,
                state: state.into(),
                error: error.map(Into::into),
            },
            dsync::SyncEvent::StatusUpdated { new_events } => Self::StatusUpdated { new_events },
            dsync::SyncEvent::Finished { report } => Self::Finished {
                report: report.into(),
            },
        }
    }
}

struct ListenerAdapter(Arc<dyn SyncListener>);

impl dsync::SyncListener for ListenerAdapter {
    fn on_event(&self, event: dsync::SyncEvent) {
        self.0.on_event(event.into());
    }
}

/// Sends a profile's outbox to one agency server and pulls its decisions. Keep one
/// per profile for the whole process (the app's background worker and its screens
/// share it): runs on one service never overlap.
#[derive(uniffi::Object)]
pub struct SyncService {
    engine: Arc<dsync::SyncEngine>,
    running: Mutex<Option<tokio::task::AbortHandle>>,
}

impl std::fmt::Debug for SyncService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncService")
    }
}

#[uniffi::export]
impl SyncService {
    /// A sync service for `profile` and the server at `server_url`. Receipts must be
    /// signed by `agency_public_key_hex` (the agency's Ed25519 key, 64 hex digits,
    /// shipped with the app: never taken from the server it checks).
    #[uniffi::constructor]
    pub fn new(
        profile: Arc<Profile>,
        server_url: String,
        agency_public_key_hex: String,
    ) -> Result<Arc<Self>, SyncError> {
        let key = hex::decode_array::<32>(agency_public_key_hex.trim()).map_err(|_| {
            SyncError::InvalidInput {
                reason: "agency_public_key_hex must be 64 hex digits".into(),
            }
        })?;
        let engine = dsync::SyncEngine::new(
            profile.domain(),
            &server_url,
            AgencyPublicKey::from_bytes(key),
            dsync::SyncConfig::default(),
        )?;
        Ok(Arc::new(Self {
            engine: Arc::new(engine),
            running: Mutex::new(None),
        }))
    }

    /// Asks the server to text a one-time code to `phone` (e.g. `0812...` or `+62812...`).
    pub async fn start_sign_in(&self, phone: String) -> Result<SignInChallenge, SyncError> {
        let engine = Arc::clone(&self.engine);
        let started = spawn(async move { engine.start_sign_in(&phone).await }).await??;
        Ok(SignInChallenge {
            challenge_id: started.challenge_id,
            expires_in_secs: started.expires_in_secs,
            code_length: started.code_length,
        })
    }

    /// Finishes signing in with the code the citizen typed; the tokens are sealed.
    pub async fn finish_sign_in(
        &self,
        challenge_id: String,
        code: String,
    ) -> Result<(), SyncError> {
        let engine = Arc::clone(&self.engine);
        Ok(spawn(async move { engine.finish_sign_in(&challenge_id, &code).await }).await??)
    }

    /// Refreshes the forms kept offline from the server's form list; only changed
    /// forms are downloaded.
    pub async fn update_forms(&self) -> Result<FormsUpdate, SyncError> {
        let engine = Arc::clone(&self.engine);
        let (downloaded, unchanged) = spawn(async move { engine.update_forms().await }).await??;
        Ok(FormsUpdate {
            downloaded,
            unchanged,
        })
    }

    /// Reports the network (call on every change).
    pub fn set_network(&self, state: NetworkState) {
        self.engine.set_network(dsync::NetworkState {
            connected: state.connected,
            metered: state.metered,
        });
    }

    /// The citizen's "send over Wi-Fi only" setting.
    pub fn set_wifi_only(&self, wifi_only: bool) {
        self.engine.set_wifi_only(wifi_only);
    }

    /// Sends what is due and pulls status updates for at most `time_budget_secs`
    /// (WorkManager gives ~10 minutes, an iOS background task ~30 s). Progress goes to
    /// `listener`. Safe to cut short: unfinished work resumes next run, never twice.
    pub async fn sync_now(
        &self,
        time_budget_secs: u32,
        listener: Option<Arc<dyn SyncListener>>,
    ) -> Result<SyncReport, SyncError> {
        let engine = Arc::clone(&self.engine);
        let listener =
            listener.map(|l| Arc::new(ListenerAdapter(l)) as Arc<dyn dsync::SyncListener>);
        let task = runtime().spawn(async move {
            engine
                .sync_now(Duration::from_secs(u64::from(time_budget_secs)), listener)
                .await
        });
        if let Ok(mut slot) = self.running.lock() {
            *slot = Some(task.abort_handle());
        }
        match task.await {
            Ok(result) => Ok(result?.into()),
            Err(e) if e.is_cancelled() => Err(SyncError::Cancelled),
            Err(_) => Err(SyncError::Store {
                reason: "the sync task panicked".into(),
            }),
        }
    }

    /// Stops a running `sync_now` (it then fails with `Cancelled`). Items it was
    /// sending are resent by the next run; the server dedupes them.
    pub fn cancel(&self) {
        if let Ok(mut slot) = self.running.lock() {
            if let Some(handle) = slot.take() {
                handle.abort();
            }
        }
    }
}

/// Fetches the Ed25519 key `server_url` says it signs receipts with, as 64 hex
/// digits. For first-use pinning in tools and demos only: an app ships the agency's
/// key, because a key fetched from a server cannot vouch for that server.
#[uniffi::export]
pub async fn fetch_agency_key(server_url: String) -> Result<String, SyncError> {
    let client = dsync::ServerClient::new(&server_url, &dsync::HttpTimeouts::default())
        .map_err(|e| SyncError::from(dsync::SyncError::Client(e)))?;
    let key = spawn(async move { client.agency_key().await })
        .await?
        .map_err(|e| SyncError::from(dsync::SyncError::Client(e)))?;
    Ok(hex::encode(&key.public_key))
}

/// Runs `fut` on the core's runtime (reqwest needs tokio) and awaits it from any executor.
async fn spawn<T: Send + 'static>(
    fut: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, SyncError> {
    runtime().spawn(fut).await.map_err(|e| {
        if e.is_cancelled() {
            SyncError::Cancelled
        } else {
            SyncError::Store {
                reason: "the task panicked".into(),
            }
        }
    })
}
