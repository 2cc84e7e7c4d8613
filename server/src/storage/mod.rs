//! Durable state behind one trait, so SQLite (one machine) and PostgreSQL (several
//! stateless server processes) pass the same test suite.
//!
//! Every method that reads-then-writes is one transaction inside the backend: the
//! routes never hold a transaction across an await, and two processes racing on the
//! same instanceID or refresh token cannot both win.

use async_trait::async_trait;
use layanan_protocol::{StatusEntry, SubmissionState};

mod postgres;
mod sqlite;

pub use postgres::PostgresStorage;
pub use sqlite::SqliteStorage;

/// Why storage failed. Carries no personal data: parameters are never formatted.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("storage task failed")]
    Task,
    #[error("stored value is corrupt: {0}")]
    Corrupt(&'static str),
    /// Not a failure: a transaction closure asking for a rollback with this answer.
    #[error("rolled back")]
    Rollback(WriteOutcome),
}

impl StorageError {
    /// Turns a requested rollback back into its answer.
    pub(crate) fn rolled_back(self) -> Result<WriteOutcome, StorageError> {
        match self {
            StorageError::Rollback(outcome) => Ok(outcome),
            other => Err(other),
        }
    }
}

/// A pending phone verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub id: String,
    /// Keyed hash of the normalised phone number.
    pub phone_key: String,
    /// Keyed hash of the challenge id and code.
    pub code_hash: String,
    pub expires_ms: i64,
    pub attempts: u32,
    pub used: bool,
}

/// Hashes and expiry times of a newly issued token pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenHashes {
    pub access_hash: String,
    pub access_expires_ms: i64,
    pub refresh_hash: String,
    pub refresh_expires_ms: i64,
}

/// A token pair and what it grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTokens {
    pub hashes: TokenHashes,
    /// All refresh tokens descending from one sign-in share a family.
    pub family_id: String,
    pub citizen_id: String,
}

/// What an access token grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessGrant {
    pub citizen_id: String,
    pub expires_ms: i64,
}

/// Result of presenting a refresh token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RotateOutcome {
    /// The old token is spent and the new pair stored for this citizen.
    Rotated {
        citizen_id: String,
    },
    /// The token was already spent: the family is revoked.
    Reused,
    Expired,
    Unknown,
}

/// One submission as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionRow {
    pub instance_id: String,
    /// Citizen id; `None` for anonymous OpenRosa submissions.
    pub owner: Option<String>,
    pub form_id: String,
    pub form_version: String,
    /// Hex SHA-256 of the XML: the dedupe key of "same content".
    pub xml_sha256: String,
    pub xml_blob: String,
    pub received_ms: i64,
    /// False while a split submission still waits for attachments.
    pub complete: bool,
    pub state: SubmissionState,
    /// The signed receipt, JSON.
    pub receipt_json: String,
}

/// One attachment, received in a multipart POST or by resumable upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRow {
    pub instance_id: String,
    pub file_name: String,
    pub owner: Option<String>,
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub blob_key: String,
}

/// Result of storing an attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentOutcome {
    Added,
    /// Same name, same content: a retry.
    AlreadyPresent,
    /// Same name, different content.
    Conflict,
}

/// Result of writing a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Something new was stored.
    Inserted,
    /// Everything was there already (for an insert: the instanceID exists).
    Unchanged,
    /// An attachment of the same name exists with other content.
    AttachmentConflict,
}

/// Result of an officer's state change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateChange {
    Changed(StatusEntry),
    NotFound,
    NotAllowed { current: SubmissionState },
}

/// A resumable upload in progress or done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRow {
    pub id: String,
    pub owner: String,
    pub instance_id: String,
    pub file_name: String,
    pub content_type: String,
    pub total_size: u64,
    pub sha256: String,
    pub offset: u64,
    pub complete: bool,
    pub created_ms: i64,
}

/// Sign-in challenges, citizens and token families.
#[async_trait]
pub trait AuthStore: Send + Sync {
    async fn insert_challenge(&self, challenge: &Challenge) -> Result<(), StorageError>;
    async fn challenge(&self, id: &str) -> Result<Option<Challenge>, StorageError>;
    /// Counts one wrong code; returns the attempts so far.
    async fn record_failed_attempt(&self, id: &str) -> Result<u32, StorageError>;
    /// Marks the challenge used; false when it already was (a replay or a race).
    async fn consume_challenge(&self, id: &str) -> Result<bool, StorageError>;
    /// The citizen with this phone key, created with `new_id` if there is none.
    async fn citizen_for_phone(
        &self,
        phone_key: &str,
        new_id: &str,
        now_ms: i64,
    ) -> Result<String, StorageError>;
    /// Stores a new token pair, and sweeps tokens that expired before `now_ms`.
    async fn insert_tokens(&self, tokens: &NewTokens, now_ms: i64) -> Result<(), StorageError>;
    async fn access_grant(&self, access_hash: &str) -> Result<Option<AccessGrant>, StorageError>;
    /// Spends `old_refresh_hash` and stores `next` in its family. A token spent before
    /// revokes the family, unless it was rotated at most `grace_ms` ago and its
    /// successor was never used (a retry after a lost response): then the unused
    /// successor and its access token are replaced by `next`.
    async fn rotate_refresh(
        &self,
        old_refresh_hash: &str,
        next: &TokenHashes,
        now_ms: i64,
        grace_ms: i64,
    ) -> Result<RotateOutcome, StorageError>;

    /// Revokes the family of this refresh token (sign-out on a shared phone).
    async fn revoke_family(&self, refresh_hash: &str) -> Result<(), StorageError>;
}

/// Submissions, their attachments and status entries.
#[async_trait]
pub trait SubmissionStore: Send + Sync {
    async fn submission(&self, instance_id: &str) -> Result<Option<SubmissionRow>, StorageError>;
    /// Inserts the submission, its attachments and its `received` status entry in
    /// one transaction; nothing is written unless the outcome is `Inserted`.
    async fn insert_submission(
        &self,
        row: &SubmissionRow,
        attachments: &[AttachmentRow],
    ) -> Result<WriteOutcome, StorageError>;
    /// Adds attachments to an existing submission and marks it complete if `complete`,
    /// in one transaction; nothing is written on `AttachmentConflict`.
    async fn extend_submission(
        &self,
        instance_id: &str,
        attachments: &[AttachmentRow],
        complete: bool,
    ) -> Result<WriteOutcome, StorageError>;
    async fn attachments(&self, instance_id: &str) -> Result<Vec<AttachmentRow>, StorageError>;
    /// Submissions for the agency, newest first, optionally in one state.
    async fn submissions_for_officers(
        &self,
        state: Option<SubmissionState>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StorageError>;
    /// A citizen's submissions, newest first.
    async fn submissions_of(&self, citizen_id: &str) -> Result<Vec<SubmissionRow>, StorageError>;

    async fn change_state(
        &self,
        instance_id: &str,
        next: SubmissionState,
        note: Option<&str>,
        at_ms: i64,
    ) -> Result<StateChange, StorageError>;
    /// A citizen's status entries with sequence numbers above `after`, oldest first.
    async fn status_feed(
        &self,
        citizen_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, StatusEntry)>, StorageError>;
    /// Whether anything stored under this instanceID belongs to someone other than
    /// `owner` (a submission or an attachment or an upload).
    async fn instance_owned_by_other(
        &self,
        instance_id: &str,
        owner: Option<&str>,
    ) -> Result<bool, StorageError>;
}

/// Resumable uploads.
#[async_trait]
pub trait UploadStore: Send + Sync {
    async fn insert_upload(&self, row: &UploadRow) -> Result<(), StorageError>;
    async fn upload(&self, id: &str) -> Result<Option<UploadRow>, StorageError>;
    /// Moves the offset from `from` to `to`; false if it was not at `from`.
    async fn advance_upload(&self, id: &str, from: u64, to: u64) -> Result<bool, StorageError>;
    /// Resets an upload whose content failed its checksum.
    async fn reset_upload(&self, id: &str) -> Result<(), StorageError>;
    /// Marks the upload complete and stores its attachment, in one transaction.
    async fn finish_upload(
        &self,
        id: &str,
        attachment: &AttachmentRow,
    ) -> Result<AttachmentOutcome, StorageError>;
    /// How many unfinished uploads this citizen holds.
    async fn open_uploads_of(&self, owner: &str) -> Result<u64, StorageError>;
    /// Removes incomplete uploads created before `created_before_ms`; returns their ids
    /// so their staged bytes can be deleted.
    async fn expire_uploads(&self, created_before_ms: i64) -> Result<Vec<String>, StorageError>;
}

/// The storage both backends implement, one trait per area so each backend keeps one
/// file per area.
pub trait Storage: AuthStore + SubmissionStore + UploadStore + std::fmt::Debug {}

impl<T: AuthStore + SubmissionStore + UploadStore + std::fmt::Debug> Storage for T {}

/// Converts a stored non-negative integer.
pub(crate) fn to_u64(v: i64) -> Result<u64, StorageError> {
    u64::try_from(v).map_err(|_| StorageError::Corrupt("negative size"))
}

/// Converts a size for storage.
pub(crate) fn to_i64(v: u64) -> Result<i64, StorageError> {
    i64::try_from(v).map_err(|_| StorageError::Corrupt("size too large"))
}

pub(crate) fn parse_state(text: &str) -> Result<SubmissionState, StorageError> {
    SubmissionState::parse(text).ok_or(StorageError::Corrupt("unknown state"))
}
