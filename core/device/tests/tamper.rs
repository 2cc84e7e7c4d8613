//! Tampering with the files gives typed errors, never a panic or wrong data.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::io::Read;

use layanan_device::{Answers, StaticKeyVault, Store, StoreError};
use rusqlite::Connection;

fn one(k: &str, v: &str) -> Answers {
    [(k.to_owned(), v.to_owned())].into_iter().collect()
}

#[test]
fn a_sealed_value_moved_to_another_row_fails_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.create_profile("P", &vault).unwrap();
    let a = p
        .drafts()
        .create("f", "1", &one("/data/nik", "3201014501900007"))
        .unwrap();
    let b = p
        .drafts()
        .create("f", "1", &one("/data/nik", "3174012501900001"))
        .unwrap();

    let conn = Connection::open(store.database_path()).unwrap();
    conn.execute(
        "UPDATE drafts SET answers = (SELECT answers FROM drafts WHERE id = ?1) WHERE id = ?2",
        [&a.id, &b.id],
    )
    .unwrap();
    match p.drafts().load(&b.id) {
        Err(StoreError::Corrupt {
            table,
            column,
            row_id,
        }) => {
            assert_eq!(
                (table, column, row_id.as_str()),
                ("drafts", "answers", b.id.as_str())
            );
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    // The untouched row still opens, and listing (which opens nothing) still works.
    assert_eq!(
        p.drafts().load(&a.id).unwrap().answers["/data/nik"],
        "3201014501900007"
    );
    assert_eq!(p.drafts().list().unwrap().len(), 2);

    // Moving another profile's canary in does not make a wrong key look right.
    let q = store
        .create_profile("Q", &StaticKeyVault::new([2; 32]))
        .unwrap();
    conn.execute(
        "UPDATE profiles SET canary = (SELECT canary FROM profiles WHERE id = ?1) WHERE id = ?2",
        [q.id(), p.id()],
    )
    .unwrap();
    assert!(matches!(
        store.unlock_profile(p.id(), &vault),
        Err(StoreError::WrongKey)
    ));
}

fn store_with_attachment(len: usize) -> (tempfile::TempDir, Store, String, String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.create_profile("P", &vault).unwrap();
    let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let info = p
        .attachments()
        .add(None, "foto.jpg", "image/jpeg", &data[..])
        .unwrap();
    let pid = p.id().to_owned();
    (dir, store, pid, info.id, data)
}

fn attachment_path(store: &Store, pid: &str, id: &str) -> std::path::PathBuf {
    store.attachments_root().join(pid).join(format!("{id}.lya"))
}

#[test]
fn a_flipped_byte_in_an_attachment_is_a_typed_error() {
    let (_dir, store, pid, id, data) = store_with_attachment(200_000);
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.unlock_profile(&pid, &vault).unwrap();
    let path = attachment_path(&store, &pid, &id);
    let mut bytes = std::fs::read(&path).unwrap();
    // Flip a byte inside chunk 1's ciphertext.
    let offset = 8 + (65_536 + 28) + 100;
    bytes[offset] ^= 0x80;
    std::fs::write(&path, &bytes).unwrap();

    assert_eq!(p.attachments().read_chunk(&id, 0).unwrap(), data[..65_536]);
    assert!(matches!(
        p.attachments().read_chunk(&id, 1),
        Err(StoreError::AttachmentCorrupt { chunk: 1, .. })
    ));
    let mut out = Vec::new();
    let err = p
        .attachments()
        .open(&id)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(matches!(
        err.into_inner()
            .unwrap()
            .downcast::<StoreError>()
            .map(|e| *e),
        Ok(StoreError::AttachmentCorrupt { chunk: 1, .. })
    ));
    let dest = _dir.path().join("export.jpg");
    assert!(matches!(
        p.attachments().export(&id, &dest),
        Err(StoreError::AttachmentCorrupt { chunk: 1, .. })
    ));
    assert!(!dest.exists(), "no partial export is left behind");
}

#[test]
fn truncated_extended_or_swapped_attachments_are_typed_errors() {
    let (_dir, store, pid, id, _data) = store_with_attachment(150_000);
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.unlock_profile(&pid, &vault).unwrap();
    let path = attachment_path(&store, &pid, &id);
    let original = std::fs::read(&path).unwrap();

    // Truncated at a chunk boundary: the remaining chunks authenticate, the length does not.
    std::fs::write(&path, &original[..8 + 2 * (65_536 + 28)]).unwrap();
    assert!(matches!(
        p.attachments().read_chunk(&id, 0),
        Err(StoreError::AttachmentCorrupt {
            reason: "the file is truncated",
            ..
        })
    ));
    // Truncated by one byte.
    std::fs::write(&path, &original[..original.len() - 1]).unwrap();
    assert!(matches!(
        p.attachments().open(&id),
        Err(StoreError::AttachmentCorrupt { .. })
    ));
    // Extended.
    let mut longer = original.clone();
    longer.extend_from_slice(&[0; 10]);
    std::fs::write(&path, &longer).unwrap();
    assert!(matches!(
        p.attachments().open(&id),
        Err(StoreError::AttachmentCorrupt { .. })
    ));
    // Two full chunks swapped: each fails its index binding.
    let c = 65_536 + 28;
    let mut swapped = original.clone();
    swapped[8..8 + c].copy_from_slice(&original[8 + c..8 + 2 * c]);
    swapped[8 + c..8 + 2 * c].copy_from_slice(&original[8..8 + c]);
    std::fs::write(&path, &swapped).unwrap();
    assert!(matches!(
        p.attachments().read_chunk(&id, 0),
        Err(StoreError::AttachmentCorrupt { chunk: 0, .. })
    ));
    // Deleted.
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        p.attachments().read_chunk(&id, 0),
        Err(StoreError::AttachmentCorrupt {
            reason: "the file is missing",
            ..
        })
    ));
    // Restored: everything works again.
    std::fs::write(&path, &original).unwrap();
    assert_eq!(
        p.attachments().read_chunk(&id, 2).unwrap().len(),
        150_000 - 2 * 65_536
    );
}

#[test]
fn a_damaged_database_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = b"this is not a database, it is a photo of a cat".repeat(200);
    std::fs::write(dir.path().join("layanan.db"), &garbage).unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::DatabaseCorrupt)
    ));
    assert_eq!(
        std::fs::read(dir.path().join("layanan.db")).unwrap(),
        garbage
    );
}

#[test]
fn a_database_from_a_newer_app_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let conn = Connection::open(dir.path().join("layanan.db")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
}
