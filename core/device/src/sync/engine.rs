//! The sync engine: delivers the outbox exactly once and pulls the agency's decisions.
//!
//! Exactly once rests on three rules. (1) An item is in the outbox, persisted, before
//! any byte leaves. (2) Its instanceID is the idempotency key end to end: a retry after
//! a lost answer is recognised by the server and answered with the same receipt.
//! (3) An item becomes `sent` only with a receipt whose signature, instanceID and
//! submission digest verify offline against the agency's key.
//!
//! One failing item never blocks the others: refusals wedge that item alone, and
//! network failures back off per item. A run stops early when several items in a row
//! fail for network or server reasons (the link or the server is down: hammering it
//! helps nobody), when its time budget ends, or when the session must be renewed by
//! the citizen.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use layanan_protocol::upload::CreateUpload;
use layanan_protocol::{AgencyPublicKey, ErrorCode, SignedReceipt};
use tokio::sync::Mutex;
pub use tokio_util::sync::CancellationToken;

use super::account::Session;
use super::backoff::{unit_random, BackoffPolicy};
use super::client::{ClientError, HttpTimeouts, ServerClient};
use super::failure::{classify, outbox_error, Failure};
use super::link::LinkEstimate;
use crate::error::StoreError;
use crate::interrupt::{self, TaskId};
use crate::model::{now_ms, OutboxErrorCode, OutboxState};
use crate::outbox::{damage, OutboxAttachment};
use crate::profile::Profile;
use crate::ProfileChange;

/// How a sync engine behaves.
#[derive(Clone, Debug)]
pub struct SyncConfig {
    pub timeouts: HttpTimeouts,
    pub backoff: BackoffPolicy,
    /// Items in flight at once on a stable link. Two keeps a 2G link busy while one
    /// item waits for its answer (a round trip there is up to a second). On a link
    /// that was cut recently the engine sends one at a time (`sync/link.rs`).
    pub concurrency: usize,
    /// Largest attachment slice per upload request. A cut request loses only its
    /// last partial block (16 or 64 KiB, chosen from the measured rate: the server
    /// keeps every verified block), so the slice can be large and save round trips.
    pub upload_request_bytes: u64,
    /// Retryable failures in a row after which the run stops.
    pub failure_budget: u32,
    /// A dropped connection is retried this many times within the run (resuming
    /// uploads at the server's offset) before the item backs off: on 2G a drop is
    /// often a second of lost signal, and the next run may be hours away.
    pub quick_retries: u32,
    /// Pause before the first quick retry; doubles for each next one.
    pub quick_retry_delay: Duration,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            timeouts: HttpTimeouts::default(),
            backoff: BackoffPolicy::default(),
            concurrency: 2,
            upload_request_bytes: 8 * u64::from(crate::CHUNK_SIZE),
            failure_budget: 4,
            quick_retries: 2,
            quick_retry_delay: Duration::from_secs(2),
        }
    }
}

/// Why a run ended before everything due was tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// Too many network or server failures in a row.
    ServerUnreachable,
    /// The time budget ran out.
    TimeBudget,
    /// The session expired or was revoked: the citizen must sign in again.
    SignInRequired,
    /// The shell reported no network: nothing was tried.
    Offline,
    /// Only a metered network is available and the citizen chose Wi-Fi only.
    WaitingForUnmetered,
    /// The run's handle was cancelled (the citizen left, the background task
    /// expired). Items it was sending are back in the queue.
    Cancelled,
}

/// What the shell knows about the network (Android ConnectivityManager, iOS
/// NWPathMonitor). The core decides what to do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkState {
    pub connected: bool,
    /// Mobile data or a metered hotspot.
    pub metered: bool,
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub sent: u32,
    /// Of `sent`: answered by the server as already received (a retry after a lost answer).
    pub duplicates: u32,
    pub failed: u32,
    pub wedged: u32,
    /// Items still due when the run ended (= `waiting.due_now`).
    pub remaining: u32,
    /// Every item not yet delivered when the run ended, by how it waits (due now,
    /// backing off until when, wedged and why): nothing is hidden behind "0 left".
    pub waiting: crate::OutboxWaiting,
    pub new_status_events: u32,
    /// Request payload bytes sent (after compression), attachments included.
    pub bytes_sent: u64,
    pub stopped: Option<StopReason>,
}

/// Progress reported while a run goes.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        error: Option<crate::OutboxError>,
    },
    StatusUpdated {
        new_events: u32,
    },
    Finished {
        report: SyncReport,
    },
}

/// Receives [`SyncEvent`]s; the shells turn them into a Flow / AsyncSequence.
pub trait SyncListener: Send + Sync {
    fn on_event(&self, event: SyncEvent);
}

/// Why a sync call failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("not signed in to this server")]
    NotSignedIn,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Delivers one profile's outbox to one server.
pub struct SyncEngine {
    profile: Arc<Profile>,
    client: ServerClient,
    server_url: String,
    agency_key: AgencyPublicKey,
    config: SyncConfig,
    session: Mutex<Option<Session>>,
    /// One run at a time: a background job and a "send now" tap must not send the
    /// same items twice (the server would dedupe, but the bytes are the citizen's).
    run_lock: Mutex<()>,
    /// Bit 0: connected, bit 1: metered. Starts "connected, unmetered" so a shell
    /// that never reports still syncs. (The citizen's Wi-Fi-only choice is stored:
    /// see [`crate::sync::SyncSettings`].)
    network: AtomicU32,
    /// What was measured of the link, across runs.
    link: LinkEstimate,
}

const NET_CONNECTED: u32 = 1;
const NET_METERED: u32 = 2;

impl std::fmt::Debug for SyncEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncEngine")
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

tokio::task_local! {
    /// The run whose future is being polled: its store work can be interrupted.
    static RUN_TASK: TaskId;
}

/// Runs store work off the async threads, as the current run's task (if any), so a
/// cancelled run's running statement can be interrupted.
async fn db<T, F>(profile: &Arc<Profile>, f: F) -> Result<T, StoreError>
where
    F: FnOnce(&Profile) -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    let p = Arc::clone(profile);
    let task = RUN_TASK.try_with(|t| *t).ok();
    crate::pool::run_blocking(move || match task {
        Some(task) => interrupt::as_task(task, || f(&p)),
        None => f(&p),
    })
    .await
    .map_err(|_| StoreError::Internal("store task failed".into()))?
}

#[derive(Default)]
struct RunState {
    report: std::sync::Mutex<SyncReport>,
    consecutive_failures: AtomicU32,
    stop: AtomicBool,
    stop_reason: std::sync::Mutex<Option<StopReason>>,
    bytes: AtomicU64,
    /// Items this run marked `sending`, to put back in the queue if it is cancelled.
    started: std::sync::Mutex<Vec<String>>,
    /// The first store failure: the run stops and reports it instead of its report.
    store_error: std::sync::Mutex<Option<StoreError>>,
    /// Block size of this run's appends (from the measured link).
    block_bytes: AtomicU64,
}

impl RunState {
    fn stop(&self, reason: StopReason) {
        self.stop.store(true, Ordering::SeqCst);
        if let Ok(mut r) = self.stop_reason.lock() {
            r.get_or_insert(reason);
        }
    }

    fn store_failed(&self, e: StoreError) {
        tracing::error!(error = %e, "store failure during sync; the run stops");
        self.stop.store(true, Ordering::SeqCst);
        if let Ok(mut slot) = self.store_error.lock() {
            slot.get_or_insert(e);
        }
    }

    fn take_store_error(&self) -> Option<StoreError> {
        self.store_error.lock().ok().and_then(|mut e| e.take())
    }
}

impl SyncEngine {
    /// An engine for `profile` against `server_url`, trusting receipts signed by
    /// `agency_key` (shipped with the app, never fetched from the server it checks).
    pub fn new(
        profile: Arc<Profile>,
        server_url: &str,
        agency_key: AgencyPublicKey,
        config: SyncConfig,
    ) -> Result<Self, SyncError> {
        let client = ServerClient::new(server_url, &config.timeouts)?;
        Ok(Self {
            profile,
            client,
            server_url: server_url.trim_end_matches('/').to_owned(),
            agency_key,
            config,
            session: Mutex::new(None),
            run_lock: Mutex::new(()),
            network: AtomicU32::new(NET_CONNECTED),
            link: LinkEstimate::default(),
        })
    }

    /// Updates what the shell knows about the network.
    pub fn set_network(&self, state: NetworkState) {
        let mut bits = 0;
        if state.connected {
            bits |= NET_CONNECTED;
        }
        if state.metered {
            bits |= NET_METERED;
        }
        self.network.store(bits, Ordering::SeqCst);
    }

    fn network_block(&self, wifi_only: bool) -> Option<StopReason> {
        let bits = self.network.load(Ordering::SeqCst);
        if bits & NET_CONNECTED == 0 {
            Some(StopReason::Offline)
        } else if bits & NET_METERED != 0 && wifi_only {
            Some(StopReason::WaitingForUnmetered)
        } else {
            None
        }
    }

    /// Starts signing in: the server sends a one-time code to `phone`. Returns the
    /// challenge id to finish with.
    pub async fn start_sign_in(
        &self,
        phone: &str,
    ) -> Result<layanan_protocol::auth::SignInStarted, SyncError> {
        Ok(self.client.sign_in(phone).await?)
    }

    /// Finishes signing in with the code; the tokens are sealed in the store.
    pub async fn finish_sign_in(&self, challenge_id: &str, code: &str) -> Result<(), SyncError> {
        let tokens = self.client.verify(challenge_id, code).await?;
        let session = Session::from_tokens(&tokens, now_ms());
        let url = self.server_url.clone();
        let s = session.clone();
        db(&self.profile, move |p| p.account().save_session(&url, &s)).await?;
        *self.session.lock().await = Some(session);
        Ok(())
    }

    /// Signs out: the server revokes the session's refresh tokens (best effort: a
    /// phone without signal still signs out), and the tokens are deleted here.
    pub async fn sign_out(&self) -> Result<(), SyncError> {
        let mut guard = self.session.lock().await;
        let stored = match guard.take() {
            Some(session) => Some(session),
            None => db(&self.profile, |p| p.account().session())
                .await?
                .filter(|(url, _)| *url == self.server_url)
                .map(|(_, s)| s),
        };
        if let Some(session) = stored {
            if let Err(e) = self.client.sign_out(&session.refresh_token).await {
                tracing::warn!(error = %e, "the server could not be told of the sign-out");
            }
        }
        db(&self.profile, |p| p.account().clear_session()).await?;
        Ok(())
    }

    /// A valid access token, refreshing it when it is about to expire (or `force`).
    async fn access_token(&self, force_refresh: bool) -> Result<String, Failure> {
        let mut guard = self.session.lock().await;
        if guard.is_none() {
            *guard = db(&self.profile, |p| p.account().session())
                .await?
                .filter(|(url, _)| *url == self.server_url)
                .map(|(_, s)| s);
        }
        let Some(session) = guard.as_ref() else {
            return Err(Failure::SignIn);
        };
        if !force_refresh && session.access_expires_at_ms > now_ms() + 30_000 {
            return Ok(session.access_token.clone());
        }
        match self.client.refresh(&session.refresh_token).await {
            Ok(tokens) => {
                let fresh = Session::from_tokens(&tokens, now_ms());
                let (url, s) = (self.server_url.clone(), fresh.clone());
                db(&self.profile, move |p| p.account().save_session(&url, &s)).await?;
                let token = fresh.access_token.clone();
                *guard = Some(fresh);
                Ok(token)
            }
            // Any refusal of the refresh token itself (spent, revoked, malformed):
            // only a new sign-in helps.
            Err(e) if e.is_refusal() => {
                *guard = None;
                db(&self.profile, |p| p.account().clear_session()).await?;
                Err(Failure::SignIn)
            }
            Err(e) => Err(classify(e)),
        }
    }

    /// Refreshes the forms kept offline from the server's form list, downloading only
    /// forms whose hash changed. Returns (downloaded, unchanged).
    pub async fn update_forms(&self) -> Result<(u32, u32), SyncError> {
        let list = self.client.form_list().await?;
        let known = db(&self.profile, |p| p.forms().list()).await?;
        let (mut downloaded, mut unchanged) = (0, 0);
        for entry in list {
            if known.iter().any(|k| {
                k.form_id == entry.form_id && k.hash == entry.hash && !entry.hash.is_empty()
            }) {
                unchanged += 1;
                continue;
            }
            let xml = self.client.download_form(&entry.download_url).await?;
            let form = crate::CachedForm {
                form_id: entry.form_id,
                version: entry.version,
                name: entry.name,
                hash: entry.hash,
                downloaded_at_ms: now_ms(),
            };
            db(&self.profile, move |p| p.forms().save(&form, &xml)).await?;
            downloaded += 1;
        }
        Ok((downloaded, unchanged))
    }

    /// Sends what is due and pulls status updates, within `budget`, until `cancel`
    /// is cancelled. Safe to call from a background job at any time: work cut off by
    /// the budget, the token (or by dropping the future) is picked up by the next
    /// run, never duplicated. Progress goes to `listener` and to the profile's
    /// subscribers ([`Profile::subscribe`]).
    ///
    /// A store failure (disk full, a locked profile, a damaged row) stops the run and
    /// is its result: an outcome that could not be recorded is never reported as done.
    pub async fn run(
        &self,
        budget: Duration,
        listener: Option<Arc<dyn SyncListener>>,
        cancel: CancellationToken,
    ) -> Result<SyncReport, SyncError> {
        let _one_run = tokio::select! {
            guard = self.run_lock.lock() => guard,
            () = cancel.cancelled() => return Ok(self.cancelled_before_start().await?),
        };
        self.profile.ensure_unlocked()?;
        // The stored session is the truth (the citizen may have signed out through
        // another service of this profile since the last run).
        *self.session.lock().await = None;
        let emit = |e: SyncEvent| {
            self.profile.publish(ProfileChange::Sync(e.clone()));
            if let Some(l) = &listener {
                l.on_event(e);
            }
        };
        let run = RunState::default();
        let (due, settings) = db(&self.profile, |p| {
            Ok((p.outbox().due(now_ms())?, p.account().sync_settings()?))
        })
        .await?;
        if let Some(reason) = self.network_block(settings.wifi_only) {
            let waiting = self.waiting().await?;
            let report = SyncReport {
                remaining: waiting.due_now,
                waiting,
                stopped: Some(reason),
                ..SyncReport::default()
            };
            emit(SyncEvent::Finished {
                report: report.clone(),
            });
            return Ok(report);
        }
        emit(SyncEvent::Started {
            due: due.len() as u32,
        });
        let shape = self.link.shape(self.config.concurrency);
        run.block_bytes.store(shape.block_bytes, Ordering::SeqCst);
        let due = self.order_for_budget(due, budget).await?;
        tracing::debug!(
            concurrency = shape.concurrency,
            block = shape.block_bytes,
            "sync run shaped by the measured link"
        );

        let work = async {
            stream::iter(due)
                .map(|iid| self.deliver_if_running(iid, &run, &emit))
                .buffer_unordered(shape.concurrency)
                .collect::<Vec<()>>()
                .await;
            if !run.stop.load(Ordering::SeqCst) {
                match self.pull_status().await {
                    Ok(n) => {
                        if let Ok(mut r) = run.report.lock() {
                            r.new_status_events = n;
                        }
                        emit(SyncEvent::StatusUpdated { new_events: n });
                    }
                    Err(Failure::SignIn | Failure::Refresh) => run.stop(StopReason::SignInRequired),
                    Err(Failure::Store(e)) => run.store_failed(e),
                    Err(_) => run.stop(StopReason::ServerUnreachable),
                }
            }
        };
        let task = TaskId::new();
        tokio::select! {
            biased;
            () = cancel.cancelled() => {
                // A statement the run is inside stops now (it rolls back); the rest of
                // the run's future is dropped at its await point.
                self.profile.interrupt(task);
                run.stop(StopReason::Cancelled);
                let started = run.started.lock().map(|s| s.clone()).unwrap_or_default();
                // The dropped work may have left items `sending`: back to the queue,
                // so the outbox shows the truth. The server dedupes a resend.
                if let Err(e) = db(&self.profile, move |p| {
                    started.iter().try_for_each(|id| p.outbox().requeue_sending(id))
                })
                .await
                {
                    run.store_failed(e);
                }
            }
            finished = RUN_TASK.scope(task, tokio::time::timeout(budget, work)) => {
                if finished.is_err() {
                    run.stop(StopReason::TimeBudget);
                    // The window closed with work in flight: treat the link as one
                    // that gets cut until clean exchanges say otherwise.
                    self.link.cut();
                }
            }
        }
        if let Some(e) = run.take_store_error() {
            return Err(SyncError::Store(e));
        }

        // What the run recorded, out of the WAL and into the database file.
        db(&self.profile, |p| {
            crate::checkpoint::quietly(p.inner());
            Ok(())
        })
        .await?;
        let waiting = self.waiting().await?;
        let mut report = run.report.lock().map(|r| r.clone()).unwrap_or_default();
        // Counted from the store: a run cut by its budget right after the store
        // recorded an item sent has not counted it yet.
        report.sent = report.sent.max(self.sent_by(&run).await?);
        report.remaining = waiting.due_now;
        report.waiting = waiting;
        report.bytes_sent = run.bytes.load(Ordering::SeqCst);
        report.stopped = run.stop_reason.lock().ok().and_then(|r| *r);
        emit(SyncEvent::Finished {
            report: report.clone(),
        });
        Ok(report)
    }

    /// [`SyncEngine::run`] without a way to cancel it (other than dropping the future).
    pub async fn sync_now(
        &self,
        budget: Duration,
        listener: Option<Arc<dyn SyncListener>>,
    ) -> Result<SyncReport, SyncError> {
        self.run(budget, listener, CancellationToken::new()).await
    }

    /// The due items in the order this run should start them. When the measured rate
    /// says the run's budget cannot carry everything (a background task of a few
    /// seconds, a short signal window), items the server already holds part of go
    /// first, then the smallest: the run finishes what it can instead of starting
    /// much and finishing nothing. Otherwise the outbox's own order stays.
    async fn order_for_budget(
        &self,
        due: Vec<String>,
        budget: Duration,
    ) -> Result<Vec<String>, StoreError> {
        let Some(rate) = self.link.bytes_per_sec() else {
            return Ok(due);
        };
        let sized = db(&self.profile, move |p| {
            due.into_iter()
                .map(|id| p.outbox().pending_bytes(&id).map(|(b, s)| (id, b, s)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
        let total: u64 = sized.iter().map(|(_, b, _)| *b).sum();
        let mut sized = sized;
        if total as f64 / rate > budget.as_secs_f64() {
            // Stable: equal keys keep the outbox order.
            sized.sort_by_key(|(_, bytes, started)| (!*started, *bytes));
        }
        Ok(sized.into_iter().map(|(id, _, _)| id).collect())
    }

    /// How many of the items this run started are sent now.
    async fn sent_by(&self, run: &RunState) -> Result<u32, StoreError> {
        let started: std::collections::BTreeSet<String> = run
            .started
            .lock()
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        db(&self.profile, move |p| {
            let mut n = 0u32;
            for id in &started {
                if p.outbox().item(id)?.state == OutboxState::Sent {
                    n += 1;
                }
            }
            Ok(n)
        })
        .await
    }

    /// How the outbox's undelivered items wait now.
    async fn waiting(&self) -> Result<crate::OutboxWaiting, StoreError> {
        db(&self.profile, |p| p.outbox().waiting(now_ms())).await
    }

    /// The report of a run cancelled while it waited for another run to finish.
    async fn cancelled_before_start(&self) -> Result<SyncReport, StoreError> {
        let waiting = self.waiting().await?;
        Ok(SyncReport {
            remaining: waiting.due_now,
            waiting,
            stopped: Some(StopReason::Cancelled),
            ..SyncReport::default()
        })
    }

    async fn deliver_if_running(
        &self,
        iid: String,
        run: &RunState,
        emit: &(impl Fn(SyncEvent) + Sync),
    ) {
        if run.stop.load(Ordering::SeqCst) {
            return;
        }
        emit(SyncEvent::ItemStarted {
            instance_id: iid.clone(),
        });
        let mut quick = 0;
        // Upload bytes the server acknowledged during this item's attempts in this run.
        let progress = AtomicU64::new(0);
        let outcome = loop {
            let outcome = self.deliver(&iid, run, &progress, emit).await;
            let dropped = matches!(&outcome, Err(Failure::Retry { dropped: true, .. }));
            if !dropped || quick >= self.config.quick_retries || run.stop.load(Ordering::SeqCst) {
                break outcome;
            }
            tokio::time::sleep(self.config.quick_retry_delay.saturating_mul(1 << quick)).await;
            quick += 1;
            tracing::debug!(instance = %iid, quick, "retrying after a dropped connection");
        };
        let recorded = self.record_outcome(&iid, outcome, run, &progress).await;
        let (state, error) = match recorded {
            Ok(done) => done,
            Err(e) => {
                run.store_failed(e);
                // Tell what the store holds, if it can still say.
                let id = iid.clone();
                match db(&self.profile, move |p| p.outbox().item(&id)).await {
                    Ok(item) => (item.state, item.error),
                    Err(_) => return,
                }
            }
        };
        emit(SyncEvent::ItemFinished {
            instance_id: iid,
            state,
            error,
        });
    }

    /// Writes how an attempt ended; the state and error it wrote.
    async fn record_outcome(
        &self,
        iid: &str,
        outcome: Result<bool, Failure>,
        run: &RunState,
        progress: &AtomicU64,
    ) -> Result<(OutboxState, Option<crate::OutboxError>), StoreError> {
        let now = now_ms();
        match outcome {
            Ok(duplicate) => {
                run.consecutive_failures.store(0, Ordering::SeqCst);
                if let Ok(mut r) = run.report.lock() {
                    r.sent += 1;
                    r.duplicates += u32::from(duplicate);
                }
                Ok((OutboxState::Sent, None))
            }
            Err(Failure::Wedge(error)) => {
                run.consecutive_failures.store(0, Ordering::SeqCst);
                let (id, e) = (iid.to_owned(), error.clone());
                db(&self.profile, move |p| p.outbox().mark_wedged(&id, &e)).await?;
                if let Ok(mut r) = run.report.lock() {
                    r.wedged += 1;
                }
                tracing::warn!(instance = %iid, code = %error.code.as_str(), "outbox item wedged");
                Ok((OutboxState::Wedged, Some(error)))
            }
            Err(Failure::Retry {
                error, retry_after, ..
            }) => {
                self.record_retry(iid, error, retry_after, run, progress, now)
                    .await
            }
            // A resume the upload could not make: retried later like any hiccup.
            Err(Failure::Resume(error)) => {
                self.record_retry(iid, error, None, run, progress, now)
                    .await
            }
            Err(Failure::SignIn | Failure::Refresh) => {
                // Not the item's fault: back to the queue untouched.
                let id = iid.to_owned();
                db(&self.profile, move |p| p.outbox().requeue_sending(&id)).await?;
                run.stop(StopReason::SignInRequired);
                Ok((OutboxState::Queued, None))
            }
            // The item stays `sending` (due again next run); the run reports `e`.
            Err(Failure::Store(e)) => Err(e),
        }
    }

    async fn record_retry(
        &self,
        iid: &str,
        error: crate::OutboxError,
        retry_after: Option<Duration>,
        run: &RunState,
        progress: &AtomicU64,
        now: i64,
    ) -> Result<(OutboxState, Option<crate::OutboxError>), StoreError> {
        // The backoff grows with failures that got nowhere; an attempt that moved an
        // upload forward starts it over, so a photo crawling through a flaky link
        // keeps its pace instead of waiting ever longer.
        let level = if progress.load(Ordering::SeqCst) > 0 {
            1
        } else {
            let id = iid.to_owned();
            db(&self.profile, move |p| p.outbox().backoff_level(&id))
                .await?
                .saturating_add(1)
        };
        let delay = self.config.backoff.delay(level, unit_random(), retry_after);
        let next = now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        let (id, e) = (iid.to_owned(), error.clone());
        db(&self.profile, move |p| {
            p.outbox().mark_failed(&id, &e, next, level)
        })
        .await?;
        if let Ok(mut r) = run.report.lock() {
            r.failed += 1;
        }
        let n = run.consecutive_failures.fetch_add(1, Ordering::SeqCst) + 1;
        if n >= self.config.failure_budget {
            run.stop(StopReason::ServerUnreachable);
        }
        tracing::info!(instance = %iid, code = %error.code.as_str(), retry_in_ms = %delay.as_millis(), "outbox item will be retried");
        Ok((OutboxState::Failed, Some(error)))
    }

    /// Calls `f` with a token; when the token is refused, refreshes once and calls again.
    async fn authed<T, Fut>(&self, f: impl Fn(String) -> Fut) -> Result<T, Failure>
    where
        Fut: std::future::Future<Output = Result<T, ClientError>>,
    {
        let token = self.access_token(false).await?;
        match f(token).await.map_err(classify) {
            Err(Failure::Refresh) => {
                let token = self.access_token(true).await?;
                match f(token).await.map_err(classify) {
                    // Refused again with a fresh token: the session is not usable.
                    Err(Failure::Refresh) => Err(Failure::SignIn),
                    other => other,
                }
            }
            other => other,
        }
    }

    /// One attempt at one item. `Ok(true)` when the server said it already had it.
    async fn deliver(
        &self,
        iid: &str,
        run: &RunState,
        progress: &AtomicU64,
        emit: &(impl Fn(SyncEvent) + Sync),
    ) -> Result<bool, Failure> {
        // Recorded before the item is marked `sending`: a cancel that lands between
        // the two must still put it back in the queue.
        if let Ok(mut started) = run.started.lock() {
            started.push(iid.to_owned());
        }
        let id = iid.to_owned();
        let attachments = db(&self.profile, move |p| {
            p.outbox().mark_sending(&id)?;
            p.outbox().attachments(&id)
        })
        .await?;
        let pending: Vec<OutboxAttachment> =
            attachments.into_iter().filter(|a| !a.uploaded).collect();
        self.check_files(iid, &pending).await?;
        for att in pending {
            self.upload(iid, att, run, progress, emit).await?;
        }
        let id = iid.to_owned();
        let xml = Arc::new(db(&self.profile, move |p| p.outbox().submission(&id)).await?);
        let (_, accepted) = self
            .authed(|token| {
                let xml = Arc::clone(&xml);
                async move { self.client.submit(&token, iid, &xml).await }
            })
            .await?;
        run.bytes.fetch_add(xml.len() as u64, Ordering::SeqCst);
        self.check_receipt(iid, &xml, &accepted.receipt)?;
        if !accepted.complete {
            return Err(Failure::Retry {
                error: outbox_error(
                    OutboxErrorCode::Incomplete,
                    "Server belum menerima semua lampiran. Akan dikirim ulang.",
                    "The server does not have every attachment yet. Will resend.",
                ),
                retry_after: None,
                dropped: false,
            });
        }
        let (id, receipt) = (iid.to_owned(), accepted.receipt.clone());
        db(&self.profile, move |p| p.outbox().mark_sent(&id, &receipt)).await?;
        Ok(accepted.duplicate)
    }

    /// Checks every file still to upload end to end before a byte of it is sent: a
    /// damaged one wedges this item (the citizen must retake the photo), never the
    /// run, and never sends the server a file that would fail its digest.
    async fn check_files(&self, iid: &str, pending: &[OutboxAttachment]) -> Result<(), Failure> {
        let (id, ids) = (
            iid.to_owned(),
            pending
                .iter()
                .map(|a| a.attachment_id.clone())
                .collect::<Vec<_>>(),
        );
        let damaged = db(&self.profile, move |p| {
            for aid in &ids {
                match p.attachments().verify(aid) {
                    Ok(()) => {}
                    Err(StoreError::AttachmentCorrupt { .. }) => {
                        let name = p.attachments().info(aid)?.file_name;
                        let xml = p.outbox().submission(&id)?;
                        return Ok(Some(damage::damaged(&xml, &name)));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(None)
        })
        .await?;
        match damaged {
            Some(error) => Err(Failure::Wedge(error)),
            None => Ok(()),
        }
    }

    fn check_receipt(&self, iid: &str, xml: &[u8], receipt: &SignedReceipt) -> Result<(), Failure> {
        if self.agency_key.verify(receipt).is_ok() && receipt.covers(iid, xml) {
            Ok(())
        } else {
            tracing::error!(instance = %iid, "receipt does not verify");
            Err(Failure::Wedge(outbox_error(
                OutboxErrorCode::ReceiptInvalid,
                "Tanda terima dari server tidak sah. Hubungi layanan pengaduan.",
                "The server's receipt does not verify. Please contact support.",
            )))
        }
    }

    /// Uploads one attachment from the server's offset, a slice per request.
    async fn upload(
        &self,
        iid: &str,
        att: OutboxAttachment,
        run: &RunState,
        progress: &AtomicU64,
        emit: &(impl Fn(SyncEvent) + Sync),
    ) -> Result<(), Failure> {
        let aid = att.attachment_id.clone();
        let info = db(&self.profile, move |p| p.attachments().info(&aid)).await?;
        let mut state = match &att.upload_id {
            Some(upload_id) => match self
                .authed(|t| {
                    let id = upload_id.clone();
                    async move { self.client.upload_state(&t, &id).await }
                })
                .await
            {
                Ok(s) => Some(s),
                // The server forgot it (expired): start over.
                Err(Failure::Wedge(e))
                    if matches!(
                        e.code,
                        OutboxErrorCode::Server(ErrorCode::NotFound) | OutboxErrorCode::Http(404)
                    ) =>
                {
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        if state.is_none() {
            let req = CreateUpload {
                instance_id: iid.to_owned(),
                file_name: info.file_name.clone(),
                content_type: info.media_type.clone(),
                total_size: info.size,
                sha256: info.sha256_hex.clone(),
            };
            let created = self
                .authed(|t| {
                    let req = req.clone();
                    async move { self.client.create_upload(&t, &req).await }
                })
                .await?;
            let (id, aid, uid) = (iid.to_owned(), info.id.clone(), created.upload_id.clone());
            db(&self.profile, move |p| {
                p.outbox().set_upload(&id, &aid, Some(&uid), false)
            })
            .await?;
            state = Some(created);
        }
        let Some(mut state) = state else {
            return Err(Failure::Store(StoreError::Internal(
                "no upload state".into(),
            )));
        };
        let block = run.block_bytes.load(Ordering::SeqCst).max(4096);
        let slice =
            (self.config.upload_request_bytes.min(state.max_chunk_bytes) / block).max(1) * block;
        while state.offset < state.total_size && !state.complete {
            let (aid, offset) = (info.id.clone(), state.offset);
            let read = db(&self.profile, move |p| {
                p.attachments().read_range(&aid, offset, slice)
            })
            .await;
            let bytes = match read {
                Ok(bytes) => Arc::new(bytes),
                // Damaged since the check before the upload began.
                Err(StoreError::AttachmentCorrupt { .. }) => {
                    let id = iid.to_owned();
                    let xml = db(&self.profile, move |p| p.outbox().submission(&id)).await?;
                    return Err(Failure::Wedge(damage::damaged(&xml, &info.file_name)));
                }
                Err(e) => return Err(e.into()),
            };
            let sent = bytes.len() as u64;
            let last = offset + sent >= state.total_size;
            let started = tokio::time::Instant::now();
            let result = self
                .authed(|t| {
                    let (id, bytes) = (state.upload_id.clone(), Arc::clone(&bytes));
                    async move {
                        self.client
                            .append(&t, &id, offset, bytes.to_vec(), block, last)
                            .await
                    }
                })
                .await;
            state = match result {
                Ok(s) => {
                    self.link.transferred(sent, started.elapsed());
                    run.bytes.fetch_add(sent, Ordering::SeqCst);
                    progress.fetch_add(sent, Ordering::SeqCst);
                    s
                }
                // Someone (an earlier attempt whose answer was lost) moved the offset.
                Err(Failure::Resume(_)) => {
                    let id = state.upload_id.clone();
                    self.authed(|t| {
                        let id = id.clone();
                        async move { self.client.upload_state(&t, &id).await }
                    })
                    .await?
                }
                Err(e) => {
                    if matches!(e, Failure::Retry { dropped: true, .. }) {
                        self.link.cut();
                    }
                    return Err(e);
                }
            };
            emit(SyncEvent::Upload {
                instance_id: iid.to_owned(),
                sent: state.offset,
                total: state.total_size,
            });
        }
        if !state.complete {
            // An older server, or an upload that was whole before this attempt.
            let id = state.upload_id.clone();
            self.authed(|t| {
                let id = id.clone();
                async move { self.client.complete_upload(&t, &id).await }
            })
            .await?;
        }
        let (iid2, aid, uid) = (iid.to_owned(), info.id.clone(), state.upload_id.clone());
        db(&self.profile, move |p| {
            p.outbox().set_upload(&iid2, &aid, Some(&uid), true)
        })
        .await?;
        Ok(())
    }

    /// Pulls every new page of the status feed.
    async fn pull_status(&self) -> Result<u32, Failure> {
        let mut cursor = db(&self.profile, |p| p.account().status_cursor()).await?;
        let mut new = 0u32;
        loop {
            let page = self
                .authed(|t| {
                    let c = cursor.clone();
                    async move { self.client.status_feed(&t, c.as_deref()).await }
                })
                .await?;
            let (entries, next) = (page.entries, page.next_cursor.clone());
            let n = db(&self.profile, move |p| {
                p.timeline().record_page(&entries, &next)
            })
            .await?;
            new += n as u32;
            cursor = Some(page.next_cursor);
            if !page.has_more {
                return Ok(new);
            }
        }
    }
}
