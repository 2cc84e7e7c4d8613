#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod accessibility;
mod attachments;
mod changes;
pub mod crypto;
mod db;
mod error;
mod form_cache;
pub mod forms;
pub mod interrupt;
mod model;
mod outbox;
mod profile;
mod store;
pub mod sync;
mod views;
mod wipe;

pub use attachments::{AttachmentReader, CHUNK_SIZE};
pub use changes::{ChangeStream, ProfileChange};
#[cfg(any(test, feature = "testing"))]
pub use crypto::StaticKeyVault;
pub use crypto::{KeyVault, PassphraseVault, VaultError};
pub use error::{Result, StoreError};
pub use form_cache::CachedForm;
pub use model::{
    Answers, AttachmentInfo, Draft, DraftSummary, OutboxError, OutboxErrorCode, OutboxItem,
    OutboxState, OutboxWaiting, ProfileDetails, ProfileInfo, WedgedItem,
};
pub use outbox::OutboxAttachment;
pub use profile::Profile;
pub use store::{NewProfile, Store};
pub use views::{Account, Attachments, Drafts, OfflineForms, Outbox, Timeline};

/// Schema internals, exposed for the migration test and the at-rest inspection tests.
#[cfg(feature = "testing")]
pub mod testing {
    pub use crate::db::schema::{upgrade_one, CREATE, MIGRATIONS, VERSION};
}
