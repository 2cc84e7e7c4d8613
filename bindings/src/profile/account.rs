//! `Account`: the owner's personal details, the server account and the sync
//! settings of a profile.

use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::{AccountInfo, ProfileDetails, SyncSettings};

/// Who the profile is and how it syncs.
#[derive(uniffi::Object)]
pub struct Account {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Account")
    }
}

impl Account {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Account {
    /// The owner's personal details (empty until set). Sealed.
    pub async fn details(&self) -> Result<ProfileDetails, StoreError> {
        on(&self.profile, |p| p.account().details()).await
    }

    /// Replaces the owner's personal details.
    pub async fn set_details(&self, details: ProfileDetails) -> Result<(), StoreError> {
        on(&self.profile, move |p| p.account().set_details(&details)).await
    }

    /// The server this profile signed in to, if any (no tokens).
    pub async fn server(&self) -> Result<Option<AccountInfo>, StoreError> {
        on(&self.profile, |p| Ok(p.account().server()?.map(Into::into))).await
    }

    /// Forgets the session tokens: the outbox waits until the citizen signs in again.
    pub async fn sign_out(&self) -> Result<(), StoreError> {
        on(&self.profile, |p| p.account().clear_session()).await
    }

    /// The stored sync settings.
    pub async fn sync_settings(&self) -> Result<SyncSettings, StoreError> {
        on(&self.profile, |p| p.account().sync_settings()).await
    }

    /// Stores the sync settings; every sync service and background job of this
    /// profile follows them from its next run.
    pub async fn set_sync_settings(&self, settings: SyncSettings) -> Result<(), StoreError> {
        on(&self.profile, move |p| {
            p.account().set_sync_settings(settings)
        })
        .await
    }
}
