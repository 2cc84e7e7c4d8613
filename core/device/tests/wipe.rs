//! Removing a profile never reports success while its wrapped key's bytes remain in
//! the WAL: with another connection holding a snapshot, the wipe waits for it, or
//! fails with `WipePending` and is finished at the next open.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::Path;
use std::time::{Duration, Instant};

use layanan_device::{Answers, StaticKeyVault, Store, StoreError};
use rusqlite::{Connection, OpenFlags};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn file(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

/// A store whose profile's row (and wrapped key) is still only in the WAL, and a
/// second connection that holds a read snapshot taken before the wipe.
fn setup(dir: &Path) -> (Store, String, Vec<u8>, Connection) {
    let vault = StaticKeyVault::new([8; 32]);
    let store = Store::open(dir).unwrap();
    let p = store.create_profile("Wipe", &vault).unwrap();
    p.drafts().create("f", "1", &Answers::new()).unwrap();
    let id = p.id().to_owned();
    let wrapped = store.wrapped_key(&id).unwrap();
    assert!(
        contains(&file(&dir.join("layanan.db-wal")), &wrapped),
        "the key is in the WAL"
    );
    let reader =
        Connection::open_with_flags(dir.join("layanan.db"), OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    (store, id, wrapped, reader)
}

#[test]
fn a_wipe_waits_for_a_reader_snapshot_and_leaves_no_key_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id, wrapped, reader) = setup(dir.path());
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        reader.execute_batch("COMMIT").unwrap();
        drop(reader);
    });
    let started = Instant::now();
    store
        .remove_profile(&id, &StaticKeyVault::new([8; 32]))
        .unwrap();
    release.join().unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "it waited for the reader"
    );
    assert!(!contains(
        &file(&dir.path().join("layanan.db-wal")),
        &wrapped
    ));
    assert!(!contains(&file(&dir.path().join("layanan.db")), &wrapped));
    assert!(store.list_profiles().unwrap().is_empty());
    assert!(!dir.path().join("keys").join(format!("{id}.key")).exists());
}

#[test]
fn a_wipe_blocked_by_a_reader_is_pending_not_success_and_finishes_at_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id, wrapped, reader) = setup(dir.path());
    let err = store
        .remove_profile(&id, &StaticKeyVault::new([8; 32]))
        .unwrap_err();
    assert!(matches!(err, StoreError::WipePending), "{err:?}");
    // What it said is true: the reader's snapshot still needs the old frames.
    assert!(contains(
        &file(&dir.path().join("layanan.db-wal")),
        &wrapped
    ));
    // The key is unusable already: the profile is no longer offered.
    assert!(store.list_profiles().unwrap().is_empty());
    assert!(!dir.path().join("keys").join(format!("{id}.key")).exists());
    drop(reader);
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.list_profiles().unwrap().is_empty());
    assert!(!contains(
        &file(&dir.path().join("layanan.db-wal")),
        &wrapped
    ));
    assert!(!contains(&file(&dir.path().join("layanan.db")), &wrapped));
}
