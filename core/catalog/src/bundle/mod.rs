//! Signed catalog bundles: what the server publishes and the phone verifies before it
//! changes anything.
//!
//! A bundle carries the catalog's `sequence` (raised by the server on every published
//! change), the publisher's key id, and either a full snapshot or a delta from `base`
//! (the records added or changed and the ids removed). The phone keeps a catalog at
//! one sequence and takes a bundle only if
//!
//! - it is signed by a key it trusts (the agency key family the receipts use),
//! - its sequence is not lower than the current one (no rollback; the same sequence
//!   again changes nothing),
//! - a delta starts from exactly the current sequence,
//! - and the result keeps every rule of `integrity`.
//!
//! The bundle is applied to a copy that replaces the catalog only when all of this
//! holds, so on any error the previous catalog stays as it was.

mod delta;
mod wire;

use layanan_protocol::{AgencyPublicKey, ReceiptError, ReceiptSigner};
use serde::{Deserialize, Serialize};

pub use self::delta::{diff, Changes, RecordChanges, RemovedIds};
pub use self::wire::{DOMAIN_TAG, MAX_PAYLOAD_BYTES};
use crate::catalog::{Catalog, Records};
use crate::integrity::{self, Broken};
use crate::model::RecordKind;

/// A verified bundle's content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BundleContent {
    /// Every record of the catalog.
    Full { records: Records },
    /// The changes from the catalog at sequence `base`.
    Delta {
        base: u64,
        upsert: Records,
        remove: RemovedIds,
    },
}

/// A bundle whose signature was verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub sequence: u64,
    /// The key that signed it.
    pub key_id: String,
    pub content: BundleContent,
}

impl Bundle {
    /// Verifies `bytes` against the trusted keys and reads them. Nothing is parsed
    /// before the signature verifies.
    pub fn open(bytes: &[u8], trusted: &[AgencyPublicKey]) -> Result<Bundle, BundleError> {
        wire::decode(bytes, trusted)
    }

    pub fn kind(&self) -> BundleKind {
        match self.content {
            BundleContent::Full { .. } => BundleKind::Full,
            BundleContent::Delta { .. } => BundleKind::Delta,
        }
    }
}

/// Full snapshot or delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    Full,
    Delta,
}

/// Why a bundle was refused; the catalog is unchanged after every one of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("not a catalog bundle")]
    NotABundle,
    #[error("catalog bundle format {version} is not supported by this version of the app")]
    UnsupportedVersion { version: u32 },
    #[error("catalog bundle signed by a key this device does not trust ({key_id})")]
    UnknownKey { key_id: String },
    #[error("catalog bundle signature does not verify")]
    BadSignature,
    #[error("catalog bundle is not valid compressed data")]
    Corrupt,
    #[error("catalog bundle is larger than {MAX_PAYLOAD_BYTES} bytes once decompressed")]
    TooLarge,
    #[error("signed catalog bundle cannot be read: {reason}")]
    Unparsable { reason: String },
    #[error("catalog bundle names another key inside than outside")]
    KeyMismatch,
    #[error("catalog bundle {offered} is older than the catalog held ({current}): refused as a rollback")]
    Rollback { current: u64, offered: u64 },
    #[error("catalog delta starts from {base}, but the catalog held is at {current}")]
    BaseMismatch { current: u64, base: u64 },
    #[error("catalog delta removes {kind} {id:?}, which the catalog held does not have")]
    RemovesUnknown { kind: RecordKind, id: String },
    #[error("catalog bundle would break {} rule(s), first: {}", .problems.len(), first(.problems))]
    Broken { problems: Vec<Broken> },
}

fn first(problems: &[Broken]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// What applying a bundle did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The sequence held before.
    pub previous: u64,
    /// The sequence held now.
    pub sequence: u64,
    pub kind: BundleKind,
    /// The records the phone's store and search index must update (empty when the
    /// bundle was the catalog already held).
    pub changes: Changes,
}

impl Catalog {
    /// Verifies and applies a bundle (see the module docs for the rules). On any
    /// error the catalog is exactly as it was.
    pub fn apply(
        &mut self,
        bundle_bytes: &[u8],
        trusted_keys: &[AgencyPublicKey],
    ) -> Result<Applied, BundleError> {
        let bundle = Bundle::open(bundle_bytes, trusted_keys)?;
        let current = self.sequence();
        let kind = bundle.kind();
        if bundle.sequence < current {
            return Err(BundleError::Rollback {
                current,
                offered: bundle.sequence,
            });
        }
        if bundle.sequence == current {
            return Ok(Applied {
                previous: current,
                sequence: current,
                kind,
                changes: Changes::default(),
            });
        }
        let mut next = match bundle.content {
            BundleContent::Full { records } => {
                let (next, duplicates) = Catalog::collect(records);
                if !duplicates.is_empty() {
                    return Err(BundleError::Broken {
                        problems: duplicates,
                    });
                }
                next
            }
            BundleContent::Delta {
                base,
                upsert,
                remove,
            } => {
                if base != current {
                    return Err(BundleError::BaseMismatch { current, base });
                }
                self.with_delta(upsert, remove)?
            }
        };
        let problems = integrity::check(&next);
        if !problems.is_empty() {
            return Err(BundleError::Broken { problems });
        }
        next.set_sequence(bundle.sequence);
        let changes = diff(self, &next);
        *self = next;
        Ok(Applied {
            previous: current,
            sequence: bundle.sequence,
            kind,
            changes,
        })
    }

    /// A copy with the removals, then the upserts, applied.
    fn with_delta(&self, upsert: Records, remove: RemovedIds) -> Result<Catalog, BundleError> {
        let mut next = self.clone();
        remove_all(&mut next.services, remove.services, RecordKind::Service)?;
        remove_all(&mut next.agencies, remove.agencies, RecordKind::Agency)?;
        remove_all(&mut next.offices, remove.offices, RecordKind::Office)?;
        remove_all(
            &mut next.life_events,
            remove.life_events,
            RecordKind::LifeEvent,
        )?;
        let (changed, duplicates) = Catalog::collect(upsert);
        if !duplicates.is_empty() {
            return Err(BundleError::Broken {
                problems: duplicates,
            });
        }
        next.services.extend(changed.services);
        next.agencies.extend(changed.agencies);
        next.offices.extend(changed.offices);
        next.life_events.extend(changed.life_events);
        Ok(next)
    }

    /// This catalog as published at `sequence`: the server keeps the catalog it last
    /// published this way, as the base of its next delta.
    pub fn with_sequence(mut self, sequence: u64) -> Catalog {
        self.set_sequence(sequence);
        self
    }
}

fn remove_all<R>(
    map: &mut std::collections::BTreeMap<String, R>,
    ids: Vec<String>,
    kind: RecordKind,
) -> Result<(), BundleError> {
    for id in ids {
        if map.remove(&id).is_none() {
            return Err(BundleError::RemovesUnknown { kind, id });
        }
    }
    Ok(())
}

/// Why the server could not publish a bundle.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("sequence {sequence} must be greater than {base}")]
    SequenceNotNewer { base: u64, sequence: u64 },
    #[error("cannot sign the catalog: {0}")]
    Signing(ReceiptError),
    #[error("cannot encode the catalog: {0}")]
    Encoding(String),
}

/// A full bundle of `catalog` at `sequence` (at least 1), signed by `signer`.
pub fn publish_full(
    catalog: &Catalog,
    sequence: u64,
    signer: &ReceiptSigner,
) -> Result<Vec<u8>, PublishError> {
    if sequence == 0 {
        return Err(PublishError::SequenceNotNewer { base: 0, sequence });
    }
    wire::encode(
        sequence,
        BundleContent::Full {
            records: catalog.to_records(),
        },
        signer,
    )
}

/// A delta bundle from `old` (at its own sequence, see [`Catalog::with_sequence`]) to
/// `new`, at `sequence`, signed by `signer`.
pub fn publish_delta(
    old: &Catalog,
    new: &Catalog,
    sequence: u64,
    signer: &ReceiptSigner,
) -> Result<Vec<u8>, PublishError> {
    let base = old.sequence();
    if sequence <= base {
        return Err(PublishError::SequenceNotNewer { base, sequence });
    }
    let changes = diff(old, new);
    let (upsert, remove) = delta::delta_content(new, &changes);
    wire::encode(
        sequence,
        BundleContent::Delta {
            base,
            upsert,
            remove,
        },
        signer,
    )
}
