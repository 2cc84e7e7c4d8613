//! Plain records crossing the FFI, converted from the domain types.

use std::collections::HashMap;

use layanan_device as device;
pub use layanan_device::sync::SyncSettings;
pub use layanan_device::{
    AttachmentInfo, CachedForm, DraftSummary, OutboxState, ProfileDetails, ProfileInfo,
};
use layanan_protocol::{ErrorCode, SubmissionState};

/// A profile as the profile picker shows it, before unlocking.
#[uniffi::remote(Record)]
pub struct ProfileInfo {
    pub id: String,
    /// The nickname shown on the picker. Plain text: not for the person's real name.
    pub label: String,
    pub created_at_ms: i64,
}

/// The owner's personal details, stored sealed.
#[uniffi::remote(Record)]
pub struct ProfileDetails {
    pub full_name: Option<String>,
    /// 16-digit Nomor Induk Kependudukan.
    pub nik: Option<String>,
    /// YYYY-MM-DD.
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A form being filled in. `answers` maps ODK instance paths to ODK text values.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Draft {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub answers: HashMap<String, String>,
}

/// A draft without its answers, for lists.
#[uniffi::remote(Record)]
pub struct DraftSummary {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A stored, sealed attachment.
#[uniffi::remote(Record)]
pub struct AttachmentInfo {
    pub id: String,
    pub draft_id: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub chunk_size: u32,
    pub chunk_count: u64,
    pub sha256_hex: String,
    pub created_at_ms: i64,
}

impl From<device::Draft> for Draft {
    fn from(d: device::Draft) -> Self {
        Self {
            id: d.id,
            form_id: d.form_id,
            form_version: d.form_version,
            created_at_ms: d.created_at_ms,
            updated_at_ms: d.updated_at_ms,
            answers: d.answers.into_iter().collect(),
        }
    }
}

/// Where an outbox item stands. See the Rust docs of `OutboxState` for each case.
#[uniffi::remote(Enum)]
pub enum OutboxState {
    /// Waiting for the next sync.
    Queued,
    /// Being sent (or was, when the app was killed; it is resent safely).
    Sending,
    /// The agency holds it; `receipt` is verified.
    Sent,
    /// Will be retried automatically after `next_attempt_at_ms`.
    Failed,
    /// Needs the citizen (refused by the server); never blocks the others.
    Wedged,
}

/// What the server answered with, for a program to act on (the wire spellings are
/// `snake_case`: `payload_too_large`). `Unknown` is a code from a newer server.
#[uniffi::remote(Enum)]
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
    Unknown,
}

/// Where a submission stands at the agency.
#[uniffi::remote(Enum)]
pub enum SubmissionState {
    Received,
    InReview,
    NeedsFix,
    Approved,
    Rejected,
}

/// Why an outbox item failed or is wedged, for the app to decide what to offer
/// (resend, fix the form, contact support).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OutboxErrorCode {
    /// The connection dropped, was refused or timed out. Retried automatically.
    Network,
    /// The server's answer could not be read. Retried automatically.
    BadAnswer,
    /// A network login page answered (public Wi-Fi). Retried automatically.
    CaptivePortal,
    /// The server does not have every attachment yet. Retried automatically.
    Incomplete,
    /// The server's receipt does not verify: contact support.
    ReceiptInvalid,
    /// A file of the item is damaged on the phone (truncated, altered, deleted):
    /// `OutboxError.fileName` and `question` say which; offer "retake the photo" and
    /// `Outbox.reattach`. The other items carry on.
    AttachmentDamaged,
    /// The server refused with this code.
    Server { code: ErrorCode },
    /// The server refused with this HTTP status and no readable error body.
    Http { status: u16 },
}

impl OutboxErrorCode {
    /// The stable spelling (`network`, `payload_too_large`, `http_502`), for logs and
    /// JSON output of Rust shells.
    pub fn as_str(&self) -> String {
        device::OutboxErrorCode::from(*self).as_str().into_owned()
    }
}

impl From<OutboxErrorCode> for device::OutboxErrorCode {
    fn from(c: OutboxErrorCode) -> Self {
        use OutboxErrorCode as F;
        match c {
            F::Network => Self::Network,
            F::BadAnswer => Self::BadAnswer,
            F::CaptivePortal => Self::CaptivePortal,
            F::Incomplete => Self::Incomplete,
            F::ReceiptInvalid => Self::ReceiptInvalid,
            F::AttachmentDamaged => Self::AttachmentDamaged,
            F::Server { code } => Self::Server(code),
            F::Http { status } => Self::Http(status),
        }
    }
}

impl From<device::OutboxErrorCode> for OutboxErrorCode {
    fn from(c: device::OutboxErrorCode) -> Self {
        use device::OutboxErrorCode as D;
        match c {
            D::Network => Self::Network,
            D::BadAnswer => Self::BadAnswer,
            D::CaptivePortal => Self::CaptivePortal,
            D::Incomplete => Self::Incomplete,
            D::ReceiptInvalid => Self::ReceiptInvalid,
            D::AttachmentDamaged => Self::AttachmentDamaged,
            D::Server(code) => Self::Server { code },
            D::Http(status) => Self::Http { status },
        }
    }
}

/// Why an item failed, ready to show: `message` in Bahasa Indonesia, `message_en` in English.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OutboxError {
    pub code: OutboxErrorCode,
    pub message: String,
    pub message_en: String,
    /// For `AttachmentDamaged`: the file the submission names.
    pub file_name: Option<String>,
    /// For `AttachmentDamaged`: the question whose answer is that file
    /// (`/data/foto_ktp`), when known.
    pub question: Option<String>,
}

/// The agency's signed receipt, verified on the device with the agency's public key.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Receipt {
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    pub received_at_ms: i64,
    pub submission_sha256_hex: String,
    pub key_id: String,
    pub signature_hex: String,
}

/// A finalized submission in the outbox.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OutboxItem {
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at_ms: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub error: Option<OutboxError>,
    pub receipt: Option<Receipt>,
    /// The agency's latest decision from the status feed.
    pub agency_state: Option<SubmissionState>,
    pub attachment_count: u32,
    /// Where it stands, in words (both languages): a badge never relies on colour alone.
    pub status: StatusText,
}

/// One step of a submission's timeline at the agency.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StatusEvent {
    pub id: i64,
    pub instance_id: String,
    pub state: SubmissionState,
    /// The officer's note, e.g. what to fix.
    pub note: Option<String>,
    pub at_ms: i64,
    pub notified: bool,
    /// The decision in words (both languages).
    pub status: StatusText,
}

/// A status in words, in Bahasa Indonesia and English, for badges and screen readers.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StatusText {
    /// Short: "Terkirim".
    pub title: String,
    pub title_en: String,
    /// What it means for the citizen, or what to do.
    pub detail: String,
    pub detail_en: String,
}

impl From<device::accessibility::StatusText> for StatusText {
    fn from(s: device::accessibility::StatusText) -> Self {
        Self {
            title: s.title,
            title_en: s.title_en,
            detail: s.detail,
            detail_en: s.detail_en,
        }
    }
}

impl From<device::OutboxError> for OutboxError {
    fn from(e: device::OutboxError) -> Self {
        Self {
            code: e.code.into(),
            message: e.message,
            message_en: e.message_en,
            file_name: e.file_name,
            question: e.question,
        }
    }
}

impl From<layanan_protocol::SignedReceipt> for Receipt {
    fn from(r: layanan_protocol::SignedReceipt) -> Self {
        use layanan_protocol::hex::encode;
        Self {
            submission_sha256_hex: encode(&r.receipt.submission_sha256),
            signature_hex: encode(&r.signature),
            instance_id: r.receipt.instance_id,
            form_id: r.receipt.form_id,
            form_version: r.receipt.form_version,
            received_at_ms: r.receipt.received_at_ms,
            key_id: r.receipt.key_id,
        }
    }
}

impl From<device::OutboxItem> for OutboxItem {
    fn from(i: device::OutboxItem) -> Self {
        let status = device::accessibility::outbox_status(&i).into();
        Self {
            status,
            instance_id: i.instance_id,
            form_id: i.form_id,
            form_version: i.form_version,
            state: i.state,
            attempts: i.attempts,
            next_attempt_at_ms: i.next_attempt_at_ms,
            created_at_ms: i.created_at_ms,
            updated_at_ms: i.updated_at_ms,
            error: i.error.map(Into::into),
            receipt: i.receipt.map(Into::into),
            agency_state: i.agency_state,
            attachment_count: i.attachment_count,
        }
    }
}

impl From<device::sync::StatusEvent> for StatusEvent {
    fn from(e: device::sync::StatusEvent) -> Self {
        Self {
            id: e.id,
            instance_id: e.instance_id,
            state: e.state,
            note: e.note,
            at_ms: e.at_ms,
            notified: e.notified,
            status: device::accessibility::submission_status(e.state).into(),
        }
    }
}

/// A form available offline.
#[uniffi::remote(Record)]
pub struct CachedForm {
    pub form_id: String,
    pub version: String,
    pub name: String,
    pub hash: String,
    pub downloaded_at_ms: i64,
}

/// The citizen's sync settings, stored with the profile (a background job started
/// cold reads them too).
#[uniffi::remote(Record)]
pub struct SyncSettings {
    /// Send only over Wi-Fi (unmetered networks); on mobile data the outbox waits.
    pub wifi_only: bool,
}

/// The server account of a profile, without its tokens.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AccountInfo {
    pub server_url: String,
    pub signed_in: bool,
}

impl From<device::sync::AccountInfo> for AccountInfo {
    fn from(a: device::sync::AccountInfo) -> Self {
        Self {
            server_url: a.server_url,
            signed_in: a.signed_in,
        }
    }
}
