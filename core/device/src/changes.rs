//! Change notifications: after a write commits, the store says which part of which
//! profile changed, so the shells redraw from a fresh read instead of polling.
//!
//! One broadcast channel per store (profiles filter by id). A notification carries
//! no data: a subscriber re-reads what it shows, so a missed notification (a slow
//! subscriber that lagged) is harmless as long as it re-reads everything, which
//! [`ProfileChange::Missed`] tells it to do.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::sync::SyncEvent;

/// What changed in one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileChange {
    /// This outbox item was added or changed (state, error, receipt, agency
    /// decision): the item as committed, so a subscriber sees every state in order.
    OutboxItem(Box<crate::OutboxItem>),
    /// Several outbox items may have changed: re-read the outbox.
    Outbox,
    /// New status events arrived for these submissions (their timelines changed, and
    /// so did the pending notifications).
    Status { instance_ids: Vec<String> },
    /// Notifications were marked as shown.
    Notifications,
    /// A sync run of this profile reported progress.
    Sync(SyncEvent),
    /// The subscriber fell behind and some notifications were dropped: re-read all.
    Missed,
}

/// Enough for a whole sync run's burst of events between two reads of a slow shell.
const CAPACITY: usize = 256;

#[derive(Debug)]
pub(crate) struct ChangeHub {
    tx: broadcast::Sender<(Arc<str>, ProfileChange)>,
}

impl ChangeHub {
    pub(crate) fn new() -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
        }
    }

    /// Whether anyone listens (so a publisher can skip reading what it would send).
    pub(crate) fn has_subscribers(&self) -> bool {
        self.tx.receiver_count() > 0
    }

    /// Tells the profile's subscribers; nobody listening is fine.
    pub(crate) fn publish(&self, profile_id: &str, change: ProfileChange) {
        if self.tx.receiver_count() > 0 {
            let _nobody_listening = self.tx.send((Arc::from(profile_id), change));
        }
    }

    pub(crate) fn subscribe(&self, profile_id: &str) -> ChangeStream {
        ChangeStream {
            profile_id: Arc::from(profile_id),
            rx: self.tx.subscribe(),
        }
    }
}

/// A profile's change notifications, in commit order.
#[derive(Debug)]
pub struct ChangeStream {
    profile_id: Arc<str>,
    rx: broadcast::Receiver<(Arc<str>, ProfileChange)>,
}

impl ChangeStream {
    /// The next change of this profile; `None` when the store is gone.
    pub async fn next(&mut self) -> Option<ProfileChange> {
        loop {
            match self.rx.recv().await {
                Ok((id, change)) if id == self.profile_id => return Some(change),
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => return Some(ProfileChange::Missed),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}
