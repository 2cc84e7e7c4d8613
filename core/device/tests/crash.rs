//! A writer process killed with SIGKILL mid-save loses nothing it had committed.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use layanan_device::{StaticKeyVault, Store};

mod common;
use common::{killed_writer, store_with_profile};

#[test]
fn sigkill_during_saves_keeps_every_committed_draft() {
    let dir = tempfile::tempdir().unwrap();
    let vault = StaticKeyVault::new([3; 32]);
    let profile_id = {
        let store = Store::open(dir.path()).unwrap();
        store
            .create_profile("Crash", &vault)
            .unwrap()
            .id()
            .to_owned()
    };

    for round in 0..3 {
        let mut child = common::crash_writer()
            .arg(dir.path())
            .arg(&profile_id)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut committed = Vec::new();
        // Kill it at a different point each round, while it is busy writing.
        let kill_after = 40 + round * 37;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let (id, seq) = line.split_once(' ').unwrap();
            committed.push((id.to_owned(), seq.to_owned()));
            if committed.len() == kill_after {
                child.kill().unwrap(); // SIGKILL on Unix
                break;
            }
        }
        let status = child.wait().unwrap();
        assert!(!status.success(), "the writer must have been killed");
        assert_eq!(committed.len(), kill_after);

        let store = Store::open(dir.path()).unwrap();
        let profile = store.unlock_profile(&profile_id, &vault).unwrap();
        for (id, seq) in &committed {
            let draft = profile.drafts().load(id).unwrap();
            assert_eq!(draft.answers["/data/seq"], *seq, "draft {id}");
        }
        // Every draft that exists (including one caught mid-update) opens cleanly.
        for summary in profile.drafts().list().unwrap() {
            profile.drafts().load(&summary.id).unwrap();
        }
    }
}

#[test]
fn sigkill_during_finalize_loses_no_submission_or_photo() {
    let dir = tempfile::tempdir().unwrap();
    let vault = common::vault();
    let profile_id = store_with_profile(dir.path());
    let mut finalized = Vec::new();
    for round in 0..3 {
        finalized.extend(killed_writer(
            dir.path(),
            &profile_id,
            "finalize",
            3 + round * 2,
        ));
        // A kill mid-finalize is never mistaken for damage.
        let store = Store::open(dir.path()).unwrap();
        let p = store.unlock_profile(&profile_id, &vault).unwrap();
        for (iid, attachment) in &finalized {
            assert!(p.outbox().item(iid).is_ok(), "submission {iid}");
            let mut photo = Vec::new();
            std::io::Read::read_to_end(&mut p.attachments().open(attachment).unwrap(), &mut photo)
                .unwrap();
            assert_eq!(photo.len(), 200_000);
        }
        for item in p.outbox().list().unwrap() {
            p.outbox().submission(&item.instance_id).unwrap();
        }
    }
}

#[test]
fn sigkill_during_checkpoints_keeps_every_committed_draft() {
    let dir = tempfile::tempdir().unwrap();
    let vault = common::vault();
    let profile_id = store_with_profile(dir.path());
    for round in 0..3 {
        let committed = killed_writer(dir.path(), &profile_id, "checkpoint", 15 + round * 11);
        let store = Store::open(dir.path()).unwrap();
        let profile = store.unlock_profile(&profile_id, &vault).unwrap();
        for (id, seq) in &committed {
            assert_eq!(
                profile.drafts().load(id).unwrap().answers["/data/seq"],
                *seq
            );
        }
        for summary in profile.drafts().list().unwrap() {
            profile.drafts().load(&summary.id).unwrap();
        }
    }
}
