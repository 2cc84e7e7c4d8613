//! Plain records the store hands out. No behaviour, no keys.

use std::collections::BTreeMap;

use layanan_protocol::{ErrorCode, SubmissionState};
use serde::{Deserialize, Serialize};

/// A draft's answers: ODK instance path (`/data/members[2]/name`) to the answer as
/// ODK writes it (every XForm value is text: numbers, dates, space-separated choices).
pub type Answers = BTreeMap<String, String>;

/// A profile as the profile picker shows it, before it is unlocked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInfo {
    pub id: String,
    /// What the person typed to recognise the profile on a shared phone ("Ibu",
    /// "Profil 2"). Stored in plain text so the picker can show it without a key; the
    /// person's real name, NIK and address go in the sealed [`ProfileDetails`].
    pub label: String,
    pub created_at_ms: i64,
}

/// Personal details of a profile's owner. Sealed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDetails {
    pub full_name: Option<String>,
    /// Nomor Induk Kependudukan: 16 digits.
    pub nik: Option<String>,
    /// ISO 8601 date (YYYY-MM-DD).
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A form being filled in: which form, and the answers so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub answers: Answers,
}

/// A draft without its (sealed) answers, for lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftSummary {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A stored attachment. `file_name` and `sha256_hex` come from the sealed metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: String,
    pub draft_id: Option<String>,
    /// The name the submission refers to (e.g. `ktp_photo.jpg`).
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub chunk_size: u32,
    pub chunk_count: u64,
    /// SHA-256 of the plaintext, for upload integrity checks.
    pub sha256_hex: String,
    pub created_at_ms: i64,
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// Where an outbox item stands on its way to the agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting for the next sync.
    Queued,
    /// A sync is sending it now (or was, when the app was killed: it is sent again,
    /// and the server recognises the instanceID).
    Sending,
    /// The agency holds it; the receipt is verified.
    Sent,
    /// The last try failed for a reason that may pass (network, server busy); retried
    /// after `next_attempt_at_ms`.
    Failed,
    /// Needs the citizen: the server refused it (invalid, too large, conflicting).
    /// Never retried by itself, and never blocks the other items.
    Wedged,
}

impl OutboxState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Wedged => "wedged",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "wedged" => Self::Wedged,
            _ => return None,
        })
    }
}

/// What went wrong with an outbox item, for a program to act on. Stored (and sent to
/// the shells) by its stable spelling, [`OutboxErrorCode::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutboxErrorCode {
    /// The connection dropped, was refused or timed out. Retried automatically.
    Network,
    /// The server answered success with a body this build cannot read.
    BadAnswer,
    /// A network login page answered instead of the server (public Wi-Fi).
    CaptivePortal,
    /// The server does not have every attachment yet. Retried automatically.
    Incomplete,
    /// The server's receipt does not verify against the agency's key.
    ReceiptInvalid,
    /// A file of the item is damaged on the phone (truncated, altered or missing):
    /// the citizen must take the photo (or pick the file) again and re-attach it
    /// (`Outbox::reattach`). [`OutboxError::file_name`] and
    /// [`OutboxError::question`] say which.
    AttachmentDamaged,
    /// The server refused with this code.
    Server(ErrorCode),
    /// The server refused with this HTTP status and no readable error body.
    Http(u16),
}

impl OutboxErrorCode {
    /// The stable spelling: `network`, `payload_too_large` (a server code keeps its
    /// wire spelling), `http_502`.
    pub fn as_str(&self) -> std::borrow::Cow<'static, str> {
        use std::borrow::Cow::{Borrowed, Owned};
        match self {
            Self::Network => Borrowed("network"),
            Self::BadAnswer => Borrowed("bad_answer"),
            Self::CaptivePortal => Borrowed("captive_portal"),
            Self::Incomplete => Borrowed("incomplete"),
            Self::ReceiptInvalid => Borrowed("receipt_invalid"),
            Self::AttachmentDamaged => Borrowed("attachment_damaged"),
            Self::Server(code) => Borrowed(code.as_str()),
            Self::Http(status) => Owned(format!("http_{status}")),
        }
    }

    /// Reads the stable spelling back; a spelling this build does not know (from a
    /// newer app that wrote the row) is a server code it does not know.
    pub fn parse(text: &str) -> Self {
        match text {
            "network" => Self::Network,
            "bad_answer" => Self::BadAnswer,
            "captive_portal" => Self::CaptivePortal,
            "incomplete" => Self::Incomplete,
            "receipt_invalid" => Self::ReceiptInvalid,
            "attachment_damaged" => Self::AttachmentDamaged,
            other => match other.strip_prefix("http_").and_then(|s| s.parse().ok()) {
                Some(status) => Self::Http(status),
                None => Self::Server(ErrorCode::parse(other)),
            },
        }
    }
}

impl Serialize for OutboxErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for OutboxErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Self::parse(&text))
    }
}

/// Why an outbox item failed or is wedged, in words the app can show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxError {
    pub code: OutboxErrorCode,
    /// Bahasa Indonesia.
    pub message: String,
    /// English.
    pub message_en: String,
    /// For [`OutboxErrorCode::AttachmentDamaged`]: the file the submission names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// For [`OutboxErrorCode::AttachmentDamaged`]: the question (the submission's
    /// element, e.g. `/data/foto_ktp`) whose answer is that file, when it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// The outbox items not yet delivered, by how they wait: the honest count a sync
/// summary shows ("nothing lost, here is what still waits and why").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxWaiting {
    /// Queued, or failed with the backoff over: the next run sends them.
    pub due_now: u32,
    /// Failed and backing off (network, server busy): retried by themselves.
    pub retry_later: u32,
    /// The earliest retry among `retry_later` (Unix ms).
    pub next_retry_at_ms: Option<i64>,
    /// Items only the citizen can move on, each with why.
    pub wedged: Vec<WedgedItem>,
}

impl OutboxWaiting {
    /// Every item not yet delivered.
    pub fn total(&self) -> u32 {
        self.due_now + self.retry_later + self.wedged.len() as u32
    }
}

/// A wedged item and what the citizen must do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WedgedItem {
    pub instance_id: String,
    pub form_id: String,
    pub error: OutboxError,
}

/// A finalized submission waiting for, or done with, delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    /// `uuid:...`: the idempotency key end to end.
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// For `Failed`: when the next try may happen.
    pub next_attempt_at_ms: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub error: Option<OutboxError>,
    /// For `Sent`: the agency's signed receipt, verified when it arrived.
    pub receipt: Option<layanan_protocol::SignedReceipt>,
    /// The agency's latest decision from the status feed.
    pub agency_state: Option<SubmissionState>,
    pub attachment_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_error_codes_keep_their_stored_spelling() {
        let codes = [
            OutboxErrorCode::Network,
            OutboxErrorCode::BadAnswer,
            OutboxErrorCode::CaptivePortal,
            OutboxErrorCode::Incomplete,
            OutboxErrorCode::ReceiptInvalid,
            OutboxErrorCode::AttachmentDamaged,
            OutboxErrorCode::Server(ErrorCode::PayloadTooLarge),
            OutboxErrorCode::Server(ErrorCode::UnknownForm),
            OutboxErrorCode::Http(502),
        ];
        for code in codes {
            assert_eq!(OutboxErrorCode::parse(&code.as_str()), code);
        }
        // Rows written before the code was typed read back as the same codes.
        assert_eq!(
            OutboxErrorCode::parse("instance_id_conflict"),
            OutboxErrorCode::Server(ErrorCode::InstanceIdConflict)
        );
        let e: OutboxError =
            serde_json::from_str(r#"{"code":"http_413","message":"m","message_en":"e"}"#).unwrap();
        assert_eq!(e.code, OutboxErrorCode::Http(413));
    }
}
