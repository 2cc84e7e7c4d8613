//! Resumable uploads in PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;

use super::submissions::insert_attachment_tx;
use super::PostgresStorage;
use crate::storage::*;

#[async_trait]
impl UploadStore for PostgresStorage {
    async fn insert_upload(&self, row: &UploadRow) -> Result<(), StorageError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO uploads (id, owner, instance_id, file_name, content_type, total_size, \
                 sha256, offset_bytes, complete, created_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &row.id,
                    &row.owner,
                    &row.instance_id,
                    &row.file_name,
                    &row.content_type,
                    &to_i64(row.total_size)?,
                    &row.sha256,
                    &to_i64(row.offset)?,
                    &row.complete,
                    &row.created_ms,
                ],
            )
            .await?;
        Ok(())
    }

    async fn upload(&self, id: &str) -> Result<Option<UploadRow>, StorageError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT id, owner, instance_id, file_name, content_type, total_size, sha256, \
                 offset_bytes, complete, created_ms FROM uploads WHERE id = $1",
                &[&id],
            )
            .await?;
        row.map(|r| {
            Ok(UploadRow {
                id: r.try_get(0)?,
                owner: r.try_get(1)?,
                instance_id: r.try_get(2)?,
                file_name: r.try_get(3)?,
                content_type: r.try_get(4)?,
                total_size: to_u64(r.try_get(5)?)?,
                sha256: r.try_get(6)?,
                offset: to_u64(r.try_get(7)?)?,
                complete: r.try_get(8)?,
                created_ms: r.try_get(9)?,
            })
        })
        .transpose()
    }

    async fn advance_upload(&self, id: &str, from: u64, to: u64) -> Result<bool, StorageError> {
        let client = self.client().await?;
        Ok(client
            .execute(
                "UPDATE uploads SET offset_bytes = $1 WHERE id = $2 AND offset_bytes = $3 \
                 AND NOT complete",
                &[&to_i64(to)?, &id, &to_i64(from)?],
            )
            .await?
            == 1)
    }

    async fn reset_upload(&self, id: &str) -> Result<(), StorageError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE uploads SET offset_bytes = 0 WHERE id = $1 AND NOT complete",
                &[&id],
            )
            .await?;
        Ok(())
    }

    async fn finish_upload(
        &self,
        id: &str,
        attachment: &AttachmentRow,
    ) -> Result<AttachmentOutcome, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let outcome = insert_attachment_tx(&tx, attachment).await?;
        if outcome != AttachmentOutcome::Conflict {
            tx.execute("UPDATE uploads SET complete = TRUE WHERE id = $1", &[&id])
                .await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    async fn open_uploads_of(&self, owner: &str) -> Result<u64, StorageError> {
        let client = self.client().await?;
        let n: i64 = client
            .query_one(
                "SELECT COUNT(*) FROM uploads WHERE owner = $1 AND NOT complete",
                &[&owner],
            )
            .await?
            .try_get(0)?;
        to_u64(n)
    }

    async fn expire_uploads(&self, created_before_ms: i64) -> Result<Vec<String>, StorageError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "DELETE FROM uploads WHERE NOT complete AND created_ms < $1 RETURNING id",
                &[&created_before_ms],
            )
            .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }
}
