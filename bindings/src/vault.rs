//! The key vault as a foreign trait, and the passphrase vault the core provides.

use std::sync::Arc;

use layanan_device as device;

use crate::errors::VaultError;

/// Wraps and unwraps profiles' data keys with the platform key store.
///
/// Android: an AES-GCM key in Android Keystore (per profile alias, optionally
/// requiring biometric authentication) encrypts the data key. iOS: the Keychain
/// (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly) holds it. Called off the main
/// thread; may block while a biometric prompt is shown.
#[uniffi::export(with_foreign)]
pub trait KeyVault: Send + Sync {
    /// Protects `data_key` for `profile_id` and returns the bytes the store keeps.
    fn wrap_key(&self, profile_id: String, data_key: Vec<u8>) -> Result<Vec<u8>, VaultError>;
    /// Returns the data key from what [`KeyVault::wrap_key`] returned.
    fn unwrap_key(&self, profile_id: String, wrapped: Vec<u8>) -> Result<Vec<u8>, VaultError>;
    /// Deletes whatever the vault keeps for `profile_id` (called when it is wiped).
    fn destroy_key(&self, profile_id: String) -> Result<(), VaultError>;
}

/// A vault unlocked by a passphrase (PBKDF2-HMAC-SHA256, 600,000 iterations).
/// For recovery and for shells without a platform key store; unlocking takes a
/// noticeable fraction of a second by design.
#[derive(uniffi::Object)]
pub struct PassphraseVault {
    inner: device::PassphraseVault,
}

#[uniffi::export]
impl PassphraseVault {
    #[uniffi::constructor]
    pub fn new(passphrase: String) -> Arc<Self> {
        Arc::new(Self {
            inner: device::PassphraseVault::new(&passphrase),
        })
    }
}

impl std::fmt::Debug for PassphraseVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseVault")
    }
}

#[uniffi::export]
impl KeyVault for PassphraseVault {
    fn wrap_key(&self, profile_id: String, data_key: Vec<u8>) -> Result<Vec<u8>, VaultError> {
        Ok(device::KeyVault::wrap_key(
            &self.inner,
            &profile_id,
            &data_key,
        )?)
    }

    fn unwrap_key(&self, profile_id: String, wrapped: Vec<u8>) -> Result<Vec<u8>, VaultError> {
        Ok(device::KeyVault::unwrap_key(
            &self.inner,
            &profile_id,
            &wrapped,
        )?)
    }

    fn destroy_key(&self, profile_id: String) -> Result<(), VaultError> {
        Ok(device::KeyVault::destroy_key(&self.inner, &profile_id)?)
    }
}

/// Presents a foreign [`KeyVault`] to the domain crate.
pub(crate) struct VaultAdapter(pub(crate) Arc<dyn KeyVault>);

impl device::KeyVault for VaultAdapter {
    fn wrap_key(&self, profile_id: &str, data_key: &[u8]) -> Result<Vec<u8>, device::VaultError> {
        Ok(self.0.wrap_key(profile_id.to_owned(), data_key.to_vec())?)
    }

    fn unwrap_key(&self, profile_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, device::VaultError> {
        Ok(self.0.unwrap_key(profile_id.to_owned(), wrapped.to_vec())?)
    }

    fn destroy_key(&self, profile_id: &str) -> Result<(), device::VaultError> {
        Ok(self.0.destroy_key(profile_id.to_owned())?)
    }
}
