//! A damaged store as a person meets it in the terminal: a plain message in both
//! languages, exit code 7, nothing changed, and `layanan recover` saving what can be
//! read. And the CLI no longer leaves its data in the WAL.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::process::{Command, Output};

fn layanan(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layanan"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("LAYANAN_PASSPHRASE", "rahasia desa")
        .env_remove("LAYANAN_PROFILE")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn a_damaged_store_is_reported_plainly_and_recover_saves_an_archive() {
    let dir = tempfile::tempdir().unwrap();
    let created = layanan(dir.path(), &["profiles", "create", "Bu Sari"]);
    assert!(created.status.success(), "{}", stderr(&created));
    // Every command ends with a checkpoint: nothing waits in the WAL.
    let wal = dir.path().join("layanan.db-wal");
    assert_eq!(wal.metadata().map(|m| m.len()).unwrap_or(0), 0);

    std::fs::File::options()
        .write(true)
        .open(dir.path().join("layanan.db"))
        .unwrap()
        .set_len(0)
        .unwrap();
    let listed = layanan(dir.path(), &["profiles", "list"]);
    assert_eq!(listed.status.code(), Some(7), "{}", stderr(&listed));
    let message = stderr(&listed);
    assert!(message.contains("Tidak ada yang dihapus"), "{message}");
    assert!(message.contains("Nothing was deleted"), "{message}");
    assert!(message.contains("layanan recover"), "{message}");
    // Still damaged, not recreated as a new empty store.
    assert_eq!(dir.path().join("layanan.db").metadata().unwrap().len(), 0);

    let archive = dir.path().join("bu-sari.lyarchive");
    let recovered = layanan(
        dir.path(),
        &["--json", "recover", "--out", archive.to_str().unwrap()],
    );
    assert!(recovered.status.success(), "{}", stderr(&recovered));
    let json: serde_json::Value = serde_json::from_slice(&recovered.stdout).unwrap();
    assert_eq!(json["damage"], "database_empty");
    assert_eq!(json["drafts"], 0);
    assert!(archive.metadata().unwrap().len() > 0);
}
