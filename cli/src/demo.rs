//! `layanan demo`: the citizen's journey with real calls and real numbers.
//!
//! Today it tells the sealed-store part of the story through the same API the mobile
//! shells use: a family's profiles on one phone, a draft and a photo sealed at rest,
//! a wrong passphrase refused, a profile wiped. The forms, 2G sync and status parts
//! join as their issues land.

use std::sync::Arc;
use std::time::Instant;

use layanan::{KeyVault, PassphraseVault, ProfileDetails, ProfileStore, StoreError};
use serde_json::json;

use crate::error::{CliError, CliResult};
use crate::output::Out;

const NAME: &str = "Siti Nurhaliza";
const NIK: &str = "3201014501900007";
const ADDRESS: &str = "Jl. Merdeka No. 17, Desa Sukamaju, Bogor";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn say(out: Out, line: String) {
    if !out.json {
        println!("{line}");
    }
}

pub async fn run(out: Out) -> CliResult {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("phone");
    say(
        out,
        "Layanan demo: the sealed store on a shared phone".into(),
    );
    let store = ProfileStore::open(data.to_string_lossy().into_owned())?;
    let ibu_vault: Arc<dyn KeyVault> = PassphraseVault::new("kopi tubruk pagi".into());
    let anak_vault: Arc<dyn KeyVault> = PassphraseVault::new("es teh manis".into());
    let ibu = store
        .create_profile("Ibu".into(), Arc::clone(&ibu_vault))
        .await?;
    let anak = store
        .create_profile("Anak".into(), Arc::clone(&anak_vault))
        .await?;
    let labels: Vec<String> = store
        .list_profiles()
        .await?
        .into_iter()
        .map(|p| p.label)
        .collect();
    say(out, format!("1. two profiles on one phone: {labels:?}"));

    ibu.set_details(ProfileDetails {
        full_name: Some(NAME.into()),
        nik: Some(NIK.into()),
        address: Some(ADDRESS.into()),
        ..Default::default()
    })
    .await?;
    let answers = [
        ("/data/nama", NAME),
        ("/data/nik", NIK),
        ("/data/alamat", ADDRESS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect::<std::collections::HashMap<_, _>>();
    let draft = ibu
        .create_draft("ktp_el_pengganti".into(), "2026.1".into(), answers.clone())
        .await?;
    let photo: Vec<u8> = format!("FOTO KTP {NAME} ").into_bytes().repeat(20_000);
    let photo_path = dir.path().join("kamera.jpg");
    std::fs::write(&photo_path, &photo)?;
    let info = ibu
        .add_attachment(
            Some(draft.id.clone()),
            "foto_ktp.jpg".into(),
            "image/jpeg".into(),
            photo_path.to_string_lossy().into_owned(),
        )
        .await?;
    std::fs::remove_file(&photo_path)?;
    say(
        out,
        format!(
            "2. Ibu saved a KTP-el draft and a {} KB photo ({} sealed chunks)",
            info.size / 1024,
            info.chunk_count
        ),
    );

    let mut files = Vec::new();
    walk(&data, &mut files)?;
    let mut leaks = 0;
    for file in &files {
        let bytes = std::fs::read(file)?;
        leaks += [NAME, NIK, ADDRESS]
            .iter()
            .filter(|s| contains(&bytes, s))
            .count();
    }
    say(
        out,
        format!(
            "3. {} raw files scanned for her name, NIK and address: {leaks} found in plain text",
            files.len()
        ),
    );
    if leaks > 0 {
        return Err(CliError::new("personal data found in plain text"));
    }

    let wrong = store
        .unlock_profile(ibu.id(), PassphraseVault::new("kopi susu".into()))
        .await;
    match wrong {
        Err(StoreError::WrongKey) => say(
            out,
            "4. wrong passphrase: refused (wrong key), nothing damaged".into(),
        ),
        _ => return Err(CliError::new("a wrong passphrase was not refused")),
    }
    let again = store
        .unlock_profile(ibu.id(), Arc::clone(&ibu_vault))
        .await?;
    let exported = dir.path().join("export.jpg");
    again
        .export_attachment(info.id.clone(), exported.to_string_lossy().into_owned())
        .await?;
    let loaded = again.load_draft(draft.id.clone()).await?;
    let identical = std::fs::read(&exported)? == photo && loaded.answers == answers;
    say(
        out,
        format!(
            "5. right passphrase: {} answers and the photo read back {}",
            loaded.answers.len(),
            if identical { "identical" } else { "DIFFERENT" }
        ),
    );
    if !identical {
        return Err(CliError::new("data did not read back identically"));
    }

    let (ibu_id, anak_id) = (ibu.id(), anak.id());
    drop((ibu, again, anak));
    store.remove_profile(ibu_id, ibu_vault).await?;
    let left: Vec<String> = store
        .list_profiles()
        .await?
        .into_iter()
        .map(|p| p.label)
        .collect();
    store.unlock_profile(anak_id, anak_vault).await?;
    say(
        out,
        format!("6. Ibu's profile wiped (key shredded first); left: {left:?}; Anak's still opens"),
    );
    let secs = started.elapsed().as_secs_f64();
    out.emit(
        json!({ "profiles": 2, "plain_text_leaks": leaks, "wrong_key_refused": true, "wiped": 1, "seconds": secs }),
        || format!("Done in {secs:.1} s. Forms, 2G sync with signed receipts and the status timeline join this demo with their issues."),
    );
    Ok(())
}
