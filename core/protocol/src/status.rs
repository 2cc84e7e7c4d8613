//! The status feed: what the agency did with each of a citizen's submissions, pulled
//! with a cursor so a device on 2G fetches only what is new.

use serde::{Deserialize, Serialize};

/// Where a submission stands at the agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    Received,
    InReview,
    NeedsFix,
    Approved,
    Rejected,
}

impl SubmissionState {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InReview => "in_review",
            Self::NeedsFix => "needs_fix",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "received" => Self::Received,
            "in_review" => Self::InReview,
            "needs_fix" => Self::NeedsFix,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            _ => return None,
        })
    }

    /// Whether an officer may move a submission from `self` to `next`. Approved and
    /// rejected are final: a citizen who was told "approved" must never see it undone.
    pub fn can_move_to(self, next: Self) -> bool {
        use SubmissionState::*;
        matches!(
            (self, next),
            (Received, InReview)
                | (Received, Rejected)
                | (InReview, NeedsFix)
                | (InReview, Approved)
                | (InReview, Rejected)
                | (NeedsFix, InReview)
                | (NeedsFix, Rejected)
        )
    }
}

/// One change of state of one submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    pub instance_id: String,
    pub form_id: String,
    pub state: SubmissionState,
    /// The agency's note to the citizen (why it needs a fix, why it was rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Server time of the change, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// `GET /v1/status?cursor=...`: entries after the cursor, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusFeedPage {
    pub entries: Vec<StatusEntry>,
    /// Opaque; pass it back to get what comes after this page.
    pub next_cursor: String,
    /// True when more entries are waiting beyond this page.
    pub has_more: bool,
}

/// `POST /v1/officer/submissions/{instance_id}/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub state: SubmissionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_final_states_stay_final() {
        for s in [
            SubmissionState::Received,
            SubmissionState::InReview,
            SubmissionState::NeedsFix,
            SubmissionState::Approved,
            SubmissionState::Rejected,
        ] {
            assert_eq!(SubmissionState::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert!(!SubmissionState::Approved.can_move_to(s));
            assert!(!SubmissionState::Rejected.can_move_to(s));
        }
        assert!(SubmissionState::InReview.can_move_to(SubmissionState::NeedsFix));
        assert!(!SubmissionState::Received.can_move_to(SubmissionState::Approved));
    }
}
