//! One-line errors a person can act on, and the exit codes scripts can test.

use layanan::{StoreError, SyncError};

/// Exit codes: 1 the request failed (message says why), 2 bad usage (clap),
/// 3 wrong passphrase or lost key, 4 the server is unreachable or refused,
/// 5 something other than an OpenRosa server answered (a captive portal's login
/// page), 6 the sync ran but items need the citizen (wedged; the message says why),
/// 7 the store is damaged (nothing was changed; `layanan recover` saves what it can).
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: u8,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }

    pub fn with_code(message: impl Into<String>, code: u8) -> Self {
        Self {
            message: message.into(),
            code,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::WrongKey => Self::with_code("wrong passphrase for this profile", 3),
            StoreError::KeyLost => Self::with_code(
                "this profile's key is lost; it can only be removed (`layanan profiles remove`)",
                3,
            ),
            StoreError::KeyUnavailable { reason } => Self::with_code(format!("the key is unavailable: {reason}"), 3),
            StoreError::NotFound { kind, id } => Self::new(format!("no {kind} {id}")),
            StoreError::Corrupt { what } => Self::new(format!(
                "stored data is damaged ({what}); nothing was changed. Other drafts are unaffected"
            )),
            StoreError::DatabaseDamaged => Self::new("the store's database file is damaged; it was left untouched"),
            StoreError::Damaged { kind, message_id, message_en } => Self::with_code(
                format!(
                    "{message_id}\n{message_en}\n(store damaged: {kind}; save what can be read with \
                     `layanan recover --out FILE`)"
                ),
                7,
            ),
            StoreError::WipePending => Self::new(
                "the profile's key is destroyed, but another program still reads the store; \
                 run `layanan profiles remove` again once it has closed",
            ),
            StoreError::SchemaTooNew { found, supported } => Self::new(format!(
                "this store was written by a newer Layanan (schema {found}, this one knows {supported}); update layanan"
            )),
            StoreError::InvalidInput { reason } => Self::new(format!("invalid input: {reason}")),
            StoreError::Storage { reason } => Self::new(format!("storage failure: {reason}")),
            StoreError::DiskFull => Self::new("the disk is full; nothing was half-written. Free some space and try again"),
            StoreError::Locked => Self::new("the profile is locked; unlock it again"),
            StoreError::Internal { reason } => Self::new(format!("internal error (please report): {reason}")),
        }
    }
}

impl From<SyncError> for CliError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::NotSignedIn => {
                Self::new("not signed in: run `layanan signin --server URL --phone NUMBER`")
            }
            SyncError::Refused {
                status,
                user_message_en,
                ..
            } => Self::with_code(
                format!("the server refused ({status}): {user_message_en}"),
                4,
            ),
            SyncError::NotOpenRosa {
                status,
                user_message_en,
                ..
            } => Self::with_code(
                format!("not an OpenRosa server's answer (HTTP {status}): {user_message_en}"),
                5,
            ),
            SyncError::Network { reason } => Self::with_code(
                format!("cannot reach the server ({reason}); check the address and the connection"),
                4,
            ),
            SyncError::InvalidInput { reason } => Self::new(format!("invalid input: {reason}")),
            SyncError::Locked => Self::new("the profile is locked; unlock it again"),
            SyncError::Store {
                failure: layanan::StoreFailure::Damaged { kind },
            } => Self::with_code(
                format!(
                    "{}\n{}\n(store damaged: {kind}; `layanan recover --out FILE`)",
                    kind.citizen_message().id,
                    kind.citizen_message().en
                ),
                7,
            ),
            SyncError::Store { failure } => Self::new(format!("storage failure: {failure:?}")),
            SyncError::Internal { reason } => {
                Self::new(format!("internal error (please report): {reason}"))
            }
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::new(format!("file error: {e}"))
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
