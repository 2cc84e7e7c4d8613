//! Everything an operator (or a test) can set. Defaults are sized for a demo on one
//! machine and for 2G clients: submissions up to 10 MiB per POST (ODK Collect's own
//! default split size), upload chunks up to 1 MiB.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::otp::OtpSender;
use crate::validate::SubmissionValidator;

/// Where submissions, tokens and statuses live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageConfig {
    /// One SQLite file in the data folder (the default).
    Sqlite,
    /// A PostgreSQL database, optionally confined to one schema (tests use a fresh
    /// schema each so they can share one server).
    Postgres { url: String, schema: Option<String> },
}

/// Sizes, rates and lifetimes.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest OpenRosa submission POST (XML plus attachments), on the wire and
    /// decompressed. Announced in X-OpenRosa-Accept-Content-Length.
    pub submission_bytes: u64,
    /// Largest single resumable-upload chunk.
    pub upload_chunk_bytes: u64,
    /// Largest attachment a resumable upload may declare.
    pub upload_total_bytes: u64,
    /// Largest body of the small JSON endpoints.
    pub json_bytes: u64,
    /// Requests per minute from one client address (token bucket, burst of the same).
    pub requests_per_minute: u32,
    /// One-time codes one phone number may request per hour.
    pub sign_ins_per_hour: u32,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// How long after a rotation the spent refresh token may be presented again, as
    /// long as its successor was never used: on 2G the rotation's response is often
    /// lost, and without this the citizen would need a new SMS code. Zero turns the
    /// grace off (strict RFC 9700 reuse detection).
    pub refresh_reuse_grace: Duration,
    pub otp_ttl: Duration,
    /// Wrong codes allowed before a challenge is burned.
    pub otp_max_attempts: u32,
    /// Status feed entries per page.
    pub status_page_size: u32,
    /// An upload not completed within this time is removed (its id then answers 404
    /// and the device starts a new upload). Long, because a phone may be offline for
    /// days between two chunks.
    pub upload_ttl: Duration,
    /// Unfinished uploads one citizen may hold at once; beyond it, creating another
    /// answers 429 (a bug or abuse must not fill the disk).
    pub max_open_uploads_per_citizen: u32,
    /// How often the server sweeps expired uploads.
    pub maintenance_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            submission_bytes: 10 * 1024 * 1024,
            upload_chunk_bytes: 1024 * 1024,
            upload_total_bytes: 50 * 1024 * 1024,
            json_bytes: 64 * 1024,
            requests_per_minute: 600,
            sign_ins_per_hour: 5,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_reuse_grace: Duration::from_secs(120),
            otp_ttl: Duration::from_secs(5 * 60),
            otp_max_attempts: 5,
            status_page_size: 100,
            upload_ttl: Duration::from_secs(14 * 24 * 3600),
            max_open_uploads_per_citizen: 200,
            maintenance_interval: Duration::from_secs(3600),
        }
    }
}

/// The whole configuration of one server process.
#[derive(Clone)]
pub struct ServerConfig {
    /// Holds `forms/`, `blobs/`, `keys/` and, with SQLite, `layanan.sqlite3`.
    pub data_dir: PathBuf,
    /// Development mode: one-time codes are written to the server log.
    pub dev_mode: bool,
    pub storage: StorageConfig,
    /// Base URL put into formList download links; taken from the Host header if unset.
    pub public_base_url: Option<String>,
    /// Bearer token of the officer endpoints; they answer 403 when unset.
    pub officer_token: Option<String>,
    /// Accept OpenRosa submissions without a citizen token (as ODK Collect sends them).
    pub allow_anonymous_submissions: bool,
    /// Behind a load balancer: rate-limit by the last address in X-Forwarded-For (the
    /// one the balancer saw) instead of the balancer's own address. Never set this
    /// when clients reach the server directly: they could pick their own key.
    pub trust_forwarded_for: bool,
    pub limits: Limits,
    /// Delivers one-time codes (an SMS gateway in production). When unset, codes go to
    /// the log in development mode and sign-in is unavailable otherwise.
    pub otp_sender: Option<Arc<dyn OtpSender>>,
    /// Checks submissions. Default: the layanan-forms engine (the same rules the
    /// phone applies); `WellFormedXml` checks only the envelope.
    pub validator: Option<Arc<dyn SubmissionValidator>>,
}

impl ServerConfig {
    /// Defaults with SQLite in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            dev_mode: false,
            storage: StorageConfig::Sqlite,
            public_base_url: None,
            officer_token: None,
            allow_anonymous_submissions: true,
            trust_forwarded_for: false,
            limits: Limits::default(),
            otp_sender: None,
            validator: None,
        }
    }

    /// The folder the server reads XForms from.
    pub fn forms_dir(&self) -> PathBuf {
        self.data_dir.join("forms")
    }
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let storage = match &self.storage {
            StorageConfig::Sqlite => "sqlite",
            StorageConfig::Postgres { .. } => "postgres",
        };
        f.debug_struct("ServerConfig")
            .field("data_dir", &self.data_dir)
            .field("dev_mode", &self.dev_mode)
            .field("storage", &storage)
            .field("officer_token_set", &self.officer_token.is_some())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
