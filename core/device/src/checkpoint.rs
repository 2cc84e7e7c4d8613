//! Deliberate WAL checkpoints, recorded in the guard file.
//!
//! Left to itself SQLite checkpoints when the WAL reaches 1,000 pages (about 4 MB),
//! so on a phone that writes a few drafts a day the data can live for days in the
//! WAL only, where a damaged or deleted WAL file takes it. The store checkpoints
//! after finalize, after a sync run, on close, at open when there is anything in
//! the WAL, and when the shell says the app goes to the background
//! ([`crate::Store::checkpoint`]). Each checkpoint is `TRUNCATE` (the WAL file is
//! emptied, so the next commit starts a fresh log) and is then recorded, fsynced,
//! in the guard: the generation it moved into the main file, the main file's
//! length and the time. The orphan sweep trusts only files older than that time.
//!
//! Never checkpoint a damaged store: a checkpoint of a WAL whose tail SQLite ignores
//! would make the loss permanent. Only a [`crate::Store`] (opened healthy) gets here.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{io, Result, StoreError};
use crate::model::now_ms;
use crate::store::StoreInner;

/// Length of a file in bytes (0 when absent).
pub(crate) fn file_len(path: &Path) -> Result<u64> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(io("inspect the database file")(e)),
    }
}

/// True when `e` says another connection kept the checkpoint from finishing.
pub(crate) fn is_busy(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(e) if matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    ))
}

/// A `TRUNCATE` checkpoint on `conn`, which must be the writer outside a
/// transaction. Fails (busy) unless every frame reached the main file and the WAL
/// was emptied; SQLite waits for readers up to the busy timeout first.
pub(crate) fn truncate_wal(conn: &Connection) -> Result<()> {
    // One row: busy (1 when a reader or writer kept it from finishing), frames in
    // the WAL, frames checkpointed.
    let (busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    if busy != 0 || (log > 0 && done < log) {
        return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("checkpoint incomplete".into()),
        )));
    }
    Ok(())
}

/// Checkpoints and records it in the guard; returns when the checkpoint started.
pub(crate) fn run(inner: &StoreInner) -> Result<i64> {
    let conn = inner.writer_conn();
    let started = now_ms();
    let generation = inner.guard().record().generation;
    if inner.guard().record().tag.is_some() {
        // The last commit was an autosave, whose generation lives in its draft row:
        // put it in `store_meta`, so the checkpointed generation is found there.
        conn.execute(
            "UPDATE store_meta SET generation = max(generation, ?1) WHERE id = 1",
            [i64::try_from(generation).unwrap_or(i64::MAX)],
        )?;
        inner.mirror(generation, None);
    }
    truncate_wal(&conn)?;
    let db_len = file_len(&inner.db_path())?;
    let mut guard = inner.guard();
    guard
        .record_checkpoint(generation, db_len, started)
        .map_err(io("record a checkpoint in the guard file"))?;
    tracing::debug!(generation, "checkpointed the store");
    Ok(started)
}

/// Checkpoints when anything was committed since the last checkpoint (or the WAL
/// is not empty); returns the time of the last checkpoint either way.
pub(crate) fn run_if_needed(inner: &StoreInner) -> Result<i64> {
    let record = inner.guard().record().clone();
    let wal = inner
        .db_path()
        .with_file_name(format!("{}-wal", crate::integrity::DB_FILE));
    if record.generation == record.checkpointed_generation && file_len(&wal)? == 0 {
        return Ok(record.checkpoint_at_ms);
    }
    run(inner)
}

/// A checkpoint after work that is already committed (finalize, a sync run): a
/// failure only delays it to the next checkpoint, so it is logged, not returned.
pub(crate) fn quietly(inner: &StoreInner) {
    if let Err(e) = run(inner) {
        tracing::warn!(error = %e, "could not checkpoint the store; trying again later");
    }
}
