//! PostgreSQL storage, for deployments where several stateless server processes share
//! one database. Same contract as SQLite; the differences that matter:
//!
//! - Status entries are appended under a transaction-scoped advisory lock, so their
//!   sequence numbers commit in order and a feed cursor can never skip an entry that a
//!   slower transaction committed later with a lower number.
//! - Read-then-write steps lock the row (`FOR UPDATE`), so two processes racing on one
//!   refresh token or one submission cannot both win.

use std::str::FromStr;

use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use layanan_protocol::{StatusEntry, SubmissionState};
use tokio_postgres::{NoTls, Row};

use super::*;

/// Advisory lock key that serialises migrations across processes.
const MIGRATION_LOCK: i64 = 0x4c59_4e00_0001;
/// Advisory lock key that orders status entries (see the module doc).
const STATUS_LOCK: i64 = 0x4c59_4e00_0002;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE citizens (
    id TEXT PRIMARY KEY,
    phone_key TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL
);
CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    phone_key TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_ms BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE refresh_tokens (
    hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE TABLE access_tokens (
    hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX access_tokens_family ON access_tokens(family_id);
CREATE TABLE submissions (
    instance_id TEXT PRIMARY KEY,
    owner TEXT,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    xml_sha256 TEXT NOT NULL,
    xml_blob TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    complete BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    receipt_json TEXT NOT NULL
);
CREATE INDEX submissions_owner ON submissions(owner, received_ms);
CREATE TABLE attachments (
    instance_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    owner TEXT,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (instance_id, file_name)
);
CREATE TABLE status_events (
    seq BIGSERIAL PRIMARY KEY,
    instance_id TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT,
    at_ms BIGINT NOT NULL
);
CREATE INDEX status_events_instance ON status_events(instance_id);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    total_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    offset_bytes BIGINT NOT NULL,
    complete BOOLEAN NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX uploads_instance ON uploads(instance_id);
"#,
    r#"
ALTER TABLE refresh_tokens ADD COLUMN access_hash TEXT;
ALTER TABLE refresh_tokens ADD COLUMN rotated_ms BIGINT;
ALTER TABLE refresh_tokens ADD COLUMN successor_hash TEXT;
"#,
];

/// PostgreSQL-backed [`Storage`] over a connection pool.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresStorage { .. }")
    }
}

fn pool_err(e: impl std::fmt::Display) -> StorageError {
    StorageError::Pool(e.to_string())
}

impl PostgresStorage {
    /// Connects, creates `schema` if given (names of `[a-z0-9_]` only), and migrates.
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Self, StorageError> {
        let mut config = tokio_postgres::Config::from_str(url)?;
        if let Some(schema) = schema {
            if schema.is_empty()
                || !schema
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(StorageError::Corrupt("schema name must be [a-z0-9_]"));
            }
            let (client, conn) = config.connect(NoTls).await?;
            let task = tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .await?;
            drop(client);
            let _ = task.await;
            config.options(format!("-c search_path={schema}"));
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(pool_err)?;
        let storage = Self { pool };
        storage.migrate().await?;
        Ok(storage)
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        let mut client = self.pool.get().await.map_err(pool_err)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        )
        .await?;
        let done: i64 = tx
            .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
            .await?
            .try_get(0)?;
        for (i, step) in MIGRATIONS.iter().enumerate() {
            let version = i32::try_from(i + 1).map_err(|_| StorageError::Corrupt("version"))?;
            if i64::from(version) <= done {
                continue;
            }
            tx.batch_execute(step).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StorageError> {
        self.pool.get().await.map_err(pool_err)
    }
}

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

async fn insert_attachment_tx(
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
        "INSERT INTO status_events (instance_id, state, note, at_ms) VALUES ($1, $2, $3, $4)",
        &[&instance_id, &state.as_str(), &note, &at_ms],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl Storage for PostgresStorage {
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
                 WHERE s.owner = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
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
