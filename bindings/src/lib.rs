//! Layanan's UniFFI layer: the one crate the Kotlin and Swift shells link.
//!
//! It converts types, maps errors, owns the tokio runtime and forwards calls to the
//! domain crates; no business rule lives here. Every call that touches disk runs on
//! the runtime's blocking pool and is `async` in Kotlin (suspend) and Swift (async),
//! so no shell can block its main thread on it.

mod errors;
mod forms;
mod logging;
mod profile;
mod records;
mod runtime;
mod store;
mod sync;
mod vault;

pub use errors::{StoreError, VaultError};
pub use forms::{
    FormChoice, FormInfo, FormIssue, FormPage, FormQuestion, FormSession, FormsError, IssueKind,
    QuestionKind, QuestionRange, ValueType,
};
pub use logging::{init_logging, LogLevel, LogRecord, LogSink};
pub use profile::Profile;
pub use records::{
    AttachmentInfo, CachedForm, Draft, DraftSummary, OutboxError, OutboxItem, OutboxState,
    ProfileDetails, ProfileInfo, Receipt, StatusEvent,
};
pub use store::ProfileStore;
pub use sync::{
    fetch_agency_key, FormsUpdate, NetworkState, SignInChallenge, StopReason, SyncError, SyncEvent,
    SyncListener, SyncReport, SyncService,
};
pub use vault::{KeyVault, PassphraseVault};

uniffi::setup_scaffolding!("layanan");

/// The version of the Layanan core the app is linked with.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
