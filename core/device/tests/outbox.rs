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
