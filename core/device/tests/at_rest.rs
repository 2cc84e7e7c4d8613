//! What an attacker with the raw files sees: no personal text in plain form.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::Path;

use layanan_device::{Answers, ProfileDetails, StaticKeyVault, Store};

const NAME: &str = "Siti Nurhaliza Rahmawati";
const NIK: &str = "3201014501900007";
const ADDRESS: &str = "Jl. Cempaka Putih Raya No. 21, Bogor";
const PHOTO_TEXT: &str = "FOTO KTP-EL SITI NURHALIZA";

fn every_file(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn database_and_attachment_files_hold_no_plain_personal_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let p = store
        .create_profile("Profil 1", &StaticKeyVault::new([4; 32]))
        .unwrap();
    p.account()
        .set_details(&ProfileDetails {
            full_name: Some(NAME.into()),
            nik: Some(NIK.into()),
            address: Some(ADDRESS.into()),
            ..Default::default()
        })
        .unwrap();
    let answers: Answers = [
        ("/data/nama", NAME),
        ("/data/nik", NIK),
        ("/data/alamat", ADDRESS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let draft = p.drafts().create("ktp_el", "1", &answers).unwrap();
    p.drafts().save(&draft.id, &answers).unwrap();
    // A photo whose bytes spell the text, repeated over several chunks, and a file
    // name that is personal too.
    let photo = PHOTO_TEXT.repeat(10_000);
    p.attachments()
        .add(
            Some(&draft.id),
            &format!("{NIK}.jpg"),
            "image/jpeg",
            photo.as_bytes(),
        )
        .unwrap();

    let mut files = Vec::new();
    every_file(dir.path(), &mut files);
    assert!(files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "lya")));
    assert!(files.iter().any(|f| f.ends_with("layanan.db")));
    // The WAL holds the most recent writes: it must be checked too, while it exists.
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for secret in [NAME, NIK, ADDRESS, PHOTO_TEXT] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret:?} found in {}",
                file.display()
            );
        }
    }
    // The data is really there, behind the key.
    assert_eq!(
        p.drafts().load(&draft.id).unwrap().answers["/data/nik"],
        NIK
    );
}
