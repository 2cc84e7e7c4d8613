//! `ProfileStore`: the device store seen from the shells.

use std::sync::{Arc, Mutex};

use layanan_device as device;

use crate::errors::{CitizenMessage, DamageKind, StoreError};
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
    /// version wrote it, on a background thread. Never treats a store it cannot read
    /// as new and never deletes anything of a damaged one: it fails with `Damaged`
    /// (open `StoreRecovery` then) or `DatabaseDamaged`.
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
        let raw = unwrap_key(vault.as_ref(), &profile_id, wrapped).await?;
        let store = self.inner.clone();
        blocking(move || Ok(Profile::new(store.open_profile(&profile_id, &raw)?))).await
    }

    /// Moves everything committed out of the write-ahead log into the database file.
    /// Call it from the app's "going to the background" hook; the core also does it
    /// after finalize, after a sync run and on close.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let store = self.inner.clone();
        blocking(move || Ok(store.checkpoint()?)).await
    }

    /// Wipes a profile: its key first, then its drafts and attachments. Does not need
    /// the profile unlocked, so a profile whose key was lost can still be removed.
    /// `WipePending` means another reader kept the old key bytes in the log: retry.
    pub async fn remove_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
    ) -> Result<(), StoreError> {
        let store = self.inner.clone();
        let id = profile_id.clone();
        match blocking(move || Ok(store.shred_profile_key(&id)?)).await {
            // The key is cleared in the database; the last step checkpoints again.
            Ok(()) | Err(StoreError::WipePending) => {}
            Err(e) => return Err(e),
        }
        if let Err(e) = vault.destroy_key(profile_id.clone()).await {
            // The wrapped key is already gone from the store, so the data is
            // unreadable either way; the vault's leftover is only a dangling alias.
            tracing::warn!(profile = %profile_id, error = %e, "vault could not destroy its key");
        }
        let store = self.inner.clone();
        blocking(move || Ok(store.delete_profile_data(&profile_id)?)).await
    }
}

/// Asks the (possibly prompting) vault for a profile's data key.
async fn unwrap_key(
    vault: &dyn KeyVault,
    profile_id: &str,
    wrapped: Vec<u8>,
) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
    let raw = vault
        .unwrap_key(profile_id.to_owned(), wrapped)
        .await
        .map_err(device::VaultError::from)
        .map_err(device::StoreError::from)?;
    Ok(zeroize::Zeroizing::new(raw))
}

/// What an export to a recovery archive saved, and what it could not.
#[uniffi::remote(Record)]
pub struct ExportSummary {
    pub drafts: u32,
    pub submissions: u32,
    /// Photos and files saved whole.
    pub attachments: u32,
    /// Files of which only the first part could be read (saved as such).
    pub partial_attachments: u32,
    /// Drafts or submissions that could not be read.
    pub unreadable_records: u32,
    /// Files of which nothing could be read.
    pub unreadable_attachments: u32,
}

pub use device::ExportSummary;

/// A store opened read-only to save what can still be read when `ProfileStore.open`
/// failed with `Damaged`: it writes nothing in the data directory. Export each
/// profile to an archive file the citizen can keep (sealed with the profile's own
/// key: it opens wherever the profile's vault does).
#[derive(uniffi::Object)]
pub struct StoreRecovery {
    inner: Arc<Mutex<device::Recovery>>,
    damage: Option<DamageKind>,
}

impl std::fmt::Debug for StoreRecovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreRecovery")
    }
}

impl StoreRecovery {
    fn recovery(&self) -> Arc<Mutex<device::Recovery>> {
        Arc::clone(&self.inner)
    }
}

fn locked(r: &Mutex<device::Recovery>) -> std::sync::MutexGuard<'_, device::Recovery> {
    r.lock().unwrap_or_else(|p| p.into_inner())
}

#[uniffi::export(async_runtime = "tokio")]
impl StoreRecovery {
    /// Opens the store in `data_dir` for recovery, read-only.
    #[uniffi::constructor]
    pub async fn open(data_dir: String) -> Result<Arc<Self>, StoreError> {
        let recovery = blocking(move || Ok(device::Recovery::open(data_dir)?)).await?;
        Ok(Arc::new(Self {
            damage: recovery.damage(),
            inner: Arc::new(Mutex::new(recovery)),
        }))
    }

    /// How the store is damaged (`None` when it is healthy).
    pub fn damage(&self) -> Option<DamageKind> {
        self.damage
    }

    /// What to tell the citizen about the damage, in both languages.
    pub fn message(&self) -> Option<CitizenMessage> {
        self.damage.map(DamageKind::citizen_message)
    }

    /// The profiles whose data can still be read.
    pub async fn profiles(&self) -> Result<Vec<ProfileInfo>, StoreError> {
        let r = self.recovery();
        blocking(move || Ok(locked(&r).profiles())).await
    }

    /// Exports what can be read of a profile into a new archive file at
    /// `dest_path`, unlocking the profile with `vault` (which may prompt the
    /// citizen). A wrong key writes nothing (`WrongKey`).
    pub async fn export_profile(
        &self,
        profile_id: String,
        vault: Arc<dyn KeyVault>,
        dest_path: String,
    ) -> Result<ExportSummary, StoreError> {
        let r = self.recovery();
        let id = profile_id.clone();
        let wrapped = blocking(move || Ok(locked(&r).wrapped_key(&id)?)).await?;
        let raw = unwrap_key(vault.as_ref(), &profile_id, wrapped).await?;
        let r = self.recovery();
        blocking(move || {
            Ok(locked(&r).export_profile_with_key(
                &profile_id,
                &raw,
                std::path::Path::new(&dest_path),
            )?)
        })
        .await
    }
}
