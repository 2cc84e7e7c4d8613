//! Profiles, drafts and keys through the public store API, on real SQLite files.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use layanan_device::{
    Answers, KeyVault, PassphraseVault, ProfileDetails, StaticKeyVault, Store, StoreError,
    VaultError,
};

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

#[test]
fn drafts_round_trip_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let (pid, did) = {
        let store = Store::open(dir.path()).unwrap();
        let p = store.create_profile("Ibu", &vault).unwrap();
        let d = p
            .drafts()
            .create(
                "akta_kelahiran",
                "2026.1",
                &answers(&[("/data/nama_bayi", "Putri Ayu")]),
            )
            .unwrap();
        let updated = p
            .drafts()
            .save(
                &d.id,
                &answers(&[
                    ("/data/nama_bayi", "Putri Ayu Lestari"),
                    ("/data/berat_gram", "3200"),
                ]),
            )
            .unwrap();
        assert!(updated >= d.updated_at_ms);
        (p.id().to_owned(), d.id)
    };
    let store = Store::open(dir.path()).unwrap();
    let p = store.unlock_profile(&pid, &vault).unwrap();
    let d = p.drafts().load(&did).unwrap();
    assert_eq!(d.form_id, "akta_kelahiran");
    assert_eq!(d.form_version, "2026.1");
    assert_eq!(d.answers["/data/nama_bayi"], "Putri Ayu Lestari");
    assert_eq!(d.answers["/data/berat_gram"], "3200");
    let list = p.drafts().list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, did);
    p.drafts().delete(&did).unwrap();
    assert!(matches!(
        p.drafts().load(&did),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(matches!(
        p.drafts().delete(&did),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(matches!(
        p.drafts().save(&did, &Answers::new()),
        Err(StoreError::DraftNotFound(_))
    ));
}

#[test]
fn profiles_are_isolated_from_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let va = StaticKeyVault::new([1; 32]);
    let vb = StaticKeyVault::new([2; 32]);
    let a = store.create_profile("Ayah", &va).unwrap();
    let b = store.create_profile("Anak", &vb).unwrap();
    let da = a
        .drafts()
        .create("f", "1", &answers(&[("/data/x", "a")]))
        .unwrap();
    assert!(matches!(
        b.drafts().load(&da.id),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(matches!(
        b.drafts().save(&da.id, &Answers::new()),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(matches!(
        b.drafts().delete(&da.id),
        Err(StoreError::DraftNotFound(_))
    ));
    assert!(b.drafts().list().unwrap().is_empty());
    let labels: Vec<_> = store
        .list_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.label)
        .collect();
    assert_eq!(labels, ["Ayah", "Anak"]);
}

#[test]
fn details_are_sealed_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let p = store.create_profile("Saya", &vault).unwrap();
    assert_eq!(p.account().details().unwrap(), ProfileDetails::default());
    let details = ProfileDetails {
        full_name: Some("Budi Santoso".into()),
        nik: Some("3174012501900001".into()),
        birth_date: Some("1990-01-25".into()),
        phone: Some("+6281234567890".into()),
        address: Some("Jl. Kenanga 5, Jakarta".into()),
    };
    p.account().set_details(&details).unwrap();
    let again = store.unlock_profile(p.id(), &vault).unwrap();
    assert_eq!(again.account().details().unwrap(), details);
}

#[test]
fn wrong_passphrase_and_wrong_vault_say_wrong_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let p = store
        .create_profile("Kakek", &PassphraseVault::new("sate ayam 17"))
        .unwrap();
    let id = p.id().to_owned();
    drop(p);
    assert!(matches!(
        store.unlock_profile(&id, &PassphraseVault::new("sate ayam 18")),
        Err(StoreError::WrongKey)
    ));
    assert!(matches!(
        store.unlock_profile(&id, &StaticKeyVault::new([1; 32])),
        Err(StoreError::WrongKey)
    ));
    store
        .unlock_profile(&id, &PassphraseVault::new("sate ayam 17"))
        .unwrap();
    assert!(matches!(
        store.unlock_profile("no-such-profile", &StaticKeyVault::new([1; 32])),
        Err(StoreError::ProfileNotFound(_))
    ));
}

/// A vault that unwraps "successfully" to a key that is not the profile's: only the
/// canary can notice.
struct LyingVault;
impl KeyVault for LyingVault {
    fn wrap_key(&self, _: &str, k: &[u8]) -> Result<Vec<u8>, VaultError> {
        Ok(k.to_vec())
    }
    fn unwrap_key(&self, _: &str, _: &[u8]) -> Result<Vec<u8>, VaultError> {
        Ok(vec![0x42; 32])
    }
    fn destroy_key(&self, _: &str) -> Result<(), VaultError> {
        Ok(())
    }
}

struct FailingVault(VaultError);
impl KeyVault for FailingVault {
    fn wrap_key(&self, _: &str, _: &[u8]) -> Result<Vec<u8>, VaultError> {
        Err(self.0.clone())
    }
    fn unwrap_key(&self, _: &str, _: &[u8]) -> Result<Vec<u8>, VaultError> {
        Err(self.0.clone())
    }
    fn destroy_key(&self, _: &str) -> Result<(), VaultError> {
        Err(self.0.clone())
    }
}

#[test]
fn canary_and_vault_failures_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = store
        .create_profile("P", &LyingVault)
        .unwrap()
        .id()
        .to_owned();
    assert!(matches!(
        store.unlock_profile(&id, &LyingVault),
        Err(StoreError::WrongKey)
    ));
    let locked = FailingVault(VaultError::Unavailable {
        reason: "device locked".into(),
    });
    assert!(matches!(
        store.unlock_profile(&id, &locked),
        Err(StoreError::KeyUnavailable { reason }) if reason == "device locked"
    ));
    assert!(matches!(
        store.unlock_profile(&id, &FailingVault(VaultError::KeyLost)),
        Err(StoreError::KeyLost)
    ));
    assert!(matches!(
        store.create_profile("Q", &locked),
        Err(StoreError::KeyUnavailable { .. })
    ));
    assert_eq!(
        store.list_profiles().unwrap().len(),
        1,
        "a failed create leaves nothing"
    );
}

#[test]
fn removing_one_profile_leaves_the_other_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let va = StaticKeyVault::new([1; 32]);
    let vb = StaticKeyVault::new([2; 32]);
    let a = store.create_profile("A", &va).unwrap();
    let b = store.create_profile("B", &vb).unwrap();
    let da = a
        .drafts()
        .create("f", "1", &answers(&[("/data/x", "rahasia A")]))
        .unwrap();
    a.attachments()
        .add(Some(&da.id), "foto.jpg", "image/jpeg", &b"jpeg bytes"[..])
        .unwrap();
    let db = b
        .drafts()
        .create("f", "1", &answers(&[("/data/x", "milik B")]))
        .unwrap();
    let bfile = b
        .attachments()
        .add(Some(&db.id), "foto.jpg", "image/jpeg", &b"B's photo"[..])
        .unwrap();
    let a_id = a.id().to_owned();
    drop(a);

    store.remove_profile(&a_id, &va).unwrap();
    assert!(matches!(
        store.unlock_profile(&a_id, &va),
        Err(StoreError::ProfileNotFound(_))
    ));
    assert!(!store.attachments_root().join(&a_id).exists());
    assert_eq!(store.list_profiles().unwrap().len(), 1);

    let store = Store::open(dir.path()).unwrap();
    let b = store.unlock_profile(b.id(), &vb).unwrap();
    assert_eq!(
        b.drafts().load(&db.id).unwrap().answers["/data/x"],
        "milik B"
    );
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut b.attachments().open(&bfile.id).unwrap(), &mut out).unwrap();
    assert_eq!(out, b"B's photo");
    let conn = rusqlite::Connection::open(store.database_path()).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM drafts WHERE profile_id = ?1",
            [&a_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn an_interrupted_wipe_is_finished_on_open_and_never_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let id = {
        let store = Store::open(dir.path()).unwrap();
        let p = store.create_profile("A", &vault).unwrap();
        p.drafts().create("f", "1", &Answers::new()).unwrap();
        p.id().to_owned()
    };
    // Simulate a crash right after the shredding transaction.
    let conn = rusqlite::Connection::open(dir.path().join("layanan.db")).unwrap();
    conn.execute(
        "UPDATE profiles SET state = 'wiping', wrapped_key = NULL, canary = NULL WHERE id = ?1",
        [&id],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(dir.path()).unwrap();
    assert!(matches!(
        store.unlock_profile(&id, &vault),
        Err(StoreError::ProfileNotFound(_))
    ));
    let conn = rusqlite::Connection::open(store.database_path()).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn labels_are_validated() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    assert!(matches!(
        store.create_profile("  ", &vault),
        Err(StoreError::InvalidInput(_))
    ));
    assert!(matches!(
        store.create_profile(&"x".repeat(65), &vault),
        Err(StoreError::InvalidInput(_))
    ));
}
