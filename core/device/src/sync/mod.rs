//! Sync: the profile's server account, the HTTP client, and the engine that delivers
//! the outbox and pulls status updates.

mod account;
mod backoff;
mod client;
mod engine;
mod failure;
mod link;
mod settings;
mod status;

pub use account::{AccountInfo, Session};
pub use backoff::BackoffPolicy;
pub use client::{ClientError, FormListEntry, HttpTimeouts, NetworkFailure, ServerClient};
pub use engine::{
    CancellationToken, NetworkState, StopReason, SyncConfig, SyncEngine, SyncError, SyncEvent,
    SyncListener, SyncReport,
};
pub use settings::SyncSettings;
pub use status::StatusEvent;
