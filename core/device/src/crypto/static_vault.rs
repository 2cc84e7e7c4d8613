//! A vault with a fixed key-encryption key, standing in for a hardware key store in
//! tests and benchmarks: it wraps exactly as Android Keystore does (AES-256-GCM with a
//! key that never leaves the vault), without the 600,000 PBKDF2 rounds.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};

use super::seal::NONCE_LEN;
use super::vault::{KeyVault, VaultError};

/// A [`KeyVault`] with a fixed key-encryption key. Test and benchmark use only.
#[derive(Debug, Clone)]
pub struct StaticKeyVault {
    kek: [u8; 32],
}

impl StaticKeyVault {
    /// A vault whose key-encryption key is `kek`.
    pub fn new(kek: [u8; 32]) -> Self {
        Self { kek }
    }

    fn key(&self) -> Result<LessSafeKey, VaultError> {
        UnboundKey::new(&AES_256_GCM, &self.kek)
            .map(LessSafeKey::new)
            .map_err(|_| VaultError::Unavailable {
                reason: "AES key setup failed".into(),
            })
    }
}

impl KeyVault for StaticKeyVault {
    fn wrap_key(&self, profile_id: &str, data_key: &[u8]) -> Result<Vec<u8>, VaultError> {
        let nonce = super::random_bytes::<NONCE_LEN>().map_err(|_| VaultError::Unavailable {
            reason: "random generator failed".into(),
        })?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(data_key);
        let tag = self
            .key()?
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(profile_id.as_bytes()),
                &mut out[NONCE_LEN..],
            )
            .map_err(|_| VaultError::KeyLost)?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    fn unwrap_key(&self, profile_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, VaultError> {
        if wrapped.len() < NONCE_LEN {
            return Err(VaultError::WrongSecret);
        }
        let nonce = Nonce::try_assume_unique_for_key(&wrapped[..NONCE_LEN])
            .map_err(|_| VaultError::WrongSecret)?;
        let mut buf = wrapped[NONCE_LEN..].to_vec();
        let key = self
            .key()?
            .open_in_place(nonce, Aad::from(profile_id.as_bytes()), &mut buf)
            .map_err(|_| VaultError::WrongSecret)?;
        Ok(key.to_vec())
    }

    fn destroy_key(&self, _profile_id: &str) -> Result<(), VaultError> {
        Ok(())
    }
}
