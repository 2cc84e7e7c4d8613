//! Child process of the sync crash test: opens a device store and syncs its outbox
//! against a server until every item is sent or wedged, printing each step as it
//! happens, and exits 0. The parent kills it with SIGKILL at random points and starts
//! it again.
//!
//! Usage: `layanan-sync-child DATA_DIR PROFILE_ID SERVER_URL AGENCY_KEY_JSON`
//!
//! Output, one line each, flushed at once: `started <iid>`, `finished <iid> <state>`,
//! `run <sent> <duplicates> <failed> <remaining>` after each sync run, and `settled`.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use layanan_device::sync::{BackoffPolicy, SyncConfig, SyncEngine, SyncEvent, SyncListener};
use layanan_protocol::AgencyPublicKey;
use layanan_tests::e2e::{self, Device};

/// Prints events as they come, so the parent knows what was in flight when it killed.
struct Printer(Mutex<std::io::Stdout>);

impl Printer {
    fn line(&self, text: &str) {
        if let Ok(mut out) = self.0.lock() {
            // The parent may have stopped reading: nothing useful to do about it.
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }
}

impl SyncListener for Printer {
    fn on_event(&self, event: SyncEvent) {
        match event {
            SyncEvent::ItemStarted { instance_id } => self.line(&format!("started {instance_id}")),
            SyncEvent::ItemFinished {
                instance_id, state, ..
            } => self.line(&format!("finished {instance_id} {state:?}")),
            _ => {}
        }
    }
}

async fn run(args: &[String]) -> e2e::Result<()> {
    let [dir, profile_id, url, key_path] = args else {
        return Err(
            "usage: layanan-sync-child DATA_DIR PROFILE_ID SERVER_URL AGENCY_KEY_JSON".into(),
        );
    };
    let key: AgencyPublicKey = serde_json::from_slice(&std::fs::read(key_path)?)?;
    let profile = Arc::new(Device::open_profile(dir.as_ref(), profile_id)?);
    let config = SyncConfig {
        backoff: BackoffPolicy {
            base: Duration::from_millis(10),
            cap: Duration::from_millis(100),
        },
        quick_retry_delay: Duration::from_millis(10),
        ..SyncConfig::default()
    };
    let engine = SyncEngine::new(Arc::clone(&profile), url, key, config)?;
    let printer = Arc::new(Printer(Mutex::new(std::io::stdout())));
    loop {
        let report = engine
            .sync_now(Duration::from_secs(120), Some(printer.clone()))
            .await?;
        printer.line(&format!(
            "run {} {} {} {}",
            report.sent, report.duplicates, report.failed, report.remaining
        ));
        if e2e::settled(&profile.outbox().list()?) {
            printer.line("settled");
            return Ok(());
        }
        if report.remaining == 0 {
            let now = e2e::now_ms();
            let next = profile.outbox().next_retry_at()?.unwrap_or(now);
            let wait = u64::try_from(next.saturating_sub(now))
                .unwrap_or(0)
                .min(1_000);
            tokio::time::sleep(Duration::from_millis(wait + 1)).await;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(e2e::BoxError::from)
        .and_then(|rt| rt.block_on(run(&args)));
    if let Err(e) = result {
        eprintln!("layanan-sync-child: {e}");
        std::process::exit(1);
    }
}
