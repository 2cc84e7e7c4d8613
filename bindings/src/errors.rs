//! The public error enums, one per area, and their single conversion point from the
//! domain errors. Messages never carry personal data.

use layanan_device as device;
pub use layanan_device::{CitizenMessage, DamageKind};

/// How a store was found damaged. The store refuses to open and deletes nothing;
/// `StoreRecovery` saves what can still be read.
#[uniffi::remote(Enum)]
pub enum DamageKind {
    /// The database file is gone although this store had one.
    DatabaseMissing,
    /// The database file is empty although it held data.
    DatabaseEmpty,
    /// The database file is shorter than at its last checkpoint.
    DatabaseTruncated,
    /// SQLite cannot read the database file.
    DatabaseUnreadable,
    /// The database file belongs to another store.
    ForeignDatabase,
    /// The database is older than its last checkpoint (an old copy put back).
    RolledBack,
    /// Commits made since the last checkpoint are gone with the write-ahead log.
    WalMissing,
    /// The write-ahead log is damaged: fewer commits can be read than were made.
    WalDamaged,
    /// The store's guard file is gone.
    GuardMissing,
    /// The store's guard file is damaged.
    GuardDamaged,
}

/// A message for the citizen, in Bahasa Indonesia (`id`) and English (`en`).
#[uniffi::remote(Record)]
pub struct CitizenMessage {
    pub id: String,
    pub en: String,
}

/// Which kind of thing was not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum NotFoundKind {
    Profile,
    Draft,
    Attachment,
    OutboxItem,
    /// A form that is not kept offline (refresh the forms first).
    Form,
}

impl std::fmt::Display for NotFoundKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Profile => "profile",
            Self::Draft => "draft",
            Self::Attachment => "attachment",
            Self::OutboxItem => "outbox item",
            Self::Form => "form",
        })
    }
}

/// Why a store call failed. Kotlin sees `StoreException`, Swift `StoreError`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum StoreError {
    /// The key store cannot give the key right now (locked, cancelled prompt). Retry later.
    #[error("key unavailable: {reason}")]
    KeyUnavailable { reason: String },
    /// The profile's key is gone for good; the profile can only be removed.
    #[error("key lost")]
    KeyLost,
    /// The key (or passphrase) does not open this profile. Nothing is damaged.
    #[error("wrong key")]
    WrongKey,
    /// The profile was locked (`Profile.lock()`): unlock it again to use it.
    #[error("profile locked")]
    Locked,
    /// Stored data failed its integrity check. `what` names the table/row or attachment chunk.
    #[error("corrupt data: {what}")]
    Corrupt { what: String },
    /// The database file is damaged or not a Layanan database; it was left untouched.
    #[error("database damaged")]
    DatabaseDamaged,
    /// The store is not the one it was (commits or the database file are missing or
    /// damaged). Nothing was changed or deleted. Show `message_id` / `message_en` and
    /// offer `StoreRecovery` to save the readable drafts and photos.
    #[error("store damaged: {kind}")]
    Damaged {
        kind: DamageKind,
        message_id: String,
        message_en: String,
    },
    /// Removing a profile is not finished: another reader still holds the old key
    /// bytes in the write-ahead log. The key is already unusable; call
    /// `removeProfile` again later (the next open finishes it too).
    #[error("profile wipe pending")]
    WipePending,
    /// The database comes from a newer app version.
    #[error("database version {found} is newer than supported {supported}")]
    SchemaTooNew { found: u32, supported: u32 },
    /// No such profile, draft, attachment, outbox item or offline form.
    #[error("{kind} not found: {id}")]
    NotFound { kind: NotFoundKind, id: String },
    /// A parameter was refused; `reason` names it.
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The phone's storage is full. Nothing was half-written; free some space.
    #[error("disk full")]
    DiskFull,
    /// Disk or database failure (permissions, I/O error...).
    #[error("storage failure: {reason}")]
    Storage { reason: String },
    /// A bug in Layanan (a caught panic included); please report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<device::StoreError> for StoreError {
    fn from(e: device::StoreError) -> Self {
        use device::StoreError as D;
        let not_found = |kind, id| StoreError::NotFound { kind, id };
        match e {
            D::KeyUnavailable { reason } => Self::KeyUnavailable { reason },
            D::KeyLost => Self::KeyLost,
            D::WrongKey => Self::WrongKey,
            D::Locked => Self::Locked,
            D::DiskFull => Self::DiskFull,
            e @ (D::Corrupt { .. } | D::AttachmentCorrupt { .. }) => Self::Corrupt {
                what: e.to_string(),
            },
            D::DatabaseCorrupt => Self::DatabaseDamaged,
            D::Damaged { kind } => {
                let CitizenMessage { id, en } = kind.citizen_message();
                Self::Damaged {
                    kind,
                    message_id: id,
                    message_en: en,
                }
            }
            D::WipePending => Self::WipePending,
            D::SchemaTooNew { found, supported } => Self::SchemaTooNew { found, supported },
            D::ProfileNotFound(id) => not_found(NotFoundKind::Profile, id),
            D::DraftNotFound(id) => not_found(NotFoundKind::Draft, id),
            D::AttachmentNotFound(id) => not_found(NotFoundKind::Attachment, id),
            D::OutboxItemNotFound(id) => not_found(NotFoundKind::OutboxItem, id),
            D::FormNotFound(id) => not_found(NotFoundKind::Form, id),
            D::InvalidInput(reason) => Self::InvalidInput { reason },
            e @ (D::Io { .. } | D::Sqlite(_)) => Self::Storage {
                reason: e.to_string(),
            },
            D::Internal(reason) => Self::Internal { reason },
        }
    }
}

/// How the local store failed under a sync or form call: the cause kept, typed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum StoreFailure {
    /// The key store cannot give the key now. Retry later.
    KeyUnavailable { reason: String },
    /// The profile's key is gone for good.
    KeyLost,
    /// The phone's storage is full.
    DiskFull,
    /// Stored data failed its integrity check; `what` names the row or chunk.
    Corrupt { what: String },
    /// The database file is damaged; it was left untouched.
    DatabaseDamaged,
    /// The store was found damaged (see `DamageKind`); nothing was changed.
    Damaged { kind: DamageKind },
    /// Another disk or database failure.
    Storage { reason: String },
}

/// Splits a store error into the typed cause a sync or form error carries.
pub(crate) enum StoreCause {
    Locked,
    Failure(StoreFailure),
    Other(StoreError),
}

impl From<device::StoreError> for StoreCause {
    fn from(e: device::StoreError) -> Self {
        match StoreError::from(e) {
            StoreError::Locked => Self::Locked,
            StoreError::KeyUnavailable { reason } => {
                Self::Failure(StoreFailure::KeyUnavailable { reason })
            }
            StoreError::KeyLost => Self::Failure(StoreFailure::KeyLost),
            StoreError::DiskFull => Self::Failure(StoreFailure::DiskFull),
            StoreError::Corrupt { what } => Self::Failure(StoreFailure::Corrupt { what }),
            StoreError::DatabaseDamaged => Self::Failure(StoreFailure::DatabaseDamaged),
            StoreError::Damaged { kind, .. } => Self::Failure(StoreFailure::Damaged { kind }),
            StoreError::Storage { reason } => Self::Failure(StoreFailure::Storage { reason }),
            other => Self::Other(other),
        }
    }
}

/// A caught panic or a task that could not finish, as an `Internal` reason.
pub(crate) fn join_failure(e: &tokio::task::JoinError) -> String {
    if e.is_panic() {
        "the operation panicked".into()
    } else {
        "the operation was cancelled".into()
    }
}

/// What a [`crate::KeyVault`] implementation reports. Kotlin: `VaultException`.
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum VaultError {
    /// The platform key store cannot serve now (device locked, biometric prompt
    /// cancelled, keychain unavailable before first unlock).
    #[error("unavailable: {reason}")]
    Unavailable { reason: String },
    /// The wrapping key is permanently gone (e.g. invalidated by a new fingerprint).
    #[error("key lost")]
    KeyLost,
    /// The secret does not unwrap this key (e.g. a wrong passphrase).
    #[error("wrong secret")]
    WrongSecret,
}

impl From<uniffi::UnexpectedUniFFICallbackError> for VaultError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unavailable {
            reason: format!("the vault implementation failed: {}", e.reason),
        }
    }
}

impl From<VaultError> for device::VaultError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::Unavailable { reason } => Self::Unavailable { reason },
            VaultError::KeyLost => Self::KeyLost,
            VaultError::WrongSecret => Self::WrongSecret,
        }
    }
}

impl From<device::VaultError> for VaultError {
    fn from(e: device::VaultError) -> Self {
        match e {
            device::VaultError::Unavailable { reason } => Self::Unavailable { reason },
            device::VaultError::KeyLost => Self::KeyLost,
            device::VaultError::WrongSecret => Self::WrongSecret,
        }
    }
}
