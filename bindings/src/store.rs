//! `ProfileStore`: the device store seen from the shells.

use std::sync::Arc;

use layanan_device as device;

use crate::errors::StoreError;
use crate::profile::Profile;
use crate::records::ProfileInfo;
use crate::runtime::blocking;
use crate::vault::{KeyVault, VaultAdapter};

/// The encrypted store on this device, shared by all its profiles. Open one per
/// process, on the app's private data directory.
#[derive(uniffi::Object)]
pub struct ProfileStore {
    inner: device::Store,
}

impl std::fmt::Debug for ProfileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProfileStore")
    }
}

#[uniffi::export]
impl ProfileStore {
    /// Opens (or creates) the store in `data_dir`, migrating it if an older app
    /// version wrote it. Never deletes a damaged database: it reports
    /// `DatabaseDamaged` instead.
    #[uniffi::constructor]
    pub fn open(data_dir: String) -> Result<Arc<Self>, StoreError> {
        Ok(Arc::new(Self {
            inner: device::Store::open(data_dir)?,
        }))
    }

    /// Creates a profile whose data key `vault` wraps, and returns it unlocked.
    pub async fn create_profile(
        &self,
        label: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<Arc<Profile>, StoreError> {
        let store = self.inner.clone();
        blocking(move || {
            Ok(Profile::new(
                store.create_profile(&label, &VaultAdapter(vault))?,
            ))
        })
        .await
    }

    /// Profiles on this device, without unlocking any.
    pub async fn list_profiles(&self) -> Result<Vec<ProfileInfo>, StoreError> {
        let store = self.inner.clone();
        blocking(move || Ok(store.list_profiles()?.into_iter().map(Into::into).collect())).await
    }

    /// Unlocks a profile with `vault`. `WrongKey` means the vault's key is not this
    /// profile's; `KeyUnavailable` that the key store could not answer now.
    pub async fn unlock_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<Arc<Profile>, StoreError> {
        let store = self.inner.clone();
        blocking(move || {
            Ok(Profile::new(
                store.unlock_profile(&profile_id, &VaultAdapter(vault))?,
            ))
        })
        .await
    }

    /// Wipes a profile: its key first, then its drafts and attachments. Does not need
    /// the profile unlocked, so a profile whose key was lost can still be removed.
    pub async fn remove_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<(), StoreError> {
        let store = self.inner.clone();
        blocking(move || Ok(store.remove_profile(&profile_id, &VaultAdapter(vault))?)).await
    }
}
