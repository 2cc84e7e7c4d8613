//! Signed bundles end to end: published by the server's functions, applied by the
//! phone's catalog, and every refusal leaving the previous catalog as it was.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use layanan_catalog::bundle::{self, Bundle, BundleContent, BundleKind, DOMAIN_TAG};
use layanan_catalog::{
    publish_delta, publish_full, BundleError, Catalog, Charge, Problem, PublishError, RecordKind,
    Records,
};
use layanan_protocol::{AgencyPublicKey, Receipt, ReceiptSigner};

use common::{generated, signer, small_catalog};

/// A phone's catalog that took a full bundle of `catalog` at `sequence`.
fn phone_with(catalog: &Catalog, sequence: u64, signer: &ReceiptSigner) -> Catalog {
    let mut phone = Catalog::new();
    let applied = phone
        .apply(
            &publish_full(catalog, sequence, signer).unwrap(),
            &[signer.public_key().clone()],
        )
        .unwrap();
    assert_eq!(applied.sequence, sequence);
    phone
}

/// `catalog` with one service's fee and version changed.
fn with_changed_fee(catalog: &Catalog, id: &str) -> Catalog {
    let mut records = catalog.to_records();
    let service = records.services.iter_mut().find(|s| s.id == id).unwrap();
    service.version += 1;
    service.fee.charge = Charge::Idr(25_000);
    Catalog::from_records(records).unwrap()
}

#[test]
fn a_full_bundle_then_a_delta_reach_the_servers_catalog() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(7);
    let mut phone = Catalog::new();
    let applied = phone
        .apply(&publish_full(&v1, 7, &signer).unwrap(), &keys)
        .unwrap();
    assert_eq!(
        (applied.previous, applied.sequence, applied.kind),
        (0, 7, BundleKind::Full)
    );
    assert_eq!(applied.changes.services.upserted.len(), 3);
    assert_eq!(phone.to_records(), v1.to_records());
    assert_eq!(phone.sequence(), 7);

    // The server changes one service, removes one office reference and adds nothing.
    let v2 = with_changed_fee(&v1, "surat-kehilangan-polisi");
    let delta = publish_delta(&v1, &v2, 8, &signer).unwrap();
    let opened = Bundle::open(&delta, &keys).unwrap();
    let BundleContent::Delta {
        base,
        upsert,
        remove,
    } = &opened.content
    else {
        panic!("not a delta")
    };
    assert_eq!(*base, 7);
    assert_eq!(upsert.services.len(), 1);
    assert!(upsert.agencies.is_empty() && upsert.offices.is_empty() && remove.is_empty());
    assert_eq!(opened.key_id, signer.public_key().key_id);

    let applied = phone.apply(&delta, &keys).unwrap();
    assert_eq!(
        (applied.previous, applied.sequence, applied.kind),
        (7, 8, BundleKind::Delta)
    );
    assert_eq!(
        applied.changes.services.upserted,
        vec!["surat-kehilangan-polisi".to_owned()]
    );
    assert!(applied.changes.services.removed.is_empty());
    assert_eq!(phone.to_records(), v2.to_records());
    assert_eq!(
        phone.service("surat-kehilangan-polisi").unwrap().fee.charge,
        Charge::Idr(25_000)
    );

    // The same bundle again changes nothing; an older one is a rollback.
    let again = phone.apply(&delta, &keys).unwrap();
    assert_eq!((again.previous, again.sequence), (8, 8));
    assert!(again.changes.is_empty());
    let before = phone.clone();
    let old = publish_full(&v1, 7, &signer).unwrap();
    assert_eq!(
        phone.apply(&old, &keys),
        Err(BundleError::Rollback {
            current: 8,
            offered: 7
        })
    );
    assert_eq!(phone, before);
}

#[test]
fn a_delta_that_removes_records() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(1);
    let mut records = v1.to_records();
    // Drop the Kebumen office, which no service lists.
    records
        .offices
        .retain(|o| o.id != "disdukcapil-kab-kebumen");
    let v2 = Catalog::from_records(records).unwrap();
    let mut phone = phone_with(&v1, 1, &signer);
    let applied = phone
        .apply(&publish_delta(&v1, &v2, 2, &signer).unwrap(), &keys)
        .unwrap();
    assert_eq!(
        applied.changes.offices.removed,
        vec!["disdukcapil-kab-kebumen".to_owned()]
    );
    assert!(phone.office("disdukcapil-kab-kebumen").is_none());
    assert_eq!(phone.to_records(), v2.to_records());
}

/// Applies `bytes` to `phone` and checks it was refused with `expected`, unchanged.
fn assert_refused(
    phone: &mut Catalog,
    bytes: &[u8],
    keys: &[AgencyPublicKey],
    expected: BundleError,
) {
    let before = phone.clone();
    assert_eq!(phone.apply(bytes, keys), Err(expected));
    assert_eq!(*phone, before, "the previous catalog is kept");
}

#[test]
fn tampered_unknown_key_and_stranger_signed_bundles_are_refused() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(1);
    let mut phone = phone_with(&v1, 1, &signer);
    let v2 = with_changed_fee(&v1, "kk-baru");
    let good = publish_full(&v2, 2, &signer).unwrap();

    // A flipped byte in the compressed payload: it no longer inflates, or it inflates
    // to other bytes than were signed.
    let mut tampered = good.clone();
    let last = tampered.len() - 20;
    tampered[last] ^= 0x55;
    let before = phone.clone();
    let refused = phone.apply(&tampered, &keys).unwrap_err();
    assert!(
        matches!(refused, BundleError::BadSignature | BundleError::Corrupt),
        "{refused:?}"
    );
    assert_eq!(phone, before);

    // A flipped signature byte (after magic, version, key id length and key id).
    let mut bad_signature = good.clone();
    bad_signature[6 + keys[0].key_id.len()] ^= 1;
    assert_refused(&mut phone, &bad_signature, &keys, BundleError::BadSignature);

    // Signed by a key the phone does not trust.
    let stranger = common::signer();
    let foreign = publish_full(&v2, 2, &stranger).unwrap();
    assert_refused(
        &mut phone,
        &foreign,
        &keys,
        BundleError::UnknownKey {
            key_id: stranger.public_key().key_id.clone(),
        },
    );

    // A stranger's bundle relabelled with the trusted key's id.
    let mut relabelled = Vec::new();
    relabelled.extend_from_slice(&foreign[..6]);
    relabelled.extend_from_slice(keys[0].key_id.as_bytes());
    relabelled.extend_from_slice(&foreign[6 + stranger.public_key().key_id.len()..]);
    assert_refused(&mut phone, &relabelled, &keys, BundleError::BadSignature);

    // No trusted keys at all.
    assert_refused(
        &mut phone,
        &good,
        &[],
        BundleError::UnknownKey {
            key_id: keys[0].key_id.clone(),
        },
    );

    // Not a bundle.
    assert_refused(&mut phone, b"", &keys, BundleError::NotABundle);
    assert_refused(
        &mut phone,
        b"PK\x03\x04 a zip file",
        &keys,
        BundleError::NotABundle,
    );
    let mut future = good.clone();
    future[4] = 2;
    assert_refused(
        &mut phone,
        &future,
        &keys,
        BundleError::UnsupportedVersion { version: 2 },
    );

    // And the untouched bundle still applies.
    assert_eq!(phone.apply(&good, &keys).unwrap().sequence, 2);
}

/// An envelope around `payload`, signed as the server signs: for payloads the
/// publisher would never produce.
fn envelope(payload: &[u8], signer: &ReceiptSigner, tag: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let key_id = &signer.public_key().key_id;
    let mut out = b"LYCB\x01".to_vec();
    out.push(u8::try_from(key_id.len()).unwrap());
    out.extend_from_slice(key_id.as_bytes());
    out.extend_from_slice(&signer.sign_message(tag, payload).unwrap());
    let mut encoder = flate2::write::DeflateEncoder::new(out, flate2::Compression::default());
    encoder.write_all(payload).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_signed_payload_that_does_not_parse_or_names_another_key_is_refused() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let mut phone = phone_with(&small_catalog(), 1, &signer);
    let refused = phone.apply(
        &envelope(b"{\"format\":1,\"sequence\":", &signer, DOMAIN_TAG),
        &keys,
    );
    assert!(
        matches!(refused, Err(BundleError::Unparsable { .. })),
        "{refused:?}"
    );
    let other_key = format!(
        "{{\"format\":1,\"sequence\":5,\"key_id\":\"ed25519:0000000000000000\",\"kind\":\"full\",\"records\":{}}}",
        serde_json::to_string(&Records::default()).unwrap()
    );
    assert_refused(
        &mut phone,
        &envelope(other_key.as_bytes(), &signer, DOMAIN_TAG),
        &keys,
        BundleError::KeyMismatch,
    );
    let backwards = format!(
        "{{\"format\":1,\"sequence\":5,\"key_id\":\"{}\",\"kind\":\"delta\",\"base\":5,\"upsert\":{{}},\"remove\":{{}}}}",
        keys[0].key_id
    );
    let refused = phone.apply(&envelope(backwards.as_bytes(), &signer, DOMAIN_TAG), &keys);
    assert!(
        matches!(refused, Err(BundleError::Unparsable { .. })),
        "{refused:?}"
    );
    let future = format!(
        "{{\"format\":2,\"sequence\":5,\"key_id\":\"{}\",\"kind\":\"full\",\"records\":{{}}}}",
        keys[0].key_id
    );
    assert_refused(
        &mut phone,
        &envelope(future.as_bytes(), &signer, DOMAIN_TAG),
        &keys,
        BundleError::UnsupportedVersion { version: 2 },
    );
}

#[test]
fn a_receipt_signature_can_never_pass_for_a_catalog() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let mut phone = Catalog::new();
    let payload = publish_full(&small_catalog(), 1, &signer).unwrap();
    let json = {
        use std::io::Read;
        let mut out = Vec::new();
        let offset = 6 + keys[0].key_id.len() + 64;
        flate2::read::DeflateDecoder::new(&payload[offset..])
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    // The same payload signed under another tag (as another document would be).
    let other_tag = envelope(&json, &signer, b"layanan/other/v1\0");
    assert_refused(&mut phone, &other_tag, &keys, BundleError::BadSignature);
    // A real receipt's signature spliced into a bundle.
    let receipt = signer.sign(Receipt {
        instance_id: "uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e".into(),
        form_id: "ktp_el_hilang".into(),
        form_version: "1".into(),
        received_at_ms: 1,
        submission_sha256: [0; 32],
        key_id: String::new(),
    });
    let mut spliced = payload.clone();
    let at = 6 + keys[0].key_id.len();
    spliced[at..at + 64].copy_from_slice(&receipt.signature);
    assert_refused(&mut phone, &spliced, &keys, BundleError::BadSignature);
    // The signer refuses to sign a catalog under the receipts' tag.
    assert!(signer.sign_message(b"layanan-receipt-v1\0", &json).is_err());
}

#[test]
fn a_delta_from_another_base_is_refused() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(3);
    let v2 = with_changed_fee(&v1, "kk-baru").with_sequence(4);
    let v3 = with_changed_fee(&v2, "kk-baru");
    let mut phone = phone_with(&v1, 3, &signer);
    // The phone at 3 receives the delta 4 -> 5.
    let skipped = publish_delta(&v2, &v3, 5, &signer).unwrap();
    assert_refused(
        &mut phone,
        &skipped,
        &keys,
        BundleError::BaseMismatch {
            current: 3,
            base: 4,
        },
    );
    // A brand-new phone cannot take a delta either.
    assert_refused(
        &mut Catalog::new(),
        &skipped,
        &keys,
        BundleError::BaseMismatch {
            current: 0,
            base: 4,
        },
    );
    // After the missing delta, it applies.
    phone
        .apply(&publish_delta(&v1, &v2, 4, &signer).unwrap(), &keys)
        .unwrap();
    assert_eq!(phone.apply(&skipped, &keys).unwrap().sequence, 5);
    assert_eq!(phone.to_records(), v3.to_records());
}

#[test]
fn a_delta_that_would_break_references_is_refused_and_the_catalog_kept() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(1);
    let mut phone = phone_with(&v1, 1, &signer);
    // A delta that removes kk-baru, which two services name in produced_by. The
    // publisher never computes one (its catalogs are checked), so build it by hand.
    let payload = format!(
        "{{\"format\":1,\"sequence\":2,\"key_id\":\"{}\",\"kind\":\"delta\",\"base\":1,\"upsert\":{{}},\"remove\":{{\"services\":[\"kk-baru\"]}}}}",
        keys[0].key_id
    );
    let before = phone.clone();
    let Err(BundleError::Broken { problems }) =
        phone.apply(&envelope(payload.as_bytes(), &signer, DOMAIN_TAG), &keys)
    else {
        panic!("not refused as broken");
    };
    assert_eq!(phone, before);
    assert!(problems.iter().any(|p| p.kind == RecordKind::Service
        && p.id == "ktp-el-hilang"
        && p.field == "requirements[1].produced_by"
        && p.problem
            == Problem::UnknownReference {
                kind: RecordKind::Service,
                id: "kk-baru".into()
            }));
    // Removing what the phone does not have is refused too.
    let payload = payload.replace("kk-baru", "kia");
    assert_refused(
        &mut phone,
        &envelope(payload.as_bytes(), &signer, DOMAIN_TAG),
        &keys,
        BundleError::RemovesUnknown {
            kind: RecordKind::Service,
            id: "kia".into(),
        },
    );
}

#[test]
fn the_publisher_refuses_sequences_that_do_not_go_forward() {
    let signer = signer();
    let v1 = small_catalog().with_sequence(4);
    assert!(matches!(
        publish_full(&v1, 0, &signer),
        Err(PublishError::SequenceNotNewer {
            base: 0,
            sequence: 0
        })
    ));
    assert!(matches!(
        publish_delta(&v1, &v1, 4, &signer),
        Err(PublishError::SequenceNotNewer {
            base: 4,
            sequence: 4
        })
    ));
    // An empty delta is allowed: it only raises the sequence.
    let mut phone = phone_with(&v1, 4, &signer);
    let applied = phone
        .apply(
            &publish_delta(&v1, &v1, 5, &signer).unwrap(),
            &[signer.public_key().clone()],
        )
        .unwrap();
    assert_eq!(applied.sequence, 5);
    assert!(applied.changes.is_empty());
}

/// A small deterministic generator (xorshift64*), so the loop is repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_bytes_and_mutated_bundles_never_panic_and_never_change_the_catalog() {
    let signer = signer();
    let keys = [signer.public_key().clone()];
    let v1 = small_catalog().with_sequence(1);
    let mut phone = phone_with(&v1, 1, &signer);
    let before = phone.clone();
    let v2 = with_changed_fee(&v1, "kk-baru");
    let seeds = [
        publish_full(&v2, 2, &signer).unwrap(),
        publish_delta(&v1, &v2, 2, &signer).unwrap(),
    ];
    let mut rng = Rng(0x1a7a_2026_1202_0001);
    for round in 0..3_000 {
        let mut bytes = if round % 3 == 0 {
            let len = rng.below(400);
            (0..len).map(|_| rng.next() as u8).collect()
        } else {
            seeds[round % 2].clone()
        };
        if round % 3 != 0 {
            // Flip, drop, insert or truncate a few bytes anywhere.
            for _ in 0..1 + rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[at] ^= 1 << rng.below(8),
                    1 => {
                        bytes.remove(at);
                    }
                    2 => bytes.insert(at, rng.next() as u8),
                    _ => bytes.truncate(at),
                }
            }
        }
        if round % 3 == 1 && bytes.len() > 4 {
            bytes[..4].copy_from_slice(b"LYCB");
        }
        let mut copy = phone.clone();
        if copy.apply(&bytes, &keys).is_err() {
            assert_eq!(copy, before, "round {round}");
        } else {
            // Only an unchanged signed payload can verify.
            assert_eq!(copy.to_records(), v2.to_records(), "round {round}");
        }
    }
    assert_eq!(phone.apply(&seeds[0], &keys).unwrap().sequence, 2);
}

#[test]
fn a_decompression_bomb_is_refused() {
    let signer = signer();
    // 40 MB of zeros compresses to about 40 KB.
    let zeros = vec![b' '; (bundle::MAX_PAYLOAD_BYTES + 1024) as usize];
    let bomb = envelope(&zeros, &signer, DOMAIN_TAG);
    assert!(bomb.len() < 100_000);
    assert_eq!(
        Catalog::new().apply(&bomb, &[signer.public_key().clone()]),
        Err(BundleError::TooLarge)
    );
}

#[test]
fn delta_bytes_for_one_changed_service_against_the_full_bundle() {
    let signer = signer();
    let v1 = generated(40, 1).with_sequence(1);
    let v2 = with_changed_fee(&v1, "layanan-017");
    let full = publish_full(&v2, 2, &signer).unwrap();
    let delta = publish_delta(&v1, &v2, 2, &signer).unwrap();
    let json = serde_json::to_vec(&v2.to_records()).unwrap();
    eprintln!(
        "40 generated services: records JSON {} B, full bundle {} B, delta with one changed service {} B ({:.1}% of full)",
        json.len(),
        full.len(),
        delta.len(),
        100.0 * delta.len() as f64 / full.len() as f64
    );
    assert!(
        delta.len() * 5 < full.len(),
        "delta {} vs full {}",
        delta.len(),
        full.len()
    );
    let mut phone = phone_with(&v1, 1, &signer);
    phone.apply(&delta, &[signer.public_key().clone()]).unwrap();
    assert_eq!(phone.to_records(), v2.to_records());

    // The same at the size of the search budget's catalog.
    let big1 = generated(2_000, 1).with_sequence(1);
    let big2 = with_changed_fee(&big1, "layanan-1017");
    let full = publish_full(&big2, 2, &signer).unwrap();
    let delta = publish_delta(&big1, &big2, 2, &signer).unwrap();
    eprintln!(
        "2,000 generated services: full bundle {} B, delta with one changed service {} B",
        full.len(),
        delta.len()
    );
    assert!(delta.len() * 50 < full.len());
}

#[test]
fn the_starter_catalog_as_bundles() {
    let Some(starter) = common::starter() else {
        return;
    };
    let signer = signer();
    let v1 = starter.with_sequence(1);
    let v2 = with_changed_fee(&v1, "ktp-el-hilang");
    let full = publish_full(&v2, 2, &signer).unwrap();
    let delta = publish_delta(&v1, &v2, 2, &signer).unwrap();
    let json = serde_json::to_vec(&v2.to_records()).unwrap();
    eprintln!(
        "starter catalog ({} services): records JSON {} B, full bundle {} B, delta with one changed service {} B ({:.1}% of full)",
        v2.services().len(),
        json.len(),
        full.len(),
        delta.len(),
        100.0 * delta.len() as f64 / full.len() as f64
    );
    assert!(delta.len() * 5 < full.len());
    let mut phone = Catalog::new();
    phone.apply(&full, &[signer.public_key().clone()]).unwrap();
    assert_eq!(phone.to_records(), v2.to_records());
}
