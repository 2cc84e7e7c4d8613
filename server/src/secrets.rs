//! Random tokens and the keyed hashes they are stored under. The database never holds a
//! usable token, code or phone number: a leaked backup gives an attacker nothing to
//! replay and no list of citizens' numbers.

use layanan_protocol::hex;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::ApiError;

/// Server-side keyed hashing (HMAC-SHA256 with the server secret).
pub struct Secrets {
    key: hmac::Key,
    rng: SystemRandom,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

impl Secrets {
    pub fn new(server_secret: &[u8; 32]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, server_secret),
            rng: SystemRandom::new(),
        }
    }

    /// Keyed hash of `purpose` and `value`, in hex. The purpose keeps a phone hash from
    /// ever matching a token hash.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        let mut ctx = hmac::Context::with_key(&self.key);
        ctx.update(purpose.as_bytes());
        ctx.update(&[0]);
        ctx.update(value.as_bytes());
        hex::encode(ctx.sign().as_ref())
    }

    /// A new random token with a readable prefix (so leaked tokens are recognisable
    /// by secret scanners).
    pub fn token(&self, prefix: &str) -> Result<String, ApiError> {
        let mut bytes = [0u8; 32];
        self.rng
            .fill(&mut bytes)
            .map_err(|_| ApiError::Internal("random generator failed".into()))?;
        Ok(format!("{prefix}{}", hex::encode(&bytes)))
    }

    /// A random id for rows (challenges, uploads, citizens).
    pub fn id(&self) -> String {
        uuid::Uuid::new_v4().simple().to_string()
    }

    /// A one-time code of `digits` decimal digits, uniform (rejection sampling).
    pub fn numeric_code(&self, digits: u32) -> Result<String, ApiError> {
        let modulus = 10u32.pow(digits);
        let zone = u32::MAX - (u32::MAX % modulus);
        loop {
            let mut bytes = [0u8; 4];
            self.rng
                .fill(&mut bytes)
                .map_err(|_| ApiError::Internal("random generator failed".into()))?;
            let n = u32::from_le_bytes(bytes);
            if n < zone {
                return Ok(format!("{:0width$}", n % modulus, width = digits as usize));
            }
        }
    }
}

/// SHA-256 in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// SHA-256 as an array.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_fixed_width_and_hashes_depend_on_purpose() {
        let s = Secrets::new(&[1; 32]);
        for _ in 0..50 {
            let code = s.numeric_code(6).unwrap();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
        assert_ne!(s.keyed_hash("a", "x"), s.keyed_hash("b", "x"));
        assert_eq!(s.keyed_hash("a", "x"), s.keyed_hash("a", "x"));
        assert!(s.token("lyn_at_").unwrap().starts_with("lyn_at_"));
    }
}
