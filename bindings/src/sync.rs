//! `SyncService`: the shells' handle on the sync engine. The shells decide when to
//! run it (WorkManager, BGTaskScheduler, a "send now" button) and report the network;
//! the core decides everything else.

use std::sync::Arc;
use std::time::Duration;

use layanan_device as device;
use layanan_device::sync as dsync;
pub use layanan_device::sync::{NetworkState, StopReason};
use layanan_protocol::{hex, AgencyPublicKey, ErrorCode};
use tokio::sync::watch;

use crate::errors::{join_failure, StoreCause, StoreError, StoreFailure};
use crate::profile::Profile;
use crate::records::{OutboxError, OutboxState};

/// Why a sync call failed. Kotlin: `SyncException`.
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum SyncError {
    /// The profile has no session on this server: sign in first.
    #[error("not signed in")]
    NotSignedIn,
    /// The server refused the request; `user_message` (Bahasa Indonesia) and
    /// `user_message_en` are ready to show. `code` is `Unknown` when the answer had
    /// no readable body (see `status`).
    #[error("server refused ({status}): {code:?}")]
    Refused {
        status: u16,
        code: ErrorCode,
        user_message: String,
        user_message_en: String,
    },
    /// Something other than the OpenRosa server answered (a captive portal's login
    /// page, a proxy): nothing of it was used. Open the browser to log in to the
    /// network, then try again.
    #[error("not an OpenRosa answer (HTTP {status})")]
    NotOpenRosa {
        status: u16,
        user_message: String,
        user_message_en: String,
    },
    /// No answer from the server (offline, timeout). Try again later.
    #[error("network: {reason}")]
    Network { reason: String },
    /// A parameter was refused (e.g. the agency key is not 32 bytes of hex).
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The profile was locked: unlock it and try again.
    #[error("profile locked")]
    Locked,
    /// The local store failed; `failure` says how (disk full, key lost, damaged data).
    #[error("store: {failure:?}")]
    Store { failure: StoreFailure },
    /// A bug in Layanan (a caught panic included); please report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<device::StoreError> for SyncError {
    fn from(e: device::StoreError) -> Self {
        match StoreCause::from(e) {
            StoreCause::Locked => Self::Locked,
            StoreCause::Failure(failure) => Self::Store { failure },
            StoreCause::Other(StoreError::InvalidInput { reason }) => Self::InvalidInput { reason },
            StoreCause::Other(other) => Self::Internal {
                reason: other.to_string(),
            },
        }
    }
}

impl From<dsync::SyncError> for SyncError {
    fn from(e: dsync::SyncError) -> Self {
        match e {
            dsync::SyncError::NotSignedIn => Self::NotSignedIn,
            dsync::SyncError::Store(e) => e.into(),
            dsync::SyncError::Client(dsync::ClientError::Http { status, body, .. }) => match body {
                Some(b) => Self::Refused {
                    status,
                    code: b.code,
                    user_message: b.message,
                    user_message_en: b.message_en,
                },
                None => Self::Refused {
                    status,
                    code: ErrorCode::Unknown,
                    user_message: "Server menolak permintaan.".into(),
                    user_message_en: "The server refused the request.".into(),
                },
            },
            dsync::SyncError::Client(dsync::ClientError::NotOpenRosa { status }) => {
                Self::NotOpenRosa {
                    status,
                    user_message:
                        "Yang menjawab bukan server layanan (mungkin halaman login Wi-Fi). \
                                   Buka peramban untuk login ke jaringan, lalu coba lagi."
                            .into(),
                    user_message_en: "Something other than the service's server answered (perhaps \
                                      a Wi-Fi login page). Open the browser to log in to the \
                                      network, then try again."
                        .into(),
                }
            }
            dsync::SyncError::Client(e) => Self::Network {
                reason: e.to_string(),
            },
        }
    }
}

/// A started sign-in: the server sent a one-time code by SMS.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SignInChallenge {
    pub challenge_id: String,
    pub expires_in_secs: u64,
    pub code_length: u32,
}

/// Why a run ended early.
#[uniffi::remote(Enum)]
pub enum StopReason {
    ServerUnreachable,
    TimeBudget,
    SignInRequired,
    Offline,
    WaitingForUnmetered,
    /// The run's handle was cancelled; what it was sending is back in the queue.
    Cancelled,
}

/// What one run did, and how everything not yet delivered waits.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SyncReport {
    pub sent: u32,
    pub duplicates: u32,
    pub failed: u32,
    pub wedged: u32,
    /// Items due now when the run ended (= `dueNow`).
    pub remaining: u32,
    pub new_status_events: u32,
    pub bytes_sent: u64,
    pub stopped: Option<StopReason>,
    /// Queued, or due again: the next run sends them.
    pub due_now: u32,
    /// Backing off after a network or server failure; retried by themselves.
    pub retry_later: u32,
    /// The earliest retry among `retryLater` (Unix ms).
    pub next_retry_at_ms: Option<i64>,
    /// Items only the citizen can move on, each with why.
    pub wedged_items: Vec<WedgedItem>,
}

/// A wedged outbox item and what to tell the citizen.
#[derive(Debug, Clone, uniffi::Record)]
pub struct WedgedItem {
    pub instance_id: String,
    pub form_id: String,
    pub error: OutboxError,
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
            stopped: r.stopped,
            due_now: r.waiting.due_now,
            retry_later: r.waiting.retry_later,
            next_retry_at_ms: r.waiting.next_retry_at_ms,
            wedged_items: r
                .waiting
                .wedged
                .into_iter()
                .map(|w| WedgedItem {
                    instance_id: w.instance_id,
                    form_id: w.form_id,
                    error: w.error.into(),
                })
                .collect(),
        }
    }
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
#[uniffi::remote(Record)]
pub struct NetworkState {
    pub connected: bool,
    pub metered: bool,
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
                state,
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
}

impl std::fmt::Debug for SyncService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncService")
    }
}

#[uniffi::export(async_runtime = "tokio")]
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
        }))
    }

    /// Asks the server to text a one-time code to `phone` (e.g. `0812...` or `+62812...`).
    pub async fn start_sign_in(&self, phone: String) -> Result<SignInChallenge, SyncError> {
        let started = self.engine.start_sign_in(&phone).await?;
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
        Ok(self.engine.finish_sign_in(&challenge_id, &code).await?)
    }

    /// Signs the citizen out: the server revokes the session (when it can be reached)
    /// and the tokens are deleted; the outbox waits until the next sign-in. Prefer
    /// this to `Account.signOut`, which only forgets the tokens on the phone.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        Ok(self.engine.sign_out().await?)
    }

    /// Refreshes the forms kept offline from the server's form list; only changed
    /// forms are downloaded.
    pub async fn update_forms(&self) -> Result<FormsUpdate, SyncError> {
        let (downloaded, unchanged) = self.engine.update_forms().await?;
        Ok(FormsUpdate {
            downloaded,
            unchanged,
        })
    }

    /// Reports the network (call on every change). Whether mobile data may be used
    /// is the profile's stored setting (`Account.setSyncSettings`).
    pub fn set_network(&self, state: NetworkState) {
        self.engine.set_network(state);
    }

    /// Starts a run that sends what is due and pulls status updates for at most
    /// `time_budget_secs` (WorkManager gives ~10 minutes, an iOS background task
    /// ~30 s), and returns its handle at once. Progress goes to `listener` and to the
    /// profile's subscribers. A second run waits for the first. Safe to cut short:
    /// unfinished work resumes next run, never twice.
    pub async fn sync_now(
        &self,
        time_budget_secs: u32,
        listener: Option<Arc<dyn SyncListener>>,
    ) -> Arc<SyncRun> {
        let engine = Arc::clone(&self.engine);
        let listener =
            listener.map(|l| Arc::new(ListenerAdapter(l)) as Arc<dyn dsync::SyncListener>);
        let cancel = dsync::CancellationToken::new();
        let (tx, rx) = watch::channel(None);
        let token = cancel.clone();
        let task = tokio::spawn(async move {
            engine
                .run(
                    Duration::from_secs(u64::from(time_budget_secs)),
                    listener,
                    token,
                )
                .await
        });
        tokio::spawn(async move {
            let outcome = match task.await {
                Ok(result) => result.map(Into::into).map_err(Into::into),
                Err(e) => Err(SyncError::Internal {
                    reason: join_failure(&e),
                }),
            };
            let _nobody_waits = tx.send(Some(outcome));
        });
        Arc::new(SyncRun {
            cancel,
            outcome: rx,
        })
    }
}

/// One sync run. `cancel()` stops this run (and only this one) at its next safe
/// point: an HTTP exchange is abandoned (the server dedupes a resend) and what the
/// run was sending goes back to the queue. Map a background task's expiry
/// (BGTask `expirationHandler`, WorkManager `onStopped`) to it. Releasing the handle
/// does not stop the run.
#[derive(uniffi::Object)]
pub struct SyncRun {
    cancel: dsync::CancellationToken,
    outcome: watch::Receiver<Option<Result<SyncReport, SyncError>>>,
}

impl std::fmt::Debug for SyncRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncRun")
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl SyncRun {
    /// Asks the run to stop; `report()` then gives a report with `stopped = Cancelled`.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// True once the run ended.
    pub fn is_finished(&self) -> bool {
        self.outcome.borrow().is_some()
    }

    /// The run's report, once it ended (may be awaited by several callers).
    pub async fn report(&self) -> Result<SyncReport, SyncError> {
        let mut rx = self.outcome.clone();
        let outcome = match rx.wait_for(Option::is_some).await {
            Ok(done) => done.clone(),
            Err(_) => None,
        };
        outcome.unwrap_or_else(|| {
            Err(SyncError::Internal {
                reason: "the run's driver stopped without an outcome".into(),
            })
        })
    }
}

/// Fetches the Ed25519 key `server_url` says it signs receipts with, as 64 hex
/// digits. For first-use pinning in tools and demos only: an app ships the agency's
/// key, because a key fetched from a server cannot vouch for that server.
#[uniffi::export(async_runtime = "tokio")]
pub async fn fetch_agency_key(server_url: String) -> Result<String, SyncError> {
    let client = dsync::ServerClient::new(&server_url, &dsync::HttpTimeouts::default())
        .map_err(|e| SyncError::from(dsync::SyncError::Client(e)))?;
    let key = client
        .agency_key()
        .await
        .map_err(|e| SyncError::from(dsync::SyncError::Client(e)))?;
    Ok(hex::encode(&key.public_key))
}
