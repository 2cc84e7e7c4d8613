//! The `layanan-server` binary: with no arguments it serves from `./layanan-data`
//! (here the port comes from LAYANAN_ADDR so tests never collide on 8080).

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn no_arguments_serves_a_demo_data_folder_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_layanan-server"))
        .current_dir(dir.path())
        .env("LAYANAN_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server printed its address");
        if let Some(at) = line.find("url=http://") {
            break line[at + 4..].split_whitespace().next().unwrap().to_owned();
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        reqwest::get(format!("{url}/formList"))
            .await
            .unwrap()
            .status()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, reqwest::StatusCode::OK);
    let data = dir.path().join("layanan-data");
    assert!(data.join("forms").is_dir());
    assert!(data.join("layanan.sqlite3").is_file());
    assert!(data.join("keys/agency-ed25519.pk8").is_file());
}
