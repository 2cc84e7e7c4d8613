//! Opening the store's two connections.
//!
//! One writer connection does every write (several writers are how apps end up with
//! "database is locked"); one reader connection serves lists and loads, which WAL lets
//! run while a write is in progress. `synchronous = NORMAL` in WAL mode keeps every
//! committed transaction through an app kill (only power loss can roll back the last
//! commits), at a fraction of the cost of FULL.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::Result;

fn apply_common_pragmas(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted rows (shredded keys, wiped profiles) are overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Opens (creating if needed) the writer connection and brings the schema up to date.
pub(crate) fn open_writer(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The first statement that touches the file is where SQLite notices a damaged or
    // foreign file; the From impl turns that into StoreError::DatabaseCorrupt.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(crate::StoreError::Internal(format!(
            "SQLite refused WAL mode (got {mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    apply_common_pragmas(&conn)?;
    super::schema::init_or_upgrade(&mut conn)?;
    Ok(conn)
}

/// Opens the read-only connection. Call after [`open_writer`] created the schema.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    apply_common_pragmas(&conn)?;
    Ok(conn)
}
