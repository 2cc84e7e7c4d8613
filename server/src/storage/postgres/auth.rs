//! Sign-in challenges, citizens and token families in PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;

use super::PostgresStorage;
use crate::storage::*;

async fn insert_tokens_tx(tx: &impl GenericClient, t: &NewTokens) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO access_tokens (hash, family_id, citizen_id, expires_ms) VALUES ($1, $2, $3, $4)",
        &[&t.hashes.access_hash, &t.family_id, &t.citizen_id, &t.hashes.access_expires_ms],
    )
    .await?;
    tx.execute(
        "INSERT INTO refresh_tokens (hash, family_id, citizen_id, expires_ms, access_hash) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &t.hashes.refresh_hash,
            &t.family_id,
            &t.citizen_id,
            &t.hashes.refresh_expires_ms,
            &t.hashes.access_hash,
        ],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl AuthStore for PostgresStorage {
    async fn insert_challenge(&self, c: &Challenge) -> Result<(), StorageError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO challenges (id, phone_key, code_hash, expires_ms) VALUES ($1, $2, $3, $4)",
                &[&c.id, &c.phone_key, &c.code_hash, &c.expires_ms],
            )
            .await?;
        client
            .execute(
                "DELETE FROM challenges WHERE expires_ms < $1",
                &[&(c.expires_ms - 86_400_000)],
            )
            .await?;
        Ok(())
    }

    async fn challenge(&self, id: &str) -> Result<Option<Challenge>, StorageError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT id, phone_key, code_hash, expires_ms, attempts, used FROM challenges WHERE id = $1",
                &[&id],
            )
            .await?;
        row.map(|r| {
            Ok(Challenge {
                id: r.try_get(0)?,
                phone_key: r.try_get(1)?,
                code_hash: r.try_get(2)?,
                expires_ms: r.try_get(3)?,
                attempts: u32::try_from(r.try_get::<_, i32>(4)?).unwrap_or(u32::MAX),
                used: r.try_get(5)?,
            })
        })
        .transpose()
    }

    async fn record_failed_attempt(&self, id: &str) -> Result<u32, StorageError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "UPDATE challenges SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
                &[&id],
            )
            .await?;
        Ok(match row {
            Some(r) => u32::try_from(r.try_get::<_, i32>(0)?).unwrap_or(u32::MAX),
            None => u32::MAX,
        })
    }

    async fn consume_challenge(&self, id: &str) -> Result<bool, StorageError> {
        let client = self.client().await?;
        Ok(client
            .execute(
                "UPDATE challenges SET used = TRUE WHERE id = $1 AND NOT used",
                &[&id],
            )
            .await?
            == 1)
    }

    async fn citizen_for_phone(
        &self,
        phone_key: &str,
        new_id: &str,
        now_ms: i64,
    ) -> Result<String, StorageError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO citizens (id, phone_key, created_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (phone_key) DO NOTHING",
                &[&new_id, &phone_key, &now_ms],
            )
            .await?;
        Ok(client
            .query_one(
                "SELECT id FROM citizens WHERE phone_key = $1",
                &[&phone_key],
            )
            .await?
            .try_get(0)?)
    }

    async fn insert_tokens(&self, tokens: &NewTokens, now_ms: i64) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "DELETE FROM access_tokens WHERE expires_ms < $1",
            &[&now_ms],
        )
        .await?;
        tx.execute(
            "DELETE FROM refresh_tokens WHERE expires_ms < $1",
            &[&now_ms],
        )
        .await?;
        insert_tokens_tx(&tx, tokens).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn access_grant(&self, access_hash: &str) -> Result<Option<AccessGrant>, StorageError> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT citizen_id, expires_ms FROM access_tokens WHERE hash = $1",
                &[&access_hash],
            )
            .await?;
        row.map(|r| {
            Ok(AccessGrant {
                citizen_id: r.try_get(0)?,
                expires_ms: r.try_get(1)?,
            })
        })
        .transpose()
    }

    async fn rotate_refresh(
        &self,
        old: &str,
        next: &TokenHashes,
        now_ms: i64,
        grace_ms: i64,
    ) -> Result<RotateOutcome, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let row = tx
            .query_opt(
                "SELECT family_id, citizen_id, expires_ms, used, rotated_ms, successor_hash \
                 FROM refresh_tokens WHERE hash = $1 FOR UPDATE",
                &[&old],
            )
            .await?;
        let Some(row) = row else {
            return Ok(RotateOutcome::Unknown);
        };
        let family_id: String = row.try_get(0)?;
        let citizen_id: String = row.try_get(1)?;
        let expires_ms: i64 = row.try_get(2)?;
        let used: bool = row.try_get(3)?;
        let rotated_ms: Option<i64> = row.try_get(4)?;
        let successor: Option<String> = row.try_get(5)?;
        if used {
            let in_grace = rotated_ms.is_some_and(|at| now_ms - at <= grace_ms);
            let unused_successor = match (&successor, in_grace) {
                (Some(hash), true) => tx
                    .query_opt(
                        "SELECT access_hash FROM refresh_tokens WHERE hash = $1 AND NOT used FOR UPDATE",
                        &[hash],
                    )
                    .await?
                    .map(|r| r.try_get::<_, Option<String>>(0))
                    .transpose()?,
                _ => None,
            };
            let (Some(successor), Some(Some(successor_access))) = (successor, unused_successor)
            else {
                tx.execute(
                    "DELETE FROM access_tokens WHERE family_id = $1",
                    &[&family_id],
                )
                .await?;
                tx.execute(
                    "DELETE FROM refresh_tokens WHERE family_id = $1",
                    &[&family_id],
                )
                .await?;
                tx.commit().await?;
                return Ok(RotateOutcome::Reused);
            };
            // A retry after a lost response: the undelivered pair is replaced.
            tx.execute("DELETE FROM refresh_tokens WHERE hash = $1", &[&successor])
                .await?;
            tx.execute(
                "DELETE FROM access_tokens WHERE hash = $1",
                &[&successor_access],
            )
            .await?;
        } else if expires_ms <= now_ms {
            return Ok(RotateOutcome::Expired);
        }
        tx.execute(
            "UPDATE refresh_tokens SET used = TRUE, rotated_ms = COALESCE(rotated_ms, $2), \
             successor_hash = $3 WHERE hash = $1",
            &[&old, &now_ms, &next.refresh_hash],
        )
        .await?;
        let tokens = NewTokens {
            hashes: next.clone(),
            family_id,
            citizen_id: citizen_id.clone(),
        };
        insert_tokens_tx(&tx, &tokens).await?;
        tx.commit().await?;
        Ok(RotateOutcome::Rotated { citizen_id })
    }

    async fn revoke_family(&self, refresh_hash: &str) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let family: Option<String> = tx
            .query_opt(
                "SELECT family_id FROM refresh_tokens WHERE hash = $1 FOR UPDATE",
                &[&refresh_hash],
            )
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        if let Some(family) = family {
            tx.execute("DELETE FROM access_tokens WHERE family_id = $1", &[&family])
                .await?;
            tx.execute(
                "DELETE FROM refresh_tokens WHERE family_id = $1",
                &[&family],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
