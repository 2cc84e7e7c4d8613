//! Real damage to real store files: each gives a typed damaged state, deletes no
//! attachment, and the readable drafts and photos are exported; a healthy store
//! after a crash still sweeps real orphans.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

mod common;
use common::vault;

use layanan_device::{
    read_archive, Answers, DamageKind, Recovery, StaticKeyVault, Store, StoreError,
};

const PHOTO_LEN: usize = 150_000;

fn photo(seed: u8) -> Vec<u8> {
    (0..PHOTO_LEN as u32)
        .map(|i| (i as u8).wrapping_mul(13) ^ seed)
        .collect()
}

/// A store with a checkpointed draft and photo, then commits that live only in the
/// WAL (a photo's row and drafts) made by a writer killed with SIGKILL, and an old
/// crash leftover in the attachments folder.
struct Fixture {
    dir: tempfile::TempDir,
    profile_id: String,
    draft: String,
    photo: String,
    wal_photo: String,
    wal_drafts: Vec<String>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (profile_id, draft, photo_id) = {
            let store = Store::open(dir.path()).unwrap();
            let p = store.create_profile("Siti", &vault()).unwrap();
            let mut answers = Answers::new();
            answers.insert("/data/nama".into(), "Siti Aminah".into());
            let d = p.drafts().create("ktp", "1", &answers).unwrap();
            let a = p
                .attachments()
                .add(Some(&d.id), "ktp.jpg", "image/jpeg", &photo(1)[..])
                .unwrap();
            (p.id().to_owned(), d.id, a.id)
        }; // closed: checkpointed into the main file
        let lines = common::killed_writer(dir.path(), &profile_id, "attach", 40);
        let wal_photo = lines
            .iter()
            .find(|l| l.0 == "attachment")
            .map(|l| l.1.clone());
        let wal_drafts = lines
            .into_iter()
            .filter(|l| l.0 != "attachment")
            .map(|l| l.0)
            .collect();
        let fixture = Self {
            dir,
            profile_id,
            draft,
            photo: photo_id,
            wal_photo: wal_photo.unwrap(),
            wal_drafts,
        };
        fixture.plant_leftover();
        assert!(
            fixture.wal().metadata().unwrap().len() > 0,
            "commits must be in the WAL"
        );
        fixture
    }

    /// An old crash leftover in the attachments folder, which only a healthy open
    /// may sweep.
    fn plant_leftover(&self) {
        let leftover = self.attachments().join("0rphan-from-a-crash.lya");
        std::fs::write(&leftover, b"crash leftover").unwrap();
        set_old(&leftover);
    }

    /// Closes the store cleanly (so the main file alone holds everything), then
    /// cuts the database file to `len(current length)` bytes.
    fn cut_database(&self, len: impl FnOnce(u64) -> u64) {
        drop(Store::open(self.root()).unwrap());
        self.plant_leftover();
        assert!(!self.wal().exists() || self.wal().metadata().unwrap().len() == 0);
        let file = std::fs::File::options()
            .write(true)
            .open(self.db())
            .unwrap();
        file.set_len(len(file.metadata().unwrap().len())).unwrap();
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn db(&self) -> PathBuf {
        self.root().join("layanan.db")
    }

    fn wal(&self) -> PathBuf {
        self.root().join("layanan.db-wal")
    }

    fn shm(&self) -> PathBuf {
        self.root().join("layanan.db-shm")
    }

    fn attachments(&self) -> PathBuf {
        self.root().join("attachments").join(&self.profile_id)
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.attachments())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Opening fails with `kind`, twice, and changes no file at all.
    fn assert_damaged(&self, kind: DamageKind) {
        let before = snapshot(self.root());
        for _ in 0..2 {
            match Store::open(self.root()) {
                Err(StoreError::Damaged { kind: found }) => assert_eq!(found, kind),
                other => panic!("expected Damaged {{ {kind:?} }}, got {other:?}"),
            }
        }
        let after = snapshot(self.root());
        // Every file is as it was; the only thing SQLite may add is an empty WAL.
        let changed: Vec<_> = before
            .iter()
            .filter(|f| !after.contains(f))
            .map(|f| &f.0)
            .collect();
        assert!(
            changed.is_empty(),
            "a damaged store must be left as found: {changed:?}"
        );
        let added: Vec<_> = after
            .iter()
            .filter(|f| !before.contains(f) && f.1 > 0)
            .collect();
        assert!(added.is_empty(), "{added:?}");
        assert!(self.files().contains(&format!("{}.lya", self.photo)));
        assert!(self.files().contains(&format!("{}.lya", self.wal_photo)));
        assert!(self.files().contains(&"0rphan-from-a-crash.lya".to_owned()));
    }

    /// Exports through `Recovery` and opens the archive.
    fn export(&self, kind: DamageKind) -> layanan_device::ArchiveContents {
        let recovery = Recovery::open(self.root()).unwrap();
        assert_eq!(recovery.damage(), Some(kind));
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("siti.lyarchive");
        let summary = recovery
            .export_profile(&self.profile_id, &vault(), &dest)
            .unwrap();
        let contents = read_archive(&dest, &vault()).unwrap();
        assert_eq!(contents.damage.as_deref(), Some(kind.as_str()));
        assert_eq!(contents.drafts.len() as u32, summary.drafts);
        assert_eq!(
            contents.attachments.iter().filter(|a| a.complete).count() as u32,
            summary.attachments
        );
        contents
    }
}

/// Path -> length and hash of every file under `root` except the `-shm` index.
fn snapshot(root: &Path) -> Vec<(PathBuf, u64, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.to_string_lossy().ends_with("-shm") {
                use std::hash::{Hash, Hasher};
                let bytes = std::fs::read(&path).unwrap();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                out.push((path.clone(), bytes.len() as u64, h.finish()));
            }
        }
    }
    out.sort();
    out
}

fn set_old(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

fn flip(path: &Path, offset: u64) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[offset as usize] ^= 0x5a;
    std::fs::write(path, bytes).unwrap();
}

fn has_checkpointed_data(c: &layanan_device::ArchiveContents, f: &Fixture) {
    let draft = c
        .drafts
        .iter()
        .find(|d| d.id == f.draft)
        .expect("the checkpointed draft");
    assert_eq!(draft.answers["/data/nama"], "Siti Aminah");
    let a = c
        .attachments
        .iter()
        .find(|a| a.id == f.photo)
        .expect("the checkpointed photo");
    assert!(a.complete);
    assert_eq!(a.bytes, photo(1));
    assert_eq!(a.file_name.as_deref(), Some("ktp.jpg"));
}

fn has_both_photos(c: &layanan_device::ArchiveContents, f: &Fixture) {
    assert!(c
        .attachments
        .iter()
        .any(|a| a.id == f.photo && a.bytes == photo(1)));
    has_wal_photo(c, f);
}

fn has_wal_photo(c: &layanan_device::ArchiveContents, f: &Fixture) {
    // Its row may be gone with the WAL; the file is still sealed to its id.
    let a = c
        .attachments
        .iter()
        .find(|a| a.id == f.wal_photo)
        .expect("the WAL-only photo");
    assert!(a.complete);
    assert_eq!(a.bytes.len(), 200_000);
}

#[test]
fn wal_deleted_is_damaged_and_exports_what_the_main_file_holds() {
    let f = Fixture::new();
    std::fs::remove_file(f.wal()).unwrap();
    std::fs::remove_file(f.shm()).ok();
    f.assert_damaged(DamageKind::WalMissing);
    let c = f.export(DamageKind::WalMissing);
    has_checkpointed_data(&c, &f);
    has_wal_photo(&c, &f);
    // The drafts committed only to the WAL are gone: that is what was reported.
    assert!(!c.drafts.iter().any(|d| f.wal_drafts.contains(&d.id)));
}

#[test]
fn wal_header_flipped_is_damaged() {
    let f = Fixture::new();
    flip(&f.wal(), 20); // salt-2: the header checksum fails, SQLite ignores the WAL
    std::fs::remove_file(f.shm()).ok();
    f.assert_damaged(DamageKind::WalDamaged);
    let c = f.export(DamageKind::WalDamaged);
    has_checkpointed_data(&c, &f);
    has_wal_photo(&c, &f);
}

#[test]
fn wal_middle_flipped_is_damaged_and_keeps_the_commits_before_it() {
    let f = Fixture::new();
    let len = f.wal().metadata().unwrap().len();
    flip(&f.wal(), len / 2);
    std::fs::remove_file(f.shm()).ok();
    f.assert_damaged(DamageKind::WalDamaged);
    let c = f.export(DamageKind::WalDamaged);
    has_checkpointed_data(&c, &f);
    has_wal_photo(&c, &f);
    // The commits before the flipped frame are read; those after it are not.
    let kept = f
        .wal_drafts
        .iter()
        .filter(|d| c.drafts.iter().any(|x| &x.id == *d))
        .count();
    assert!(
        kept > 0 && kept < f.wal_drafts.len(),
        "kept {kept} of {}",
        f.wal_drafts.len()
    );
}

#[test]
fn shm_deleted_is_not_damage_and_loses_nothing() {
    let f = Fixture::new();
    std::fs::remove_file(f.shm()).unwrap();
    // SQLite rebuilds the index from the WAL; the generation check confirms it.
    let store = Store::open(f.root()).unwrap();
    let p = store.unlock_profile(&f.profile_id, &vault()).unwrap();
    for id in &f.wal_drafts {
        p.drafts().load(id).unwrap();
    }
    assert_eq!(p.attachments().info(&f.wal_photo).unwrap().size, 200_000);
}

#[test]
fn database_truncated_is_damaged_and_exports_what_is_readable() {
    let f = Fixture::new();
    // A write cut short at the end of the file: its last page is gone.
    f.cut_database(|len| len - 4096);
    f.assert_damaged(DamageKind::DatabaseTruncated);
    let c = f.export(DamageKind::DatabaseTruncated);
    // The photos are files: both are saved whole whatever the database lost.
    has_both_photos(&c, &f);
}

#[test]
fn database_zero_bytes_is_damaged_not_new() {
    let f = Fixture::new();
    f.cut_database(|_| 0);
    f.assert_damaged(DamageKind::DatabaseEmpty);
    let recovery = Recovery::open(f.root()).unwrap();
    assert_eq!(recovery.damage(), Some(DamageKind::DatabaseEmpty));
    // The drafts lived in the database and are gone; the photos are files, and the
    // profile's key slot beside the database still opens them.
    assert_eq!(recovery.profiles().len(), 1);
    let c = f.export(DamageKind::DatabaseEmpty);
    assert!(c.drafts.is_empty());
    assert_eq!(c.attachments.len(), 2);
    has_both_photos(&c, &f);
}

#[test]
fn database_deleted_is_damaged_not_new() {
    let f = Fixture::new();
    std::fs::remove_file(f.db()).unwrap();
    f.assert_damaged(DamageKind::DatabaseMissing);
}

#[test]
fn a_healthy_store_after_a_crash_sweeps_real_orphans_only() {
    let f = Fixture::new();
    let store = Store::open(f.root()).unwrap();
    // The old leftover is gone; every file with a row is kept.
    assert_eq!(
        f.files(),
        [format!("{}.lya", f.photo), format!("{}.lya", f.wal_photo)]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let p = store.unlock_profile(&f.profile_id, &vault()).unwrap();
    for id in &f.wal_drafts {
        p.drafts().load(id).unwrap();
    }
    // The open checkpointed: the WAL no longer holds the only copy.
    assert_eq!(f.wal().metadata().map(|m| m.len()).unwrap_or(0), 0);
}

#[test]
fn a_damaged_store_offers_a_message_in_both_languages() {
    for kind in [
        DamageKind::WalMissing,
        DamageKind::DatabaseEmpty,
        DamageKind::GuardDamaged,
    ] {
        let m = kind.citizen_message();
        assert!(m.id.contains("Tidak ada yang dihapus"), "{}", m.id);
        assert!(m.en.contains("Nothing was deleted"), "{}", m.en);
    }
}

#[test]
fn a_wrong_key_exports_nothing() {
    let f = Fixture::new();
    std::fs::remove_file(f.wal()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("x.lyarchive");
    let err = Recovery::open(f.root())
        .unwrap()
        .export_profile(&f.profile_id, &StaticKeyVault::new([4; 32]), &dest)
        .unwrap_err();
    assert!(matches!(err, StoreError::WrongKey), "{err:?}");
    assert!(!dest.exists());
}

#[test]
fn autosaves_are_vouched_for_by_their_draft_row_and_a_failed_one_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let id = common::store_with_profile(dir.path());
    {
        let store = Store::open(dir.path()).unwrap();
        let p = store.unlock_profile(&id, &vault()).unwrap();
        let d = p.drafts().create("f", "1", &Answers::new()).unwrap();
        let mut answers = Answers::new();
        answers.insert("/data/a".into(), "1".into());
        p.drafts().save(&d.id, &answers).unwrap();
        assert!(matches!(
            p.drafts().save("no-such-draft", &answers),
            Err(StoreError::DraftNotFound(_))
        ));
    }
    let store = Store::open(dir.path()).unwrap();
    drop(store);
    // An autosave lost with the WAL is seen through its draft row.
    let lines = common::killed_writer(dir.path(), &id, "drafts", 5);
    assert_eq!(lines.len(), 5);
    std::fs::remove_file(dir.path().join("layanan.db-wal")).unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::Damaged {
            kind: DamageKind::WalMissing
        })
    ));
}
