//! `Profile`: an unlocked profile's drafts, details and attachments.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use layanan_device as device;

use crate::errors::StoreError;
use crate::records::{
    answers_in, AttachmentInfo, CachedForm, Draft, DraftSummary, OutboxItem, ProfileDetails,
    StatusEvent,
};
use crate::runtime::blocking;

/// An unlocked profile. Holds the profile's key in memory until it is dropped
/// (Kotlin: `close()`/`use {}`; Swift: when released).
#[derive(uniffi::Object)]
pub struct Profile {
    inner: Arc<device::Profile>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.inner.id())
            .finish()
    }
}

impl Profile {
    pub(crate) fn domain(&self) -> Arc<device::Profile> {
        Arc::clone(&self.inner)
    }

    pub(crate) fn new(inner: device::Profile) -> Arc<Self> {
        Arc::new(Self {
            inner: Arc::new(inner),
        })
    }

    /// Runs `f` with this profile on the blocking pool.
    async fn with<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&device::Profile) -> Result<T, device::StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let p = Arc::clone(&self.inner);
        blocking(move || Ok(f(&p)?)).await
    }
}

#[uniffi::export]
impl Profile {
    /// The profile's id.
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The owner's personal details (empty until set).
    pub async fn details(&self) -> Result<ProfileDetails, StoreError> {
        self.with(|p| p.details().map(Into::into)).await
    }

    /// Replaces the owner's personal details.
    pub async fn set_details(&self, details: ProfileDetails) -> Result<(), StoreError> {
        self.with(move |p| p.set_details(&details.into())).await
    }

    /// Starts a draft of a form.
    pub async fn create_draft(
        &self,
        form_id: String,
        form_version: String,
        answers: HashMap<String, String>,
    ) -> Result<Draft, StoreError> {
        self.with(move |p| {
            p.create_draft(&form_id, &form_version, &answers_in(answers))
                .map(Into::into)
        })
        .await
    }

    /// Saves a draft's answers (the autosave after each answer). Returns the new
    /// `updated_at_ms`.
    pub async fn save_draft(
        &self,
        draft_id: String,
        answers: HashMap<String, String>,
    ) -> Result<i64, StoreError> {
        self.with(move |p| p.save_draft(&draft_id, &answers_in(answers)))
            .await
    }

    /// Loads a draft with its answers.
    pub async fn load_draft(&self, draft_id: String) -> Result<Draft, StoreError> {
        self.with(move |p| p.load_draft(&draft_id).map(Into::into))
            .await
    }

    /// The profile's drafts, most recent first.
    pub async fn list_drafts(&self) -> Result<Vec<DraftSummary>, StoreError> {
        self.with(|p| Ok(p.list_drafts()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// Deletes a draft and its attachments.
    pub async fn delete_draft(&self, draft_id: String) -> Result<(), StoreError> {
        self.with(move |p| p.delete_draft(&draft_id)).await
    }

    /// Seals the file at `source_path` into the store, chunk by chunk. The shell may
    /// delete its copy afterwards.
    pub async fn add_attachment(
        &self,
        draft_id: Option<String>,
        file_name: String,
        media_type: String,
        source_path: String,
    ) -> Result<AttachmentInfo, StoreError> {
        self.with(move |p| {
            p.add_attachment_from_path(
                draft_id.as_deref(),
                &file_name,
                &media_type,
                &PathBuf::from(source_path),
            )
            .map(Into::into)
        })
        .await
    }

    /// Attachments of a draft, or all of the profile's with `None`.
    pub async fn list_attachments(
        &self,
        draft_id: Option<String>,
    ) -> Result<Vec<AttachmentInfo>, StoreError> {
        self.with(move |p| {
            Ok(p.list_attachments(draft_id.as_deref())?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Decrypts an attachment to `dest_path` (e.g. a cache file to display) and
    /// returns its size. A damaged file gives `Corrupt` and leaves no partial output.
    pub async fn export_attachment(
        &self,
        attachment_id: String,
        dest_path: String,
    ) -> Result<u64, StoreError> {
        self.with(move |p| p.export_attachment(&attachment_id, &PathBuf::from(dest_path)))
            .await
    }

    /// One chunk of an attachment's plaintext (chunks are `chunk_size` bytes but the last).
    pub async fn read_attachment_chunk(
        &self,
        attachment_id: String,
        index: u64,
    ) -> Result<Vec<u8>, StoreError> {
        self.with(move |p| p.read_attachment_chunk(&attachment_id, index))
            .await
    }

    /// Deletes an attachment.
    pub async fn delete_attachment(&self, attachment_id: String) -> Result<(), StoreError> {
        self.with(move |p| p.delete_attachment(&attachment_id))
            .await
    }

    /// Finalizes a draft into the outbox with its attachments, in one step.
    /// `instance_id` is the submission's `meta/instanceID` (`uuid:...`); the forms
    /// engine writes `submission_xml`.
    pub async fn finalize_draft(
        &self,
        draft_id: String,
        instance_id: String,
        submission_xml: Vec<u8>,
    ) -> Result<OutboxItem, StoreError> {
        let iid: layanan_protocol::InstanceId =
            instance_id.parse().map_err(|_| StoreError::InvalidInput {
                reason: "instance_id must be uuid:<uuid>".into(),
            })?;
        self.with(move |p| {
            p.finalize_draft(&draft_id, &iid, &submission_xml)
                .map(Into::into)
        })
        .await
    }

    /// The outbox, oldest first, with states, errors and receipts.
    pub async fn list_outbox(&self) -> Result<Vec<OutboxItem>, StoreError> {
        self.with(|p| Ok(p.list_outbox()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// One outbox item.
    pub async fn outbox_item(&self, instance_id: String) -> Result<OutboxItem, StoreError> {
        self.with(move |p| p.outbox_item(&instance_id).map(Into::into))
            .await
    }

    /// Puts a wedged or failed item back in the queue (the citizen chose "try again").
    pub async fn requeue_outbox_item(&self, instance_id: String) -> Result<(), StoreError> {
        self.with(move |p| p.requeue_outbox_item(&instance_id))
            .await
    }

    /// A submission's timeline at the agency, oldest first.
    pub async fn status_timeline(
        &self,
        instance_id: String,
    ) -> Result<Vec<StatusEvent>, StoreError> {
        self.with(move |p| {
            Ok(p.status_timeline(&instance_id)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Status changes not yet shown as notifications.
    pub async fn pending_notifications(&self) -> Result<Vec<StatusEvent>, StoreError> {
        self.with(|p| {
            Ok(p.pending_notifications()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Marks notifications as shown.
    pub async fn mark_notified(&self, event_ids: Vec<i64>) -> Result<(), StoreError> {
        self.with(move |p| p.mark_notified(&event_ids)).await
    }

    /// Forms available offline (refreshed by `SyncService.update_forms`).
    pub async fn list_forms(&self) -> Result<Vec<CachedForm>, StoreError> {
        self.with(|p| Ok(p.cached_forms()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// The XForm text of a form available offline.
    pub async fn form_xml(&self, form_id: String) -> Result<String, StoreError> {
        self.with(move |p| p.cached_form_xml(&form_id)).await
    }
}
