//! Housekeeping that keeps the server's disk from filling with abandoned work:
//! uploads a phone started and never finished. Runs periodically on every process
//! (idempotent, so several processes on one PostgreSQL may run it at once).

use std::time::Duration;

use crate::clock::now_ms;
use crate::error::ApiResult;
use crate::routes::uploads::staging_key;
use crate::state::AppState;

/// One sweep: expires stale uploads and deletes their staged bytes. Returns how many
/// uploads were removed.
pub async fn sweep(state: &AppState) -> ApiResult<usize> {
    let ttl = i64::try_from(state.config.limits.upload_ttl.as_millis()).unwrap_or(i64::MAX);
    let expired = state
        .storage
        .expire_uploads(now_ms().saturating_sub(ttl))
        .await?;
    for id in &expired {
        state.blobs.delete(&staging_key(id)).await?;
    }
    if !expired.is_empty() {
        tracing::info!(count = expired.len(), "expired abandoned uploads");
    }
    Ok(expired.len())
}

/// Sweeps every `interval` until the task is aborted.
pub async fn run(state: AppState, interval: Duration) {
    let mut ticker = tokio::time::interval(interval.max(Duration::from_secs(1)));
    loop {
        ticker.tick().await;
        if let Err(e) = sweep(&state).await {
            tracing::warn!(error = %e, "maintenance sweep failed");
        }
    }
}
