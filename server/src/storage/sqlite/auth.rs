//! Sign-in challenges, citizens and token families in SQLite.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension, Transaction};

use super::SqliteStorage;
use crate::storage::*;

fn insert_tokens_tx(tx: &Transaction<'_>, t: &NewTokens) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO access_tokens (hash, family_id, citizen_id, expires_ms) VALUES (?1, ?2, ?3, ?4)",
        params![t.hashes.access_hash, t.family_id, t.citizen_id, t.hashes.access_expires_ms],
    )?;
    tx.execute(
        "INSERT INTO refresh_tokens (hash, family_id, citizen_id, expires_ms, access_hash) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            t.hashes.refresh_hash,
            t.family_id,
            t.citizen_id,
            t.hashes.refresh_expires_ms,
            t.hashes.access_hash
        ],
    )?;
    Ok(())
}

#[async_trait]
impl AuthStore for SqliteStorage {
    async fn insert_challenge(&self, c: &Challenge) -> Result<(), StorageError> {
        let c = c.clone();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO challenges (id, phone_key, code_hash, expires_ms) VALUES (?1, ?2, ?3, ?4)",
                params![c.id, c.phone_key, c.code_hash, c.expires_ms],
            )?;
            // Expired challenges are worthless: sweep them while we hold the writer.
            tx.execute("DELETE FROM challenges WHERE expires_ms < ?1", params![c.expires_ms - 86_400_000])?;
            Ok(())
        })
        .await
    }

    async fn challenge(&self, id: &str) -> Result<Option<Challenge>, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT id, phone_key, code_hash, expires_ms, attempts, used FROM challenges WHERE id = ?1",
                    params![id],
                    |r| {
                        Ok(Challenge {
                            id: r.get(0)?,
                            phone_key: r.get(1)?,
                            code_hash: r.get(2)?,
                            expires_ms: r.get(3)?,
                            attempts: r.get(4)?,
                            used: r.get(5)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn record_failed_attempt(&self, id: &str) -> Result<u32, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            tx.execute(
                "UPDATE challenges SET attempts = attempts + 1 WHERE id = ?1",
                params![id],
            )?;
            Ok(tx
                .query_row(
                    "SELECT attempts FROM challenges WHERE id = ?1",
                    params![id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(u32::MAX))
        })
        .await
    }

    async fn consume_challenge(&self, id: &str) -> Result<bool, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| {
            Ok(tx.execute(
                "UPDATE challenges SET used = 1 WHERE id = ?1 AND used = 0",
                params![id],
            )? == 1)
        })
        .await
    }

    async fn citizen_for_phone(
        &self,
        phone_key: &str,
        new_id: &str,
        now_ms: i64,
    ) -> Result<String, StorageError> {
        let (phone_key, new_id) = (phone_key.to_owned(), new_id.to_owned());
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO citizens (id, phone_key, created_ms) VALUES (?1, ?2, ?3) ON CONFLICT (phone_key) DO NOTHING",
                params![new_id, phone_key, now_ms],
            )?;
            Ok(tx.query_row("SELECT id FROM citizens WHERE phone_key = ?1", params![phone_key], |r| r.get(0))?)
        })
        .await
    }

    async fn insert_tokens(&self, tokens: &NewTokens, now_ms: i64) -> Result<(), StorageError> {
        let tokens = tokens.clone();
        self.write(move |tx| {
            tx.execute(
                "DELETE FROM access_tokens WHERE expires_ms < ?1",
                params![now_ms],
            )?;
            tx.execute(
                "DELETE FROM refresh_tokens WHERE expires_ms < ?1",
                params![now_ms],
            )?;
            insert_tokens_tx(tx, &tokens)
        })
        .await
    }

    async fn access_grant(&self, access_hash: &str) -> Result<Option<AccessGrant>, StorageError> {
        let hash = access_hash.to_owned();
        self.write(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT citizen_id, expires_ms FROM access_tokens WHERE hash = ?1",
                    params![hash],
                    |r| {
                        Ok(AccessGrant {
                            citizen_id: r.get(0)?,
                            expires_ms: r.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn rotate_refresh(
        &self,
        old: &str,
        next: &TokenHashes,
        now_ms: i64,
        grace_ms: i64,
    ) -> Result<RotateOutcome, StorageError> {
        let (old, next) = (old.to_owned(), next.clone());
        self.write(move |tx| {
            let row: Option<(String, String, i64, bool, Option<i64>, Option<String>)> = tx
                .query_row(
                    "SELECT family_id, citizen_id, expires_ms, used, rotated_ms, successor_hash \
                     FROM refresh_tokens WHERE hash = ?1",
                    params![old],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .optional()?;
            let Some((family_id, citizen_id, expires_ms, used, rotated_ms, successor)) = row else {
                return Ok(RotateOutcome::Unknown);
            };
            if used {
                let in_grace = rotated_ms.is_some_and(|at| now_ms - at <= grace_ms);
                let unused_successor: Option<Option<String>> = match (&successor, in_grace) {
                    (Some(hash), true) => tx
                        .query_row(
                            "SELECT access_hash FROM refresh_tokens WHERE hash = ?1 AND used = 0",
                            params![hash],
                            |r| r.get(0),
                        )
                        .optional()?,
                    _ => None,
                };
                let (Some(successor), Some(successor_access)) = (successor, unused_successor)
                else {
                    tx.execute(
                        "DELETE FROM access_tokens WHERE family_id = ?1",
                        params![family_id],
                    )?;
                    tx.execute(
                        "DELETE FROM refresh_tokens WHERE family_id = ?1",
                        params![family_id],
                    )?;
                    return Ok(RotateOutcome::Reused);
                };
                // A retry after a lost response: the undelivered pair is replaced.
                tx.execute(
                    "DELETE FROM refresh_tokens WHERE hash = ?1",
                    params![successor],
                )?;
                tx.execute(
                    "DELETE FROM access_tokens WHERE hash = ?1",
                    params![successor_access],
                )?;
            } else if expires_ms <= now_ms {
                return Ok(RotateOutcome::Expired);
            }
            tx.execute(
                "UPDATE refresh_tokens SET used = 1, rotated_ms = COALESCE(rotated_ms, ?2), \
                 successor_hash = ?3 WHERE hash = ?1",
                params![old, now_ms, next.refresh_hash],
            )?;
            insert_tokens_tx(
                tx,
                &NewTokens {
                    hashes: next,
                    family_id,
                    citizen_id: citizen_id.clone(),
                },
            )?;
            Ok(RotateOutcome::Rotated { citizen_id })
        })
        .await
    }

    async fn revoke_family(&self, refresh_hash: &str) -> Result<(), StorageError> {
        let hash = refresh_hash.to_owned();
        self.write(move |tx| {
            let family: Option<String> = tx
                .query_row(
                    "SELECT family_id FROM refresh_tokens WHERE hash = ?1",
                    params![hash],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(family) = family {
                tx.execute(
                    "DELETE FROM access_tokens WHERE family_id = ?1",
                    params![family],
                )?;
                tx.execute(
                    "DELETE FROM refresh_tokens WHERE family_id = ?1",
                    params![family],
                )?;
            }
            Ok(())
        })
        .await
    }
}
