//! The outbox's state machine on real SQLite files (the network side is tested end to
//! end against the real server in the tests crate).

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use layanan_device::{
    Answers, OutboxError, OutboxErrorCode, OutboxState, StaticKeyVault, Store, StoreError,
};
use layanan_protocol::{ErrorCode, InstanceId};

fn xml(iid: &InstanceId, nik: &str) -> Vec<u8> {
    format!(
        "<data id=\"ktp\"><nik>{nik}</nik><foto>foto.jpg</foto><meta><instanceID>{iid}</instanceID></meta></data>"
    )
    .into_bytes()
}

fn err(code: &str) -> OutboxError {
    OutboxError {
        code: OutboxErrorCode::parse(code),
        message: "Pesan".into(),
        message_en: "Message".into(),
        file_name: None,
        question: None,
    }
}

#[test]
fn finalizing_moves_draft_and_attachments_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.create_profile("P", &vault).unwrap();
    let draft = p
        .drafts()
        .create("ktp_el", "2026.1", &Answers::new())
        .unwrap();
    let photo = p
        .attachments()
        .add(Some(&draft.id), "foto.jpg", "image/jpeg", &b"jpeg"[..])
        .unwrap();
    let iid = InstanceId::new_random();

    let item = p
        .outbox()
        .finalize(
            &draft.id,
            &iid,
            &xml(&iid, "3201014501900007"),
            &["foto.jpg"],
        )
        .unwrap();
    assert_eq!(item.instance_id, iid.as_str());
    assert_eq!(item.form_id, "ktp_el");
    assert_eq!(item.form_version, "2026.1");
    assert_eq!(item.state, OutboxState::Queued);
    assert_eq!(item.attachment_count, 1);
    assert!(matches!(
        p.drafts().load(&draft.id),
        Err(StoreError::DraftNotFound(_))
    ));
    // The attachment survived the draft and belongs to the outbox item now.
    assert_eq!(p.attachments().read_chunk(&photo.id, 0).unwrap(), b"jpeg");
    let atts = p.outbox().attachments(iid.as_str()).unwrap();
    assert_eq!(atts.len(), 1);
    assert_eq!(atts[0].attachment_id, photo.id);
    assert!(!atts[0].uploaded);
    assert_eq!(
        p.outbox().submission(iid.as_str()).unwrap(),
        xml(&iid, "3201014501900007")
    );

    // Finalizing twice, or a missing draft, changes nothing.
    assert!(matches!(
        p.outbox().finalize(&draft.id, &iid, b"<x/>", &[]),
        Err(StoreError::DraftNotFound(_))
    ));
    let other = p
        .drafts()
        .create("ktp_el", "2026.1", &Answers::new())
        .unwrap();
    assert!(matches!(
        p.outbox().finalize(&other.id, &iid, b"<x/>", &[]),
        Err(StoreError::InvalidInput(_))
    ));
    assert!(
        p.drafts().load(&other.id).is_ok(),
        "a refused finalize keeps the draft"
    );
    assert_eq!(p.outbox().list().unwrap().len(), 1);
}

#[test]
fn states_move_and_one_wedged_item_never_blocks_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let p = store
        .create_profile("P", &StaticKeyVault::new([1; 32]))
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..3 {
        let d = p.drafts().create("f", "1", &Answers::new()).unwrap();
        let iid = InstanceId::new_random();
        p.outbox()
            .finalize(&d.id, &iid, &xml(&iid, &i.to_string()), &[])
            .unwrap();
        ids.push(iid.as_str().to_owned());
    }
    assert_eq!(p.outbox().due(0).unwrap(), ids);

    p.outbox().mark_sending(&ids[0]).unwrap();
    p.outbox()
        .mark_wedged(&ids[0], &err("invalid_submission"))
        .unwrap();
    p.outbox().mark_sending(&ids[1]).unwrap();
    p.outbox()
        .mark_failed(&ids[1], &err("network"), 5_000, 1)
        .unwrap();
    assert_eq!(p.outbox().due(1_000).unwrap(), vec![ids[2].clone()]);
    assert_eq!(
        p.outbox().due(5_000).unwrap(),
        vec![ids[1].clone(), ids[2].clone()]
    );
    assert_eq!(p.outbox().next_retry_at().unwrap(), Some(5_000));

    let wedged = p.outbox().item(&ids[0]).unwrap();
    assert_eq!(wedged.state, OutboxState::Wedged);
    assert_eq!(wedged.attempts, 1);
    assert_eq!(
        wedged.error.unwrap().code,
        OutboxErrorCode::Server(ErrorCode::InvalidSubmission)
    );

    // A run killed while sending leaves `sending`: it is due again on the next run.
    p.outbox().mark_sending(&ids[2]).unwrap();
    let reopened = Store::open(dir.path()).unwrap();
    let p2 = reopened
        .unlock_profile(p.id(), &StaticKeyVault::new([1; 32]))
        .unwrap();
    assert!(p2.outbox().due(0).unwrap().contains(&ids[2]));

    p.outbox().requeue(&ids[0]).unwrap();
    assert_eq!(p.outbox().item(&ids[0]).unwrap().state, OutboxState::Queued);
    assert!(matches!(
        p.outbox().requeue("uuid:nope"),
        Err(StoreError::OutboxItemNotFound(_))
    ));
}

#[test]
fn removing_a_profile_clears_its_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.create_profile("P", &vault).unwrap();
    let d = p.drafts().create("f", "1", &Answers::new()).unwrap();
    p.attachments()
        .add(Some(&d.id), "a.jpg", "image/jpeg", &b"x"[..])
        .unwrap();
    let iid = InstanceId::new_random();
    p.outbox()
        .finalize(&d.id, &iid, &xml(&iid, "1"), &["a.jpg"])
        .unwrap();
    let id = p.id().to_owned();
    drop(p);
    store.remove_profile(&id, &vault).unwrap();
    let conn = rusqlite::Connection::open(store.database_path()).unwrap();
    for table in [
        "outbox",
        "outbox_attachments",
        "attachments",
        "drafts",
        "profiles",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

/// A store in a temp folder with one profile.
fn fresh_profile() -> (tempfile::TempDir, Store, layanan_device::Profile) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let p = store
        .create_profile("P", &StaticKeyVault::new([1; 32]))
        .unwrap();
    (dir, store, p)
}

/// The attachment file of `id` in a store under `dir`.
fn attachment_file(dir: &std::path::Path, profile_id: &str, id: &str) -> std::path::PathBuf {
    dir.join("attachments")
        .join(profile_id)
        .join(format!("{id}.lya"))
}

#[test]
fn a_damaged_file_is_found_at_finalize_and_the_draft_stays() {
    let (dir, _store, p) = fresh_profile();
    let photo_bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    for damage in ["truncate", "flip", "delete"] {
        let draft = p
            .drafts()
            .create("ktp_el", "2026.1", &Answers::new())
            .unwrap();
        let photo = p
            .attachments()
            .add(Some(&draft.id), "foto.jpg", "image/jpeg", &photo_bytes[..])
            .unwrap();
        p.attachments().verify(&photo.id).unwrap();
        let file = attachment_file(dir.path(), p.id(), &photo.id);
        let mut raw = std::fs::read(&file).unwrap();
        match damage {
            "truncate" => {
                raw.truncate(raw.len() - 1000);
                std::fs::write(&file, &raw).unwrap();
            }
            "flip" => {
                let mid = raw.len() / 2;
                raw[mid] ^= 0x01;
                std::fs::write(&file, &raw).unwrap();
            }
            _ => std::fs::remove_file(&file).unwrap(),
        }
        assert!(
            matches!(
                p.attachments().verify(&photo.id),
                Err(StoreError::AttachmentCorrupt { ref id, .. }) if *id == photo.id
            ),
            "{damage}"
        );
        let iid = InstanceId::new_random();
        let refused = p.outbox().finalize(
            &draft.id,
            &iid,
            &xml(&iid, "3201014501900007"),
            &["foto.jpg"],
        );
        assert!(
            matches!(refused, Err(StoreError::AttachmentCorrupt { .. })),
            "{damage}: {refused:?}"
        );
        // Nothing moved: the draft and its file are where they were.
        assert!(p.drafts().load(&draft.id).is_ok());
        assert!(matches!(
            p.outbox().item(iid.as_str()),
            Err(StoreError::OutboxItemNotFound(_))
        ));
    }
}

#[test]
fn a_wedged_item_takes_a_new_file_and_is_queued_again() {
    let (dir, _store, p) = fresh_profile();
    let draft = p
        .drafts()
        .create("ktp_el", "2026.1", &Answers::new())
        .unwrap();
    let old = p
        .attachments()
        .add(Some(&draft.id), "foto.jpg", "image/jpeg", &b"old"[..])
        .unwrap();
    let iid = InstanceId::new_random();
    p.outbox()
        .finalize(
            &draft.id,
            &iid,
            &xml(&iid, "3201014501900007"),
            &["foto.jpg"],
        )
        .unwrap();
    let mut photo = layanan_device::forms::image::jpeg_header(320, 240);
    photo.extend_from_slice(&[7u8; 5000]);

    // Not while it is queued (the engine would find a damaged file and wedge it).
    assert!(matches!(
        p.outbox()
            .reattach(iid.as_str(), "foto.jpg", "image/jpeg", &photo[..]),
        Err(StoreError::InvalidInput(_))
    ));
    p.outbox()
        .mark_wedged(iid.as_str(), &err("attachment_damaged"))
        .unwrap();
    // Not a file the item does not have, nor random bytes as a photo.
    assert!(matches!(
        p.outbox()
            .reattach(iid.as_str(), "lain.jpg", "image/jpeg", &photo[..]),
        Err(StoreError::InvalidInput(_))
    ));
    assert!(matches!(
        p.outbox()
            .reattach(iid.as_str(), "foto.jpg", "image/jpeg", &[9u8; 5000][..]),
        Err(StoreError::InvalidInput(_))
    ));
    let item = p
        .outbox()
        .reattach(iid.as_str(), "foto.jpg", "image/jpeg", &photo[..])
        .unwrap();
    assert_eq!(item.state, OutboxState::Queued);
    assert_eq!(item.error, None);
    assert_eq!(item.attachment_count, 1);
    let atts = p.outbox().attachments(iid.as_str()).unwrap();
    assert_ne!(atts[0].attachment_id, old.id);
    assert_eq!(atts[0].upload_id, None);
    let mut back = Vec::new();
    std::io::Read::read_to_end(
        &mut p.attachments().open(&atts[0].attachment_id).unwrap(),
        &mut back,
    )
    .unwrap();
    assert_eq!(back, photo);
    assert!(matches!(
        p.attachments().info(&old.id),
        Err(StoreError::AttachmentNotFound(_))
    ));
    assert!(!attachment_file(dir.path(), p.id(), &old.id).exists());
    assert_eq!(
        p.outbox().due(i64::MAX).unwrap(),
        vec![iid.as_str().to_owned()]
    );
}

#[test]
fn waiting_counts_every_undelivered_item_by_how_it_waits() {
    let (_dir, _store, p) = fresh_profile();
    let mut ids = Vec::new();
    for _ in 0..4 {
        let d = p
            .drafts()
            .create("ktp_el", "2026.1", &Answers::new())
            .unwrap();
        let iid = InstanceId::new_random();
        p.outbox()
            .finalize(&d.id, &iid, &xml(&iid, "3201014501900007"), &[])
            .unwrap();
        ids.push(iid.as_str().to_owned());
    }
    let now = 1_000_000;
    // Queued; failed and due; failed until later; wedged.
    p.outbox()
        .mark_failed(&ids[1], &err("network"), now - 1, 1)
        .unwrap();
    p.outbox()
        .mark_failed(&ids[2], &err("service_unavailable"), now + 60_000, 2)
        .unwrap();
    p.outbox()
        .mark_wedged(&ids[3], &err("invalid_submission"))
        .unwrap();
    let w = p.outbox().waiting(now).unwrap();
    assert_eq!((w.due_now, w.retry_later, w.total()), (2, 1, 4));
    assert_eq!(w.next_retry_at_ms, Some(now + 60_000));
    assert_eq!(w.wedged.len(), 1);
    assert_eq!(w.wedged[0].instance_id, ids[3]);
    assert_eq!(w.wedged[0].error, err("invalid_submission"));
}
