//! The agency's decisions as the device keeps them: a timeline per submission and the
//! local notifications the shells have not shown yet. Notes from officers are sealed.

use layanan_protocol::{StatusEntry, SubmissionState};
use rusqlite::params;

use crate::crypto::SealContext;
use crate::error::{Result, StoreError};
use crate::model::now_ms;
use crate::views::Timeline;
use crate::ProfileChange;

/// One change of state of one submission, as the citizen's timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEvent {
    pub id: i64,
    pub instance_id: String,
    pub state: SubmissionState,
    /// The officer's note (e.g. what to fix), if any.
    pub note: Option<String>,
    pub at_ms: i64,
    /// Whether the shell has shown it as a notification.
    pub notified: bool,
}

fn note_ctx(row: &str) -> SealContext<'_> {
    SealContext {
        table: "status_events",
        column: "note",
        row_id: row,
    }
}

/// The id the note is sealed under: the event's natural key (its integer id is only
/// known after insertion).
fn note_row_id(e: &StatusEntry) -> String {
    format!("{}/{}/{}", e.instance_id, e.state.as_str(), e.at_ms)
}

/// id, instance id, state, at, notified, sealed note
type EventRow = (i64, String, String, i64, bool, Option<Vec<u8>>);

impl Timeline<'_> {
    /// Stores one page of the status feed and its cursor in one transaction; returns
    /// how many events were new.
    pub fn record_page(&self, entries: &[StatusEntry], next_cursor: &str) -> Result<usize> {
        let mut sealed_notes = Vec::with_capacity(entries.len());
        for e in entries {
            sealed_notes.push(match &e.note {
                Some(n) => Some(self.seal(note_ctx(&note_row_id(e)), n.as_bytes())?),
                None => None,
            });
        }
        let cursor = self.sealed_cursor(next_cursor)?;
        let new = self.inner().write(|tx| {
            let mut new = 0;
            for (e, note) in entries.iter().zip(sealed_notes) {
                new += tx.execute(
                    "INSERT OR IGNORE INTO status_events (profile_id, instance_id, state, at_ms, note)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![self.id(), e.instance_id, e.state.as_str(), e.at_ms, note],
                )?;
                // The feed is ordered, so the last entry of an instance is its state.
                tx.execute(
                    "UPDATE outbox SET agency_state = ?3, updated_at = ?4
                     WHERE instance_id = ?1 AND profile_id = ?2",
                    params![e.instance_id, self.id(), e.state.as_str(), now_ms()],
                )?;
            }
            tx.execute(
                "UPDATE sync_accounts SET status_cursor = ?2, updated_at = ?3 WHERE profile_id = ?1",
                params![self.id(), cursor, now_ms()],
            )?;
            Ok(new)
        })?;
        if !entries.is_empty() {
            let mut instance_ids: Vec<String> =
                entries.iter().map(|e| e.instance_id.clone()).collect();
            instance_ids.dedup();
            self.publish(ProfileChange::Status { instance_ids });
            self.publish(ProfileChange::Outbox);
        }
        Ok(new)
    }

    fn events(&self, filter: &str, arg: Option<&str>) -> Result<Vec<StatusEvent>> {
        let rows: Vec<EventRow> = self.inner().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT id, instance_id, state, at_ms, notified, note FROM status_events
                 WHERE profile_id = ?1 AND {filter} ORDER BY at_ms, id"
            ))?;
            let rows = stmt.query_map(params![self.id(), arg], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        rows.into_iter()
            .map(|(id, instance_id, state, at_ms, notified, note)| {
                let note = match note {
                    Some(sealed) => {
                        let key = format!("{instance_id}/{state}/{at_ms}");
                        let bytes = self.open(note_ctx(&key), &sealed)?;
                        Some(String::from_utf8(bytes).map_err(|_| StoreError::Corrupt {
                            table: "status_events",
                            column: "note",
                            row_id: id.to_string(),
                        })?)
                    }
                    None => None,
                };
                let state = SubmissionState::parse(&state).ok_or_else(|| StoreError::Corrupt {
                    table: "status_events",
                    column: "state",
                    row_id: id.to_string(),
                })?;
                Ok(StatusEvent {
                    id,
                    instance_id,
                    state,
                    note,
                    at_ms,
                    notified,
                })
            })
            .collect()
    }

    /// A submission's timeline, oldest first.
    pub fn of(&self, instance_id: &str) -> Result<Vec<StatusEvent>> {
        self.events("instance_id = ?2", Some(instance_id))
    }

    /// Events not yet shown as notifications, oldest first.
    pub fn pending_notifications(&self) -> Result<Vec<StatusEvent>> {
        self.events("notified = 0 AND ?2 IS NULL", None)
    }

    /// Marks events as shown.
    pub fn mark_notified(&self, event_ids: &[i64]) -> Result<()> {
        self.inner().write(|tx| {
            for id in event_ids {
                tx.execute(
                    "UPDATE status_events SET notified = 1 WHERE id = ?1 AND profile_id = ?2",
                    params![id, self.id()],
                )?;
            }
            Ok(())
        })?;
        self.publish(ProfileChange::Notifications);
        Ok(())
    }
}
