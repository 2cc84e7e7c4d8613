//! The 2G benchmark: the device's sync engine, and a plain OpenRosa client for
//! comparison, each delivering the same content to the real server through the fault
//! proxy set to `LinkProfile::edge_2g()` (240 kbit/s each way, 840 ms round trip, 2 %
//! of connections reset). Ignored by default: at 240 kbit/s, 50 submissions with a
//! 300 KB photo each take over eight minutes per client. Run with
//!
//! ```text
//! cargo test -p layanan-tests --test sync_2g -- --ignored --nocapture
//! ```
//!
//! Knobs (environment): `LAYANAN_2G_SUBMISSIONS` (50), `LAYANAN_2G_PHOTO_BYTES`
//! (300000), `LAYANAN_2G_CLIENTS` (`engine,plain`), `LAYANAN_2G_CONCURRENCY` (a comma
//! list, each measured in turn; default: the engine's default),
//! `LAYANAN_2G_SLICE_KIB` (upload slice; default: the engine's), `LAYANAN_2G_SEED`,
//! `LAYANAN_2G_DROP_EVERY_SECS` (cut every connection this often, as a lost signal).
//! Results are recorded in docs/sync-benchmarks.md. Nothing here asserts on time; the
//! runs do assert that everything arrived exactly once, byte for byte.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use layanan_device::sync::{SyncConfig, SyncEngine};
use layanan_netsim::{physical_limit, FaultProxy, LinkProfile, ProxyStats};
use layanan_protocol::openrosa;
use layanan_tests::e2e::{self, Backend, Device, E2eServer};
use tokio::time::Instant;

const PHONE: &str = "+6281200000001";

#[derive(Clone, Debug)]
struct Params {
    submissions: usize,
    photo_bytes: usize,
    seed: u64,
    /// Signal lost every so often: every open connection is cut.
    drop_every: Option<Duration>,
}

/// One measured run.
#[derive(Debug)]
struct Row {
    client: String,
    wall: Duration,
    stats: ProxyStats,
    /// Submission bodies and photos as the client would send them once each.
    content_bytes: u64,
    /// Connections cut by a signal drop (not counted in `stats.resets`).
    drops: u64,
    note: String,
}

impl Row {
    fn print(&self, p: &Params, profile: &LinkProfile) {
        let n = u32::try_from(p.submissions).unwrap();
        // The floor: every byte that crossed the link at the link rate, plus one round
        // trip per submission (each needs at least one answer) and the handshake.
        let limit = physical_limit(self.stats.bytes_up, self.stats.bytes_down, n + 1, profile);
        // A stricter floor: only the content itself (no headers, no bytes lost to
        // resets), with the same round trips.
        let content_limit = physical_limit(self.content_bytes, 0, n + 1, profile);
        let ratio = self.wall.as_secs_f64() / limit.as_secs_f64();
        println!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.2}x | {:.1} | {:.2}x | {} + {} | {} | {} |",
            self.client,
            self.stats.bytes_up,
            self.stats.bytes_down,
            self.wall.as_secs_f64(),
            limit.as_secs_f64(),
            ratio,
            content_limit.as_secs_f64(),
            self.wall.as_secs_f64() / content_limit.as_secs_f64(),
            self.stats.resets,
            self.drops,
            self.stats.connections,
            self.note,
        );
    }
}

fn params() -> Params {
    Params {
        submissions: e2e::env_count("LAYANAN_2G_SUBMISSIONS", 50),
        photo_bytes: e2e::env_count("LAYANAN_2G_PHOTO_BYTES", 300_000),
        seed: e2e::env_count("LAYANAN_2G_SEED", 2026) as u64,
        drop_every: match e2e::env_count("LAYANAN_2G_DROP_EVERY_SECS", 0) {
            0 => None,
            secs => Some(Duration::from_secs(secs as u64)),
        },
    }
}

/// Cuts every open connection every `every`, as when the signal goes for a moment.
struct Drops {
    count: Arc<AtomicU64>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Drops {
    fn start(proxy: &Arc<FaultProxy>, every: Option<Duration>) -> Self {
        let count = Arc::new(AtomicU64::new(0));
        let task = every.map(|every| {
            let (proxy, count) = (Arc::clone(proxy), Arc::clone(&count));
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    proxy.cut_connections();
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        });
        Self { count, task }
    }

    async fn stop(self) -> u64 {
        if let Some(task) = self.task {
            task.abort();
            let _ = task.await;
        }
        self.count.load(Ordering::Relaxed)
    }
}

async fn shutdown(proxy: Arc<FaultProxy>) {
    if let Ok(proxy) = Arc::try_unwrap(proxy) {
        proxy.shutdown().await;
    }
}

async fn server() -> E2eServer {
    E2eServer::start(Backend::Sqlite, |_| {}).await.unwrap()
}

/// The engine as the app configures it, except `concurrency` and `slice`.
async fn engine_run(p: &Params, concurrency: Option<usize>, slice_kib: Option<u64>) -> Row {
    let profile = LinkProfile::edge_2g();
    let server = server().await;
    let proxy = Arc::new(
        FaultProxy::start(server.server.addr(), profile.clone(), p.seed)
            .await
            .unwrap(),
    );
    let device = Device::create().unwrap();
    let tokens = server.sign_in(PHONE).await.unwrap();
    device.save_session(&proxy.url(), &tokens).unwrap();
    let (planned, content) =
        e2e::enqueue_photo_batch(&device.profile, p.submissions, p.photo_bytes, p.seed).unwrap();
    let mut config = SyncConfig::default();
    if let Some(c) = concurrency {
        config.concurrency = c;
    }
    if let Some(kib) = slice_kib {
        config.upload_request_bytes = kib * 1024;
    }
    let label = format!(
        "engine, concurrency {}, slice {} KiB",
        config.concurrency,
        config.upload_request_bytes / 1024
    );
    let engine = SyncEngine::new(
        Arc::clone(&device.profile),
        &proxy.url(),
        server.agency_key().clone(),
        config,
    )
    .unwrap();

    let drops = Drops::start(&proxy, p.drop_every);
    let started = Instant::now();
    // One long run, as a phone given the time: a budget that ended mid-upload would
    // throw away the slices in flight and skew the bytes.
    let totals =
        e2e::sync_until_settled_within(&engine, &device.profile, 1_000, Duration::from_secs(7200))
            .await
            .unwrap();
    let wall = started.elapsed();
    let stats = proxy.stats();
    let drops = drops.stop().await;
    shutdown(proxy).await;

    // A fresh token: a long run outlives the first access token (the engine refreshed
    // its own).
    let token = server.sign_in(PHONE).await.unwrap().access_token;
    let evidence = e2e::verify_delivered(&server, &token, &device.profile, &planned)
        .await
        .unwrap();
    assert_eq!(evidence.on_server, p.submissions);
    assert_eq!(totals.sent as usize, p.submissions);
    Row {
        client: label,
        wall,
        stats,
        content_bytes: content,
        drops,
        note: format!(
            "{} runs, {} failed attempts, {} duplicates",
            totals.runs, totals.failed, totals.duplicates
        ),
    }
}

/// Multipart body of a plain OpenRosa POST: the XML and the photo inline, uncompressed.
fn multipart(xml: &[u8], photo_name: &str, photo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "plainOpenRosaBoundary7d3f";
    let mut body = Vec::with_capacity(xml.len() + photo.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"submission.xml\"\r\nContent-Type: text/xml\r\n\r\n",
            openrosa::XML_SUBMISSION_FILE
        )
        .as_bytes(),
    );
    body.extend_from_slice(xml);
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{photo_name}\"; filename=\"{photo_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// What ODK Collect-style clients do: one HEAD, then one POST per submission with the
/// photo inline, one after the other on a kept-alive connection, and on any failure
/// the whole POST again (after a 1 s pause).
async fn plain_run(p: &Params) -> Row {
    let profile = LinkProfile::edge_2g();
    let server = server().await;
    let proxy = Arc::new(
        FaultProxy::start(server.server.addr(), profile.clone(), p.seed)
            .await
            .unwrap(),
    );
    let tokens = server.sign_in(PHONE).await.unwrap();
    e2e::install_crypto();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let url = format!("{}{}", proxy.url(), openrosa::SUBMISSION_PATH);
    let bodies: Vec<(String, String, Vec<u8>)> = (0..p.submissions)
        .map(|i| {
            let iid = layanan_protocol::InstanceId::new_random();
            let name = e2e::PHOTO_NAMES[0];
            let xml =
                e2e::submission_xml(iid.as_str(), e2e::FORM_ID, &format!("Warga {i}"), &[name]);
            let photo = e2e::photo_bytes(p.seed ^ i as u64, p.photo_bytes);
            let (ct, body) = multipart(&xml, name, &photo);
            (iid.as_str().to_owned(), ct, body)
        })
        .collect();
    let content: u64 = bodies.iter().map(|(_, _, b)| b.len() as u64).sum();

    let drops = Drops::start(&proxy, p.drop_every);
    // Re-authenticates (directly, not counted) when a long run outlives the token.
    let mut token = tokens.access_token.clone();
    let started = Instant::now();
    let mut retries = 0u32;
    loop {
        let head = http
            .head(&url)
            .header(openrosa::VERSION_HEADER, openrosa::VERSION)
            .bearer_auth(&token)
            .send()
            .await;
        if head.is_ok_and(|r| r.status().as_u16() == 204) {
            break;
        }
        retries += 1;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    for (_, content_type, body) in &bodies {
        loop {
            let sent = http
                .post(&url)
                .header(openrosa::VERSION_HEADER, openrosa::VERSION)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .bearer_auth(&token)
                .body(body.clone())
                .send()
                .await;
            if let Ok(r) = sent {
                if r.status() == reqwest::StatusCode::UNAUTHORIZED {
                    token = server.sign_in(PHONE).await.unwrap().access_token;
                }
                // Read the answer to the end so the connection can be reused.
                let accepted = openrosa::is_accepted_status(r.status().as_u16());
                if r.bytes().await.is_ok() && accepted {
                    break;
                }
            }
            retries += 1;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let wall = started.elapsed();
    let stats = proxy.stats();
    let drops = drops.stop().await;
    shutdown(proxy).await;

    let token = server.sign_in(PHONE).await.unwrap().access_token;
    let held = server.citizen_submissions(&token).await.unwrap();
    assert_eq!(held.len(), p.submissions);
    Row {
        client: "plain OpenRosa (multipart, photo inline, whole-POST retry)".into(),
        wall,
        stats,
        content_bytes: content,
        drops,
        note: format!("{retries} whole-POST retries"),
    }
}

fn list(name: &str) -> Vec<String> {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: over eight minutes of simulated 2G per client"]
async fn sync_over_2g() {
    let p = params();
    let profile = LinkProfile::edge_2g();
    let mut clients = list("LAYANAN_2G_CLIENTS");
    if clients.is_empty() {
        clients = vec!["engine".into(), "plain".into()];
    }
    let concurrency: Vec<Option<usize>> = match list("LAYANAN_2G_CONCURRENCY") {
        v if v.is_empty() => vec![None],
        v => v.iter().map(|c| Some(c.parse().unwrap())).collect(),
    };
    let slice = std::env::var("LAYANAN_2G_SLICE_KIB")
        .ok()
        .map(|s| s.parse::<u64>().unwrap());
    println!(
        "2G: {} submissions x {} B photo, {:?} bit/s, {:?} RTT, {:.0} % resets, signal drop every {:?}, seed {}",
        p.submissions,
        p.photo_bytes,
        profile.bandwidth_bps,
        profile.rtt(),
        profile.reset_probability * 100.0,
        p.drop_every,
        p.seed
    );
    println!("| client | bytes up | bytes down | wall s | limit s | ratio | content limit s | content ratio | resets + drops | connections | notes |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for client in &clients {
        match client.as_str() {
            "engine" => {
                for c in &concurrency {
                    engine_run(&p, *c, slice).await.print(&p, &profile);
                }
            }
            "plain" => plain_run(&p).await.print(&p, &profile),
            other => panic!("unknown client {other}"),
        }
    }
}
