//! The agency's side: list and read submissions, and move them through their states
//! with a note to the citizen. Guarded by the officer token from the configuration,
//! never by a citizen token.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use layanan_protocol::{StatusChange, StatusEntry, SubmissionState, SubmissionSummary};
use serde::Deserialize;

use crate::auth::Officer;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{StateChange, SubmissionRow};
use crate::submissions::summary;

/// Longest note, in characters: a note is a sentence to a citizen, not a document.
const MAX_NOTE_CHARS: usize = 2000;
/// Most submissions one list answer holds.
const MAX_LIST: u32 = 500;

/// Query of the officers' list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: Option<SubmissionState>,
    #[serde(default)]
    pub limit: Option<u32>,
}

async fn find(state: &AppState, id: &str) -> ApiResult<SubmissionRow> {
    state
        .storage
        .submission(id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `GET /v1/officer/submissions?state=received&limit=100`: newest first.
pub async fn list(
    State(state): State<AppState>,
    _officer: Officer,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<SubmissionSummary>>> {
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_LIST);
    let rows = state
        .storage
        .submissions_for_officers(query.state, limit)
        .await?;
    Ok(Json(rows.iter().map(|r| summary(r, Vec::new())).collect()))
}

/// `GET /v1/officer/submissions/{instance_id}`: the summary with attachment names.
pub async fn detail(
    State(state): State<AppState>,
    _officer: Officer,
    Path(id): Path<String>,
) -> ApiResult<Json<SubmissionSummary>> {
    let row = find(&state, &id).await?;
    let names = state
        .storage
        .attachments(&row.instance_id)
        .await?
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    Ok(Json(summary(&row, names)))
}

/// `GET /v1/officer/submissions/{instance_id}/xml`: the submission as received.
pub async fn xml(
    State(state): State<AppState>,
    _officer: Officer,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let row = find(&state, &id).await?;
    let bytes = state
        .blobs
        .get(&row.xml_blob)
        .await?
        .ok_or_else(|| ApiError::Internal("submission blob missing".into()))?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        bytes,
    )
        .into_response())
}

/// `GET /v1/officer/submissions/{instance_id}/attachments/{file_name}`.
pub async fn attachment(
    State(state): State<AppState>,
    _officer: Officer,
    Path((id, file_name)): Path<(String, String)>,
) -> ApiResult<Response> {
    let found = state
        .storage
        .attachments(&id)
        .await?
        .into_iter()
        .find(|a| a.file_name == file_name)
        .ok_or(ApiError::NotFound)?;
    let bytes = state
        .blobs
        .get(&found.blob_key)
        .await?
        .ok_or_else(|| ApiError::Internal("attachment blob missing".into()))?;
    let content_type = if found.content_type.is_empty() {
        "application/octet-stream".to_owned()
    } else {
        found.content_type
    };
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type)],
        bytes,
    )
        .into_response())
}

/// `POST /v1/officer/submissions/{instance_id}/status`.
pub async fn change_status(
    State(state): State<AppState>,
    _officer: Officer,
    Path(id): Path<String>,
    Json(change): Json<StatusChange>,
) -> ApiResult<Json<StatusEntry>> {
    let note = change
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(ApiError::BadRequest("note too long"));
    }
    match state
        .storage
        .change_state(&id, change.state, note, now_ms())
        .await?
    {
        StateChange::Changed(entry) => {
            tracing::info!(state = entry.state.as_str(), "submission state changed");
            Ok(Json(entry))
        }
        StateChange::NotFound => Err(ApiError::NotFound),
        StateChange::NotAllowed { .. } => Err(ApiError::InvalidTransition),
    }
}
