//! `layanan signin`, `layanan sync`.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::{Arc, Mutex};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use layanan::{StopReason, SyncEvent, SyncListener, SyncReport, SyncService};
use serde_json::json;

use crate::context::{load_server, open_store, save_server, unlock, ServerConfig};
use crate::error::{CliError, CliResult};
use crate::output::Out;

pub async fn signin(
    dir: &Path,
    out: Out,
    profile: Option<&str>,
    server: &str,
    phone: &str,
    code: Option<String>,
) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let key = layanan::fetch_agency_key(server.to_owned()).await?;
    if !out.json {
        eprintln!("agency key (compare with the agency's published key): {key}");
    }
    let sync = SyncService::new(p, server.to_owned(), key.clone())?;
    let challenge = sync.start_sign_in(phone.to_owned()).await?;
    let code = match code {
        Some(c) => c,
        None => {
            eprintln!(
                "Kode dikirim lewat SMS / a code was sent by SMS ({} digits):",
                challenge.code_length
            );
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_owned()
        }
    };
    sync.finish_sign_in(challenge.challenge_id, code).await?;
    save_server(
        dir,
        &ServerConfig {
            server_url: server.to_owned(),
            agency_key_hex: key.clone(),
        },
    )?;
    out.emit(
        json!({ "server": server, "agency_key": key, "signed_in": true }),
        || format!("signed in to {server}"),
    );
    Ok(())
}

/// Turns sync events into progress bars on stderr (hidden when not a terminal).
struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Bars {
    fn new(visible: bool) -> Self {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self {
            multi: MultiProgress::with_draw_target(target),
            bars: Mutex::new(HashMap::new()),
        }
    }
}

impl SyncListener for Bars {
    fn on_event(&self, event: SyncEvent) {
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        match event {
            SyncEvent::Upload {
                instance_id,
                sent,
                total,
            } => {
                let bar = bars.entry(instance_id.clone()).or_insert_with(|| {
                    let bar = self.multi.add(ProgressBar::new(total));
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{msg:14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                    bar.set_message(instance_id.chars().skip(5).take(8).collect::<String>());
                    bar
                });
                bar.set_position(sent);
            }
            SyncEvent::ItemFinished {
                instance_id, state, ..
            } => {
                if let Some(bar) = bars.remove(&instance_id) {
                    bar.finish_with_message(format!("{:?}", state).to_lowercase());
                }
            }
            _ => {}
        }
    }
}

pub fn report_json(r: &SyncReport) -> serde_json::Value {
    json!({
        "sent": r.sent, "duplicates": r.duplicates, "failed": r.failed, "wedged": r.wedged,
        "remaining": r.remaining, "new_status_events": r.new_status_events,
        "bytes_sent": r.bytes_sent, "stopped": r.stopped.map(|s| format!("{s:?}")),
        "waiting": {
            "due_now": r.due_now,
            "retry_later": r.retry_later,
            "next_retry_at_ms": r.next_retry_at_ms,
            "needs_you": r.wedged_items.iter().map(|w| json!({
                "instance_id": w.instance_id,
                "form_id": w.form_id,
                "code": w.error.code.as_str(),
                "message": w.error.message,
                "message_en": w.error.message_en,
                "file_name": w.error.file_name,
                "question": w.error.question,
            })).collect::<Vec<_>>(),
        },
    })
}

/// Every item not yet delivered, by how it waits.
fn waiting_total(r: &SyncReport) -> u32 {
    r.due_now + r.retry_later + r.wedged_items.len() as u32
}

/// "3 due now, 2 waiting for a retry (the first in 40 s), 1 needs you".
fn waiting_line(r: &SyncReport, now_ms: i64) -> String {
    let mut parts = vec![format!("{} due now", r.due_now)];
    if r.retry_later > 0 {
        let when = r
            .next_retry_at_ms
            .map(|t| format!(" (the first in {} s)", (t - now_ms).max(0) / 1000))
            .unwrap_or_default();
        parts.push(format!("{} waiting for a retry{when}", r.retry_later));
    }
    parts.push(format!("{} need(s) you", r.wedged_items.len()));
    format!("waiting {}: {}", waiting_total(r), parts.join(", "))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub async fn sync(
    dir: &Path,
    out: Out,
    profile: Option<&str>,
    server: Option<&str>,
    budget_secs: u32,
) -> CliResult {
    let config = load_server(dir)?.ok_or_else(|| {
        CliError::new("not signed in: run `layanan signin --server URL --phone NUMBER`")
    })?;
    if let Some(url) = server {
        if url.trim_end_matches('/') != config.server_url.trim_end_matches('/') {
            return Err(CliError::new(format!(
                "this store is signed in to {}; sign in to {url} first",
                config.server_url
            )));
        }
    }
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let service = SyncService::new(p, config.server_url.clone(), config.agency_key_hex)?;
    let bars = Arc::new(Bars::new(
        !out.json && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    ));
    let report = service
        .sync_now(budget_secs, Some(bars))
        .await
        .report()
        .await?;
    out.emit(report_json(&report), || {
        let mut s = format!(
            "sent {} ({} already received), failed {}, newly wedged {}; {} status updates; {:.1} KB sent\n{}",
            report.sent,
            report.duplicates,
            report.failed,
            report.wedged,
            report.new_status_events,
            report.bytes_sent as f64 / 1024.0,
            waiting_line(&report, now_ms()),
        );
        for w in &report.wedged_items {
            s.push_str(&format!(
                "\n  needs you: {} ({}): {}",
                w.instance_id, w.form_id, w.error.message_en
            ));
        }
        if let Some(reason) = report.stopped {
            s.push_str(&format!("\nstopped early: {reason:?}"));
        }
        s
    });
    match report.stopped {
        Some(StopReason::ServerUnreachable) => Err(CliError::with_code(
            format!(
                "cannot reach {}; {} items wait safely in the outbox ({})",
                config.server_url,
                waiting_total(&report),
                waiting_line(&report, now_ms())
            ),
            4,
        )),
        Some(StopReason::SignInRequired) => Err(CliError::new(
            "the session expired: run `layanan signin` again (the outbox is kept)",
        )),
        _ if !report.wedged_items.is_empty() => Err(CliError::with_code(
            format!(
                "{} item(s) need you (see `layanan outbox`); the others carry on",
                report.wedged_items.len()
            ),
            6,
        )),
        _ => Ok(()),
    }
}
