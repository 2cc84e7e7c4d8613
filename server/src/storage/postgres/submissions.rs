//! Submissions, attachments and status entries in PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;

use super::{PostgresStorage, STATUS_LOCK};
use crate::storage::*;
use layanan_protocol::{StatusEntry, SubmissionState};
use tokio_postgres::Row;

const SUBMISSION_COLUMNS: &str = "instance_id, owner, form_id, form_version, xml_sha256, \
     xml_blob, received_ms, complete, state, receipt_json";

fn submission_from_row(r: &Row) -> Result<SubmissionRow, StorageError> {
    Ok(SubmissionRow {
        instance_id: r.try_get(0)?,
        owner: r.try_get(1)?,
        form_id: r.try_get(2)?,
        form_version: r.try_get(3)?,
        xml_sha256: r.try_get(4)?,
        xml_blob: r.try_get(5)?,
        received_ms: r.try_get(6)?,
        complete: r.try_get(7)?,
        state: parse_state(r.try_get(8)?)?,
        receipt_json: r.try_get(9)?,
    })
}

pub(super) async fn insert_attachment_tx(
    tx: &impl GenericClient,
    row: &AttachmentRow,
) -> Result<AttachmentOutcome, StorageError> {
    let inserted = tx
        .execute(
            "INSERT INTO attachments (instance_id, file_name, owner, sha256, size, content_type, \
             blob_key) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            &[
                &row.instance_id,
                &row.file_name,
                &row.owner,
                &row.sha256,
                &to_i64(row.size)?,
                &row.content_type,
                &row.blob_key,
            ],
        )
        .await?;
    if inserted == 1 {
        return Ok(AttachmentOutcome::Added);
    }
    let existing: String = tx
        .query_one(
            "SELECT sha256 FROM attachments WHERE instance_id = $1 AND file_name = $2",
            &[&row.instance_id, &row.file_name],
        )
        .await?
        .try_get(0)?;
    Ok(if existing == row.sha256 {
        AttachmentOutcome::AlreadyPresent
    } else {
        AttachmentOutcome::Conflict
    })
}

async fn append_status_tx(
    tx: &impl GenericClient,
    instance_id: &str,
    state: SubmissionState,
    note: Option<&str>,
    at_ms: i64,
) -> Result<(), StorageError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&STATUS_LOCK])
        .await?;
    tx.execute(
        "INSERT INTO status_events (instance_id, owner, state, note, at_ms) \
         VALUES ($1, (SELECT owner FROM submissions WHERE instance_id = $1), $2, $3, $4)",
        &[&instance_id, &state.as_str(), &note, &at_ms],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl SubmissionStore for PostgresStorage {
    async fn submission(&self, instance_id: &str) -> Result<Option<SubmissionRow>, StorageError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE instance_id = $1"),
                &[&instance_id],
            )
            .await?;
        row.as_ref().map(submission_from_row).transpose()
    }

    async fn insert_submission(
        &self,
        row: &SubmissionRow,
        attachments: &[AttachmentRow],
    ) -> Result<WriteOutcome, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let inserted = tx
            .execute(
                &format!(
                    "INSERT INTO submissions ({SUBMISSION_COLUMNS}) VALUES \
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (instance_id) DO NOTHING"
                ),
                &[
                    &row.instance_id,
                    &row.owner,
                    &row.form_id,
                    &row.form_version,
                    &row.xml_sha256,
                    &row.xml_blob,
                    &row.received_ms,
                    &row.complete,
                    &row.state.as_str(),
                    &row.receipt_json,
                ],
            )
            .await?
            == 1;
        if !inserted {
            return Ok(WriteOutcome::Unchanged);
        }
        for attachment in attachments {
            if insert_attachment_tx(&tx, attachment).await? == AttachmentOutcome::Conflict {
                // Dropping the transaction rolls it back.
                return Ok(WriteOutcome::AttachmentConflict);
            }
        }
        append_status_tx(&tx, &row.instance_id, row.state, None, row.received_ms).await?;
        tx.commit().await?;
        Ok(WriteOutcome::Inserted)
    }

    async fn extend_submission(
        &self,
        instance_id: &str,
        attachments: &[AttachmentRow],
        complete: bool,
    ) -> Result<WriteOutcome, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Lock the submission so concurrent parts of one split submission serialise.
        tx.execute(
            "SELECT 1 FROM submissions WHERE instance_id = $1 FOR UPDATE",
            &[&instance_id],
        )
        .await?;
        let mut changed = false;
        for attachment in attachments {
            match insert_attachment_tx(&tx, attachment).await? {
                AttachmentOutcome::Added => changed = true,
                AttachmentOutcome::AlreadyPresent => {}
                AttachmentOutcome::Conflict => return Ok(WriteOutcome::AttachmentConflict),
            }
        }
        if complete {
            changed |= tx
                .execute(
                    "UPDATE submissions SET complete = TRUE WHERE instance_id = $1 AND NOT complete",
                    &[&instance_id],
                )
                .await?
                == 1;
        }
        tx.commit().await?;
        Ok(if changed {
            WriteOutcome::Inserted
        } else {
            WriteOutcome::Unchanged
        })
    }

    async fn attachments(&self, instance_id: &str) -> Result<Vec<AttachmentRow>, StorageError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT instance_id, file_name, owner, sha256, size, content_type, blob_key \
                 FROM attachments WHERE instance_id = $1 ORDER BY file_name",
                &[&instance_id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AttachmentRow {
                    instance_id: r.try_get(0)?,
                    file_name: r.try_get(1)?,
                    owner: r.try_get(2)?,
                    sha256: r.try_get(3)?,
                    size: to_u64(r.try_get(4)?)?,
                    content_type: r.try_get(5)?,
                    blob_key: r.try_get(6)?,
                })
            })
            .collect()
    }

    async fn submissions_for_officers(
        &self,
        state: Option<SubmissionState>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StorageError> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions \
                     WHERE ($1::TEXT IS NULL OR state = $1) \
                     ORDER BY received_ms DESC, instance_id LIMIT $2"
                ),
                &[&state.map(SubmissionState::as_str), &i64::from(limit)],
            )
            .await?;
        rows.iter().map(submission_from_row).collect()
    }

    async fn submissions_of(&self, citizen_id: &str) -> Result<Vec<SubmissionRow>, StorageError> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE owner = $1 \
                     ORDER BY received_ms DESC, instance_id"
                ),
                &[&citizen_id],
            )
            .await?;
        rows.iter().map(submission_from_row).collect()
    }

    async fn change_state(
        &self,
        instance_id: &str,
        next: SubmissionState,
        note: Option<&str>,
        at_ms: i64,
    ) -> Result<StateChange, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let row = tx
            .query_opt(
                "SELECT state, form_id FROM submissions WHERE instance_id = $1 FOR UPDATE",
                &[&instance_id],
            )
            .await?;
        let Some(row) = row else {
            return Ok(StateChange::NotFound);
        };
        let current = parse_state(row.try_get(0)?)?;
        let form_id: String = row.try_get(1)?;
        if !current.can_move_to(next) {
            return Ok(StateChange::NotAllowed { current });
        }
        tx.execute(
            "UPDATE submissions SET state = $1 WHERE instance_id = $2",
            &[&next.as_str(), &instance_id],
        )
        .await?;
        append_status_tx(&tx, instance_id, next, note, at_ms).await?;
        tx.commit().await?;
        Ok(StateChange::Changed(StatusEntry {
            instance_id: instance_id.to_owned(),
            form_id,
            state: next,
            note: note.map(str::to_owned),
            at_ms,
        }))
    }

    async fn status_feed(
        &self,
        citizen_id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, StatusEntry)>, StorageError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT e.seq, e.instance_id, s.form_id, e.state, e.note, e.at_ms \
                 FROM status_events e JOIN submissions s ON s.instance_id = e.instance_id \
                 WHERE e.owner = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
                &[&citizen_id, &after, &i64::from(limit)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    StatusEntry {
                        instance_id: r.try_get(1)?,
                        form_id: r.try_get(2)?,
                        state: parse_state(r.try_get(3)?)?,
                        note: r.try_get(4)?,
                        at_ms: r.try_get(5)?,
                    },
                ))
            })
            .collect()
    }

    async fn instance_owned_by_other(
        &self,
        instance_id: &str,
        owner: Option<&str>,
    ) -> Result<bool, StorageError> {
        let client = self.client().await?;
        let count: i64 = client
            .query_one(
                "SELECT (SELECT COUNT(*) FROM submissions WHERE instance_id = $1 AND owner IS DISTINCT FROM $2::TEXT) \
                      + (SELECT COUNT(*) FROM attachments WHERE instance_id = $1 AND owner IS DISTINCT FROM $2::TEXT) \
                      + (SELECT COUNT(*) FROM uploads WHERE instance_id = $1 AND owner IS DISTINCT FROM $2::TEXT)",
                &[&instance_id, &owner],
            )
            .await?
            .try_get(0)?;
        Ok(count > 0)
    }
}
