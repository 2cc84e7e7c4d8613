//! SQLite storage: one file, one connection (one writer: no "database is locked"),
//! WAL, and `synchronous=FULL` because a 201 is a promise to the citizen that their
//! submission survives a power cut; the device deletes its copy's urgency on it.
//! Blocking calls run on tokio's blocking pool, never on the async workers.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use layanan_protocol::{StatusEntry, SubmissionState};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::*;

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
];

/// SQLite-backed [`Storage`].
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

fn insert_attachment_tx(
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
impl Storage for SqliteStorage {
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
                "INSERT INTO status_events (instance_id, state, note, at_ms) VALUES (?1, ?2, NULL, ?3)",
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
                "INSERT INTO status_events (instance_id, state, note, at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![id, next.as_str(), note, at_ms],
            )?;
            Ok(StateChange::Changed(StatusEntry { instance_id: id, form_id, state: next, note, at_ms }))
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
                 WHERE s.owner = ?1 AND e.seq > ?2 ORDER BY e.seq LIMIT ?3",
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
    }
}
