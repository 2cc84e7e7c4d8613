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
