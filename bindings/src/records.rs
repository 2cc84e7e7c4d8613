//! Plain records crossing the FFI, converted from the domain types.

use std::collections::HashMap;

use layanan_device as device;

/// A profile as the profile picker shows it, before unlocking.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ProfileInfo {
    pub id: String,
    /// The nickname shown on the picker. Plain text: not for the person's real name.
    pub label: String,
    pub created_at_ms: i64,
}

/// The owner's personal details, stored sealed.
#[derive(Debug, Clone, Default, uniffi::Record)]
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
#[derive(Debug, Clone, uniffi::Record)]
pub struct DraftSummary {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A stored, sealed attachment.
#[derive(Debug, Clone, uniffi::Record)]
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

impl From<device::ProfileInfo> for ProfileInfo {
    fn from(p: device::ProfileInfo) -> Self {
        Self {
            id: p.id,
            label: p.label,
            created_at_ms: p.created_at_ms,
        }
    }
}

impl From<device::ProfileDetails> for ProfileDetails {
    fn from(d: device::ProfileDetails) -> Self {
        Self {
            full_name: d.full_name,
            nik: d.nik,
            birth_date: d.birth_date,
            phone: d.phone,
            address: d.address,
        }
    }
}

impl From<ProfileDetails> for device::ProfileDetails {
    fn from(d: ProfileDetails) -> Self {
        Self {
            full_name: d.full_name,
            nik: d.nik,
            birth_date: d.birth_date,
            phone: d.phone,
            address: d.address,
        }
    }
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

impl From<device::DraftSummary> for DraftSummary {
    fn from(d: device::DraftSummary) -> Self {
        Self {
            id: d.id,
            form_id: d.form_id,
            form_version: d.form_version,
            created_at_ms: d.created_at_ms,
            updated_at_ms: d.updated_at_ms,
        }
    }
}

impl From<device::AttachmentInfo> for AttachmentInfo {
    fn from(a: device::AttachmentInfo) -> Self {
        Self {
            id: a.id,
            draft_id: a.draft_id,
            file_name: a.file_name,
            media_type: a.media_type,
            size: a.size,
            chunk_size: a.chunk_size,
            chunk_count: a.chunk_count,
            sha256_hex: a.sha256_hex,
            created_at_ms: a.created_at_ms,
        }
    }
}

pub(crate) fn answers_in(map: HashMap<String, String>) -> device::Answers {
    map.into_iter().collect()
}

/// Where an outbox item stands. See the Rust docs of `OutboxState` for each case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
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

/// Why an item failed, ready to show: `message` in Bahasa Indonesia, `message_en` in English.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OutboxError {
    pub code: String,
    pub message: String,
    pub message_en: String,
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
    /// The agency's latest decision: received, in_review, needs_fix, approved, rejected.
    pub agency_state: Option<String>,
    pub attachment_count: u32,
}

/// One step of a submission's timeline at the agency.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StatusEvent {
    pub id: i64,
    pub instance_id: String,
    pub state: String,
    /// The officer's note, e.g. what to fix.
    pub note: Option<String>,
    pub at_ms: i64,
    pub notified: bool,
}

impl From<device::OutboxState> for OutboxState {
    fn from(s: device::OutboxState) -> Self {
        match s {
            device::OutboxState::Queued => Self::Queued,
            device::OutboxState::Sending => Self::Sending,
            device::OutboxState::Sent => Self::Sent,
            device::OutboxState::Failed => Self::Failed,
            device::OutboxState::Wedged => Self::Wedged,
        }
    }
}

impl From<device::OutboxError> for OutboxError {
    fn from(e: device::OutboxError) -> Self {
        Self {
            code: e.code,
            message: e.message,
            message_en: e.message_en,
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
        Self {
            instance_id: i.instance_id,
            form_id: i.form_id,
            form_version: i.form_version,
            state: i.state.into(),
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
        }
    }
}

/// A form available offline.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CachedForm {
    pub form_id: String,
    pub version: String,
    pub name: String,
    pub hash: String,
    pub downloaded_at_ms: i64,
}

impl From<device::CachedForm> for CachedForm {
    fn from(f: device::CachedForm) -> Self {
        Self {
            form_id: f.form_id,
            version: f.version,
            name: f.name,
            hash: f.hash,
            downloaded_at_ms: f.downloaded_at_ms,
        }
    }
}
