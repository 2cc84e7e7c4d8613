//! A profile's data key: 256 random bits, wiped from memory when dropped.

use ring::aead::{LessSafeKey, UnboundKey, AES_256_GCM};
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};

/// Length of a data key in bytes (AES-256).
pub const DATA_KEY_LEN: usize = 32;

/// A profile's random data key. Only ever leaves the process wrapped by a vault.
pub struct DataKey {
    bytes: Zeroizing<[u8; DATA_KEY_LEN]>,
}

impl DataKey {
    /// A fresh random key for a new profile.
    pub fn generate() -> Result<Self> {
        Ok(Self {
            bytes: Zeroizing::new(super::random_bytes::<DATA_KEY_LEN>()?),
        })
    }

    /// Takes the key bytes a vault unwrapped. A wrong length means the vault returned
    /// something that is not this profile's key.
    pub fn from_unwrapped(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; DATA_KEY_LEN] = bytes.try_into().map_err(|_| StoreError::WrongKey)?;
        Ok(Self {
            bytes: Zeroizing::new(arr),
        })
    }

    /// The raw key, only to hand to a vault for wrapping.
    pub fn expose(&self) -> &[u8] {
        &self.bytes[..]
    }

    pub(crate) fn aead_key(&self) -> Result<LessSafeKey> {
        UnboundKey::new(&AES_256_GCM, &self.bytes[..])
            .map(LessSafeKey::new)
            .map_err(|_| StoreError::Internal("AES key setup failed".into()))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}
