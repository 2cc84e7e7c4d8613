#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod accessibility;
mod archive;
mod attachments;
mod changes;
mod checkpoint;
pub mod crypto;
mod db;
mod error;
mod form_cache;
pub mod forms;
mod guard;
mod integrity;
pub mod interrupt;
mod keyslot;
mod model;
mod outbox;
pub mod pool;
mod profile;
mod recovery;
mod store;
pub mod sync;
mod views;
mod wipe;

pub use archive::{
    archive_wrapped_key, read_archive, read_archive_with_key, ArchiveContents, ArchivedAttachment,
    ArchivedDraft, ArchivedSubmission,
};
pub use attachments::{AttachmentReader, CHUNK_SIZE};
pub use changes::{ChangeStream, ProfileChange};
#[cfg(any(test, feature = "testing"))]
pub use crypto::StaticKeyVault;
pub use crypto::{KeyVault, PassphraseVault, VaultError};
pub use error::{Result, StoreError};
pub use form_cache::CachedForm;
pub use integrity::{CitizenMessage, DamageKind};
pub use model::{
    Answers, AttachmentInfo, Draft, DraftSummary, OutboxError, OutboxErrorCode, OutboxItem,
    OutboxState, OutboxWaiting, ProfileDetails, ProfileInfo, WedgedItem,
};
pub use outbox::OutboxAttachment;
pub use profile::Profile;
pub use recovery::{ExportSummary, Recovery};
pub use store::{NewProfile, Store};
pub use views::{Account, Attachments, Drafts, OfflineForms, Outbox, Timeline};

/// Schema internals, exposed for the migration test and the at-rest inspection tests.
#[cfg(feature = "testing")]
pub mod testing {
    pub use crate::db::schema::{upgrade_one, CREATE, MIGRATIONS, VERSION};
}
