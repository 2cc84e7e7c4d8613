//! The agency's side: move a submission through its states with a note to the
//! citizen. Guarded by the officer token from the configuration, never by a citizen
//! token.

use axum::extract::{Path, State};
use axum::Json;
use layanan_protocol::{StatusChange, StatusEntry};

use crate::auth::Officer;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::StateChange;

/// Longest note, in characters: a note is a sentence to a citizen, not a document.
const MAX_NOTE_CHARS: usize = 2000;

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
