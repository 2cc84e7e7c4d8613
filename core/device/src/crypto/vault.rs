//! The platform key store seen from the core.
//!
//! The shells implement [`KeyVault`] with Android Keystore (an AES key in the TEE
//! wraps the data key, optionally bound to biometrics) and the iOS Keychain. The
//! store hands the vault a profile's freshly generated data key once, keeps only the
//! wrapped bytes, and asks the vault to unwrap them when the profile is opened.

/// Why a vault could not wrap or unwrap a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// The key store cannot serve now (locked device, cancelled biometric prompt,
    /// keychain unavailable before first unlock). A later try may work.
    #[error("key store unavailable: {reason}")]
    Unavailable { reason: String },
    /// The wrapping key is gone for good (deleted, or invalidated by a biometric
    /// enrolment change).
    #[error("wrapping key permanently lost")]
    KeyLost,
    /// The secret the user supplied (a passphrase) does not unwrap this key.
    #[error("wrong secret")]
    WrongSecret,
}

/// Wraps and unwraps profiles' data keys. Implemented by each platform.
///
/// `profile_id` lets a vault keep one platform key per profile (an alias), so wiping
/// one profile destroys only its key.
pub trait KeyVault: Send + Sync {
    /// Encrypts (or stores) `data_key` and returns the bytes the store keeps.
    fn wrap_key(&self, profile_id: &str, data_key: &[u8]) -> Result<Vec<u8>, VaultError>;

    /// Returns the data key from the bytes [`KeyVault::wrap_key`] returned.
    fn unwrap_key(&self, profile_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, VaultError>;

    /// Destroys whatever the vault holds for this profile. Called when the profile is
    /// wiped, after the store has shredded its copy of the wrapped key.
    fn destroy_key(&self, profile_id: &str) -> Result<(), VaultError>;
}
