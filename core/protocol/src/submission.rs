//! What the server answers about submissions in the citizen JSON API.

use serde::{Deserialize, Serialize};

use crate::{SignedReceipt, SubmissionState};

/// JSON answer to an OpenRosa submission POST sent with `Accept: application/json`.
/// Status 201 means stored (or completed) now, 202 a duplicate of what was stored
/// before; both carry the same receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionAccepted {
    pub receipt: SignedReceipt,
    /// True when nothing new was stored: an earlier attempt already delivered it.
    pub duplicate: bool,
    /// False while a split submission waits for more attachments.
    pub complete: bool,
}

/// One of a citizen's submissions, `GET /v1/submissions[/{instance_id}]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionSummary {
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    pub state: SubmissionState,
    pub complete: bool,
    pub received_at_ms: i64,
    /// File names of the attachments the server holds (detail view only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
}
