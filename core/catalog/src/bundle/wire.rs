//! The bytes of a bundle: a small binary envelope around a deflate-compressed JSON
//! payload, signed with the agency's Ed25519 key.
//!
//! ```text
//! "LYCB"  version (1)  key id length (1 byte)  key id  signature (64)  deflate(payload JSON)
//! ```
//!
//! The signature covers `layanan/catalog/v1\0` followed by the exact uncompressed
//! payload bytes, so neither a recompression nor a receipt's signature (another tag)
//! can pass for a catalog. Verification comes before parsing: the JSON parser only
//! ever sees bytes the agency signed. Decompression is capped, so a small hostile
//! input cannot exhaust the phone's memory.

use std::io::{Read, Write};

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use layanan_protocol::{AgencyPublicKey, ReceiptError, ReceiptSigner};
use serde::{Deserialize, Serialize};

use super::{Bundle, BundleContent, BundleError, PublishError};

const MAGIC: &[u8; 4] = b"LYCB";
const VERSION: u8 = 1;
/// The payload's own format number, inside the signed bytes.
const FORMAT: u32 = 1;
/// Domain separation: never the receipts' tag (`layanan_protocol::receipt`).
pub const DOMAIN_TAG: &[u8] = b"layanan/catalog/v1\0";
const SIGNATURE_LEN: usize = 64;
const MAX_KEY_ID_LEN: usize = 64;
/// The largest payload accepted once decompressed. The starter catalog's is about
/// 150 KB; a 2,000-service catalog stays well under this.
pub const MAX_PAYLOAD_BYTES: u64 = 32 * 1024 * 1024;

/// The signed JSON.
#[derive(Serialize, Deserialize)]
struct Payload {
    format: u32,
    sequence: u64,
    key_id: String,
    #[serde(flatten)]
    content: BundleContent,
}

/// Signs and compresses `content` at `sequence`.
pub(super) fn encode(
    sequence: u64,
    content: BundleContent,
    signer: &ReceiptSigner,
) -> Result<Vec<u8>, PublishError> {
    let key_id = signer.public_key().key_id.clone();
    let payload = Payload {
        format: FORMAT,
        sequence,
        key_id: key_id.clone(),
        content,
    };
    let json = serde_json::to_vec(&payload).map_err(|e| PublishError::Encoding(e.to_string()))?;
    let signature = signer
        .sign_message(DOMAIN_TAG, &json)
        .map_err(PublishError::Signing)?;
    let key_len = u8::try_from(key_id.len())
        .ok()
        .filter(|&n| usize::from(n) <= MAX_KEY_ID_LEN)
        .ok_or(PublishError::Signing(ReceiptError::InvalidKey))?;

    let mut out = Vec::with_capacity(json.len() / 4 + 128);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(key_len);
    out.extend_from_slice(key_id.as_bytes());
    out.extend_from_slice(&signature);
    let mut encoder = DeflateEncoder::new(out, Compression::best());
    encoder
        .write_all(&json)
        .map_err(|e| PublishError::Encoding(e.to_string()))?;
    encoder
        .finish()
        .map_err(|e| PublishError::Encoding(e.to_string()))
}

/// Verifies `bytes` against the trusted keys, then reads the payload.
pub(super) fn decode(bytes: &[u8], trusted: &[AgencyPublicKey]) -> Result<Bundle, BundleError> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or(BundleError::NotABundle)?;
    let (&version, rest) = rest.split_first().ok_or(BundleError::NotABundle)?;
    if version != VERSION {
        return Err(BundleError::UnsupportedVersion {
            version: u32::from(version),
        });
    }
    let (&key_len, rest) = rest.split_first().ok_or(BundleError::NotABundle)?;
    let key_len = usize::from(key_len);
    if key_len > MAX_KEY_ID_LEN || rest.len() < key_len + SIGNATURE_LEN {
        return Err(BundleError::NotABundle);
    }
    let (key_id, rest) = rest.split_at(key_len);
    let key_id = std::str::from_utf8(key_id).map_err(|_| BundleError::NotABundle)?;
    let (signature, compressed) = rest.split_at(SIGNATURE_LEN);
    let mut sig = [0u8; SIGNATURE_LEN];
    sig.copy_from_slice(signature);

    let key =
        trusted
            .iter()
            .find(|k| k.key_id == key_id)
            .ok_or_else(|| BundleError::UnknownKey {
                key_id: key_id.to_owned(),
            })?;
    let json = inflate(compressed)?;
    key.verify_message(DOMAIN_TAG, &json, &sig)
        .map_err(|e| match e {
            ReceiptError::UnknownKey => BundleError::UnknownKey {
                key_id: key_id.to_owned(),
            },
            _ => BundleError::BadSignature,
        })?;

    let payload: Payload = serde_json::from_slice(&json).map_err(|e| BundleError::Unparsable {
        reason: e.to_string(),
    })?;
    if payload.format != FORMAT {
        return Err(BundleError::UnsupportedVersion {
            version: payload.format,
        });
    }
    if payload.key_id != key_id {
        return Err(BundleError::KeyMismatch);
    }
    if let BundleContent::Delta { base, .. } = &payload.content {
        if *base >= payload.sequence {
            return Err(BundleError::Unparsable {
                reason: format!(
                    "delta from {base} to {} does not go forward",
                    payload.sequence
                ),
            });
        }
    }
    Ok(Bundle {
        sequence: payload.sequence,
        key_id: payload.key_id,
        content: payload.content,
    })
}

fn inflate(compressed: &[u8]) -> Result<Vec<u8>, BundleError> {
    let mut json = Vec::new();
    DeflateDecoder::new(compressed)
        .take(MAX_PAYLOAD_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|_| BundleError::Corrupt)?;
    if json.len() as u64 > MAX_PAYLOAD_BYTES {
        return Err(BundleError::TooLarge);
    }
    Ok(json)
}
