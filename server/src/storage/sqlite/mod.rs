//! SQLite storage: one file, one connection (one writer: no "database is locked"),
//! WAL, and `synchronous=FULL` because a 201 is a promise that the submission survives
//! a power cut: the device marks the item sent on it and never sends it again.
//! Blocking calls run on tokio's blocking pool, never on the async workers.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, Transaction};

use super::StorageError;

mod auth;
mod submissions;
mod uploads;

/// Numbered migrations; `user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE citizens (
    id TEXT PRIMARY KEY,
    phone_key TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    phone_key TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE refresh_tokens (
    hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE TABLE access_tokens (
    hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX access_tokens_family ON access_tokens(family_id);
CREATE TABLE submissions (
    instance_id TEXT PRIMARY KEY,
    owner TEXT,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    xml_sha256 TEXT NOT NULL,
    xml_blob TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    state TEXT NOT NULL,
    receipt_json TEXT NOT NULL
);
CREATE INDEX submissions_owner ON submissions(owner, received_ms);
CREATE TABLE attachments (
    instance_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    owner TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (instance_id, file_name)
);
CREATE TABLE status_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT,
    at_ms INTEGER NOT NULL
);
CREATE INDEX status_events_instance ON status_events(instance_id);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    total_size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    offset_bytes INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX uploads_instance ON uploads(instance_id);
"#,
    r#"
ALTER TABLE refresh_tokens ADD COLUMN access_hash TEXT;
ALTER TABLE refresh_tokens ADD COLUMN rotated_ms INTEGER;
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

/// SQLite-backed [`Storage`](super::Storage).
#[derive(Debug, Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStorage {
    /// Opens (creating if needed) and migrates the database file.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` in one transaction on the blocking pool; commits only if `f` succeeds.
    async fn write<T, F>(&self, f: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, StorageError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| StorageError::Task)?;
            let tx = guard.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(|_| StorageError::Task)?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let done = usize::try_from(version).map_err(|_| StorageError::Corrupt("user_version"))?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(i + 1).unwrap_or(i64::MAX),
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_one_database_upgrades_and_keeps_its_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO refresh_tokens (hash, family_id, citizen_id, expires_ms) \
                 VALUES ('h', 'f', 'c', 9)",
                [],
            )
            .unwrap();
            conn.execute_batch(
                "INSERT INTO submissions VALUES ('uuid:1', 'c', 'f', '1', 'x', 'b', 1, 1, \
                 'received', '{}'); \
                 INSERT INTO status_events (instance_id, state, at_ms) VALUES ('uuid:1', 'received', 1);",
            )
            .unwrap();
        }
        let upgraded = SqliteStorage::open(&path).unwrap();
        let fresh = SqliteStorage::open(&dir.path().join("fresh.sqlite3")).unwrap();
        let schema = |s: &SqliteStorage| -> Vec<String> {
            let conn = s.conn.lock().unwrap();
            let mut stmt = conn
                .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(schema(&upgraded), schema(&fresh));
        let conn = upgraded.conn.lock().unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let kept: (String, Option<String>) = conn
            .query_row(
                "SELECT family_id, successor_hash FROM refresh_tokens WHERE hash = 'h'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("f".to_owned(), None));
        let owner: Option<String> = conn
            .query_row(
                "SELECT owner FROM status_events WHERE instance_id = 'uuid:1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            owner.as_deref(),
            Some("c"),
            "migration 3 backfills the owner"
        );
    }
}
