//! The sync engine against the real reference server on loopback: real HTTP, real
//! SQLite on both sides, real receipts. (Fault injection over a throttled proxy lives
//! in the workspace's `tests` crate.)

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::sync::{Arc, Mutex};
use std::time::Duration;

use layanan_device::sync::{
    BackoffPolicy, NetworkState, StopReason, SyncConfig, SyncEngine, SyncEvent, SyncListener,
    SyncSettings,
};
use layanan_device::{Answers, OutboxErrorCode, OutboxState, Profile, StaticKeyVault, Store};
use layanan_protocol::{ErrorCode, InstanceId, SubmissionSummary};
use layanan_server::testing::CapturingOtpSender;
use layanan_server::{RunningServer, ServerConfig};

const OFFICER: &str = "officer-secret";
const PHONE: &str = "+6281234567890";
const FORM: &str = include_str!("../../../tests/fixtures/domisili.xml");

struct Setup {
    server: RunningServer,
    _server_dir: tempfile::TempDir,
    _device_dir: tempfile::TempDir,
    otp: Arc<CapturingOtpSender>,
    profile: Arc<Profile>,
}

async fn start_server(
    dir: &std::path::Path,
    otp: &Arc<CapturingOtpSender>,
    addr: &str,
) -> RunningServer {
    let mut config = ServerConfig::new(dir);
    config.officer_token = Some(OFFICER.into());
    config.otp_sender = Some(otp.clone());
    config.allow_anonymous_submissions = false;
    layanan_server::start(config, addr.parse().unwrap())
        .await
        .unwrap()
}

async fn setup() -> Setup {
    let server_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(server_dir.path().join("forms")).unwrap();
    std::fs::write(server_dir.path().join("forms/domisili.xml"), FORM).unwrap();
    let otp = Arc::new(CapturingOtpSender::default());
    let server = start_server(server_dir.path(), &otp, "127.0.0.1:0").await;
    let device_dir = tempfile::tempdir().unwrap();
    let store = Store::open(device_dir.path()).unwrap();
    let profile = Arc::new(
        store
            .create_profile("Warga", &StaticKeyVault::new([1; 32]))
            .unwrap(),
    );
    Setup {
        server,
        _server_dir: server_dir,
        _device_dir: device_dir,
        otp,
        profile,
    }
}

fn engine(s: &Setup, url: &str) -> SyncEngine {
    let config = SyncConfig {
        backoff: BackoffPolicy {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(50),
        },
        quick_retry_delay: Duration::from_millis(10),
        ..SyncConfig::default()
    };
    SyncEngine::new(
        Arc::clone(&s.profile),
        url,
        s.server.agency_public_key().clone(),
        config,
    )
    .unwrap()
}

async fn sign_in(s: &Setup, e: &SyncEngine) {
    let started = e.start_sign_in(PHONE).await.unwrap();
    let code = s.otp.last_code_for(PHONE).unwrap();
    e.finish_sign_in(&started.challenge_id, &code)
        .await
        .unwrap();
}

fn xml(iid: &InstanceId, form_id: &str, nama: &str, photo: Option<&str>) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?>\n<data id=\"{form_id}\" version=\"2026.1\" xmlns:orx=\"http://openrosa.org/xforms\"><nama>{nama}</nama><foto_ktp>{}</foto_ktp><orx:meta><orx:instanceID>{iid}</orx:instanceID></orx:meta></data>",
        photo.unwrap_or("")
    )
    .into_bytes()
}

/// Finalizes a draft (with an optional photo) into the outbox.
fn enqueue(p: &Profile, form_id: &str, nama: &str, photo: Option<&[u8]>) -> String {
    let d = p
        .drafts()
        .create(form_id, "2026.1", &Answers::new())
        .unwrap();
    if let Some(bytes) = photo {
        p.attachments()
            .add(Some(&d.id), "foto.jpg", "image/jpeg", bytes)
            .unwrap();
    }
    let iid = InstanceId::new_random();
    p.outbox()
        .finalize(
            &d.id,
            &iid,
            &xml(&iid, form_id, nama, photo.map(|_| "foto.jpg")),
            photo.map_or(&[][..], |_| &["foto.jpg"][..]),
        )
        .unwrap();
    iid.as_str().to_owned()
}

async fn officer_list(s: &Setup) -> Vec<SubmissionSummary> {
    reqwest::Client::new()
        .get(format!("{}/v1/officer/submissions", s.server.base_url()))
        .bearer_auth(OFFICER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[derive(Default)]
struct Events(Mutex<Vec<SyncEvent>>);
impl SyncListener for Events {
    fn on_event(&self, event: SyncEvent) {
        self.0.lock().unwrap().push(event);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_everything_once_with_verified_receipts_and_wedges_the_poison() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let photo: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    let with_photo = enqueue(&s.profile, "domisili", "Siti Rahayu", Some(&photo));
    let plain = enqueue(&s.profile, "domisili", "Budi Santoso", None);
    // Poison: a form the server does not know.
    let poison = enqueue(&s.profile, "formulir_hilang", "Ani", None);
    let last = enqueue(&s.profile, "domisili", "Dewi Lestari", None);

    let events = Arc::new(Events::default());
    let report = e
        .sync_now(Duration::from_secs(60), Some(events.clone()))
        .await
        .unwrap();
    assert_eq!(
        (report.sent, report.wedged, report.failed, report.remaining),
        (3, 1, 0, 0)
    );
    assert_eq!(report.stopped, None);
    assert!(report.bytes_sent >= 700_000);

    for iid in [&with_photo, &plain, &last] {
        let item = s.profile.outbox().item(iid).unwrap();
        assert_eq!(item.state, OutboxState::Sent, "{iid}");
        let receipt = item.receipt.unwrap();
        assert_eq!(receipt.receipt.instance_id, *iid);
        s.server.agency_public_key().verify(&receipt).unwrap();
    }
    let wedged = s.profile.outbox().item(&poison).unwrap();
    assert_eq!(wedged.state, OutboxState::Wedged);
    let error = wedged.error.unwrap();
    assert_eq!(error.code, OutboxErrorCode::Server(ErrorCode::UnknownForm));
    assert!(!error.message.is_empty() && !error.message_en.is_empty());

    // The server holds each delivered submission exactly once, with its photo.
    let held = officer_list(&s).await;
    let mut ids: Vec<_> = held.iter().map(|h| h.instance_id.clone()).collect();
    ids.sort();
    let mut expected = vec![with_photo.clone(), plain.clone(), last.clone()];
    expected.sort();
    assert_eq!(ids, expected);
    let photo_on_server = reqwest::Client::new()
        .get(format!(
            "{}/v1/officer/submissions/{with_photo}/attachments/foto.jpg",
            s.server.base_url()
        ))
        .bearer_auth(OFFICER)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(photo_on_server.as_ref(), &photo[..]);

    // Progress went to the listener, ending with the report.
    let events = events.0.lock().unwrap().clone();
    assert!(matches!(
        events.first(),
        Some(SyncEvent::Started { due: 4 })
    ));
    assert!(events.iter().any(
        |e| matches!(e, SyncEvent::Upload { sent, total, .. } if sent == total && *total == 700_000)
    ));
    assert!(matches!(events.last(), Some(SyncEvent::Finished { report: r }) if r.sent == 3));

    // A second run has nothing to do and sends nothing.
    let again = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!((again.sent, again.bytes_sent), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_a_lost_answer_gets_the_same_receipt_and_no_copy() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    // An earlier attempt reached the server, but its answer never came back.
    let (_, session) = s.profile.account().session().unwrap().unwrap();
    let client =
        layanan_device::sync::ServerClient::new(&s.server.base_url(), &Default::default()).unwrap();
    let xml = s.profile.outbox().submission(&iid).unwrap();
    let (status, first) = client
        .submit(&session.access_token, &iid, &xml)
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 201);

    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!((report.sent, report.duplicates), (1, 1));
    let item = s.profile.outbox().item(&iid).unwrap();
    assert_eq!(item.receipt.unwrap(), first.receipt);
    assert_eq!(officer_list(&s).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agency_decision_reaches_the_timeline_and_notifications() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    e.sync_now(Duration::from_secs(60), None).await.unwrap();
    let http = reqwest::Client::new();
    for (state, note) in [
        ("in_review", None),
        ("needs_fix", Some("Foto KTP buram, mohon unggah ulang.")),
    ] {
        let resp = http
            .post(format!(
                "{}/v1/officer/submissions/{iid}/status",
                s.server.base_url()
            ))
            .bearer_auth(OFFICER)
            .json(&serde_json::json!({ "state": state, "note": note }))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
    }
    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert!(report.new_status_events >= 2);
    let timeline = s.profile.timeline().of(&iid).unwrap();
    let states: Vec<_> = timeline.iter().map(|t| t.state.as_str()).collect();
    assert_eq!(states.last(), Some(&"needs_fix"));
    assert!(states.contains(&"in_review"));
    assert_eq!(
        timeline.last().unwrap().note.as_deref(),
        Some("Foto KTP buram, mohon unggah ulang.")
    );
    assert_eq!(
        s.profile
            .outbox()
            .item(&iid)
            .unwrap()
            .agency_state
            .map(|s| s.as_str()),
        Some("needs_fix")
    );
    let pending = s.profile.timeline().pending_notifications().unwrap();
    assert!(pending.len() >= 2);
    s.profile
        .timeline()
        .mark_notified(&pending.iter().map(|p| p.id).collect::<Vec<_>>())
        .unwrap();
    assert!(s
        .profile
        .timeline()
        .pending_notifications()
        .unwrap()
        .is_empty());
    // Nothing new on the next pull: the cursor moved on.
    assert_eq!(
        e.sync_now(Duration::from_secs(60), None)
            .await
            .unwrap()
            .new_status_events,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_backs_off_loses_nothing_and_stops_early() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let ids: Vec<_> = (0..6)
        .map(|i| enqueue(&s.profile, "domisili", &format!("Warga {i}"), None))
        .collect();
    // The server goes down (the tower lost its backhaul).
    let Setup {
        server,
        _server_dir: server_dir,
        otp,
        profile,
        _device_dir,
    } = s;
    let addr = server.addr();
    server.shutdown().await.unwrap();
    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!(report.sent, 0);
    assert_eq!(report.stopped, Some(StopReason::ServerUnreachable));
    assert!(
        report.failed >= 4 && report.failed < 6,
        "stops after the failure budget: {report:?}"
    );
    for iid in &ids {
        let item = profile.outbox().item(iid).unwrap();
        assert!(
            matches!(item.state, OutboxState::Failed | OutboxState::Queued),
            "{iid}: {:?}",
            item.state
        );
    }
    let failed = profile.outbox().item(&ids[0]).unwrap();
    assert_eq!(failed.error.unwrap().code, OutboxErrorCode::Network);
    assert!(failed.next_attempt_at_ms > 0);

    // Back online at the same address (after the short test backoff): everything
    // goes, once.
    let server = start_server(server_dir.path(), &otp, &addr.to_string()).await;
    let s = Setup {
        server,
        _server_dir: server_dir,
        otp,
        profile,
        _device_dir,
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!(report.sent, 6);
    assert_eq!(officer_list(&s).await.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_network_hint_and_wifi_only_setting_are_respected() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    e.set_network(NetworkState {
        connected: false,
        metered: false,
    });
    let r = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!(
        (r.stopped, r.remaining, r.sent),
        (Some(StopReason::Offline), 1, 0)
    );
    // The setting is stored: a fresh engine, as a background process started cold
    // has, honours it although nobody told that engine.
    s.profile
        .account()
        .set_sync_settings(SyncSettings { wifi_only: true })
        .unwrap();
    let e = engine(&s, &s.server.base_url());
    e.set_network(NetworkState {
        connected: true,
        metered: true,
    });
    let r = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!(
        (r.stopped, r.remaining),
        (Some(StopReason::WaitingForUnmetered), 1)
    );
    assert_eq!(
        s.profile.outbox().item(&iid).unwrap().attempts,
        0,
        "nothing was tried"
    );
    e.set_network(NetworkState {
        connected: true,
        metered: false,
    });
    assert_eq!(
        e.sync_now(Duration::from_secs(60), None)
            .await
            .unwrap()
            .sent,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_the_run_asks_for_sign_in_and_keeps_the_queue() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!(report.stopped, Some(StopReason::SignInRequired));
    let item = s.profile.outbox().item(&iid).unwrap();
    assert_eq!(item.state, OutboxState::Queued);
    assert!(item.error.is_none());
    sign_in(&s, &e).await;
    assert_eq!(
        e.sync_now(Duration::from_secs(60), None)
            .await
            .unwrap()
            .sent,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_are_kept_offline_and_only_changed_ones_downloaded() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    assert!(s.profile.forms().list().unwrap().is_empty());
    assert_eq!(e.update_forms().await.unwrap(), (1, 0));
    let forms = s.profile.forms().list().unwrap();
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0].form_id, "domisili");
    assert!(forms[0].hash.starts_with("md5:"));
    assert!(s
        .profile
        .forms()
        .xml("domisili")
        .unwrap()
        .contains("Surat Keterangan Domisili"));
    assert_eq!(e.update_forms().await.unwrap(), (0, 1));
    assert!(matches!(
        s.profile.forms().xml("tidak_ada"),
        Err(layanan_device::StoreError::FormNotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_send_each_item_once() {
    let s = setup().await;
    let e = Arc::new(engine(&s, &s.server.base_url()));
    sign_in(&s, &e).await;
    let photo: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    for i in 0..4 {
        enqueue(&s.profile, "domisili", &format!("Warga {i}"), Some(&photo));
    }
    // A background job and a "send now" tap at the same moment.
    let (a, b) = tokio::join!(
        e.sync_now(Duration::from_secs(60), None),
        e.sync_now(Duration::from_secs(60), None)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 4, "{a:?} {b:?}");
    assert_eq!(a.duplicates + b.duplicates, 0);
    assert!(a.bytes_sent + b.bytes_sent >= 800_000);
    assert!(
        a.bytes_sent + b.bytes_sent < 1_000_000,
        "photos sent once: {a:?} {b:?}"
    );
    assert_eq!(officer_list(&s).await.len(), 4);
}

/// An outcome that cannot be recorded is never reported as done: the run fails with
/// the store's error, the item's event says what the store holds, and the next run
/// delivers it (once: the server answers the resend as a duplicate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_outcome_write_fails_the_run_and_the_event_tells_what_is_stored() {
    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    // A real SQLite failure at the moment the item is marked sent (what a full disk
    // or a damaged page does to that one write).
    let db = s._device_dir.path().join("layanan.db");
    let side = rusqlite::Connection::open(&db).unwrap();
    side.execute_batch(
        "CREATE TRIGGER refuse_sent BEFORE UPDATE OF state ON outbox
         WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'write refused'); END;",
    )
    .unwrap();

    let events = Arc::new(Events::default());
    let failed = e
        .sync_now(Duration::from_secs(60), Some(events.clone()))
        .await;
    assert!(
        matches!(failed, Err(layanan_device::sync::SyncError::Store(_))),
        "{failed:?}"
    );
    let stored = s.profile.outbox().item(&iid).unwrap();
    assert_eq!(stored.state, OutboxState::Sending);
    assert!(stored.receipt.is_none());
    let finished: Vec<OutboxState> = events
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            SyncEvent::ItemFinished { state, .. } => Some(*state),
            _ => None,
        })
        .collect();
    assert_eq!(
        finished,
        vec![OutboxState::Sending],
        "the event says what is stored"
    );

    side.execute_batch("DROP TRIGGER refuse_sent").unwrap();
    let report = e.sync_now(Duration::from_secs(60), None).await.unwrap();
    assert_eq!((report.sent, report.duplicates), (1, 1));
    assert_eq!(officer_list(&s).await.len(), 1, "one copy at the agency");
}

/// One rule for attachment file names: what the server would refuse, the phone
/// refuses when the file is attached (with the protocol's reason), so no item is
/// finalized only to wedge at the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_name_the_server_refuses_is_refused_at_attach_time_with_the_same_error() {
    use layanan_device::sync::{ClientError, HttpTimeouts, ServerClient};
    use layanan_protocol::attachment::check_file_name;
    use layanan_protocol::upload::CreateUpload;

    let s = setup().await;
    let e = engine(&s, &s.server.base_url());
    sign_in(&s, &e).await;
    let (_, session) = s.profile.account().session().unwrap().unwrap();
    let client = ServerClient::new(&s.server.base_url(), &HttpTimeouts::default()).unwrap();
    let draft = s
        .profile
        .drafts()
        .create("domisili", "2026.1", &Answers::new())
        .unwrap();
    let long = "é".repeat(128) + ".jpg";
    for name in [
        "",
        ".",
        "..",
        "a/b.jpg",
        "a\\b.jpg",
        "foto\".jpg",
        "foto\r\n.jpg",
        &long,
    ] {
        let rule = check_file_name(name).expect_err(name);
        let phone = s
            .profile
            .attachments()
            .add(Some(&draft.id), name, "image/jpeg", &b"\xff\xd8"[..])
            .expect_err(name);
        assert!(
            matches!(&phone, layanan_device::StoreError::InvalidInput(m) if m.contains(&rule.to_string())),
            "{name:?}: {phone}"
        );
        let server = client
            .create_upload(
                &session.access_token,
                &CreateUpload {
                    instance_id: InstanceId::new_random().as_str().to_owned(),
                    file_name: name.to_owned(),
                    content_type: "image/jpeg".into(),
                    total_size: 2,
                    sha256: "0".repeat(64),
                },
            )
            .await
            .expect_err(name);
        assert!(
            matches!(server, ClientError::Http { status: 400, .. }),
            "{name:?}: {server:?}"
        );
    }
    // And a name both accept.
    check_file_name("foto ktp (1).jpg").unwrap();
    s.profile
        .attachments()
        .add(
            Some(&draft.id),
            "foto ktp (1).jpg",
            "image/jpeg",
            &b"\xff\xd8"[..],
        )
        .unwrap();
    assert!(s.profile.attachments().list(Some(&draft.id)).unwrap().len() == 1);
}

/// Signing out through one service stops every service of the profile from sending,
/// and the server revokes the session: its refresh token no longer works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_session_and_no_service_sends_after() {
    let s = setup().await;
    let background = engine(&s, &s.server.base_url());
    sign_in(&s, &background).await;
    let screen = engine(&s, &s.server.base_url());
    // The background service has the session in memory from a first run.
    background
        .sync_now(Duration::from_secs(30), None)
        .await
        .unwrap();
    let (_, session) = s.profile.account().session().unwrap().unwrap();

    screen.sign_out().await.unwrap();
    assert!(s.profile.account().session().unwrap().is_none());
    let iid = enqueue(&s.profile, "domisili", "Siti", None);
    let report = background
        .sync_now(Duration::from_secs(30), None)
        .await
        .unwrap();
    assert_eq!(report.stopped, Some(StopReason::SignInRequired));
    assert_eq!(report.sent, 0);
    assert_eq!(
        s.profile.outbox().item(&iid).unwrap().state,
        OutboxState::Queued
    );
    let client = layanan_device::sync::ServerClient::new(
        &s.server.base_url(),
        &layanan_device::sync::HttpTimeouts::default(),
    )
    .unwrap();
    let refused = client.refresh(&session.refresh_token).await;
    assert!(
        matches!(
            refused,
            Err(layanan_device::sync::ClientError::Http { status: 401, .. })
        ),
        "{refused:?}"
    );
}
