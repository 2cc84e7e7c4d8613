//! A writer process killed with SIGKILL mid-save loses nothing it had committed.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use layanan_device::{StaticKeyVault, Store};

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_layanan-crash-writer"))
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
