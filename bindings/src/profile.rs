//! `Profile`: an unlocked profile, and its sub-APIs with one job each
//! (`profile.outbox().list()`), in the shape of bitwarden-uniffi's sub-clients.

use std::sync::Arc;

use layanan_device as device;

use crate::errors::StoreError;
use crate::observe::{self, ProfileListener, TaskHandle};
use crate::runtime::blocking;

mod account;
mod attachments;
mod drafts;
mod forms;
mod outbox;
mod timeline;

pub use account::Account;
pub use attachments::Attachments;
pub use drafts::Drafts;
pub use forms::OfflineForms;
pub use outbox::Outbox;
pub use timeline::Timeline;

/// An unlocked profile. Holds the profile's key in memory until `lock()` (or until
/// it is released: Kotlin `close()`/`use {}`, Swift when the last reference goes).
#[derive(uniffi::Object)]
pub struct Profile {
    inner: Arc<device::Profile>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.inner.id())
            .finish()
    }
}

impl Profile {
    pub(crate) fn domain(&self) -> Arc<device::Profile> {
        Arc::clone(&self.inner)
    }

    pub(crate) fn new(inner: device::Profile) -> Arc<Self> {
        Arc::new(Self {
            inner: Arc::new(inner),
        })
    }
}

/// Runs `f` with the profile on the blocking pool: the one forwarding step every
/// sub-API method takes. A locked profile answers `Locked` to everything, lists
/// included: a locked screen shows nothing of the citizen's.
pub(crate) async fn on<T, F>(profile: &Arc<device::Profile>, f: F) -> Result<T, StoreError>
where
    F: FnOnce(&device::Profile) -> Result<T, device::StoreError> + Send + 'static,
    T: Send + 'static,
{
    let p = Arc::clone(profile);
    blocking(move || {
        p.ensure_unlocked()?;
        Ok(f(&p)?)
    })
    .await
}

#[uniffi::export(async_runtime = "tokio")]
impl Profile {
    /// The profile's id.
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// Forgets the profile's key: from now on every call on this profile, its form
    /// sessions and its sync services fails with `Locked` (the screen goes back to the
    /// unlock prompt). The key's memory is overwritten. Unlock again through
    /// `ProfileStore.unlockProfile`.
    pub fn lock(&self) {
        self.inner.lock();
    }

    /// True after `lock()`.
    pub fn is_locked(&self) -> bool {
        self.inner.is_locked()
    }

    /// Drafts being filled in.
    pub fn drafts(&self) -> Arc<Drafts> {
        Arc::new(Drafts::new(self.domain()))
    }

    /// Files sealed in the store (photos, documents).
    pub fn attachments(&self) -> Arc<Attachments> {
        Arc::new(Attachments::new(self.domain()))
    }

    /// Finalized submissions on their way to the agency.
    pub fn outbox(&self) -> Arc<Outbox> {
        Arc::new(Outbox::new(self.domain()))
    }

    /// What the agency did with each submission, and pending notifications.
    pub fn timeline(&self) -> Arc<Timeline> {
        Arc::new(Timeline::new(self.domain()))
    }

    /// The forms kept on the phone for offline use.
    pub fn forms(&self) -> Arc<OfflineForms> {
        Arc::new(OfflineForms::new(self.domain()))
    }

    /// The owner's details, the server account and the sync settings.
    pub fn account(&self) -> Arc<Account> {
        Arc::new(Account::new(self.domain()))
    }

    /// Registers `listener` for this profile's changes: it gets the outbox and the
    /// pending notifications at once, then again after every change, each
    /// submission's timeline when it changes, and every sync run's progress (a
    /// background job's too). No polling: Kotlin wraps it in `StateFlow`s, Swift in
    /// `AsyncStream`s. Keep the returned handle; cancelling (or dropping) it stops
    /// the updates.
    pub async fn subscribe(
        &self,
        listener: Arc<dyn ProfileListener>,
    ) -> Result<Arc<TaskHandle>, StoreError> {
        observe::subscribe(self.domain(), listener).await
    }
}
