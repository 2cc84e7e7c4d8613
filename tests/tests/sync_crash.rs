//! The device process killed with SIGKILL at random points during sync, restarted,
//! again and again: in the end the server holds every submission exactly once with
//! every attachment byte for byte, and the device shows each one sent with a receipt
//! that verifies.
//!
//! The device is a child process (`layanan-sync-child`) syncing through the fault
//! proxy, slowed to 4 Mbit/s with 10 ms round trips so that a sync takes seconds and
//! kills land in the middle of requests, uploads, store writes and token refreshes
//! (access tokens live 31 s, so the engine renews one about every second). The server
//! and the proxy run in this process. `LAYANAN_CRASH_SEED` replays a kill plan,
//! `LAYANAN_CRASH_SUBMISSIONS` sizes the outbox.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use layanan_netsim::{FaultProxy, LinkProfile};
use layanan_tests::e2e::{self, Backend, Device, E2eServer, SqliteCounts};
use tokio::time::Instant;

const PHONE: &str = "+6281299990001";

/// Kills the child if the test panics, so no process outlives it.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// How one child's life ended.
enum End {
    /// Killed with this many items in flight.
    Killed { in_flight: usize },
    /// Exited on its own after printing `settled`.
    Settled,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_during_sync_loses_nothing_and_duplicates_nothing_sqlite() {
    crash_run(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_during_sync_loses_nothing_and_duplicates_nothing_postgres() {
    if Backend::Postgres.available("sync_crash") {
        crash_run(Backend::Postgres).await;
    }
}

async fn crash_run(backend: Backend) {
    let seed = e2e::env_count("LAYANAN_CRASH_SEED", 0x5EED_C4A5) as u64;
    let count = e2e::env_count("LAYANAN_CRASH_SUBMISSIONS", 120);
    let server = E2eServer::start(backend, |c| {
        c.limits.access_token_ttl = Duration::from_secs(31);
    })
    .await
    .unwrap();
    let link = LinkProfile {
        bandwidth_bps: Some(4_000_000),
        latency: Duration::from_millis(5),
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.server.addr(), link, seed)
        .await
        .unwrap();

    let device = Device::create().unwrap();
    let profile_id = device.profile.id().to_owned();
    let tokens = server.sign_in(PHONE).await.unwrap();
    device.save_session(&proxy.url(), &tokens).unwrap();
    // Every third submission carries one or two 20-60 KB photos.
    let planned = e2e::enqueue_workload(&device.profile, count, 3, seed).unwrap();
    let attachments: usize = planned.iter().map(|p| p.photos.len()).sum();
    let key_path = device.dir.path().join("agency-key.json");
    std::fs::write(&key_path, serde_json::to_vec(server.agency_key()).unwrap()).unwrap();
    // The parent lets go of the store: only the child touches it from now on.
    let Device { profile, dir } = device;
    drop(profile);

    let mut rng = e2e::Rng::new(seed);
    let mut kills = 0u32;
    let mut kills_mid_item = 0u32;
    let mut settled = false;
    for round in 0..200u32 {
        let child = Command::new(env!("CARGO_BIN_EXE_layanan-sync-child"))
            .arg(dir.path())
            .arg(&profile_id)
            .arg(proxy.url())
            .arg(&key_path)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut child = Reaper(child);
        let stdout = child.0.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // A random moment to pull the plug; after enough rounds, let it finish.
        let kill_at = (round < 60).then(|| Duration::from_millis(rng.range(20, 700)));
        let started = Instant::now();
        let mut in_flight = BTreeSet::new();
        let end = loop {
            while let Ok(line) = lines.try_recv() {
                let mut words = line.split(' ');
                match (words.next(), words.next()) {
                    (Some("started"), Some(iid)) => {
                        in_flight.insert(iid.to_owned());
                    }
                    (Some("finished"), Some(iid)) => {
                        in_flight.remove(iid);
                    }
                    _ => {}
                }
                if line == "settled" {
                    settled = true;
                }
            }
            if let Some(status) = child.0.try_wait().unwrap() {
                assert!(status.success(), "the child failed on its own: {status}");
                // Drain what it printed last.
                reader.join().unwrap();
                while let Ok(line) = lines.try_recv() {
                    settled |= line == "settled";
                }
                assert!(settled, "the child exited without settling");
                break End::Settled;
            }
            if kill_at.is_some_and(|at| started.elapsed() >= at) {
                child.0.kill().unwrap(); // SIGKILL
                let status = child.0.wait().unwrap();
                assert!(!status.success());
                reader.join().unwrap();
                break End::Killed {
                    in_flight: in_flight.len(),
                };
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "a child ran for two minutes without settling"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        drop(child);
        match end {
            End::Settled => break,
            End::Killed { in_flight } => {
                kills += 1;
                if in_flight > 0 {
                    kills_mid_item += 1;
                }
            }
        }
    }
    assert!(settled, "never settled after {kills} kills");
    // The kills really landed in the middle of the work.
    assert!(kills >= 3, "only {kills} kills");
    assert!(
        kills_mid_item >= 1,
        "no kill landed while an item was in flight"
    );
    proxy.shutdown().await;

    // The server holds each once, the device shows each sent with a valid receipt.
    let profile = Device::open_profile(dir.path(), &profile_id).unwrap();
    let token = server.sign_in(PHONE).await.unwrap().access_token;
    let evidence = e2e::verify_delivered(&server, &token, &profile, &planned)
        .await
        .unwrap();
    assert_eq!(evidence.on_server, count);
    assert_eq!(evidence.attachments_checked, attachments);
    let Some(db_path) = server.sqlite_path() else {
        eprintln!("{backend:?}: {count} submissions, {attachments} attachments: {kills} SIGKILLs ({kills_mid_item} with items in flight), every item sent once");
        return;
    };
    let db = SqliteCounts::read(&db_path).unwrap();
    assert_eq!(
        (db.submissions, db.received_events, db.attachments),
        (count as u64, count as u64, attachments as u64),
        "{db:?}"
    );
    // Two sign-ins (the device's, and this check's); the rest are rotations the
    // children made, some of them cut short by a kill.
    let rotations = db.refresh_tokens - 2;
    assert!(rotations >= 1, "no token refresh happened: {db:?}");
    eprintln!(
        "{count} submissions, {attachments} attachments: {kills} SIGKILLs ({kills_mid_item} with \
         items in flight), {rotations} refresh-token rotations, every item sent once; {} uploads \
         on the server for {attachments} attachments (orphans of kills between create and \
         its record on the device)",
        db.uploads,
    );
}
