//! The one error body every JSON endpoint answers with.
//!
//! The device maps `code` to its own strings and wedges or retries on it; `message`
//! (Bahasa Indonesia) and `message_en` are ready to show when it has no mapping. No
//! message ever contains personal data (phone numbers, tokens, answers).

use serde::{Deserialize, Serialize};

/// What went wrong, in a form a program can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    TokenExpired,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    UnsupportedMediaType,
    UnknownForm,
    InvalidSubmission,
    InstanceIdConflict,
    AttachmentConflict,
    PayloadTooLarge,
    RateLimited,
    InvalidPhone,
    InvalidCode,
    ChallengeExpired,
    RefreshTokenReused,
    UploadOffsetMismatch,
    ChecksumMismatch,
    UploadIncomplete,
    InvalidTransition,
    ServiceUnavailable,
    Internal,
    /// A code this build does not know yet (a newer server); treat by HTTP status.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// True when sending the same request again later can succeed; false means the
    /// item needs the citizen (or a newer app) and should be wedged, not retried.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Self::RateLimited | Self::ServiceUnavailable | Self::Internal
        )
    }
}

/// The JSON body of every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// Bahasa Indonesia, shown to citizens by default.
    pub message: String,
    /// English.
    pub message_en: String,
    /// Present on 429 and 503: seconds to wait before trying again (also in the
    /// Retry-After header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Present on 413: the largest body the endpoint accepts, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
    /// The server's id for this request, to quote to support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// On `invalid_submission`: which questions failed, so the device can take the
    /// citizen straight to them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldIssue>,
}

/// One question a submission failed on. Never carries the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    /// Instance path of the question, e.g. `/data/nik`.
    pub path: String,
    /// `required`, `constraint` or `type`.
    pub kind: String,
}

impl ErrorBody {
    /// A body with the two messages and nothing else.
    pub fn new(code: ErrorCode, message: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            message_en: message_en.into(),
            retry_after_secs: None,
            limit_bytes: None,
            request_id: None,
            fields: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_from_a_newer_server_still_parse() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"code":"some_future_code","message":"m","message_en":"e"}"#)
                .unwrap();
        assert_eq!(body.code, ErrorCode::Unknown);
        let json = serde_json::to_string(&ErrorBody {
            limit_bytes: Some(10),
            ..ErrorBody::new(ErrorCode::PayloadTooLarge, "m", "e")
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"code":"payload_too_large","message":"m","message_en":"e","limit_bytes":10}"#
        );
    }
}
