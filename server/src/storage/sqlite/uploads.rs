//! Resumable uploads in SQLite.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::submissions::insert_attachment_tx;
use super::SqliteStorage;
use crate::storage::*;

fn upload_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(UploadRow, i64, i64)> {
    Ok((
        UploadRow {
            id: row.get(0)?,
            owner: row.get(1)?,
            instance_id: row.get(2)?,
            file_name: row.get(3)?,
            content_type: row.get(4)?,
            total_size: 0,
            sha256: row.get(6)?,
            offset: 0,
            complete: row.get(8)?,
            created_ms: row.get(9)?,
        },
        row.get(5)?,
        row.get(7)?,
    ))
}

#[async_trait]
impl UploadStore for SqliteStorage {
    async fn insert_upload(&self, row: &UploadRow) -> Result<(), StorageError> {
        let row = row.clone();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO uploads (id, owner, instance_id, file_name, content_type, total_size, sha256, \
                 offset_bytes, complete, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    row.id, row.owner, row.instance_id, row.file_name, row.content_type,
                    to_i64(row.total_size)?, row.sha256, to_i64(row.offset)?, row.complete, row.created_ms
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn upload(&self, id: &str) -> Result<Option<UploadRow>, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            let row = tx
                .query_row(
                    "SELECT id, owner, instance_id, file_name, content_type, total_size, sha256, \
                     offset_bytes, complete, created_ms FROM uploads WHERE id = ?1",
                    params![id],
                    upload_from_row,
                )
                .optional()?;
            row.map(|(mut row, total, offset)| {
                row.total_size = to_u64(total)?;
                row.offset = to_u64(offset)?;
                Ok(row)
            })
            .transpose()
        })
        .await
    }

    async fn advance_upload(&self, id: &str, from: u64, to: u64) -> Result<bool, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            Ok(tx.execute(
                "UPDATE uploads SET offset_bytes = ?1 WHERE id = ?2 AND offset_bytes = ?3 AND complete = 0",
                params![to_i64(to)?, id, to_i64(from)?],
            )? == 1)
        })
        .await
    }

    async fn reset_upload(&self, id: &str) -> Result<(), StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            tx.execute(
                "UPDATE uploads SET offset_bytes = 0 WHERE id = ?1 AND complete = 0",
                params![id],
            )?;
            Ok(())
        })
        .await
    }

    async fn finish_upload(
        &self,
        id: &str,
        attachment: &AttachmentRow,
    ) -> Result<AttachmentOutcome, StorageError> {
        let (id, attachment) = (id.to_owned(), attachment.clone());
        self.write(move |tx| {
            let outcome = insert_attachment_tx(tx, &attachment)?;
            if outcome != AttachmentOutcome::Conflict {
                tx.execute("UPDATE uploads SET complete = 1 WHERE id = ?1", params![id])?;
            }
            Ok(outcome)
        })
        .await
    }

    async fn open_uploads_of(&self, owner: &str) -> Result<u64, StorageError> {
        let owner = owner.to_owned();
        self.write(move |tx| {
            let n: i64 = tx.query_row(
                "SELECT COUNT(*) FROM uploads WHERE owner = ?1 AND complete = 0",
                params![owner],
                |r| r.get(0),
            )?;
            to_u64(n)
        })
        .await
    }

    async fn expire_uploads(&self, created_before_ms: i64) -> Result<Vec<String>, StorageError> {
        self.write(move |tx| {
            let mut stmt = tx.prepare(
                "DELETE FROM uploads WHERE complete = 0 AND created_ms < ?1 RETURNING id",
            )?;
            let ids = stmt.query_map(params![created_before_ms], |r| r.get(0))?;
            Ok(ids.collect::<Result<Vec<String>, _>>()?)
        })
        .await
    }
}
