//! `ProfileStore`: the device store seen from the shells.

use std::sync::Arc;

use layanan_device as device;

use crate::errors::StoreError;
use crate::profile::Profile;
use crate::records::ProfileInfo;
use crate::runtime::blocking;
use crate::vault::KeyVault;

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

#[uniffi::export(async_runtime = "tokio")]
impl ProfileStore {
    /// Opens (or creates) the store in `data_dir`, migrating it if an older app
    /// version wrote it, on a background thread. Never deletes a damaged database:
    /// it reports `DatabaseDamaged` instead.
    #[uniffi::constructor]
    pub async fn open(data_dir: String) -> Result<Arc<Self>, StoreError> {
        let inner = blocking(move || Ok(device::Store::open(data_dir)?)).await?;
        Ok(Arc::new(Self { inner }))
    }

    /// Creates a profile whose data key `vault` wraps, and returns it unlocked.
    pub async fn create_profile(
        &self,
        label: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<Arc<Profile>, StoreError> {
        let store = self.inner.clone();
        let new = blocking(move || Ok(store.begin_profile(&label)?)).await?;
        let wrapped = vault
            .wrap_key(new.id().to_owned(), new.data_key().to_vec())
            .await
            .map_err(device::VaultError::from)
            .map_err(device::StoreError::from)?;
        let store = self.inner.clone();
        blocking(move || Ok(Profile::new(store.insert_profile(new, &wrapped)?))).await
    }

    /// Profiles on this device, without unlocking any.
    pub async fn list_profiles(&self) -> Result<Vec<ProfileInfo>, StoreError> {
        let store = self.inner.clone();
        blocking(move || Ok(store.list_profiles()?.into_iter().collect())).await
    }

    /// Unlocks a profile with `vault`, which may wait for the citizen (a biometric
    /// prompt). `WrongKey` means the vault's key is not this profile's;
    /// `KeyUnavailable` that the key store could not answer now.
    pub async fn unlock_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<Arc<Profile>, StoreError> {
        let store = self.inner.clone();
        let id = profile_id.clone();
        let wrapped = blocking(move || Ok(store.wrapped_key(&id)?)).await?;
        let raw = zeroize::Zeroizing::new(
            vault
                .unwrap_key(profile_id.clone(), wrapped)
                .await
                .map_err(device::VaultError::from)
                .map_err(device::StoreError::from)?,
        );
        let store = self.inner.clone();
        blocking(move || Ok(Profile::new(store.open_profile(&profile_id, &raw)?))).await
    }

    /// Wipes a profile: its key first, then its drafts and attachments. Does not need
    /// the profile unlocked, so a profile whose key was lost can still be removed.
    pub async fn remove_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<(), StoreError> {
        let store = self.inner.clone();
        let id = profile_id.clone();
        blocking(move || Ok(store.shred_profile_key(&id)?)).await?;
        if let Err(e) = vault.destroy_key(profile_id.clone()).await {
            // The wrapped key is already gone from the store, so the data is
            // unreadable either way; the vault's leftover is only a dangling alias.
            tracing::warn!(profile = %profile_id, error = %e, "vault could not destroy its key");
        }
        let store = self.inner.clone();
        blocking(move || Ok(store.delete_profile_data(&profile_id)?)).await
    }
}
