//! The terminal shell as a person meets it: commands, exit codes, one-line errors.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::process::{Command, Output};

fn layanan(dir: &std::path::Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layanan"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LAYANAN_PASSPHRASE");
    if let Some(p) = passphrase {
        cmd.env("LAYANAN_PASSPHRASE", p);
    }
    cmd.output().unwrap()
}

#[test]
fn profiles_lifecycle_and_actionable_errors() {
    let dir = tempfile::tempdir().unwrap();
    let created = layanan(
        dir.path(),
        Some("rahasia desa"),
        &["profiles", "create", "Pak RT"],
    );
    assert!(created.status.success());
    let id = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    assert_eq!(id.len(), 36);

    let listed = layanan(dir.path(), None, &["profiles", "list"]);
    assert_eq!(
        String::from_utf8(listed.stdout).unwrap(),
        format!("{id}\tPak RT\n")
    );

    let wrong = layanan(
        dir.path(),
        Some("rahasia kota"),
        &["profiles", "unlock", &id],
    );
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8(wrong.stderr).unwrap();
    assert_eq!(stderr, "layanan: wrong passphrase for this profile\n");

    let missing = layanan(dir.path(), None, &["profiles", "unlock", &id]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8(missing.stderr)
        .unwrap()
        .contains("LAYANAN_PASSPHRASE"));

    let right = layanan(
        dir.path(),
        Some("rahasia desa"),
        &["profiles", "unlock", &id],
    );
    assert!(right.status.success());
    assert_eq!(
        String::from_utf8(right.stdout).unwrap(),
        format!("unlocked {id} (0 drafts)\n")
    );

    let removed = layanan(
        dir.path(),
        Some("rahasia desa"),
        &["profiles", "remove", &id],
    );
    assert!(removed.status.success());
    let listed = layanan(dir.path(), None, &["profiles", "list"]);
    assert!(listed.stdout.is_empty());
}

#[test]
fn a_damaged_store_is_one_line_and_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("layanan.db"),
        b"not a database at all".repeat(100),
    )
    .unwrap();
    let out = layanan(dir.path(), None, &["profiles", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("damaged"));
}

#[test]
fn demo_runs_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = layanan(dir.path(), None, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("0 found in plain text"));
    assert!(stdout.contains("photo reads back identical"));
}
