//! The sealed-value envelope: how one value is encrypted into one column.
//!
//! Layout (version 1): `[0x01][12-byte random nonce][ciphertext][16-byte GCM tag]`.
//! The associated data is `layanan/v1 \0 table \0 column \0 row_id`, so the tag only
//! verifies in the exact cell the value was written to: a value copied to another row
//! or column fails to open. The version byte lets a later release change the layout
//! (or the cipher) and still read what older releases wrote.

use ring::aead::{Aad, LessSafeKey, Nonce};

/// Envelope version written by this release.
pub const ENVELOPE_V1: u8 = 1;
/// AES-GCM nonce length.
pub const NONCE_LEN: usize = 12;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
const AAD_DOMAIN: &[u8] = b"layanan/v1";

/// Where a sealed value lives. Sealing binds the value to exactly this cell.
#[derive(Clone, Copy, Debug)]
pub struct SealContext<'a> {
    pub table: &'static str,
    pub column: &'static str,
    pub row_id: &'a str,
}

impl SealContext<'_> {
    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(
            AAD_DOMAIN.len() + 3 + self.table.len() + self.column.len() + self.row_id.len(),
        );
        for (i, part) in [
            AAD_DOMAIN,
            self.table.as_bytes(),
            self.column.as_bytes(),
            self.row_id.as_bytes(),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                aad.push(0);
            }
            aad.extend_from_slice(part);
        }
        aad
    }
}

/// Why a sealed value did not open.
#[derive(Debug, PartialEq, Eq)]
pub enum SealError {
    /// Too short to hold a version, nonce and tag.
    Truncated,
    /// Written by an unknown envelope version.
    UnknownVersion(u8),
    /// Authentication failed: wrong key, altered bytes, or moved to another cell.
    Authentication,
    /// The random generator failed while sealing.
    Random,
}

/// Seals `plaintext` for the cell `ctx` with a fresh random nonce.
pub fn seal(
    key: &LessSafeKey,
    ctx: SealContext<'_>,
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    let nonce_bytes = super::random_bytes::<NONCE_LEN>().map_err(|_| SealError::Random)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
    out.push(ENVELOPE_V1);
    out.extend_from_slice(&nonce_bytes);
    out.extend_from_slice(plaintext);
    let tag = key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(ctx.aad()),
            &mut out[1 + NONCE_LEN..],
        )
        .map_err(|_| SealError::Authentication)?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens a value sealed by [`seal`] for the same cell.
pub fn open(key: &LessSafeKey, ctx: SealContext<'_>, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    let (&version, rest) = sealed.split_first().ok_or(SealError::Truncated)?;
    if version != ENVELOPE_V1 {
        return Err(SealError::UnknownVersion(version));
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(SealError::Truncated);
    }
    let (nonce_bytes, body) = rest.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce_bytes).map_err(|_| SealError::Truncated)?;
    let mut buf = body.to_vec();
    let plain_len = key
        .open_in_place(nonce, Aad::from(ctx.aad()), &mut buf)
        .map_err(|_| SealError::Authentication)?
        .len();
    buf.truncate(plain_len);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;

    fn ctx(row: &str) -> SealContext<'_> {
        SealContext {
            table: "drafts",
            column: "answers",
            row_id: row,
        }
    }

    #[test]
    fn round_trip_and_binding_to_the_cell() {
        let key = DataKey::generate().unwrap().aead_key().unwrap();
        let sealed = seal(&key, ctx("a"), b"Siti Rahayu").unwrap();
        assert_eq!(open(&key, ctx("a"), &sealed).unwrap(), b"Siti Rahayu");
        assert_eq!(
            open(&key, ctx("b"), &sealed),
            Err(SealError::Authentication)
        );
        let other_column = SealContext {
            column: "details",
            ..ctx("a")
        };
        assert_eq!(
            open(&key, other_column, &sealed),
            Err(SealError::Authentication)
        );
    }

    #[test]
    fn same_plaintext_seals_differently_each_time() {
        let key = DataKey::generate().unwrap().aead_key().unwrap();
        let a = seal(&key, ctx("a"), b"x").unwrap();
        let b = seal(&key, ctx("a"), b"x").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn damaged_envelopes_give_typed_errors() {
        let key = DataKey::generate().unwrap().aead_key().unwrap();
        let other = DataKey::generate().unwrap().aead_key().unwrap();
        let sealed = seal(&key, ctx("a"), b"3174012501900001").unwrap();
        assert_eq!(
            open(&other, ctx("a"), &sealed),
            Err(SealError::Authentication)
        );
        assert_eq!(open(&key, ctx("a"), &[]), Err(SealError::Truncated));
        assert_eq!(
            open(&key, ctx("a"), &sealed[..20]),
            Err(SealError::Truncated)
        );
        let mut v2 = sealed.clone();
        v2[0] = 2;
        assert_eq!(open(&key, ctx("a"), &v2), Err(SealError::UnknownVersion(2)));
        for i in 1..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[i] ^= 0x01;
            assert_eq!(
                open(&key, ctx("a"), &flipped),
                Err(SealError::Authentication),
                "flip at byte {i}"
            );
        }
    }
}
