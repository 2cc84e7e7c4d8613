//! Chunk-sealed attachments: streaming in and out, chunk access, lifecycle.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::io::{Read, Write};

use layanan_device::{StaticKeyVault, Store, StoreError, CHUNK_SIZE};

/// A reader that produces `len` bytes without ever holding them all, like a camera
/// file streamed from disk.
struct Pattern {
    left: usize,
    i: usize,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Short reads on purpose: the writer must not assume full buffers.
        let n = buf.len().min(self.left).min(10_007);
        for b in &mut buf[..n] {
            *b = (self.i % 253) as u8;
            self.i += 1;
        }
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn large_attachment_streams_in_and_out_chunk_by_chunk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let p = store
        .create_profile("P", &StaticKeyVault::new([1; 32]))
        .unwrap();
    let draft = p
        .drafts()
        .create("pengaduan", "1", &Default::default())
        .unwrap();
    let len = 5 * 1024 * 1024 + 123;
    let info = p
        .attachments()
        .add(
            Some(&draft.id),
            "bukti.jpg",
            "image/jpeg",
            Pattern { left: len, i: 0 },
        )
        .unwrap();
    assert_eq!(info.size, len as u64);
    assert_eq!(info.chunk_size, CHUNK_SIZE);
    assert_eq!(
        info.chunk_count,
        (len as u64).div_ceil(u64::from(CHUNK_SIZE))
    );
    assert_eq!(info.file_name, "bukti.jpg");
    assert_eq!(info.sha256_hex.len(), 64);

    // Stream back in small reads and compare with the pattern, byte by byte.
    let mut reader = p.attachments().open(&info.id).unwrap();
    assert_eq!(reader.size(), len as u64);
    let mut expected = Pattern { left: len, i: 0 };
    let mut got = vec![0u8; 4096];
    let mut want = vec![0u8; 4096];
    let mut total = 0;
    loop {
        let n = reader.read(&mut got).unwrap();
        if n == 0 {
            break;
        }
        expected.read_exact(&mut want[..n]).unwrap();
        assert_eq!(got[..n], want[..n]);
        total += n;
    }
    assert_eq!(total, len);

    // Last chunk is short; a chunk past the end is an input error.
    let last = p
        .attachments()
        .read_chunk(&info.id, info.chunk_count - 1)
        .unwrap();
    assert_eq!(last.len() as u64, info.size % u64::from(CHUNK_SIZE));
    assert!(matches!(
        p.attachments().read_chunk(&info.id, info.chunk_count),
        Err(StoreError::InvalidInput(_))
    ));

    let listed = p.attachments().list(Some(&draft.id)).unwrap();
    assert_eq!(listed, vec![info.clone()]);
    assert_eq!(p.attachments().info(&info.id).unwrap(), info);

    // Deleting the draft deletes its attachments.
    p.drafts().delete(&draft.id).unwrap();
    assert!(matches!(
        p.attachments().info(&info.id),
        Err(StoreError::AttachmentNotFound(_))
    ));
    assert!(!store
        .attachments_root()
        .join(p.id())
        .join(format!("{}.lya", info.id))
        .exists());
}

#[test]
fn empty_and_exact_chunk_files_round_trip_through_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("store")).unwrap();
    let p = store
        .create_profile("P", &StaticKeyVault::new([1; 32]))
        .unwrap();
    for len in [0usize, 1, CHUNK_SIZE as usize, 2 * CHUNK_SIZE as usize] {
        let data: Vec<u8> = (0..len).map(|i| (i % 256) as u8).collect();
        let src = dir.path().join(format!("src-{len}"));
        std::fs::File::create(&src)
            .unwrap()
            .write_all(&data)
            .unwrap();
        let info = p
            .attachments()
            .add_from_path(None, "f.bin", "application/octet-stream", &src)
            .unwrap();
        assert_eq!(
            info.chunk_count,
            (len as u64).div_ceil(u64::from(CHUNK_SIZE)).max(1)
        );
        let dest = dir.path().join(format!("out-{len}"));
        assert_eq!(p.attachments().export(&info.id, &dest).unwrap(), len as u64);
        assert_eq!(std::fs::read(&dest).unwrap(), data);
    }
}

#[test]
fn attachments_respect_owners_and_validate_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store
        .create_profile("A", &StaticKeyVault::new([1; 32]))
        .unwrap();
    let b = store
        .create_profile("B", &StaticKeyVault::new([2; 32]))
        .unwrap();
    let da = a.drafts().create("f", "1", &Default::default()).unwrap();
    assert!(matches!(
        b.attachments()
            .add(Some(&da.id), "x.jpg", "image/jpeg", &b"x"[..]),
        Err(StoreError::DraftNotFound(_))
    ));
    let info = a
        .attachments()
        .add(Some(&da.id), "x.jpg", "image/jpeg", &b"x"[..])
        .unwrap();
    assert!(matches!(
        b.attachments().info(&info.id),
        Err(StoreError::AttachmentNotFound(_))
    ));
    assert!(matches!(
        b.attachments().delete(&info.id),
        Err(StoreError::AttachmentNotFound(_))
    ));
    for bad in ["", "../etc/passwd", "a/b.jpg"] {
        assert!(matches!(
            a.attachments().add(None, bad, "image/jpeg", &b"x"[..]),
            Err(StoreError::InvalidInput(_))
        ));
    }
    assert!(matches!(
        a.attachments().add(None, "x.jpg", "jpeg", &b"x"[..]),
        Err(StoreError::InvalidInput(_))
    ));
    // A failed add leaves no file behind.
    let files = std::fs::read_dir(store.attachments_root().join(a.id()))
        .unwrap()
        .count();
    assert_eq!(files, 1);
    a.attachments().delete(&info.id).unwrap();
    assert!(a.attachments().list(None).unwrap().is_empty());
}

#[test]
fn orphaned_files_are_swept_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let vault = StaticKeyVault::new([1; 32]);
    let (pid, keep) = {
        let store = Store::open(dir.path()).unwrap();
        let p = store.create_profile("P", &vault).unwrap();
        let info = p
            .attachments()
            .add(None, "a.jpg", "image/jpeg", &b"keep me"[..])
            .unwrap();
        (p.id().to_owned(), info.id)
    };
    let folder = dir.path().join("attachments").join(&pid);
    // Crash leftovers from before the store's last checkpoint (its close): only
    // files older than the last healthy checkpoint are swept.
    let before = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in ["dead-beef.lya", "half-written.tmp"] {
        std::fs::write(folder.join(name), b"crash leftover").unwrap();
        let f = std::fs::File::options()
            .write(true)
            .open(folder.join(name))
            .unwrap();
        f.set_modified(before).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [format!("{keep}.lya")]);
    let p = store.unlock_profile(&pid, &vault).unwrap();
    assert_eq!(p.attachments().read_chunk(&keep, 0).unwrap(), b"keep me");
}
