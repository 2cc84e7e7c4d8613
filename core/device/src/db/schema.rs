//! The store's schema and its numbered migrations.
//!
//! `PRAGMA user_version` holds the schema version. A new database gets [`CREATE`]
//! at once; an older one runs each step of [`MIGRATIONS`] from its version up, each
//! step in its own transaction. A test builds a database step by step from version 1
//! and checks its schema equals a fresh one, so the two paths cannot drift.
//!
//! Sealed columns (BLOB) hold envelopes from `crypto::seal`; ids, timestamps, sizes
//! and states stay plain so they can be indexed and listed without a key.

use rusqlite::Connection;

use crate::error::{Result, StoreError};

/// Schema version this release writes.
pub const VERSION: u32 = 6;

/// The whole schema at [`VERSION`], for a new database.
pub const CREATE: &str = "
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'wiping')),
    wrapped_key BLOB,
    canary      BLOB,
    details     BLOB
) STRICT;

CREATE TABLE drafts (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id),
    form_id      TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    answers      BLOB NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX drafts_by_profile ON drafts(profile_id, updated_at);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    draft_id    TEXT REFERENCES drafts(id),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    chunk_size  INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    meta        BLOB NOT NULL
) STRICT;
CREATE INDEX attachments_by_draft ON attachments(profile_id, draft_id);

CREATE TABLE outbox (
    instance_id     TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL REFERENCES profiles(id),
    seq             INTEGER NOT NULL,
    form_id         TEXT NOT NULL,
    form_version    TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    backoff_level   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    error_code      TEXT,
    agency_state    TEXT,
    submission      BLOB NOT NULL,
    error           BLOB,
    receipt         BLOB
) STRICT;
CREATE INDEX outbox_by_state ON outbox(profile_id, state, next_attempt_at);

CREATE TABLE outbox_attachments (
    instance_id   TEXT NOT NULL REFERENCES outbox(instance_id),
    attachment_id TEXT NOT NULL REFERENCES attachments(id),
    upload_id     TEXT,
    uploaded      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (instance_id, attachment_id)
) STRICT;

CREATE TABLE sync_accounts (
    profile_id    TEXT PRIMARY KEY REFERENCES profiles(id),
    server_url    TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    session       BLOB,
    status_cursor BLOB
) STRICT;

CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    instance_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0,
    note        BLOB,
    UNIQUE (profile_id, instance_id, state, at_ms)
) STRICT;
CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);

CREATE TABLE forms (
    form_id       TEXT PRIMARY KEY,
    version       TEXT NOT NULL,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL,
    downloaded_at INTEGER NOT NULL,
    xml           BLOB NOT NULL
) STRICT;

CREATE TABLE sync_settings (
    profile_id  TEXT PRIMARY KEY REFERENCES profiles(id),
    wifi_only   INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE store_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   BLOB NOT NULL,
    generation INTEGER NOT NULL
) STRICT;
INSERT INTO store_meta (id, store_id, generation) VALUES (1, randomblob(16), 0);
";

/// `MIGRATIONS[n]` moves a database from version `n` to `n + 1`. Never edit a
/// released step; add a new one.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: profiles and drafts.
    "
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'wiping')),
    wrapped_key BLOB,
    canary      BLOB,
    details     BLOB
) STRICT;

CREATE TABLE drafts (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id),
    form_id      TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    answers      BLOB NOT NULL
) STRICT;
CREATE INDEX drafts_by_profile ON drafts(profile_id, updated_at);
",
    // 1 -> 2: chunk-sealed attachments.
    "
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    draft_id    TEXT REFERENCES drafts(id),
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    chunk_size  INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    meta        BLOB NOT NULL
) STRICT;
CREATE INDEX attachments_by_draft ON attachments(profile_id, draft_id);
",
    // 2 -> 3: the outbox, server accounts and the agency's status events.
    "
CREATE TABLE outbox (
    instance_id     TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL REFERENCES profiles(id),
    seq             INTEGER NOT NULL,
    form_id         TEXT NOT NULL,
    form_version    TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    backoff_level   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    error_code      TEXT,
    agency_state    TEXT,
    submission      BLOB NOT NULL,
    error           BLOB,
    receipt         BLOB
) STRICT;
CREATE INDEX outbox_by_state ON outbox(profile_id, state, next_attempt_at);

CREATE TABLE outbox_attachments (
    instance_id   TEXT NOT NULL REFERENCES outbox(instance_id),
    attachment_id TEXT NOT NULL REFERENCES attachments(id),
    upload_id     TEXT,
    uploaded      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (instance_id, attachment_id)
) STRICT;

CREATE TABLE sync_accounts (
    profile_id    TEXT PRIMARY KEY REFERENCES profiles(id),
    server_url    TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    session       BLOB,
    status_cursor BLOB
) STRICT;

CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    instance_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0,
    note        BLOB,
    UNIQUE (profile_id, instance_id, state, at_ms)
) STRICT;
CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);
",
    // 3 -> 4: forms kept for offline use (public documents: stored plain, shared by
    // every profile).
    "
CREATE TABLE forms (
    form_id       TEXT PRIMARY KEY,
    version       TEXT NOT NULL,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL,
    downloaded_at INTEGER NOT NULL,
    xml           BLOB NOT NULL
) STRICT;
",
    // 4 -> 5: repairs the two tables whose released steps were edited in place
    // (databases made at 088ddba/7b0c204 lack `status_events`' UNIQUE key and
    // `outbox.backoff_level`, and would fail at their first sync), by rebuilding them
    // in today's shape (SQLite's 12-step table change: foreign keys are off for the
    // step, see `upgrade_one`); and adds per-profile sync settings, so a background
    // process started cold (WorkManager, BGTaskScheduler) honours the citizen's choice.
    // `backoff_level` restarts at 0 (the next failure backs off from the start);
    // `next_attempt_at` is kept.
    "
ALTER TABLE outbox RENAME TO outbox_v4;
CREATE TABLE outbox (
    instance_id     TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL REFERENCES profiles(id),
    seq             INTEGER NOT NULL,
    form_id         TEXT NOT NULL,
    form_version    TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'wedged')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    backoff_level   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    error_code      TEXT,
    agency_state    TEXT,
    submission      BLOB NOT NULL,
    error           BLOB,
    receipt         BLOB
) STRICT;
INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state, attempts,
                    next_attempt_at, created_at, updated_at, error_code, agency_state,
                    submission, error, receipt)
    SELECT instance_id, profile_id, seq, form_id, form_version, state, attempts,
           next_attempt_at, created_at, updated_at, error_code, agency_state,
           submission, error, receipt
    FROM outbox_v4;
DROP TABLE outbox_v4;
CREATE INDEX outbox_by_state ON outbox(profile_id, state, next_attempt_at);

ALTER TABLE status_events RENAME TO status_events_v4;
CREATE TABLE status_events (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL REFERENCES profiles(id),
    instance_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0,
    note        BLOB,
    UNIQUE (profile_id, instance_id, state, at_ms)
) STRICT;
INSERT OR IGNORE INTO status_events (id, profile_id, instance_id, state, at_ms, notified, note)
    SELECT id, profile_id, instance_id, state, at_ms, notified, note FROM status_events_v4;
DROP TABLE status_events_v4;
CREATE INDEX status_events_by_profile ON status_events(profile_id, notified, id);

CREATE TABLE sync_settings (
    profile_id  TEXT PRIMARY KEY REFERENCES profiles(id),
    wifi_only   INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
) STRICT;
",
    // 5 -> 6: the store's identity and commit generation (`store_meta`), which every
    // write transaction bumps and the guard file mirrors, so that a database that lost
    // commits (a missing or damaged WAL) is told from a new one (`integrity.rs`,
    // ADR 0005). Generation 0 means nothing was committed through the store yet.
    // An autosave writes its generation into the draft row it updates instead
    // (`drafts.generation`), so the hottest write touches no extra page. `drafts` is
    // rebuilt (not altered) so that its schema text is exactly the fresh one.
    "
ALTER TABLE drafts RENAME TO drafts_v5;
CREATE TABLE drafts (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id),
    form_id      TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    answers      BLOB NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers)
    SELECT id, profile_id, form_id, form_version, created_at, updated_at, answers
    FROM drafts_v5;
DROP TABLE drafts_v5;
CREATE INDEX drafts_by_profile ON drafts(profile_id, updated_at);

CREATE TABLE store_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   BLOB NOT NULL,
    generation INTEGER NOT NULL
) STRICT;
INSERT INTO store_meta (id, store_id, generation) VALUES (1, randomblob(16), 0);
",
];

const _: () = assert!(MIGRATIONS.len() == VERSION as usize);

/// The database's schema version.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema to [`VERSION`]: creates it on an empty database, migrates an
/// older one step by step, refuses a newer one.
pub fn init_or_upgrade(conn: &mut Connection) -> Result<()> {
    let found = version(conn)?;
    if found > VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: VERSION,
        });
    }
    if found == 0 {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(CREATE)?;
        tx.pragma_update(None, "user_version", VERSION)?;
        tx.commit()?;
        tracing::info!(version = VERSION, "created store schema");
        return Ok(());
    }
    for step in found..VERSION {
        upgrade_one(conn, step)?;
    }
    Ok(())
}

/// Runs migration `from -> from + 1` in its own transaction.
///
/// Foreign keys are off while a step runs (a step may rebuild a table that others
/// reference: renaming it must not rewrite their REFERENCES clauses), and the step
/// commits only if `PRAGMA foreign_key_check` then finds nothing broken.
pub fn upgrade_one(conn: &mut Connection, from: u32) -> Result<()> {
    let sql = MIGRATIONS
        .get(from as usize)
        .ok_or_else(|| StoreError::Internal(format!("no migration from version {from}")))?;
    let foreign_keys: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "legacy_alter_table", true)?;
    let result = run_step(conn, sql, from);
    conn.pragma_update(None, "legacy_alter_table", false)?;
    conn.pragma_update(None, "foreign_keys", foreign_keys)?;
    result?;
    tracing::info!(from, to = from + 1, "migrated store schema");
    Ok(())
}

fn run_step(conn: &mut Connection, sql: &str, from: u32) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(sql)?;
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if broken > 0 {
        return Err(StoreError::Internal(format!(
            "migration from version {from} left {broken} broken references; not applied"
        )));
    }
    tx.pragma_update(None, "user_version", from + 1)?;
    tx.commit()?;
    Ok(())
}
