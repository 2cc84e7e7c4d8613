//! A vault that derives its wrapping key from a passphrase, for the terminal shell,
//! tests and recovery.
//!
//! PBKDF2-HMAC-SHA256 with at least 600,000 iterations (OWASP's 2023 figure), a random
//! 16-byte salt per wrap, AES-256-GCM around the data key. This is the only place in
//! Layanan where opening a profile runs a key-derivation function: about 0.3 s on
//! one core, by design. Wrapped layout:
//! `[0x01][iterations: u32 BE][salt: 16][nonce: 12][ciphertext + tag]`.

use std::num::NonZeroU32;

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::pbkdf2;
use zeroize::Zeroizing;

use super::seal::{NONCE_LEN, TAG_LEN};
use super::vault::{KeyVault, VaultError};

/// The minimum (and default) PBKDF2 iteration count.
pub const MIN_ITERATIONS: u32 = 600_000;
const SALT_LEN: usize = 16;
const VERSION: u8 = 1;
const HEADER_LEN: usize = 1 + 4 + SALT_LEN + NONCE_LEN;

/// A [`KeyVault`] unlocked by a passphrase the person types.
pub struct PassphraseVault {
    passphrase: Zeroizing<String>,
    iterations: NonZeroU32,
}

impl PassphraseVault {
    /// A vault for this passphrase, with the default 600,000 iterations.
    pub fn new(passphrase: &str) -> Self {
        Self {
            passphrase: Zeroizing::new(passphrase.to_owned()),
            iterations: NonZeroU32::MIN.saturating_add(MIN_ITERATIONS - 1),
        }
    }

    fn derive(&self, iterations: NonZeroU32, salt: &[u8]) -> Result<LessSafeKey, VaultError> {
        let mut kek = Zeroizing::new([0u8; 32]);
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            iterations,
            salt,
            self.passphrase.as_bytes(),
            &mut kek[..],
        );
        UnboundKey::new(&AES_256_GCM, &kek[..])
            .map(LessSafeKey::new)
            .map_err(|_| VaultError::Unavailable {
                reason: "AES key setup failed".into(),
            })
    }
}

fn aad(profile_id: &str) -> Aad<Vec<u8>> {
    Aad::from(format!("layanan/passphrase-vault/v1\0{profile_id}").into_bytes())
}

impl KeyVault for PassphraseVault {
    fn wrap_key(&self, profile_id: &str, data_key: &[u8]) -> Result<Vec<u8>, VaultError> {
        let rng_err = |_| VaultError::Unavailable {
            reason: "system random generator failed".into(),
        };
        let salt = super::random_bytes::<SALT_LEN>().map_err(rng_err)?;
        let nonce = super::random_bytes::<NONCE_LEN>().map_err(rng_err)?;
        let kek = self.derive(self.iterations, &salt)?;
        let mut out = Vec::with_capacity(HEADER_LEN + data_key.len() + TAG_LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.iterations.get().to_be_bytes());
        out.extend_from_slice(&salt);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(data_key);
        let tag = kek
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                aad(profile_id),
                &mut out[HEADER_LEN..],
            )
            .map_err(|_| VaultError::Unavailable {
                reason: "sealing failed".into(),
            })?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    fn unwrap_key(&self, profile_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, VaultError> {
        // A blob this vault cannot parse was not written by it: treat it like a key
        // that is not ours rather than as a temporary failure.
        if wrapped.len() < HEADER_LEN + TAG_LEN || wrapped[0] != VERSION {
            return Err(VaultError::WrongSecret);
        }
        let mut iter_bytes = [0u8; 4];
        iter_bytes.copy_from_slice(&wrapped[1..5]);
        let iterations = u32::from_be_bytes(iter_bytes);
        // Refuse a downgraded count: someone with write access to the database must
        // not be able to make the next unlock cheap to brute-force offline.
        let iterations = match NonZeroU32::new(iterations) {
            Some(n) if n.get() >= MIN_ITERATIONS => n,
            _ => return Err(VaultError::WrongSecret),
        };
        let salt = &wrapped[5..5 + SALT_LEN];
        let nonce = Nonce::try_assume_unique_for_key(&wrapped[5 + SALT_LEN..HEADER_LEN])
            .map_err(|_| VaultError::WrongSecret)?;
        let kek = self.derive(iterations, salt)?;
        let mut buf = Zeroizing::new(wrapped[HEADER_LEN..].to_vec());
        let key = kek
            .open_in_place(nonce, aad(profile_id), &mut buf[..])
            .map_err(|_| VaultError::WrongSecret)?;
        Ok(key.to_vec())
    }

    fn destroy_key(&self, _profile_id: &str) -> Result<(), VaultError> {
        // Nothing outside the store: the wrapped bytes in the profile row are all
        // there is, and the store shreds them.
        Ok(())
    }
}

impl std::fmt::Debug for PassphraseVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PassphraseVault")
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_unwraps_only_with_the_same_passphrase_and_profile() {
        let key = [7u8; 32];
        let vault = PassphraseVault::new("kopi susu 2026");
        let wrapped = vault.wrap_key("p1", &key).unwrap();
        assert_eq!(
            u32::from_be_bytes(wrapped[1..5].try_into().unwrap()),
            600_000
        );
        assert!(!wrapped.windows(32).any(|w| w == key));
        assert_eq!(vault.unwrap_key("p1", &wrapped).unwrap(), key);
        assert_eq!(
            PassphraseVault::new("kopi susu 2025").unwrap_key("p1", &wrapped),
            Err(VaultError::WrongSecret)
        );
        assert_eq!(
            vault.unwrap_key("p2", &wrapped),
            Err(VaultError::WrongSecret)
        );
    }

    #[test]
    fn refuses_a_lowered_iteration_count_and_garbage() {
        let vault = PassphraseVault::new("rahasia");
        let mut wrapped = vault.wrap_key("p1", &[1u8; 32]).unwrap();
        wrapped[1..5].copy_from_slice(&1000u32.to_be_bytes());
        assert_eq!(
            vault.unwrap_key("p1", &wrapped),
            Err(VaultError::WrongSecret)
        );
        assert_eq!(
            vault.unwrap_key("p1", b"short"),
            Err(VaultError::WrongSecret)
        );
    }
}
