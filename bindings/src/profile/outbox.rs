//! `Outbox`: finalized submissions on their way to the agency.

use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::OutboxItem;

/// A profile's outbox. To follow it live, use `Profile.subscribe`.
#[derive(uniffi::Object)]
pub struct Outbox {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbox")
    }
}

impl Outbox {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Outbox {
    /// The outbox, oldest first, with states, errors and receipts.
    pub async fn list(&self) -> Result<Vec<OutboxItem>, StoreError> {
        on(&self.profile, |p| {
            Ok(p.outbox().list()?.into_iter().map(Into::into).collect())
        })
        .await
    }

    /// One outbox item.
    pub async fn item(&self, instance_id: String) -> Result<OutboxItem, StoreError> {
        on(&self.profile, move |p| {
            p.outbox().item(&instance_id).map(Into::into)
        })
        .await
    }

    /// Replaces the damaged file `file_name` of a wedged item (error code
    /// `AttachmentDamaged`) with the file at `source_path` (the photo taken again),
    /// and puts the item back in the queue. The file is sealed into the store; the
    /// shell may delete its copy afterwards. An image type must be a readable JPEG,
    /// PNG, HEIC or WebP image (`InvalidInput` otherwise).
    pub async fn reattach(
        &self,
        instance_id: String,
        file_name: String,
        media_type: String,
        source_path: String,
    ) -> Result<OutboxItem, StoreError> {
        on(&self.profile, move |p| {
            let file = std::fs::File::open(&source_path).map_err(|_| {
                device::StoreError::InvalidInput("source_path cannot be opened".into())
            })?;
            p.outbox()
                .reattach(
                    &instance_id,
                    &file_name,
                    &media_type,
                    std::io::BufReader::new(file),
                )
                .map(Into::into)
        })
        .await
    }

    /// Puts a wedged or failed item back in the queue (the citizen chose "try again").
    pub async fn requeue(&self, instance_id: String) -> Result<(), StoreError> {
        on(&self.profile, move |p| p.outbox().requeue(&instance_id)).await
    }
}
