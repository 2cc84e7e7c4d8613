//! What a citizen reads: their submissions, receipts and status feed, and the agency's
//! public key. Another citizen's submission is "not found", never "forbidden", so
//! instance ids cannot be probed.

use axum::extract::{Path, Query, State};
use axum::Json;
use layanan_protocol::{AgencyPublicKey, SignedReceipt, StatusFeedPage, SubmissionSummary};
use serde::Deserialize;

use crate::auth::Citizen;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::SubmissionRow;
use crate::submissions::parse_receipt;
use crate::submissions::summary;

async fn own_submission(state: &AppState, citizen: &Citizen, id: &str) -> ApiResult<SubmissionRow> {
    state
        .storage
        .submission(id)
        .await?
        .filter(|row| row.owner.as_deref() == Some(citizen.id.as_str()))
        .ok_or(ApiError::NotFound)
}

/// `GET /v1/agency-key`: the key receipts verify against (apps also pin it).
pub async fn agency_key(State(state): State<AppState>) -> Json<AgencyPublicKey> {
    Json(state.signer.public_key().clone())
}

/// `GET /v1/submissions`.
pub async fn list(
    State(state): State<AppState>,
    citizen: Citizen,
) -> ApiResult<Json<Vec<SubmissionSummary>>> {
    let rows = state.storage.submissions_of(&citizen.id).await?;
    Ok(Json(rows.iter().map(|r| summary(r, Vec::new())).collect()))
}

/// `GET /v1/submissions/{instance_id}`.
pub async fn detail(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<Json<SubmissionSummary>> {
    let row = own_submission(&state, &citizen, &id).await?;
    let names = state
        .storage
        .attachments(&row.instance_id)
        .await?
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    Ok(Json(summary(&row, names)))
}

/// `GET /v1/submissions/{instance_id}/receipt`.
pub async fn receipt(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<Json<SignedReceipt>> {
    let row = own_submission(&state, &citizen, &id).await?;
    Ok(Json(parse_receipt(&row.receipt_json)?))
}

/// Query of the status feed.
#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Cursors are `s<sequence>`; opaque to the device.
fn parse_cursor(cursor: Option<&str>) -> ApiResult<i64> {
    match cursor.filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => c
            .strip_prefix('s')
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or(ApiError::BadRequest("invalid cursor")),
    }
}

/// `GET /v1/status?cursor=...`: the caller's status changes after the cursor.
pub async fn status_feed(
    State(state): State<AppState>,
    citizen: Citizen,
    Query(query): Query<FeedQuery>,
) -> ApiResult<Json<StatusFeedPage>> {
    let after = parse_cursor(query.cursor.as_deref())?;
    let page = state.config.limits.status_page_size.max(1);
    let mut rows = state
        .storage
        .status_feed(&citizen.id, after, page + 1)
        .await?;
    let has_more = rows.len() > page as usize;
    rows.truncate(page as usize);
    let last = rows.last().map(|(seq, _)| *seq).unwrap_or(after);
    Ok(Json(StatusFeedPage {
        entries: rows.into_iter().map(|(_, e)| e).collect(),
        next_cursor: format!("s{last}"),
        has_more,
    }))
}
