//! Keys, sealing and key vaults. Everything cryptographic in the device store lives
//! here, on top of ring.

mod data_key;
mod passphrase_vault;
mod seal;
#[cfg(any(test, feature = "testing"))]
mod static_vault;
mod vault;

pub use data_key::DataKey;
pub use passphrase_vault::PassphraseVault;
pub(crate) use seal::{open, seal, SealContext, SealError, NONCE_LEN, TAG_LEN};
#[cfg(any(test, feature = "testing"))]
pub use static_vault::StaticKeyVault;
pub use vault::{KeyVault, VaultError};

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], crate::StoreError> {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| crate::StoreError::Internal("system random generator failed".into()))?;
    Ok(out)
}
