//! The device store's error type.
//!
//! Messages name tables, columns, row ids and operations, never the content of a
//! row: nothing here may carry answers, names, NIKs, tokens or keys.

use crate::crypto::VaultError;

/// Everything that can go wrong in the device store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The vault could not hand out the key right now (device locked, user cancelled
    /// the biometric prompt, key store busy). Trying again later may work.
    #[error("the key store cannot provide the profile key right now: {reason}")]
    KeyUnavailable { reason: String },

    /// The key is gone for good: the profile was wiped, or the platform key store
    /// invalidated its key (e.g. a new fingerprint was enrolled). The data cannot be
    /// opened any more; recovery needs another key slot.
    #[error("the profile key is permanently lost")]
    KeyLost,

    /// The vault answered, but with a key that does not open this profile (a wrong
    /// passphrase, or another profile's key). Nothing on disk is damaged.
    #[error("wrong key for this profile")]
    WrongKey,

    /// A sealed value failed to authenticate although the profile's key is right: the
    /// stored bytes were altered, truncated or moved from another row.
    #[error("sealed value in {table}.{column} of row {row_id} is corrupt or was moved")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        row_id: String,
    },

    /// An attachment file does not match what was sealed: a chunk was altered, the
    /// file was truncated or extended.
    #[error("attachment {id} is corrupt at chunk {chunk}: {reason}")]
    AttachmentCorrupt {
        id: String,
        chunk: u64,
        reason: &'static str,
    },

    /// The profile was locked (`Profile::lock`): its key is gone from memory. Unlock
    /// it again with its vault.
    #[error("the profile is locked")]
    Locked,

    /// The disk (or the app's storage quota) is full. Nothing was half-written.
    #[error("no space left on the device")]
    DiskFull,

    /// The database file is not a Layanan database or SQLite reports it corrupt. The
    /// store never deletes it: drafts and the outbox cannot be rebuilt from a server.
    #[error("the database file is damaged or not a Layanan database")]
    DatabaseCorrupt,

    /// The store on disk is not the one it was (see [`crate::DamageKind`]): commits
    /// or the whole database are missing or unreadable. The store refuses to open and
    /// deletes nothing; [`crate::Recovery`] exports what can still be read.
    #[error("the store is damaged ({kind}); nothing was changed")]
    Damaged { kind: crate::DamageKind },

    /// Removing a profile could not clear its old key bytes from the write-ahead log
    /// yet: another connection still reads an older snapshot. The key is already
    /// unusable in the database; the wipe is finished at the next open or retry.
    #[error("the profile wipe is not finished: another reader holds the database")]
    WipePending,

    /// The database was written by a newer version of Layanan.
    #[error("the database has schema version {found}, newer than this app supports ({supported})")]
    SchemaTooNew { found: u32, supported: u32 },

    #[error("profile {0} not found")]
    ProfileNotFound(String),

    #[error("draft {0} not found")]
    DraftNotFound(String),

    #[error("attachment {0} not found")]
    AttachmentNotFound(String),

    #[error("outbox item {0} not found")]
    OutboxItemNotFound(String),

    #[error("form {0} is not available offline")]
    FormNotFound(String),

    /// The caller passed something the store refuses (an empty label, an oversized
    /// value...). The reason names the parameter, not its value.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    #[error("file system error while trying to {op}: {source}")]
    Io {
        op: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),

    #[error("internal error: {0}")]
    Internal(String),
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::DatabaseCorrupt
            }
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<VaultError> for StoreError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Unavailable { reason } => StoreError::KeyUnavailable { reason },
            VaultError::KeyLost => StoreError::KeyLost,
            VaultError::WrongSecret => StoreError::WrongKey,
        }
    }
}

pub(crate) fn io(op: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
    move |source| match source.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => StoreError::DiskFull,
        _ => StoreError::Io { op, source },
    }
}
