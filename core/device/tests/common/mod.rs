//! Helpers shared by the crash and integrity tests.

#![allow(clippy::unwrap_used, dead_code)] // tests fail loudly on purpose

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use layanan_device::{StaticKeyVault, Store};

/// The crash writer's key.
pub fn vault() -> StaticKeyVault {
    StaticKeyVault::new([3; 32])
}

/// A store in `dir` with one profile (closed again); returns the profile's id.
pub fn store_with_profile(dir: &Path) -> String {
    Store::open(dir)
        .unwrap()
        .create_profile("Crash", &vault())
        .unwrap()
        .id()
        .to_owned()
}

/// The crash writer as a command. Under emulation (the aarch64 run of the test command
/// sets `LAYANAN_TEST_CHILD_RUNNER` to qemu-user) the child runs through the same
/// runner as the test, since the kernel cannot exec it directly; SIGKILL then kills
/// the emulator and with it the writer, as on a phone.
pub fn crash_writer() -> Command {
    let exe = env!("CARGO_BIN_EXE_layanan-crash-writer");
    match std::env::var("LAYANAN_TEST_CHILD_RUNNER") {
        Ok(runner) if !runner.trim().is_empty() => {
            let mut parts = runner.split_whitespace();
            let mut command = Command::new(parts.next().unwrap());
            command.args(parts).arg(exe);
            command
        }
        _ => Command::new(exe),
    }
}

/// Runs the crash writer in `mode` (see tests/support/crash_writer.rs), SIGKILLs it
/// after `lines` lines that do not start with `attachment`, and returns every line
/// it printed, split at its first space.
pub fn killed_writer(
    dir: &Path,
    profile_id: &str,
    mode: &str,
    lines: usize,
) -> Vec<(String, String)> {
    let mut child = crash_writer()
        .args([dir.as_os_str(), profile_id.as_ref(), mode.as_ref()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    let mut counted = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let (a, b) = line.split_once(' ').unwrap();
        counted += usize::from(a != "attachment");
        out.push((a.to_owned(), b.to_owned()));
        if counted == lines {
            child.kill().unwrap(); // SIGKILL on Unix
            break;
        }
    }
    assert!(
        !child.wait().unwrap().success(),
        "the writer must have been killed"
    );
    out
}
