//! `Attachments`: files sealed in the store. Files are attached through
//! `FormSession.attachFile`, which ties them to their question.

use std::path::PathBuf;
use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::AttachmentInfo;

/// A profile's sealed files.
#[derive(uniffi::Object)]
pub struct Attachments {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for Attachments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Attachments")
    }
}

impl Attachments {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Attachments {
    /// Attachments of a draft, or all of the profile's with `None`.
    pub async fn list(&self, draft_id: Option<String>) -> Result<Vec<AttachmentInfo>, StoreError> {
        on(&self.profile, move |p| {
            p.attachments().list(draft_id.as_deref())
        })
        .await
    }

    /// Decrypts an attachment to `dest_path` (e.g. a cache file to display) and
    /// returns its size. A damaged file gives `Corrupt` and leaves no partial output.
    pub async fn export(
        &self,
        attachment_id: String,
        dest_path: String,
    ) -> Result<u64, StoreError> {
        on(&self.profile, move |p| {
            p.attachments()
                .export(&attachment_id, &PathBuf::from(dest_path))
        })
        .await
    }
}
