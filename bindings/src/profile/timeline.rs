//! `Timeline`: what the agency did with each submission, and the notifications the
//! app has not shown yet.

use std::sync::Arc;

use layanan_device as device;

use super::on;
use crate::errors::StoreError;
use crate::records::StatusEvent;

/// A profile's status timelines.
#[derive(uniffi::Object)]
pub struct Timeline {
    profile: Arc<device::Profile>,
}

impl std::fmt::Debug for Timeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Timeline")
    }
}

impl Timeline {
    pub(crate) fn new(profile: Arc<device::Profile>) -> Self {
        Self { profile }
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Timeline {
    /// A submission's timeline at the agency, oldest first.
    pub async fn of(&self, instance_id: String) -> Result<Vec<StatusEvent>, StoreError> {
        on(&self.profile, move |p| {
            Ok(p.timeline()
                .of(&instance_id)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Status changes not yet shown as notifications, oldest first.
    pub async fn pending_notifications(&self) -> Result<Vec<StatusEvent>, StoreError> {
        on(&self.profile, |p| {
            Ok(p.timeline()
                .pending_notifications()?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Marks notifications as shown.
    pub async fn mark_notified(&self, event_ids: Vec<i64>) -> Result<(), StoreError> {
        on(&self.profile, move |p| {
            p.timeline().mark_notified(&event_ids)
        })
        .await
    }
}
