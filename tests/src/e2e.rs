//! Shared pieces of the end-to-end tests: the real server in-process (SQLite or
//! PostgreSQL), a device store with a profile, citizens signed in, submissions put in
//! the outbox, and the checks that the server holds each of them exactly once with
//! every attachment byte for byte.
//!
//! The device talks to the server through a [`layanan_netsim::FaultProxy`]; the checks
//! talk to the server directly, so a fault never hides or fakes evidence.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use layanan_device::sync::{ServerClient, Session, SyncEngine, SyncReport};
use layanan_device::{Answers, OutboxItem, OutboxState, Profile, StaticKeyVault, Store};
use layanan_protocol::auth::TokenPair;
use layanan_protocol::{
    AgencyPublicKey, InstanceId, SignedReceipt, StatusEntry, StatusFeedPage, SubmissionState,
    SubmissionSummary,
};
use layanan_server::testing::CapturingOtpSender;
use layanan_server::{RunningServer, ServerConfig, StorageConfig};

/// Any failure of a helper: tests unwrap it, the child process prints it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, BoxError>;

/// Bearer token of the officer endpoints in every test server.
pub const OFFICER: &str = "officer-e2e-token";
/// The device's key-encryption key (a stand-in for the phone's key store).
pub const DEVICE_KEK: [u8; 32] = [7; 32];
/// Environment variable naming the PostgreSQL server of the PostgreSQL runs.
pub const PG_ENV: &str = "LAYANAN_TEST_POSTGRES_URL";
/// The form every test server serves.
pub const FORM_ID: &str = "domisili";
pub const FORM_VERSION: &str = "2026.1";

/// A form with a required text field and two photo fields.
pub const FORM_XML: &str = r#"<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
  <h:head>
    <h:title>Surat Keterangan Domisili</h:title>
    <model>
      <instance>
        <data id="domisili" version="2026.1">
          <nama/>
          <foto_ktp/>
          <foto_kk/>
          <meta><instanceID/></meta>
        </data>
      </instance>
      <bind nodeset="/data/nama" type="string" required="true()"/>
      <bind nodeset="/data/foto_ktp" type="binary"/>
      <bind nodeset="/data/foto_kk" type="binary"/>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/nama"><label>Nama</label></input>
    <upload ref="/data/foto_ktp" mediatype="image/*"><label>Foto KTP</label></upload>
    <upload ref="/data/foto_kk" mediatype="image/*"><label>Foto KK</label></upload>
  </h:body>
</h:html>
"#;

/// Attachment file names, in the order of the form's photo fields.
pub const PHOTO_NAMES: [&str; 2] = ["foto_ktp.jpg", "foto_kk.jpg"];

/// Which storage the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Whether this backend can run here; the PostgreSQL one needs [`PG_ENV`]. Says so
    /// on stderr when it cannot, so a skipped run is visible in the test output.
    pub fn available(self, test: &str) -> bool {
        match self {
            Backend::Sqlite => true,
            Backend::Postgres => {
                let set = std::env::var(PG_ENV).is_ok();
                if !set {
                    eprintln!("{test}: PostgreSQL copy skipped: {PG_ENV} is not set");
                }
                set
            }
        }
    }
}

/// A tiny seedable generator (SplitMix64): reproducible payloads and fault plans.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `len` bytes, the same for the same seed: a stand-in for a JPEG (a JPEG header,
/// so the attach-time image check takes it, then incompressible bytes).
pub fn photo_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed ^ 0x5EED_F070);
    let mut out = Vec::with_capacity(len + 8);
    out.extend_from_slice(&layanan_device::forms::image::jpeg_header(1600, 1200));
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Reads a count from the environment (for longer soaks), or the default.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Installs the TLS crypto provider reqwest needs (ring, as on the phone) before any
/// HTTP client is built; the test clients then match the device's.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client for checks and plain-protocol clients.
pub fn http_client() -> Result<reqwest::Client> {
    install_crypto();
    Ok(reqwest::Client::builder().build()?)
}

/// The reference server with a temp data folder, a captured SMS channel and limits
/// loose enough for thousands of requests from one address in a few seconds.
pub struct E2eServer {
    pub server: RunningServer,
    pub otp: Arc<CapturingOtpSender>,
    pub backend: Backend,
    pub http: reqwest::Client,
    dir: tempfile::TempDir,
}

impl std::fmt::Debug for E2eServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("E2eServer")
            .field("addr", &self.server.addr())
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl E2eServer {
    /// Starts a server on `backend`; `tweak` may change the configuration (limits).
    pub async fn start(backend: Backend, tweak: impl FnOnce(&mut ServerConfig)) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("forms"))?;
        std::fs::write(dir.path().join("forms/domisili.xml"), FORM_XML)?;
        let otp = Arc::new(CapturingOtpSender::default());
        let mut config = ServerConfig::new(dir.path());
        config.officer_token = Some(OFFICER.into());
        config.otp_sender = Some(otp.clone());
        config.allow_anonymous_submissions = false;
        // Every request of a test comes from 127.0.0.1: the per-address limit (600 a
        // minute by default) is not what these tests are about.
        config.limits.requests_per_minute = 10_000_000;
        config.limits.sign_ins_per_hour = 1_000;
        if backend == Backend::Postgres {
            config.storage = StorageConfig::Postgres {
                url: std::env::var(PG_ENV)?,
                schema: Some(format!("e2e_{}", uuid::Uuid::new_v4().simple())),
            };
        }
        tweak(&mut config);
        let server = layanan_server::start(config, "127.0.0.1:0".parse()?).await?;
        Ok(Self {
            server,
            otp,
            backend,
            http: http_client()?,
            dir,
        })
    }

    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn agency_key(&self) -> &AgencyPublicKey {
        self.server.agency_public_key()
    }

    /// The SQLite file, for direct inspection (SQLite backend only).
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        (self.backend == Backend::Sqlite).then(|| self.dir.path().join("layanan.sqlite3"))
    }

    /// Signs `phone` in directly (not through a proxy) and returns the token pair.
    pub async fn sign_in(&self, phone: &str) -> Result<TokenPair> {
        let client = ServerClient::new(&self.base_url(), &Default::default())?;
        let started = client.sign_in(phone).await?;
        let code = self
            .otp
            .last_code_for(phone)
            .ok_or("no one-time code was sent")?;
        Ok(client.verify(&started.challenge_id, &code).await?)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> Result<T> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base_url()))
            .bearer_auth(token)
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(format!("GET {path}: {}", resp.status()).into());
        }
        Ok(resp.json().await?)
    }

    /// A citizen's submissions as the server lists them (all of them, no paging).
    pub async fn citizen_submissions(&self, token: &str) -> Result<Vec<SubmissionSummary>> {
        self.get_json("/v1/submissions", token).await
    }

    /// The receipt the server holds for a citizen's submission.
    pub async fn citizen_receipt(&self, token: &str, instance_id: &str) -> Result<SignedReceipt> {
        self.get_json(&format!("/v1/submissions/{instance_id}/receipt"), token)
            .await
    }

    /// Every entry of a citizen's status feed, following the cursor to the end.
    pub async fn status_feed(&self, token: &str) -> Result<Vec<StatusEntry>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/v1/status?cursor={c}"),
                None => "/v1/status".to_owned(),
            };
            let page: StatusFeedPage = self.get_json(&path, token).await?;
            out.extend(page.entries);
            if !page.has_more {
                return Ok(out);
            }
            cursor = Some(page.next_cursor);
        }
    }

    /// The officers' view of one submission (with attachment names).
    pub async fn officer_detail(&self, instance_id: &str) -> Result<SubmissionSummary> {
        self.get_json(&format!("/v1/officer/submissions/{instance_id}"), OFFICER)
            .await
    }

    /// One attachment's bytes as the agency downloads them.
    pub async fn officer_attachment(&self, instance_id: &str, file_name: &str) -> Result<Vec<u8>> {
        let resp = self
            .http
            .get(format!(
                "{}/v1/officer/submissions/{instance_id}/attachments/{file_name}",
                self.base_url()
            ))
            .bearer_auth(OFFICER)
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(
                format!("attachment {file_name} of {instance_id}: {}", resp.status()).into(),
            );
        }
        Ok(resp.bytes().await?.to_vec())
    }
}

/// A phone: a store in a temp folder with one profile.
pub struct Device {
    pub profile: Arc<Profile>,
    pub dir: tempfile::TempDir,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("dir", &self.dir.path())
            .finish_non_exhaustive()
    }
}

impl Device {
    pub fn create() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let store = Store::open(dir.path())?;
        let profile = Arc::new(store.create_profile("Warga", &StaticKeyVault::new(DEVICE_KEK))?);
        Ok(Self { profile, dir })
    }

    /// Opens an existing device folder (e.g. after a child process used it).
    pub fn open_profile(dir: &Path, profile_id: &str) -> Result<Profile> {
        let store = Store::open(dir)?;
        Ok(store.unlock_profile(profile_id, &StaticKeyVault::new(DEVICE_KEK))?)
    }

    /// Stores `tokens` as the session for `server_url` (e.g. the proxy's URL): the
    /// sign-in happened directly against the server, so that no fault makes a test
    /// spend its effort there.
    pub fn save_session(&self, server_url: &str, tokens: &TokenPair) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis();
        let session = Session::from_tokens(tokens, i64::try_from(now)?);
        self.profile
            .account()
            .save_session(server_url.trim_end_matches('/'), &session)?;
        Ok(())
    }
}

/// What one submission should look like on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub instance_id: String,
    /// Attachment name -> (payload seed, length).
    pub photos: BTreeMap<String, (u64, usize)>,
}

impl Planned {
    pub fn photo(&self, name: &str) -> Option<Vec<u8>> {
        self.photos
            .get(name)
            .map(|&(seed, len)| photo_bytes(seed, len))
    }
}

/// Submission XML as the forms engine would write it.
pub fn submission_xml(iid: &str, form_id: &str, nama: &str, photos: &[&str]) -> Vec<u8> {
    let ktp = photos.first().copied().unwrap_or("");
    let kk = photos.get(1).copied().unwrap_or("");
    format!(
        "<?xml version=\"1.0\"?>\n<data id=\"{form_id}\" version=\"{FORM_VERSION}\" xmlns:orx=\"http://openrosa.org/xforms\"><nama>{nama}</nama><foto_ktp>{ktp}</foto_ktp><foto_kk>{kk}</foto_kk><orx:meta><orx:instanceID>{iid}</orx:instanceID></orx:meta></data>"
    )
    .into_bytes()
}

/// Fills a draft (with `photos`: (seed, length) each, named after [`PHOTO_NAMES`]) and
/// finalizes it into the outbox, as the app does when the citizen taps "send".
pub fn enqueue(
    profile: &Profile,
    form_id: &str,
    nama: &str,
    photos: &[(u64, usize)],
) -> Result<Planned> {
    let draft = profile
        .drafts()
        .create(form_id, FORM_VERSION, &Answers::new())?;
    let mut planned = BTreeMap::new();
    for (&(seed, len), name) in photos.iter().zip(PHOTO_NAMES) {
        profile.attachments().add(
            Some(&draft.id),
            name,
            "image/jpeg",
            &photo_bytes(seed, len)[..],
        )?;
        planned.insert(name.to_owned(), (seed, len));
    }
    let iid = InstanceId::new_random();
    let names: Vec<&str> = PHOTO_NAMES.iter().take(photos.len()).copied().collect();
    profile.outbox().finalize(
        &draft.id,
        &iid,
        &submission_xml(iid.as_str(), form_id, nama, &names),
        &names,
    )?;
    Ok(Planned {
        instance_id: iid.as_str().to_owned(),
        photos: planned,
    })
}

/// `count` submissions with one `photo`-byte photo each (seeds `seed ^ i`), and the
/// content they carry: each photo and submission XML once, as sent at best.
pub fn enqueue_photo_batch(
    profile: &Profile,
    count: usize,
    photo: usize,
    seed: u64,
) -> Result<(Vec<Planned>, u64)> {
    let mut planned = Vec::with_capacity(count);
    let mut content = 0u64;
    for i in 0..count {
        let item = enqueue(
            profile,
            FORM_ID,
            &format!("Warga {i}"),
            &[(seed ^ i as u64, photo)],
        )?;
        content += photo as u64 + profile.outbox().submission(&item.instance_id)?.len() as u64;
        planned.push(item);
    }
    Ok((planned, content))
}

/// A mixed workload: `count` submissions; every `photo_every`-th one carries a photo
/// of 20-60 KB, and every third of those a second one.
pub fn enqueue_workload(
    profile: &Profile,
    count: usize,
    photo_every: usize,
    seed: u64,
) -> Result<Vec<Planned>> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let mut photos = Vec::new();
        if photo_every > 0 && i % photo_every == 0 {
            let n = if (i / photo_every) % 3 == 0 { 2 } else { 1 };
            for _ in 0..n {
                let len = usize::try_from(rng.range(20_000, 60_001))?;
                photos.push((rng.next_u64(), len));
            }
        }
        out.push(enqueue(profile, FORM_ID, &format!("Warga {i}"), &photos)?);
    }
    Ok(out)
}

/// Totals over several sync runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub runs: u32,
    pub sent: u32,
    pub duplicates: u32,
    pub failed: u32,
    pub wedged: u32,
    pub bytes_sent: u64,
}

impl Totals {
    pub fn add(&mut self, r: &SyncReport) {
        self.runs += 1;
        self.sent += r.sent;
        self.duplicates += r.duplicates;
        self.failed += r.failed;
        self.wedged += r.wedged;
        self.bytes_sent += r.bytes_sent;
    }
}

/// True when no item is waiting to be sent any more (all sent or wedged).
pub fn settled(items: &[OutboxItem]) -> bool {
    items
        .iter()
        .all(|i| matches!(i.state, OutboxState::Sent | OutboxState::Wedged))
}

/// Runs sync as a phone's background job would: again and again, sleeping until the
/// next item is due, until every item is sent or wedged. `max_runs` turns a livelock
/// into a failure instead of a hang.
pub async fn sync_until_settled(
    engine: &SyncEngine,
    profile: &Profile,
    max_runs: u32,
) -> Result<Totals> {
    sync_until_settled_within(engine, profile, max_runs, Duration::from_secs(300)).await
}

/// [`sync_until_settled`] with each run's time budget (a budget that ends mid-upload
/// wastes the slices in flight, so a benchmark gives runs all the time they need).
pub async fn sync_until_settled_within(
    engine: &SyncEngine,
    profile: &Profile,
    max_runs: u32,
    run_budget: Duration,
) -> Result<Totals> {
    let mut totals = Totals::default();
    for _ in 0..max_runs {
        let report = engine.sync_now(run_budget, None).await?;
        totals.add(&report);
        if settled(&profile.outbox().list()?) {
            return Ok(totals);
        }
        if report.remaining == 0 {
            // Everything left is backing off: wait for the first to be due (short
            // backoffs in tests, a WorkManager reschedule on a phone).
            let now = now_ms();
            let next = profile.outbox().next_retry_at()?.unwrap_or(now);
            let wait = u64::try_from(next.saturating_sub(now))
                .unwrap_or(0)
                .min(60_000);
            tokio::time::sleep(Duration::from_millis(wait + 1)).await;
        }
    }
    Err(format!("outbox not settled after {max_runs} sync runs: {totals:?}").into())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What [`verify_delivered`] found, for the test's own assertions and its log line.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub on_server: usize,
    pub attachments_checked: usize,
    pub attachment_bytes_checked: u64,
    pub receipts_checked: usize,
}

/// The end-to-end proof for `planned` (all expected delivered) of one citizen:
///
/// - the server lists each instanceID exactly once for this citizen, and nothing
///   else, each complete;
/// - its status feed holds exactly one `received` entry per submission;
/// - every attachment is there under its name, byte for byte, and no other;
/// - the device shows each item `sent` with a receipt that verifies with the agency
///   key, covers the XML the device holds, and equals the server's stored receipt.
pub async fn verify_delivered(
    server: &E2eServer,
    token: &str,
    profile: &Profile,
    planned: &[Planned],
) -> Result<Evidence> {
    let mut evidence = Evidence::default();
    let expected: BTreeSet<&str> = planned.iter().map(|p| p.instance_id.as_str()).collect();
    if expected.len() != planned.len() {
        return Err("the plan itself repeats an instanceID".into());
    }

    let listed = server.citizen_submissions(token).await?;
    let mut seen = BTreeMap::<&str, usize>::new();
    for s in &listed {
        *seen.entry(s.instance_id.as_str()).or_default() += 1;
        if !s.complete {
            return Err(format!("{} is not complete on the server", s.instance_id).into());
        }
    }
    let copies: Vec<_> = seen.iter().filter(|(_, &n)| n != 1).collect();
    if !copies.is_empty() {
        return Err(format!("instanceIDs held more than once: {copies:?}").into());
    }
    let held: BTreeSet<&str> = seen.keys().copied().collect();
    if held != expected {
        let missing: Vec<_> = expected.difference(&held).collect();
        let extra: Vec<_> = held.difference(&expected).collect();
        return Err(format!(
            "server and plan differ: {} missing {missing:?}, {} unexpected {extra:?}",
            missing.len(),
            extra.len()
        )
        .into());
    }
    evidence.on_server = listed.len();

    let mut received = BTreeMap::<String, usize>::new();
    for entry in server.status_feed(token).await? {
        if entry.state == SubmissionState::Received {
            *received.entry(entry.instance_id).or_default() += 1;
        }
    }
    for iid in &expected {
        let n = received.get(*iid).copied().unwrap_or(0);
        if n != 1 {
            return Err(format!("{iid} has {n} `received` status entries").into());
        }
    }
    if received.len() != expected.len() {
        return Err("the status feed has entries for unknown submissions".into());
    }

    for p in planned {
        if p.photos.is_empty() {
            continue;
        }
        let detail = server.officer_detail(&p.instance_id).await?;
        let names: BTreeSet<&str> = detail.attachments.iter().map(String::as_str).collect();
        let want: BTreeSet<&str> = p.photos.keys().map(String::as_str).collect();
        if names != want || detail.attachments.len() != want.len() {
            return Err(format!(
                "{}: attachments {:?}, expected {want:?}",
                p.instance_id, detail.attachments
            )
            .into());
        }
        for name in p.photos.keys() {
            let got = server.officer_attachment(&p.instance_id, name).await?;
            let want = p.photo(name).ok_or("planned photo")?;
            if got != want {
                return Err(format!(
                    "{}/{name}: {} bytes on the server differ from the {} sent",
                    p.instance_id,
                    got.len(),
                    want.len()
                )
                .into());
            }
            evidence.attachments_checked += 1;
            evidence.attachment_bytes_checked += got.len() as u64;
        }
    }

    let key = server.agency_key();
    for p in planned {
        let item = profile.outbox().item(&p.instance_id)?;
        if item.state != OutboxState::Sent {
            return Err(format!("{}: {:?} on the device", p.instance_id, item.state).into());
        }
        let receipt = item.receipt.ok_or("sent without a receipt")?;
        key.verify(&receipt)
            .map_err(|e| format!("{}: receipt does not verify: {e}", p.instance_id))?;
        let xml = profile.outbox().submission(&p.instance_id)?;
        if !receipt.covers(&p.instance_id, &xml) {
            return Err(format!("{}: receipt does not cover the XML", p.instance_id).into());
        }
        let on_server = server.citizen_receipt(token, &p.instance_id).await?;
        if on_server != receipt {
            return Err(format!("{}: device and server receipts differ", p.instance_id).into());
        }
        evidence.receipts_checked += 1;
    }
    Ok(evidence)
}

/// Row counts straight from the server's SQLite file: submissions (and distinct
/// instanceIDs), attachments, `received` status entries, and uploads (completed ones
/// and all, since a lost "create" answer leaves an orphan behind), refresh tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SqliteCounts {
    pub submissions: u64,
    pub distinct_instances: u64,
    pub attachments: u64,
    pub received_events: u64,
    pub uploads: u64,
    pub completed_uploads: u64,
    /// Refresh tokens ever issued: one per sign-in plus one per rotation.
    pub refresh_tokens: u64,
}

impl SqliteCounts {
    /// Reads the counts from the server's database file (read-only, while it runs).
    pub fn read(path: &Path) -> Result<Self> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
            Ok(u64::try_from(n)?)
        };
        Ok(Self {
            submissions: count("SELECT count(*) FROM submissions")?,
            distinct_instances: count("SELECT count(DISTINCT instance_id) FROM submissions")?,
            attachments: count("SELECT count(*) FROM attachments")?,
            received_events: count("SELECT count(*) FROM status_events WHERE state = 'received'")?,
            uploads: count("SELECT count(*) FROM uploads")?,
            completed_uploads: count("SELECT count(*) FROM uploads WHERE complete <> 0")?,
            refresh_tokens: count("SELECT count(*) FROM refresh_tokens")?,
        })
    }
}
