//! `OfflineForms`: the forms kept on the phone (refreshed by
//! `SyncService.updateForms`). A form is filled by id with `FormSession.start`.

use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::CachedForm;

/// The forms available offline.
#[derive(uniffi::Object)]
pub struct OfflineForms {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for OfflineForms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OfflineForms")
    }
}

impl OfflineForms {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl OfflineForms {
    /// Forms available offline, by name.
    pub async fn list(&self) -> Result<Vec<CachedForm>, StoreError> {
        on(&self.profile, |p| p.forms().list()).await
    }
}
