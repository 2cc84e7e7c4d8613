//! Receipts: the agency's signed statement "we hold this submission", which a citizen
//! can show at a counter and the device verifies offline with the agency's public key.
//!
//! The signature covers a canonical byte encoding (domain tag, then every field
//! length-prefixed in a fixed order), never the JSON text: JSON field order and
//! whitespace may change in transit, the canonical bytes cannot.

use ring::signature::{self, Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};

use crate::hex;

/// Domain separation: these bytes can never be mistaken for another signed message.
const DOMAIN_TAG: &[u8] = b"layanan-receipt-v1\0";

/// What the agency attests about one accepted submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The submission's `meta/instanceID` (`uuid:...`).
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    /// When the server first accepted it, milliseconds since the Unix epoch.
    pub received_at_ms: i64,
    /// SHA-256 of the submission XML bytes exactly as received.
    #[serde(with = "hex::serde_array")]
    pub submission_sha256: [u8; 32],
    /// Which agency key signed it (see [`key_id_for`]).
    pub key_id: String,
}

/// A receipt with its Ed25519 signature over [`Receipt::canonical_bytes`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReceipt {
    #[serde(flatten)]
    pub receipt: Receipt,
    #[serde(with = "hex::serde_array")]
    pub signature: [u8; 64],
}

/// Why a receipt cannot be trusted or read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReceiptError {
    #[error("receipt was signed by a key this device does not know")]
    UnknownKey,
    #[error("receipt signature does not verify")]
    BadSignature,
    #[error("receipt is not well-formed")]
    Malformed,
    #[error("agency signing key is invalid")]
    InvalidKey,
}

impl Receipt {
    /// The exact bytes that are signed.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(DOMAIN_TAG.len() + 160);
        out.extend_from_slice(DOMAIN_TAG);
        for field in [
            self.instance_id.as_bytes(),
            self.form_id.as_bytes(),
            self.form_version.as_bytes(),
        ] {
            push_field(&mut out, field);
        }
        out.extend_from_slice(&self.received_at_ms.to_be_bytes());
        out.extend_from_slice(&self.submission_sha256);
        push_field(&mut out, self.key_id.as_bytes());
        out
    }
}

fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    // Fields are ids and versions, far below 4 GiB; saturate rather than wrap anyway.
    let len = u32::try_from(field.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(field);
}

/// `domain_tag || message`, refusing an empty tag or one that overlaps the receipts'.
fn tagged(domain_tag: &[u8], message: &[u8]) -> Result<Vec<u8>, ReceiptError> {
    if domain_tag.is_empty()
        || DOMAIN_TAG.starts_with(domain_tag)
        || domain_tag.starts_with(DOMAIN_TAG)
    {
        return Err(ReceiptError::Malformed);
    }
    let mut out = Vec::with_capacity(domain_tag.len() + message.len());
    out.extend_from_slice(domain_tag);
    out.extend_from_slice(message);
    Ok(out)
}

/// SHA-256 of submission XML bytes, as [`Receipt::submission_sha256`] holds it.
pub fn submission_digest(xml: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, xml).as_ref());
    out
}

impl SignedReceipt {
    /// True when this receipt is for exactly these XML bytes: the device checks this
    /// before marking an item sent, as well as the signature.
    pub fn covers(&self, instance_id: &str, xml: &[u8]) -> bool {
        self.receipt.instance_id == instance_id
            && self.receipt.submission_sha256 == submission_digest(xml)
    }

    /// Compact transport form for an HTTP header: hex of the JSON.
    pub fn to_header_value(&self) -> String {
        // Serialising plain strings and byte arrays cannot fail.
        hex::encode(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }

    /// Reads the header form back.
    pub fn from_header_value(value: &str) -> Result<Self, ReceiptError> {
        let json = hex::decode(value.trim()).map_err(|_| ReceiptError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| ReceiptError::Malformed)
    }
}

/// The stable id of an agency key: `ed25519:` and the first 8 bytes of the SHA-256 of
/// the public key, in hex. Derived, so it can never disagree with the key.
pub fn key_id_for(public_key: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, public_key);
    format!("ed25519:{}", hex::encode(&digest.as_ref()[..8]))
}

/// The agency's public key as the device pins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyPublicKey {
    pub key_id: String,
    /// Always "Ed25519".
    pub algorithm: String,
    #[serde(with = "hex::serde_array")]
    pub public_key: [u8; 32],
}

impl AgencyPublicKey {
    /// A key from its 32 raw bytes; the id is derived.
    pub fn from_bytes(public_key: [u8; 32]) -> Self {
        Self {
            key_id: key_id_for(&public_key),
            algorithm: "Ed25519".to_owned(),
            public_key,
        }
    }

    /// Checks that this key signed `domain_tag || message` (see
    /// [`ReceiptSigner::sign_message`]). Works offline.
    pub fn verify_message(
        &self,
        domain_tag: &[u8],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<(), ReceiptError> {
        if key_id_for(&self.public_key) != self.key_id {
            return Err(ReceiptError::UnknownKey);
        }
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.public_key)
            .verify(&tagged(domain_tag, message)?, signature)
            .map_err(|_| ReceiptError::BadSignature)
    }

    /// Checks that this key signed exactly this receipt. Works offline.
    pub fn verify(&self, signed: &SignedReceipt) -> Result<(), ReceiptError> {
        if signed.receipt.key_id != self.key_id || key_id_for(&self.public_key) != self.key_id {
            return Err(ReceiptError::UnknownKey);
        }
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.public_key)
            .verify(&signed.receipt.canonical_bytes(), &signed.signature)
            .map_err(|_| ReceiptError::BadSignature)
    }
}

/// The agency's signing key, held by the server only.
pub struct ReceiptSigner {
    key_pair: Ed25519KeyPair,
    public: AgencyPublicKey,
}

impl std::fmt::Debug for ReceiptSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptSigner")
            .field("key_id", &self.public.key_id)
            .finish_non_exhaustive()
    }
}

impl ReceiptSigner {
    /// A new random key in PKCS#8 form, to be stored by the caller.
    pub fn generate_pkcs8() -> Result<Vec<u8>, ReceiptError> {
        let rng = ring::rand::SystemRandom::new();
        Ed25519KeyPair::generate_pkcs8(&rng)
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| ReceiptError::InvalidKey)
    }

    /// Loads a key stored in PKCS#8 form.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, ReceiptError> {
        let key_pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| ReceiptError::InvalidKey)?;
        let public_key: [u8; 32] = key_pair
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| ReceiptError::InvalidKey)?;
        Ok(Self {
            key_pair,
            public: AgencyPublicKey::from_bytes(public_key),
        })
    }

    /// The public half, to publish and to pin in the app.
    pub fn public_key(&self) -> &AgencyPublicKey {
        &self.public
    }

    /// Signs `domain_tag || message` with the agency key, for other signed documents
    /// (the service catalog). The tag must be non-empty and differ from the receipts'
    /// own, so no other document's signature can ever verify as a receipt.
    pub fn sign_message(
        &self,
        domain_tag: &[u8],
        message: &[u8],
    ) -> Result<[u8; 64], ReceiptError> {
        let sig = self.key_pair.sign(&tagged(domain_tag, message)?);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(sig.as_ref());
        Ok(signature)
    }

    /// Signs a receipt, stamping it with this key's id.
    pub fn sign(&self, mut receipt: Receipt) -> SignedReceipt {
        receipt.key_id.clone_from(&self.public.key_id);
        let sig = self.key_pair.sign(&receipt.canonical_bytes());
        let mut signature = [0u8; 64];
        signature.copy_from_slice(sig.as_ref());
        SignedReceipt { receipt, signature }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Tamper = Box<dyn Fn(&mut SignedReceipt)>;

    fn sample() -> Receipt {
        Receipt {
            instance_id: "uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e".into(),
            form_id: "ktp_baru".into(),
            form_version: "2024061201".into(),
            received_at_ms: 1_718_000_000_123,
            submission_sha256: [7u8; 32],
            key_id: String::new(),
        }
    }

    fn signer() -> ReceiptSigner {
        ReceiptSigner::from_pkcs8(&ReceiptSigner::generate_pkcs8().unwrap()).unwrap()
    }

    #[test]
    fn signed_receipt_verifies_offline_after_a_json_round_trip() {
        let signer = signer();
        let signed = signer.sign(sample());
        assert_eq!(signed.receipt.key_id, signer.public_key().key_id);
        let json = serde_json::to_string(&signed).unwrap();
        let back: SignedReceipt = serde_json::from_str(&json).unwrap();
        let pinned: AgencyPublicKey =
            serde_json::from_str(&serde_json::to_string(signer.public_key()).unwrap()).unwrap();
        assert_eq!(pinned.verify(&back), Ok(()));
        let header = SignedReceipt::from_header_value(&signed.to_header_value()).unwrap();
        assert_eq!(header, signed);
    }

    #[test]
    fn any_tampered_field_fails_verification() {
        let signer = signer();
        let key = signer.public_key().clone();
        let signed = signer.sign(sample());
        let tampers: Vec<Tamper> = vec![
            Box::new(|s| s.receipt.instance_id.push('0')),
            Box::new(|s| s.receipt.form_id = "kk_baru".into()),
            Box::new(|s| s.receipt.form_version.push('1')),
            Box::new(|s| s.receipt.received_at_ms += 1),
            Box::new(|s| s.receipt.submission_sha256[31] ^= 1),
            Box::new(|s| s.signature[0] ^= 1),
        ];
        for tamper in tampers {
            let mut bad = signed.clone();
            tamper(&mut bad);
            assert_eq!(key.verify(&bad), Err(ReceiptError::BadSignature));
        }
        let mut other_key = signed.clone();
        other_key.receipt.key_id = "ed25519:0000000000000000".into();
        assert_eq!(key.verify(&other_key), Err(ReceiptError::UnknownKey));
    }

    #[test]
    fn another_agency_key_does_not_verify() {
        let signed = signer().sign(sample());
        let stranger = signer();
        assert_eq!(
            stranger.public_key().verify(&signed),
            Err(ReceiptError::UnknownKey)
        );
        let mut forged_id = stranger.public_key().clone();
        forged_id.key_id = signed.receipt.key_id.clone();
        assert_eq!(forged_id.verify(&signed), Err(ReceiptError::UnknownKey));
    }

    #[test]
    fn a_receipt_covers_only_its_own_xml() {
        let mut receipt = sample();
        receipt.submission_sha256 = submission_digest(b"<data/>");
        let signed = signer().sign(receipt);
        assert!(signed.covers(&signed.receipt.instance_id.clone(), b"<data/>"));
        assert!(!signed.covers(&signed.receipt.instance_id.clone(), b"<data />"));
        assert!(!signed.covers("uuid:other", b"<data/>"));
    }

    #[test]
    fn a_tagged_message_verifies_only_with_its_tag_and_never_as_a_receipt() {
        let signer = signer();
        let key = signer.public_key().clone();
        let tag = b"layanan/test/v1\0";
        let signature = signer.sign_message(tag, b"payload").unwrap();
        assert_eq!(key.verify_message(tag, b"payload", &signature), Ok(()));
        assert_eq!(
            key.verify_message(tag, b"payload!", &signature),
            Err(ReceiptError::BadSignature)
        );
        assert_eq!(
            key.verify_message(b"layanan/other/v1\0", b"payload", &signature),
            Err(ReceiptError::BadSignature)
        );
        for reserved in [
            &b""[..],
            DOMAIN_TAG,
            b"layanan-receipt",
            b"layanan-receipt-v1\0x",
        ] {
            assert_eq!(
                signer.sign_message(reserved, b"x"),
                Err(ReceiptError::Malformed)
            );
        }
        // A receipt's canonical bytes signed as a message under another tag never
        // verify as that receipt.
        let mut signed = signer.sign(sample());
        signed.signature = signer
            .sign_message(tag, &signed.receipt.canonical_bytes())
            .unwrap();
        assert_eq!(key.verify(&signed), Err(ReceiptError::BadSignature));
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let mut a = sample();
        a.form_id = "ab".into();
        a.form_version = "c".into();
        let mut b = sample();
        b.form_id = "a".into();
        b.form_version = "bc".into();
        assert_ne!(a.canonical_bytes(), b.canonical_bytes());
    }
}
