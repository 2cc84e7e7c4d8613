//! Live updates for the shells: a foreign listener registered once per profile,
//! fed from the store's change notifications (in the style of matrix-rust-sdk's send
//! queue `subscribe()`), and the handle that stops it.

use std::sync::{Arc, Mutex};

use layanan_device as device;

use crate::errors::StoreError;
use crate::profile::on;
use crate::records::{OutboxItem, StatusEvent};
use crate::sync::SyncEvent;

/// Receives a profile's changes on a background thread. Each call carries the whole
/// current value (the outbox, a submission's timeline, the pending notifications),
/// so a shell only stores it: `MutableStateFlow.value = items`,
/// `continuation.yield(items)`.
#[uniffi::export(with_foreign)]
pub trait ProfileListener: Send + Sync {
    /// The whole outbox, oldest first: at once, then after every change, every
    /// state an item passes through included.
    fn on_outbox(&self, items: Vec<OutboxItem>);
    /// A submission's whole timeline, after new events arrived for it.
    fn on_timeline(&self, instance_id: String, events: Vec<StatusEvent>);
    /// The notifications not shown yet: at once, then after every change.
    fn on_notifications(&self, pending: Vec<StatusEvent>);
    /// Progress of a sync run of this profile, whoever started it.
    fn on_sync(&self, event: SyncEvent);
}

/// A running task of the core (a subscription, a sync run's driver). Cancelling it
/// (or dropping the last reference) stops it.
#[derive(uniffi::Object)]
pub struct TaskHandle {
    handle: Mutex<Option<tokio::task::AbortHandle>>,
}

impl std::fmt::Debug for TaskHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskHandle")
    }
}

impl TaskHandle {
    pub(crate) fn new(handle: tokio::task::AbortHandle) -> Self {
        Self {
            handle: Mutex::new(Some(handle)),
        }
    }
}

#[uniffi::export]
impl TaskHandle {
    /// Stops the task. Cancelling twice is harmless.
    pub fn cancel(&self) {
        if let Some(h) = self.handle.lock().ok().and_then(|mut h| h.take()) {
            h.abort();
        }
    }

    /// True once the task ended (cancelled, or its profile was locked).
    pub fn is_finished(&self) -> bool {
        self.handle
            .lock()
            .map(|h| h.as_ref().is_none_or(tokio::task::AbortHandle::is_finished))
            .unwrap_or(true)
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

fn items(list: Vec<device::OutboxItem>) -> Vec<OutboxItem> {
    list.into_iter().map(Into::into).collect()
}

fn events(list: Vec<device::sync::StatusEvent>) -> Vec<StatusEvent> {
    list.into_iter().map(Into::into).collect()
}

/// Sends the current outbox and notifications, then follows the profile's changes.
pub(crate) async fn subscribe(
    profile: Arc<device::Profile>,
    listener: Arc<dyn ProfileListener>,
) -> Result<Arc<TaskHandle>, StoreError> {
    // Subscribe before the first read, so no change falls between the two.
    let mut changes = profile.subscribe();
    let (mut outbox, pending) = on(&profile, |p| {
        Ok((p.outbox().list()?, p.timeline().pending_notifications()?))
    })
    .await?;
    listener.on_outbox(items(outbox.clone()));
    listener.on_notifications(events(pending));
    let task = tokio::spawn(async move {
        while let Some(change) = changes.next().await {
            if profile.is_locked() {
                break;
            }
            if follow(&profile, &*listener, &mut outbox, change)
                .await
                .is_err()
            {
                // The store failed (or the profile was locked): the next call the
                // app makes meets the same error with its cause.
                break;
            }
        }
    });
    Ok(Arc::new(TaskHandle::new(task.abort_handle())))
}

async fn follow(
    profile: &Arc<device::Profile>,
    listener: &dyn ProfileListener,
    outbox: &mut Vec<device::OutboxItem>,
    change: device::ProfileChange,
) -> Result<(), StoreError> {
    use device::ProfileChange as C;
    match change {
        C::OutboxItem(item) => {
            match outbox
                .iter_mut()
                .find(|i| i.instance_id == item.instance_id)
            {
                Some(slot) => *slot = *item,
                None => outbox.push(*item),
            }
            listener.on_outbox(items(outbox.clone()));
        }
        C::Outbox => {
            *outbox = on(profile, |p| p.outbox().list()).await?;
            listener.on_outbox(items(outbox.clone()));
        }
        C::Status { instance_ids } => {
            for id in instance_ids {
                let key = id.clone();
                let timeline = on(profile, move |p| p.timeline().of(&key)).await?;
                listener.on_timeline(id, events(timeline));
            }
            let pending = on(profile, |p| p.timeline().pending_notifications()).await?;
            listener.on_notifications(events(pending));
        }
        C::Notifications => {
            let pending = on(profile, |p| p.timeline().pending_notifications()).await?;
            listener.on_notifications(events(pending));
        }
        C::Sync(event) => listener.on_sync(event.into()),
        C::Missed => {
            let (list, pending) = on(profile, |p| {
                Ok((p.outbox().list()?, p.timeline().pending_notifications()?))
            })
            .await?;
            *outbox = list;
            listener.on_outbox(items(outbox.clone()));
            listener.on_notifications(events(pending));
        }
    }
    Ok(())
}
