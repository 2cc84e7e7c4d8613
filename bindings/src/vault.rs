//! The key vault as an async foreign trait, and the passphrase vault the core provides.

use std::sync::Arc;

use layanan_device as device;

use crate::errors::VaultError;

/// Wraps and unwraps profiles' data keys with the platform key store.
///
/// Android: an AES-GCM key in Android Keystore (per profile alias, optionally
/// requiring biometric authentication) encrypts the data key. iOS: the Keychain
/// (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, or `.biometryCurrentSet`)
/// holds it. The methods are `suspend` / `async`: a vault may wait for the citizen
/// at a biometric prompt for as long as it takes, and no thread waits with it.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait KeyVault: Send + Sync {
    /// Protects `data_key` for `profile_id` and returns the bytes the store keeps.
    async fn wrap_key(&self, profile_id: String, data_key: Vec<u8>) -> Result<Vec<u8>, VaultError>;
    /// Returns the data key from what [`KeyVault::wrap_key`] returned.
    async fn unwrap_key(&self, profile_id: String, wrapped: Vec<u8>)
        -> Result<Vec<u8>, VaultError>;
    /// Deletes whatever the vault keeps for `profile_id` (called when it is wiped).
    async fn destroy_key(&self, profile_id: String) -> Result<(), VaultError>;
}

/// A vault unlocked by a passphrase (PBKDF2-HMAC-SHA256, 600,000 iterations).
/// For recovery and for shells without a platform key store; unlocking takes a
/// noticeable fraction of a second by design, on a background thread.
#[derive(uniffi::Object)]
pub struct PassphraseVault {
    inner: Arc<device::PassphraseVault>,
}

#[uniffi::export]
impl PassphraseVault {
    #[uniffi::constructor]
    pub fn new(passphrase: String) -> Arc<Self> {
        Arc::new(Self {
            inner: Arc::new(device::PassphraseVault::new(&passphrase)),
        })
    }
}

impl std::fmt::Debug for PassphraseVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseVault")
    }
}

impl PassphraseVault {
    /// Runs the key derivation on the blocking pool.
    async fn derive<T: Send + 'static>(
        &self,
        f: impl FnOnce(&device::PassphraseVault) -> Result<T, device::VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let vault = Arc::clone(&self.inner);
        match device::pool::run_blocking(move || f(&vault)).await {
            Ok(result) => Ok(result?),
            Err(e) => Err(VaultError::Unavailable {
                reason: e.to_string(),
            }),
        }
    }
}

#[uniffi::export(async_runtime = "tokio")]
#[async_trait::async_trait]
impl KeyVault for PassphraseVault {
    async fn wrap_key(&self, profile_id: String, data_key: Vec<u8>) -> Result<Vec<u8>, VaultError> {
        self.derive(move |v| device::KeyVault::wrap_key(v, &profile_id, &data_key))
            .await
    }

    async fn unwrap_key(
        &self,
        profile_id: String,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, VaultError> {
        self.derive(move |v| device::KeyVault::unwrap_key(v, &profile_id, &wrapped))
            .await
    }

    async fn destroy_key(&self, profile_id: String) -> Result<(), VaultError> {
        self.derive(move |v| device::KeyVault::destroy_key(v, &profile_id))
            .await
    }
}
