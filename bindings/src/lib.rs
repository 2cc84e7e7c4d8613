//! Layanan's UniFFI layer: the one crate the Kotlin and Swift shells link.
//!
//! It converts types, maps errors and forwards calls to the domain crates; no
//! business rule lives here. Async exports run on uniffi's tokio runtime; every call
//! that touches disk or a key runs on its blocking pool and is `async` in Kotlin
//! (suspend) and Swift (async), so no shell can block its main thread on it.

mod errors;
mod forms;
mod logging;
mod observe;
mod profile;
mod records;
mod runtime;
mod store;
mod sync;
mod vault;

pub use errors::{CitizenMessage, DamageKind, NotFoundKind, StoreError, StoreFailure, VaultError};
pub use forms::{
    FormChoice, FormInfo, FormIssue, FormPage, FormQuestion, FormSession, FormsError, IssueKind,
    QuestionKind, QuestionRange, ValueType,
};
pub use layanan_protocol::{ErrorCode, SubmissionState};
pub use logging::{init_logging, LogLevel, LogRecord, LogSink};
pub use observe::{ProfileListener, TaskHandle};
pub use profile::{Account, Attachments, Drafts, OfflineForms, Outbox, Profile, Timeline};
pub use records::{
    AccountInfo, AttachmentInfo, CachedForm, Draft, DraftSummary, OutboxError, OutboxErrorCode,
    OutboxItem, OutboxState, ProfileDetails, ProfileInfo, Receipt, StatusEvent, SyncSettings,
};
pub use store::{ExportSummary, ProfileStore, StoreRecovery};
pub use sync::{
    fetch_agency_key, FormsUpdate, NetworkState, SignInChallenge, StopReason, SyncError, SyncEvent,
    SyncListener, SyncReport, SyncRun, SyncService,
};
pub use vault::{KeyVault, PassphraseVault};

uniffi::setup_scaffolding!("layanan");

/// The version of the Layanan core the app is linked with.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
