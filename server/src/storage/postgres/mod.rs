//! PostgreSQL storage, for deployments where several stateless server processes share
//! one database. Same contract as SQLite; the differences that matter:
//!
//! - Status entries are appended under a transaction-scoped advisory lock, so their
//!   sequence numbers commit in order and a feed cursor can never skip an entry that a
//!   slower transaction committed later with a lower number.
//! - Read-then-write steps lock the row (`FOR UPDATE`), so two processes racing on one
//!   refresh token or one submission cannot both win.

use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::StorageError;

mod auth;
mod submissions;
mod uploads;

/// Advisory lock key that serialises migrations across processes.
const MIGRATION_LOCK: i64 = 0x4c59_4e00_0001;
/// Advisory lock key that orders status entries (see the module doc).
pub(super) const STATUS_LOCK: i64 = 0x4c59_4e00_0002;

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
    // The status feed reads by owner and sequence; the owner never changes.
    r#"
ALTER TABLE status_events ADD COLUMN owner TEXT;
UPDATE status_events SET owner =
    (SELECT owner FROM submissions s WHERE s.instance_id = status_events.instance_id);
CREATE INDEX status_events_owner_seq ON status_events(owner, seq);
"#,
    // Counting a citizen's unfinished uploads (the per-citizen cap).
    r#"
CREATE INDEX uploads_owner ON uploads(owner, complete);
"#,
];

/// PostgreSQL-backed [`Storage`](super::Storage) over a connection pool.
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
