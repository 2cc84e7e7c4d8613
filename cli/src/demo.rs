//! `layanan demo`: the citizen's journey with real calls and real numbers.
//!
//! Everything is real: the reference server runs in-process on loopback (SQLite in a
//! temporary folder), a link simulator sits between phone and server, and the phone
//! side goes through the same API the Kotlin and Swift shells call. The story:
//! 1. offline, the citizen fills two applications and a complaint with a photo
//!    (one answer breaks a rule, the form says so, she fixes it);
//! 2. everything waits in the sealed outbox, and the files hold no readable personal
//!    data;
//! 3. a weak 2G link appears (240 kbit/s, 840 ms round trips, dropped connections):
//!    sync delivers each item once, resuming after drops, with receipts verified
//!    offline;
//! 4. an officer approves one application and asks for a fix on the other; the phone
//!    pulls the status feed and shows the timeline;
//! 5. a summary with the numbers. Any failed check exits non-zero.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use layanan::{
    FormPage, FormSession, KeyVault, NetworkState, OutboxState, PassphraseVault, Profile,
    ProfileStore, SubmissionState, SyncEvent, SyncListener, SyncService,
};
use layanan_netsim::{Fault, FaultProxy, LinkProfile};
use layanan_server::InProcessOtpSender as CapturingOtpSender;
use layanan_server::ServerConfig;
use serde_json::json;

use crate::error::{CliError, CliResult};
use crate::output::Out;

const FORMS: [(&str, &str); 3] = [
    (
        "akta_kelahiran.xml",
        include_str!("../../core/forms/fixtures/pyxform/akta_kelahiran.xml"),
    ),
    (
        "ktp_el_pengganti.xml",
        include_str!("../../core/forms/fixtures/pyxform/ktp_el_pengganti.xml"),
    ),
    (
        "pengaduan.xml",
        include_str!("../../core/forms/fixtures/pyxform/pengaduan.xml"),
    ),
];
const PHONE: &str = "081398765432";
const NAME: &str = "Siti Nurhaliza";
const NIK: &str = "3201014501900007";
const CHILD: &str = "Putri Ayu Lestari";
const COMPLAINT: &str =
    "Jalan desa berlubang besar di depan SD Negeri 2, berbahaya bagi anak-anak.";
/// WIB, the phone's time zone.
const UTC_OFFSET_MINUTES: i32 = 420;
/// The link simulator's random drops replay exactly from this seed.
const SEED: u64 = 20_261_128;

fn say(out: Out, line: impl AsRef<str>) {
    if !out.json {
        println!("{}", line.as_ref());
    }
}

fn check(ok: bool, what: &str) -> CliResult {
    if ok {
        Ok(())
    } else {
        Err(CliError::new(format!("demo check failed: {what}")))
    }
}

fn forms_error(e: layanan::FormsError) -> CliError {
    CliError::new(format!("form: {e}"))
}

/// A JPEG header for a 1600 x 1200 photo (SOI, JFIF, baseline SOF0): what the
/// core's attach-time check reads.
const JPEG_HEADER: [u8; 33] = [
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x04, 0xB0, 0x06, 0x40, 0x01, 0x01, 0x11,
    0x00,
];

/// A camera photo stand-in: a JPEG header, then incompressible bytes (a JPEG does
/// not compress).
fn photo(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = JPEG_HEADER.to_vec();
    out.extend((JPEG_HEADER.len()..len.max(JPEG_HEADER.len())).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 24) as u8
    }));
    out
}

fn error_on(page: &FormPage, path: &str) -> Option<String> {
    page.questions
        .iter()
        .find(|q| q.path == path)
        .and_then(|q| q.error.clone())
}

/// Answers `(path, value)` in order, printing nothing; returns the last page.
async fn answer_all(form: &FormSession, answers: &[(&str, &str)]) -> CliResult<FormPage> {
    let mut page = form.current_page().await.map_err(forms_error)?;
    for (path, value) in answers {
        page = form
            .answer((*path).to_owned(), (*value).to_owned())
            .await
            .map_err(forms_error)?;
    }
    Ok(page)
}

async fn attach(
    form: &FormSession,
    dir: &std::path::Path,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> CliResult {
    let file = dir.join(name);
    std::fs::write(&file, bytes)?;
    form.attach_file(
        path.to_owned(),
        name.to_owned(),
        "image/jpeg".to_owned(),
        file.to_string_lossy().into_owned(),
    )
    .await
    .map_err(forms_error)?;
    // The shell may delete its copy: the store holds the sealed one.
    std::fs::remove_file(&file)?;
    Ok(())
}

/// Opens a form kept offline, in Bahasa Indonesia, as the app does.
async fn start_form(profile: &Arc<Profile>, form_id: &str) -> CliResult<Arc<FormSession>> {
    FormSession::start(
        Arc::clone(profile),
        form_id.to_owned(),
        Some("id".into()),
        UTC_OFFSET_MINUTES,
    )
    .await
    .map_err(forms_error)
}

/// Step 1: three forms filled offline through the shells' form API.
async fn fill_forms(
    out: Out,
    profile: &Arc<Profile>,
    dir: &std::path::Path,
) -> CliResult<Vec<String>> {
    let today = {
        // The date a person in WIB sees now.
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
            + i64::from(UTC_OFFSET_MINUTES) * 60;
        crate::output::when(secs * 1000)[..10].to_owned()
    };
    let mut ids = Vec::new();

    // Birth registration, with a constraint error shown and fixed.
    let akta = start_form(profile, "akta_kelahiran").await?;
    answer_all(
        &akta,
        &[
            ("/data/bayi/child_name", CHILD),
            ("/data/bayi/sex", "f"),
            ("/data/bayi/dob", &today),
            ("/data/birth_place", "Bogor"),
            ("/data/weight", "3.2"),
        ],
    )
    .await?;
    // The citizen reaches the mother's NIK and types only 12 digits.
    akta.jump("/data/mother_nik".into())
        .await
        .map_err(forms_error)?;
    let page = akta
        .answer("/data/mother_nik".into(), "320101450190".into())
        .await
        .map_err(forms_error)?;
    let message = error_on(&page, "/data/mother_nik");
    check(message.is_some(), "a 12-digit NIK is refused by the form")?;
    say(
        out,
        format!(
            "   akta kelahiran: NIK ibu \"320101450190\" -> the form says: \"{}\"",
            message.unwrap_or_default()
        ),
    );
    let page = akta
        .answer("/data/mother_nik".into(), NIK.into())
        .await
        .map_err(forms_error)?;
    check(
        error_on(&page, "/data/mother_nik").is_none(),
        "a 16-digit NIK is accepted",
    )?;
    say(out, "   fixed with 16 digits; the form accepts it");
    let item = akta.finalize().await.map_err(forms_error)?;
    say(
        out,
        format!(
            "   akta kelahiran finalized -> outbox ({})",
            item.instance_id
        ),
    );
    ids.push(item.instance_id);

    // KTP-el replacement for a damaged card: two photos.
    let ktp = start_form(profile, "ktp_el_pengganti").await?;
    answer_all(
        &ktp,
        &[
            ("/data/nik", NIK),
            ("/data/full_name", NAME),
            ("/data/reason", "damaged"),
        ],
    )
    .await?;
    attach(
        &ktp,
        dir,
        "/data/damaged_card",
        "ktp_rusak.jpg",
        &photo(60_000, 1),
    )
    .await?;
    attach(
        &ktp,
        dir,
        "/data/signature",
        "tanda_tangan.png",
        &photo(8_000, 2),
    )
    .await?;
    let item = ktp.finalize().await.map_err(forms_error)?;
    say(
        out,
        format!(
            "   penggantian KTP-el finalized with 2 photos -> outbox ({})",
            item.instance_id
        ),
    );
    ids.push(item.instance_id);

    // A public complaint with a 300 KB photo and a location.
    let aduan = start_form(profile, "pengaduan").await?;
    answer_all(
        &aduan,
        &[
            ("/data/anonymous", "no"),
            ("/data/reporter", NAME),
            ("/data/phone", PHONE),
            ("/data/category", "road"),
            ("/data/description", COMPLAINT),
            ("/data/location", "-6.5950 106.8166 250 5"),
            ("/data/incident", &today),
        ],
    )
    .await?;
    attach(
        &aduan,
        dir,
        "/data/photo",
        "jalan_rusak.jpg",
        &photo(300_000, 3),
    )
    .await?;
    let item = aduan.finalize().await.map_err(forms_error)?;
    say(
        out,
        format!(
            "   pengaduan finalized with a 300 KB photo -> outbox ({})",
            item.instance_id
        ),
    );
    ids.push(item.instance_id);
    Ok(ids)
}

fn scan_for_plain_text(dir: &std::path::Path, secrets: &[&str]) -> CliResult<(usize, usize)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut found = 0;
    for f in &files {
        let bytes = std::fs::read(f)?;
        found += secrets
            .iter()
            .filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
            .count();
    }
    Ok((files.len(), found))
}

/// Prints sync progress as it happens, and plays the weather: once the complaint is
/// the only item sending, the signal drops 30 KB further into its photo's upload.
struct Progress {
    out: Out,
    last: Mutex<HashMap<String, u64>>,
    link: Arc<FaultProxy>,
    drop_during: String,
    dropped: std::sync::atomic::AtomicBool,
    /// Items other than the complaint that finished, and whether it started.
    others_done: std::sync::atomic::AtomicU32,
    complaint_started: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// Arms the drop when the complaint's connection is the only one sending, so it
    /// is the one that takes the fault.
    fn maybe_drop(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        if self.complaint_started.load(SeqCst)
            && self.others_done.load(SeqCst) >= 2
            && !self.dropped.swap(true, SeqCst)
        {
            self.link.fail_next(Fault::ResetAfterRequestBytes(30_000));
            if !self.out.json {
                println!("   (the signal drops in the middle of the complaint's photo)");
            }
        }
    }
}

impl SyncListener for Progress {
    fn on_event(&self, event: SyncEvent) {
        // The server keeps the verified blocks of the cut request; the engine
        // resumes from there.
        match &event {
            SyncEvent::ItemStarted { instance_id } if *instance_id == self.drop_during => {
                self.complaint_started
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                self.maybe_drop();
            }
            SyncEvent::ItemFinished { instance_id, .. } if *instance_id != self.drop_during => {
                self.others_done
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                self.maybe_drop();
            }
            _ => {}
        }
        if self.out.json {
            return;
        }
        match event {
            SyncEvent::Upload {
                instance_id,
                sent,
                total,
            } => {
                let Ok(mut last) = self.last.lock() else {
                    return;
                };
                let step = total / 4;
                let prev = last.insert(instance_id.clone(), sent).unwrap_or(0);
                if step == 0 || sent == total || sent / step.max(1) != prev / step.max(1) {
                    println!(
                        "   upload {}: {} / {} KB",
                        &instance_id[5..13],
                        sent / 1024,
                        total / 1024
                    );
                }
            }
            SyncEvent::ItemFinished {
                instance_id,
                state,
                error,
            } => {
                let why = error
                    .map(|e| format!(" ({})", e.message_en))
                    .unwrap_or_default();
                println!("   {} -> {:?}{why}", &instance_id[5..13], state);
            }
            _ => {}
        }
    }
}

async fn officer(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    instance_id: &str,
    state: &str,
    note: Option<&str>,
) -> CliResult {
    let resp = http
        .post(format!(
            "{base}/v1/officer/submissions/{instance_id}/status"
        ))
        .bearer_auth(token)
        .json(&json!({ "state": state, "note": note }))
        .send()
        .await
        .map_err(|e| CliError::new(format!("officer request failed: {e}")))?;
    check(
        resp.status().is_success(),
        "the officer's decision is accepted",
    )
}

pub async fn run(out: Out) -> CliResult {
    let started = Instant::now();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir()?;
    let server_dir = dir.path().join("server");
    std::fs::create_dir_all(server_dir.join("forms"))?;
    for (name, xml) in FORMS {
        std::fs::write(server_dir.join("forms").join(name), xml)?;
    }
    let otp = Arc::new(CapturingOtpSender::default());
    let officer_token = "demo-officer".to_owned();
    let mut config = ServerConfig::new(&server_dir);
    config.otp_sender = Some(otp.clone());
    config.officer_token = Some(officer_token.clone());
    config.allow_anonymous_submissions = false;
    let server = layanan_server::start(
        config,
        "127.0.0.1:0"
            .parse()
            .map_err(|_| CliError::new("bad address"))?,
    )
    .await
    .map_err(|e| CliError::new(format!("the demo server did not start: {e}")))?;
    let link = Arc::new(FaultProxy::start(server.addr(), LinkProfile::loopback(), SEED).await?);
    say(
        out,
        format!(
            "Layanan demo: reference server on {} behind a link simulator on {}",
            server.base_url(),
            link.url()
        ),
    );

    // The phone: one citizen profile, signed in once while in town.
    let phone_dir = dir.path().join("phone");
    let store = ProfileStore::open(phone_dir.to_string_lossy().into_owned()).await?;
    let vault: Arc<dyn KeyVault> = PassphraseVault::new("kopi tubruk pagi".into());
    let profile = store.create_profile("Siti".into(), vault).await?;
    let agency_key: String = server
        .agency_public_key()
        .public_key
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sync = SyncService::new(Arc::clone(&profile), link.url(), agency_key)?;
    let challenge = sync.start_sign_in(PHONE.into()).await?;
    let code = otp
        .last_code_for(PHONE)
        .ok_or_else(|| CliError::new("the server sent no sign-in code"))?;
    sync.finish_sign_in(challenge.challenge_id, code).await?;
    let forms = sync.update_forms().await?;
    say(
        out,
        format!(
            "0. in town: signed in by SMS code; {} forms kept for offline use",
            forms.downloaded
        ),
    );

    // 1. The village: no signal.
    link.set_profile(LinkProfile {
        offline: true,
        ..LinkProfile::loopback()
    });
    sync.set_network(NetworkState {
        connected: false,
        metered: false,
    });
    say(out, "1. in the village, offline: filling three forms");
    let ids = fill_forms(out, &profile, dir.path()).await?;
    let offline = sync.sync_now(30, None).await.report().await?;
    check(
        offline.sent == 0 && offline.remaining == 3,
        "offline, nothing is sent and nothing is lost",
    )?;

    // 2. Sealed at rest.
    let outbox = profile.outbox().list().await?;
    check(
        outbox.iter().all(|i| i.state == OutboxState::Queued),
        "all three wait in the outbox",
    )?;
    let (files, leaks) = scan_for_plain_text(
        &phone_dir,
        &[NAME, NIK, CHILD, PHONE, "Jalan desa berlubang"],
    )?;
    say(
        out,
        format!("2. outbox: {} items queued; {files} files on the phone scanned for her name, NIK, child's name, phone and complaint: {leaks} found in plain text", outbox.len()),
    );
    check(leaks == 0, "no personal data in plain text on the phone")?;

    // 3. A weak 2G link appears.
    link.set_profile(LinkProfile::edge_2g());
    sync.set_network(NetworkState {
        connected: true,
        metered: true,
    });
    say(
        out,
        "3. a weak 2G signal: 240 kbit/s, 840 ms round trips, connections dropping",
    );
    let before = link.stats();
    let sync_started = Instant::now();
    let listener = Arc::new(Progress {
        out,
        last: Mutex::new(HashMap::new()),
        link: Arc::clone(&link),
        drop_during: ids[2].clone(),
        dropped: std::sync::atomic::AtomicBool::new(false),
        others_done: std::sync::atomic::AtomicU32::new(0),
        complaint_started: std::sync::atomic::AtomicBool::new(false),
    });
    let mut runs = 0;
    let mut sent = 0;
    let mut duplicates = 0;
    while runs < 10 {
        runs += 1;
        let report = sync
            .sync_now(120, Some(listener.clone()))
            .await
            .report()
            .await?;
        sent += report.sent;
        duplicates += report.duplicates;
        if report.remaining == 0 {
            break;
        }
        // Items whose quick retries ran out back off; the shell would schedule the
        // next run, the demo waits for it.
        let next = profile
            .outbox()
            .list()
            .await?
            .iter()
            .filter(|i| i.state == OutboxState::Failed)
            .map(|i| i.next_attempt_at_ms)
            .min();
        if let Some(at) = next {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(
                u64::try_from(at - now).unwrap_or(0).min(30_000),
            ))
            .await;
        }
    }
    let sync_secs = sync_started.elapsed().as_secs_f64();
    let wire = link.stats();
    let (up, down) = (
        wire.bytes_up - before.bytes_up,
        wire.bytes_down - before.bytes_down,
    );
    let resets = wire.resets - before.resets;
    let items = profile.outbox().list().await?;
    let verified = items
        .iter()
        .filter(|i| i.state == OutboxState::Sent && i.receipt.is_some())
        .count();
    let attempts: u32 = items.iter().map(|i| i.attempts).sum();
    say(
        out,
        format!(
            "   delivered {verified}/3 with signed receipts (verified offline with the agency key) in {sync_secs:.1} s, {runs} sync run(s), {resets} dropped connection(s)"
        ),
    );
    check(
        verified == 3,
        "every item is delivered with a verified receipt",
    )?;

    // On the server: exactly one copy of each.
    let http = reqwest::Client::new();
    let held: Vec<serde_json::Value> = http
        .get(format!("{}/v1/officer/submissions", server.base_url()))
        .bearer_auth(&officer_token)
        .send()
        .await
        .map_err(|e| CliError::new(format!("officer list failed: {e}")))?
        .json()
        .await
        .map_err(|e| CliError::new(format!("officer list unreadable: {e}")))?;
    let mut held_ids: Vec<&str> = held
        .iter()
        .filter_map(|h| h["instance_id"].as_str())
        .collect();
    held_ids.sort_unstable();
    let unique = {
        let mut u = held_ids.clone();
        u.dedup();
        u.len()
    };
    let server_duplicates = held_ids.len() - unique;
    let lost = ids
        .iter()
        .filter(|id| !held_ids.contains(&id.as_str()))
        .count();
    check(
        lost == 0 && server_duplicates == 0,
        "the server holds each submission exactly once",
    )?;

    // 4. The agency decides.
    officer(
        &http,
        &server.base_url(),
        &officer_token,
        &ids[0],
        "in_review",
        None,
    )
    .await?;
    officer(
        &http,
        &server.base_url(),
        &officer_token,
        &ids[0],
        "approved",
        Some("Akta kelahiran dapat diambil di kantor Disdukcapil."),
    )
    .await?;
    officer(
        &http,
        &server.base_url(),
        &officer_token,
        &ids[1],
        "in_review",
        None,
    )
    .await?;
    officer(
        &http,
        &server.base_url(),
        &officer_token,
        &ids[1],
        "needs_fix",
        Some("Foto KTP rusak kurang jelas, mohon foto ulang."),
    )
    .await?;
    let pulled = sync.sync_now(120, None).await.report().await?;
    say(
        out,
        format!(
            "4. the agency decided; the phone pulled {} status update(s):",
            pulled.new_status_events
        ),
    );
    let mut timelines = Vec::new();
    for (id, name) in ids
        .iter()
        .zip(["akta kelahiran", "penggantian KTP-el", "pengaduan"])
    {
        let item = profile.outbox().item(id.clone()).await?;
        let timeline = profile.timeline().of(id.clone()).await?;
        let steps: Vec<String> = timeline
            .iter()
            .map(|e| match &e.note {
                Some(n) => format!("{} (\"{n}\")", e.state.as_str()),
                None => e.state.as_str().to_owned(),
            })
            .collect();
        say(out, format!("   {name}: {}", steps.join(" -> ")));
        timelines.push(
            json!({ "instance_id": id, "agency_state": item.agency_state.map(|s| s.as_str()), "timeline": steps }),
        );
    }
    let notifications = profile.timeline().pending_notifications().await?;
    check(
        profile.outbox().item(ids[0].clone()).await?.agency_state
            == Some(SubmissionState::Approved)
            && profile.outbox().item(ids[1].clone()).await?.agency_state
                == Some(SubmissionState::NeedsFix),
        "the phone shows the agency's decisions",
    )?;

    // 5. Summary.
    let secs = started.elapsed().as_secs_f64();
    let summary = json!({
        "items": 3,
        "delivered": verified,
        "lost": lost,
        "duplicated": server_duplicates,
        "server_recognised_retries": duplicates,
        "receipts_verified": verified,
        "bytes_on_wire_up": up,
        "bytes_on_wire_down": down,
        "dropped_connections": resets,
        "send_attempts": attempts,
        "sync_runs": runs,
        "sync_seconds": sync_secs,
        "plain_text_leaks": leaks,
        "notifications": notifications.len(),
        "timelines": timelines,
        "seconds": secs,
        "sent_reported": sent,
    });
    out.emit(summary, || {
        format!(
            "5. summary\n   items            3 (2 applications, 1 complaint)\n   delivered        {verified}, each with a verified receipt\n   lost             {lost}\n   duplicates       {server_duplicates} on the server ({duplicates} retries recognised by instanceID)\n   bytes on wire    {} KB up, {} KB down\n   over 2G          {sync_secs:.1} s, {resets} dropped connection(s), {attempts} send attempt(s)\n   notifications    {} waiting for the citizen\n   total time       {secs:.1} s",
            up / 1024,
            down / 1024,
            notifications.len()
        )
    });
    drop(listener);
    if let Ok(link) = Arc::try_unwrap(link) {
        link.shutdown().await;
    }
    server
        .shutdown()
        .await
        .map_err(|e| CliError::new(format!("server shutdown: {e}")))?;
    Ok(())
}
