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

/// What a client should do about an error: the contract between the server and the
/// device's outbox, decided here once so the two cannot drift.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientAction {
    /// Send the same request again later, with backoff (and after Retry-After).
    Retry,
    /// Ask the server where it stands (upload offset) and continue from there.
    Resume,
    /// Trade the refresh token for a new access token, then retry.
    Refresh,
    /// The session is gone: the citizen must sign in again.
    SignIn,
    /// Retrying cannot help: wedge the item and show the message to the citizen.
    /// (One exception the device handles itself: `not_found` for an upload id means
    /// the upload expired; create a new one.)
    NeedsCitizen,
}

impl ErrorCode {
    /// What the device does about this error.
    pub fn client_action(self) -> ClientAction {
        use ErrorCode::*;
        match self {
            RateLimited | ServiceUnavailable | Internal | ChecksumMismatch => ClientAction::Retry,
            UploadOffsetMismatch | UploadIncomplete => ClientAction::Resume,
            TokenExpired => ClientAction::Refresh,
            Unauthorized | RefreshTokenReused | ChallengeExpired => ClientAction::SignIn,
            BadRequest | Forbidden | NotFound | MethodNotAllowed | UnsupportedMediaType
            | UnknownForm | InvalidSubmission | InstanceIdConflict | AttachmentConflict
            | PayloadTooLarge | InvalidPhone | InvalidCode | InvalidTransition | Unknown => {
                ClientAction::NeedsCitizen
            }
        }
    }

    /// True when sending the same request again later can succeed.
    pub fn is_retryable(self) -> bool {
        self.client_action() == ClientAction::Retry
    }

    /// The wire spelling (`instance_id_conflict`), as the JSON body carries it.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            Unauthorized => "unauthorized",
            TokenExpired => "token_expired",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            UnsupportedMediaType => "unsupported_media_type",
            UnknownForm => "unknown_form",
            InvalidSubmission => "invalid_submission",
            InstanceIdConflict => "instance_id_conflict",
            AttachmentConflict => "attachment_conflict",
            PayloadTooLarge => "payload_too_large",
            RateLimited => "rate_limited",
            InvalidPhone => "invalid_phone",
            InvalidCode => "invalid_code",
            ChallengeExpired => "challenge_expired",
            RefreshTokenReused => "refresh_token_reused",
            UploadOffsetMismatch => "upload_offset_mismatch",
            ChecksumMismatch => "checksum_mismatch",
            UploadIncomplete => "upload_incomplete",
            InvalidTransition => "invalid_transition",
            ServiceUnavailable => "service_unavailable",
            Internal => "internal",
            Unknown => "unknown",
        }
    }

    /// Parses the wire spelling; anything else is [`ErrorCode::Unknown`].
    pub fn parse(text: &str) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
            .unwrap_or(ErrorCode::Unknown)
    }

    /// Every code, for tests and exhaustive tables.
    pub const ALL: [ErrorCode; 24] = {
        use ErrorCode::*;
        [
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
            Unknown,
        ]
    };
}

impl ClientAction {
    /// What to do about an HTTP answer that carries no readable error body (a proxy,
    /// a captive portal, an older server). A body's code, when there is one, wins:
    /// see [`ClientAction::for_answer`].
    pub fn for_status(status: u16) -> Self {
        match status {
            // 200 where 201/202 was expected is a captive portal's login page: the
            // request never reached the agency.
            200..=299 | 408 | 429 | 500..=599 => ClientAction::Retry,
            401 => ClientAction::Refresh,
            _ => ClientAction::NeedsCitizen,
        }
    }

    /// What to do about an error answer: the body's code decides, unless it is a code
    /// this build does not know, in which case the HTTP status does.
    pub fn for_answer(status: u16, code: Option<ErrorCode>) -> Self {
        match code {
            Some(code) if code != ErrorCode::Unknown => code.client_action(),
            _ => Self::for_status(status),
        }
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
    fn poison_items_are_wedged_and_transient_failures_retried() {
        assert_eq!(
            ErrorCode::InvalidSubmission.client_action(),
            ClientAction::NeedsCitizen
        );
        assert_eq!(
            ErrorCode::PayloadTooLarge.client_action(),
            ClientAction::NeedsCitizen
        );
        assert_eq!(
            ErrorCode::InstanceIdConflict.client_action(),
            ClientAction::NeedsCitizen
        );
        assert!(ErrorCode::RateLimited.is_retryable());
        assert!(ErrorCode::ChecksumMismatch.is_retryable());
        assert_eq!(
            ErrorCode::UploadOffsetMismatch.client_action(),
            ClientAction::Resume
        );
        assert_eq!(
            ErrorCode::TokenExpired.client_action(),
            ClientAction::Refresh
        );
        assert_eq!(
            ErrorCode::RefreshTokenReused.client_action(),
            ClientAction::SignIn
        );
    }

    #[test]
    fn wire_spellings_match_serde_and_parse_back() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json.as_str(), Some(code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
        assert_eq!(ErrorCode::parse("from_the_future"), ErrorCode::Unknown);
    }

    #[test]
    fn http_status_decides_only_without_a_known_code() {
        assert_eq!(ClientAction::for_status(503), ClientAction::Retry);
        assert_eq!(ClientAction::for_status(200), ClientAction::Retry);
        assert_eq!(ClientAction::for_status(401), ClientAction::Refresh);
        assert_eq!(ClientAction::for_status(413), ClientAction::NeedsCitizen);
        assert_eq!(ClientAction::for_status(404), ClientAction::NeedsCitizen);
        assert_eq!(
            ClientAction::for_answer(400, Some(ErrorCode::RateLimited)),
            ClientAction::Retry
        );
        assert_eq!(
            ClientAction::for_answer(503, Some(ErrorCode::Unknown)),
            ClientAction::Retry
        );
        assert_eq!(
            ClientAction::for_answer(409, Some(ErrorCode::UploadOffsetMismatch)),
            ClientAction::Resume
        );
    }

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
