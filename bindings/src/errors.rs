//! The public error enums, one per area, and their single conversion point from the
//! domain errors. Messages never carry personal data.

use layanan_device as device;

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
    /// Stored data failed its integrity check. `what` names the table/row or attachment chunk.
    #[error("corrupt data: {what}")]
    Corrupt { what: String },
    /// The database file is damaged or not a Layanan database; it was left untouched.
    #[error("database damaged")]
    DatabaseDamaged,
    /// The database comes from a newer app version.
    #[error("database version {found} is newer than supported {supported}")]
    SchemaTooNew { found: u32, supported: u32 },
    /// No such profile, draft or attachment (`kind` says which).
    #[error("{kind} not found: {id}")]
    NotFound { kind: String, id: String },
    /// A parameter was refused; `reason` names it.
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// Disk or database failure (full disk, permissions...).
    #[error("storage failure: {reason}")]
    Storage { reason: String },
    /// A bug in Layanan; please report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<device::StoreError> for StoreError {
    fn from(e: device::StoreError) -> Self {
        use device::StoreError as D;
        let not_found = |kind: &str, id: String| StoreError::NotFound {
            kind: kind.into(),
            id,
        };
        match e {
            D::KeyUnavailable { reason } => Self::KeyUnavailable { reason },
            D::KeyLost => Self::KeyLost,
            D::WrongKey => Self::WrongKey,
            e @ (D::Corrupt { .. } | D::AttachmentCorrupt { .. }) => Self::Corrupt {
                what: e.to_string(),
            },
            D::DatabaseCorrupt => Self::DatabaseDamaged,
            D::SchemaTooNew { found, supported } => Self::SchemaTooNew { found, supported },
            D::ProfileNotFound(id) => not_found("profile", id),
            D::DraftNotFound(id) => not_found("draft", id),
            D::AttachmentNotFound(id) => not_found("attachment", id),
            D::OutboxItemNotFound(id) => not_found("outbox item", id),
            D::FormNotFound(id) => not_found("form", id),
            D::InvalidInput(reason) => Self::InvalidInput { reason },
            e @ (D::Io { .. } | D::Sqlite(_)) => Self::Storage {
                reason: e.to_string(),
            },
            D::Internal(reason) => Self::Internal { reason },
        }
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
