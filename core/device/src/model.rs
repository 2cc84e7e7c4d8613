//! Plain records the store hands out. No behaviour, no keys.

use std::collections::BTreeMap;

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
