//! The citizen's sync settings, stored per profile: a background process started
//! cold by the platform (WorkManager, BGTaskScheduler) reads them from the store, so
//! it honours "Wi-Fi only" although no screen ever told it.

use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::model::now_ms;
use crate::views::Account;

/// How a profile's outbox may be sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncSettings {
    /// Send only on unmetered networks (Wi-Fi); on mobile data the outbox waits.
    /// Off by default: in a village, mobile data is often the only network.
    pub wifi_only: bool,
}

impl Account<'_> {
    /// The profile's sync settings (defaults until changed).
    pub fn sync_settings(&self) -> Result<SyncSettings> {
        self.ensure_unlocked()?;
        let wifi_only: Option<bool> = self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT wifi_only FROM sync_settings WHERE profile_id = ?1",
                [self.id()],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        Ok(SyncSettings {
            wifi_only: wifi_only.unwrap_or(false),
        })
    }

    /// Stores the profile's sync settings.
    pub fn set_sync_settings(&self, settings: SyncSettings) -> Result<()> {
        self.ensure_unlocked()?;
        self.inner().with_writer(|c| {
            c.execute(
                "INSERT INTO sync_settings (profile_id, wifi_only, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(profile_id) DO UPDATE SET wifi_only = excluded.wifi_only,
                   updated_at = excluded.updated_at",
                params![self.id(), settings.wifi_only, now_ms()],
            )?;
            Ok(())
        })
    }
}
