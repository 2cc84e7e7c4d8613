//! Submissions, attachments and status entries in SQLite.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension, Transaction};

use super::SqliteStorage;
use crate::storage::*;
use layanan_protocol::{StatusEntry, SubmissionState};

fn submission_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(SubmissionRow, String)> {
    let state: String = row.get(8)?;
    Ok((
        SubmissionRow {
            instance_id: row.get(0)?,
            owner: row.get(1)?,
            form_id: row.get(2)?,
            form_version: row.get(3)?,
            xml_sha256: row.get(4)?,
            xml_blob: row.get(5)?,
            received_ms: row.get(6)?,
            complete: row.get(7)?,
            state: SubmissionState::Received,
            receipt_json: row.get(9)?,
        },
        state,
    ))
}

fn finish_submission(
    (mut row, state): (SubmissionRow, String),
) -> Result<SubmissionRow, StorageError> {
    row.state = parse_state(&state)?;
    Ok(row)
}

const SUBMISSION_COLUMNS: &str = "instance_id, owner, form_id, form_version, xml_sha256, \
     xml_blob, received_ms, complete, state, receipt_json";

pub(super) fn insert_attachment_tx(
    tx: &Transaction<'_>,
    row: &AttachmentRow,
) -> Result<AttachmentOutcome, StorageError> {
    let existing: Option<String> = tx
        .query_row(
            "SELECT sha256 FROM attachments WHERE instance_id = ?1 AND file_name = ?2",
            params![row.instance_id, row.file_name],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(sha) if sha == row.sha256 => Ok(AttachmentOutcome::AlreadyPresent),
        Some(_) => Ok(AttachmentOutcome::Conflict),
        None => {
            tx.execute(
                "INSERT INTO attachments (instance_id, file_name, owner, sha256, size, \
                 content_type, blob_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    row.instance_id,
                    row.file_name,
                    row.owner,
                    row.sha256,
                    to_i64(row.size)?,
                    row.content_type,
                    row.blob_key
                ],
            )?;
            Ok(AttachmentOutcome::Added)
        }
    }
}

#[async_trait]
impl SubmissionStore for SqliteStorage {
    async fn submission(&self, instance_id: &str) -> Result<Option<SubmissionRow>, StorageError> {
        let id = instance_id.to_owned();
        self.write(move |tx| {
            tx.query_row(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE instance_id = ?1"),
                params![id],
                submission_from_row,
            )
            .optional()?
            .map(finish_submission)
            .transpose()
        })
        .await
    }

    async fn insert_submission(
        &self,
        row: &SubmissionRow,
        attachments: &[AttachmentRow],
    ) -> Result<WriteOutcome, StorageError> {
        let (row, attachments) = (row.clone(), attachments.to_vec());
        self.write(move |tx| {
            let inserted = tx.execute(
                &format!(
                    "INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                     ON CONFLICT (instance_id) DO NOTHING"
                ),
                params![
                    row.instance_id, row.owner, row.form_id, row.form_version, row.xml_sha256,
                    row.xml_blob, row.received_ms, row.complete, row.state.as_str(), row.receipt_json
                ],
            )? == 1;
            if !inserted {
                return Ok(WriteOutcome::Unchanged);
            }
            for attachment in &attachments {
                if insert_attachment_tx(tx, attachment)? == AttachmentOutcome::Conflict {
                    return Err(StorageError::Rollback(WriteOutcome::AttachmentConflict));
                }
            }
            tx.execute(
                "INSERT INTO status_events (instance_id, owner, state, note, at_ms) \
                 VALUES (?1, (SELECT owner FROM submissions WHERE instance_id = ?1), ?2, NULL, ?3)",
                params![row.instance_id, row.state.as_str(), row.received_ms],
            )?;
            Ok(WriteOutcome::Inserted)
        })
        .await
        .or_else(StorageError::rolled_back)
    }

    async fn extend_submission(
        &self,
        instance_id: &str,
        attachments: &[AttachmentRow],
        complete: bool,
    ) -> Result<WriteOutcome, StorageError> {
        let (id, attachments) = (instance_id.to_owned(), attachments.to_vec());
        self.write(move |tx| {
            let mut changed = false;
            for attachment in &attachments {
                match insert_attachment_tx(tx, attachment)? {
                    AttachmentOutcome::Added => changed = true,
                    AttachmentOutcome::AlreadyPresent => {}
                    AttachmentOutcome::Conflict => {
                        return Err(StorageError::Rollback(WriteOutcome::AttachmentConflict))
                    }
                }
            }
            if complete {
                changed |= tx.execute(
                    "UPDATE submissions SET complete = 1 WHERE instance_id = ?1 AND complete = 0",
                    params![id],
                )? == 1;
            }
            Ok(if changed {
                WriteOutcome::Inserted
            } else {
                WriteOutcome::Unchanged
            })
        })
        .await
        .or_else(StorageError::rolled_back)
    }

    async fn attachments(&self, instance_id: &str) -> Result<Vec<AttachmentRow>, StorageError> {
        let id = instance_id.to_owned();
        self.write(move |tx| {
            let mut stmt = tx.prepare(
                "SELECT instance_id, file_name, owner, sha256, size, content_type, blob_key \
                 FROM attachments WHERE instance_id = ?1 ORDER BY file_name",
            )?;
            let rows = stmt.query_map(params![id], |r| {
                Ok((
                    AttachmentRow {
                        instance_id: r.get(0)?,
                        file_name: r.get(1)?,
                        owner: r.get(2)?,
                        sha256: r.get(3)?,
                        size: 0,
                        content_type: r.get(5)?,
                        blob_key: r.get(6)?,
                    },
                    r.get::<_, i64>(4)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (mut row, size) = row?;
                row.size = to_u64(size)?;
                out.push(row);
            }
            Ok(out)
        })
        .await
    }

    async fn submissions_for_officers(
        &self,
        state: Option<SubmissionState>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StorageError> {
        let state = state.map(SubmissionState::as_str);
        self.write(move |tx| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE (?1 IS NULL OR state = ?1) \
                 ORDER BY received_ms DESC, instance_id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![state, limit], submission_from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(finish_submission(row?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn submissions_of(&self, citizen_id: &str) -> Result<Vec<SubmissionRow>, StorageError> {
        let id = citizen_id.to_owned();
        self.write(move |tx| {
            let mut stmt = tx.prepare(&format!(
                "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE owner = ?1 ORDER BY received_ms DESC, instance_id"
            ))?;
            let rows = stmt.query_map(params![id], submission_from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(finish_submission(row?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn change_state(
        &self,
        instance_id: &str,
        next: SubmissionState,
        note: Option<&str>,
        at_ms: i64,
    ) -> Result<StateChange, StorageError> {
        let (id, note) = (instance_id.to_owned(), note.map(str::to_owned));
        self.write(move |tx| {
            let row: Option<(String, String)> = tx
                .query_row(
                    "SELECT state, form_id FROM submissions WHERE instance_id = ?1",
                    params![id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((current, form_id)) = row else {
                return Ok(StateChange::NotFound);
            };
            let current = parse_state(&current)?;
            if !current.can_move_to(next) {
                return Ok(StateChange::NotAllowed { current });
            }
            tx.execute(
                "UPDATE submissions SET state = ?1 WHERE instance_id = ?2",
                params![next.as_str(), id],
            )?;
            tx.execute(
                "INSERT INTO status_events (instance_id, owner, state, note, at_ms) \
                 VALUES (?1, (SELECT owner FROM submissions WHERE instance_id = ?1), ?2, ?3, ?4)",
                params![id, next.as_str(), note, at_ms],
            )?;
            Ok(StateChange::Changed(StatusEntry {
                instance_id: id,
                form_id,
                state: next,
                note,
                at_ms,
            }))
        })
        .await
    }

    async fn status_feed(
        &self,
        citizen_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, StatusEntry)>, StorageError> {
        let id = citizen_id.to_owned();
        self.write(move |tx| {
            let mut stmt = tx.prepare(
                "SELECT e.seq, e.instance_id, s.form_id, e.state, e.note, e.at_ms \
                 FROM status_events e JOIN submissions s ON s.instance_id = e.instance_id \
                 WHERE e.owner = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![id, after, limit], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (seq, instance_id, form_id, state, note, at_ms) = row?;
                out.push((
                    seq,
                    StatusEntry {
                        instance_id,
                        form_id,
                        state: parse_state(&state)?,
                        note,
                        at_ms,
                    },
                ));
            }
            Ok(out)
        })
        .await
    }

    async fn instance_owned_by_other(
        &self,
        instance_id: &str,
        owner: Option<&str>,
    ) -> Result<bool, StorageError> {
        let (id, owner) = (instance_id.to_owned(), owner.map(str::to_owned));
        self.write(move |tx| {
            let count: i64 = tx.query_row(
                "SELECT (SELECT COUNT(*) FROM submissions WHERE instance_id = ?1 AND owner IS NOT ?2) \
                      + (SELECT COUNT(*) FROM attachments WHERE instance_id = ?1 AND owner IS NOT ?2) \
                      + (SELECT COUNT(*) FROM uploads WHERE instance_id = ?1 AND owner IS NOT ?2)",
                params![id, owner],
                |r| r.get(0),
            )?;
            Ok(count > 0)
        })
        .await
    }
}
