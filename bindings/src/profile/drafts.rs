//! `Drafts`: forms being filled in. A draft is created and changed only by a
//! `FormSession`, which keeps it in step with the forms engine.

use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::{Draft, DraftSummary};

/// A profile's drafts.
#[derive(uniffi::Object)]
pub struct Drafts {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for Drafts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Drafts")
    }
}

impl Drafts {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Drafts {
    /// The drafts, most recently saved first (continue one with `FormSession.resume`).
    pub async fn list(&self) -> Result<Vec<DraftSummary>, StoreError> {
        on(&self.profile, |p| p.drafts().list()).await
    }

    /// A draft with its answers.
    pub async fn load(&self, draft_id: String) -> Result<Draft, StoreError> {
        on(&self.profile, move |p| {
            p.drafts().load(&draft_id).map(Into::into)
        })
        .await
    }

    /// Deletes a draft and its attachments.
    pub async fn delete(&self, draft_id: String) -> Result<(), StoreError> {
        on(&self.profile, move |p| p.drafts().delete(&draft_id)).await
    }
}
