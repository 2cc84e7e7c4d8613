//! `layanan demo`: the citizen's journey with real calls and real numbers.
//!
//! Today it shows the sealed store part of the story: a family's profiles on one
//! phone, a draft and a photo sealed at rest, a wrong passphrase refused, a profile
//! wiped. The forms, 2G sync and status-timeline parts join as their issues land.

use std::io::Read;
use std::time::Instant;

use layanan_device::{Answers, PassphraseVault, ProfileDetails, Store};

type DemoResult<T> = Result<T, Box<dyn std::error::Error>>;

const NAME: &str = "Siti Nurhaliza";
const NIK: &str = "3201014501900007";
const ADDRESS: &str = "Jl. Merdeka No. 17, Desa Sukamaju, Bogor";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

pub fn run() -> DemoResult<()> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    println!("Layanan demo: the sealed store on a shared phone");
    println!("  store folder: {}", dir.path().display());

    let store = Store::open(dir.path())?;
    let ibu_vault = PassphraseVault::new("kopi tubruk pagi");
    let ibu = store.create_profile("Ibu", &ibu_vault)?;
    let anak = store.create_profile("Anak", &PassphraseVault::new("es teh manis"))?;
    println!(
        "1. two profiles on one phone: {:?}",
        store
            .list_profiles()?
            .iter()
            .map(|p| &p.label)
            .collect::<Vec<_>>()
    );

    ibu.set_details(&ProfileDetails {
        full_name: Some(NAME.into()),
        nik: Some(NIK.into()),
        address: Some(ADDRESS.into()),
        ..Default::default()
    })?;
    let mut answers = Answers::new();
    answers.insert("/data/nama".into(), NAME.into());
    answers.insert("/data/nik".into(), NIK.into());
    answers.insert("/data/alamat".into(), ADDRESS.into());
    let draft = ibu.create_draft("ktp_el_pengganti", "2026.1", &answers)?;
    let photo: Vec<u8> = format!("FOTO KTP {NAME} ").into_bytes().repeat(20_000);
    let info = ibu.add_attachment(Some(&draft.id), "foto_ktp.jpg", "image/jpeg", &photo[..])?;
    println!(
        "2. Ibu saved a KTP-el draft and a {} KB photo ({} sealed chunks)",
        info.size / 1024,
        info.chunk_count
    );

    let mut leaks = 0;
    for entry in walk(dir.path())? {
        let bytes = std::fs::read(&entry)?;
        for secret in [NAME, NIK, ADDRESS] {
            if contains(&bytes, secret) {
                leaks += 1;
            }
        }
    }
    println!("3. raw files scanned for her name, NIK and address: {leaks} found in plain text");
    if leaks > 0 {
        return Err("personal data found in plain text".into());
    }

    let wrong = store.unlock_profile(ibu.id(), &PassphraseVault::new("kopi susu"));
    println!(
        "4. wrong passphrase: {}",
        match &wrong {
            Err(e) => e.to_string(),
            Ok(_) => "ACCEPTED (bug)".into(),
        }
    );
    if wrong.is_ok() {
        return Err("a wrong passphrase unlocked the profile".into());
    }
    let again = store.unlock_profile(ibu.id(), &ibu_vault)?;
    let mut back = Vec::new();
    again.open_attachment(&info.id)?.read_to_end(&mut back)?;
    let loaded = again.load_draft(&draft.id)?;
    println!(
        "5. right passphrase: draft has {} answers, photo reads back {} (streamed chunk by chunk)",
        loaded.answers.len(),
        if back == photo {
            "identical"
        } else {
            "DIFFERENT"
        }
    );
    if back != photo || loaded.answers != answers {
        return Err("data did not read back identically".into());
    }

    let anak_id = anak.id().to_owned();
    drop((ibu, again, anak));
    let ibu_id = store
        .list_profiles()?
        .first()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    store.remove_profile(&ibu_id, &ibu_vault)?;
    println!(
        "6. Ibu's profile wiped (key shredded first); profiles left: {:?}",
        store
            .list_profiles()?
            .iter()
            .map(|p| &p.label)
            .collect::<Vec<_>>()
    );
    store.unlock_profile(&anak_id, &PassphraseVault::new("es teh manis"))?;
    println!("   Anak's profile still opens.");
    println!(
        "Done in {:.1} s. Forms, 2G sync with signed receipts and the status timeline join this demo with their issues.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn walk(dir: &std::path::Path) -> DemoResult<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}
