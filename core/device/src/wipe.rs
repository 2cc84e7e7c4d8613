//! Wiping a profile, in an order that survives a crash at any point.
//!
//! 1. One transaction marks the profile `wiping` and clears its wrapped key and
//!    canary (crypto-shredding), then a `TRUNCATE` checkpoint moves that into the
//!    main file and empties the WAL, so the old key bytes do not linger in it;
//!    `secure_delete` zeroes the freed space in the main file. The profile's key
//!    slot (the copy kept for recovery, `keyslot.rs`) is deleted at once.
//! 2. Attachment files are deleted, then the rows, then the profile row, and the
//!    WAL is emptied again.
//!
//! A reader holding an older snapshot keeps the checkpoint from finishing (its
//! snapshot still needs the WAL's old frames, key bytes included). The wipe then
//! waits for it (SQLite's busy timeout, retried up to [`WIPE_WAIT`]) and, if the
//! reader is still there, fails with [`StoreError::WipePending`] rather than report
//! success while the WAL holds the key: success means the WAL file is empty.
//!
//! [`Store::open`](crate::Store::open) runs step 2 for any profile left `wiping`.

use std::time::{Duration, Instant};

use rusqlite::params;

use crate::error::{io, Result, StoreError};
use crate::store::StoreInner;

pub(crate) fn shred_key(inner: &StoreInner, profile_id: &str) -> Result<()> {
    let changed = inner.with_writer(|c| {
        Ok(c.execute(
            "UPDATE profiles SET state = 'wiping', wrapped_key = NULL, canary = NULL
             WHERE id = ?1",
            [profile_id],
        )?)
    })?;
    if changed == 0 {
        return Err(StoreError::ProfileNotFound(profile_id.to_owned()));
    }
    crate::keyslot::remove(inner.root(), profile_id)?;
    checkpoint(inner)?;
    tracing::info!(profile = %profile_id, "shredded profile key");
    Ok(())
}

pub(crate) fn delete_profile_data(inner: &StoreInner, profile_id: &str) -> Result<()> {
    crate::keyslot::remove(inner.root(), profile_id)?;
    let dir = inner.attachments_dir(profile_id);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("delete a profile's attachments")(e)),
    }
    inner.write(|tx| {
        // Children before parents; every table that names the profile is listed here.
        for sql in [
            "DELETE FROM outbox_attachments WHERE instance_id IN
               (SELECT instance_id FROM outbox WHERE profile_id = ?1)",
            "DELETE FROM outbox WHERE profile_id = ?1",
            "DELETE FROM status_events WHERE profile_id = ?1",
            "DELETE FROM sync_accounts WHERE profile_id = ?1",
            "DELETE FROM sync_settings WHERE profile_id = ?1",
            "DELETE FROM attachments WHERE profile_id = ?1",
            "DELETE FROM drafts WHERE profile_id = ?1",
            "DELETE FROM profiles WHERE id = ?1 AND state = 'wiping'",
        ] {
            tx.execute(sql, params![profile_id])?;
        }
        Ok(())
    })?;
    checkpoint(inner)?;
    tracing::info!(profile = %profile_id, "wiped profile");
    Ok(())
}

/// Finishes wipes that a crash interrupted after the key was shredded.
pub(crate) fn finish_interrupted(inner: &StoreInner) -> Result<()> {
    let pending: Vec<String> = inner.read(|c| {
        let mut stmt = c.prepare("SELECT id FROM profiles WHERE state = 'wiping'")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<String>>>()?)
    })?;
    for id in pending {
        // The key is already shredded, so the leftovers are unreadable; a failure
        // here must not keep the other profiles from opening. Retried next open.
        if let Err(e) = delete_profile_data(inner, &id) {
            tracing::warn!(profile = %id, error = %e, "could not finish wiping a profile");
        }
    }
    Ok(())
}

/// How long a wipe keeps retrying a checkpoint that readers block (each attempt
/// itself waits up to the connection's busy timeout).
pub(crate) const WIPE_WAIT: Duration = Duration::from_secs(3);

/// Checkpoints until the WAL file is empty, or fails with [`StoreError::WipePending`].
fn checkpoint(inner: &StoreInner) -> Result<()> {
    let deadline = Instant::now() + WIPE_WAIT;
    loop {
        match crate::checkpoint::run(inner) {
            Ok(_) => break,
            Err(e) if crate::checkpoint::is_busy(&e) => {
                if Instant::now() >= deadline {
                    tracing::warn!("a reader keeps the wipe's checkpoint from finishing");
                    return Err(StoreError::WipePending);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e),
        }
    }
    let wal = inner
        .db_path()
        .with_file_name(format!("{}-wal", crate::integrity::DB_FILE));
    if crate::checkpoint::file_len(&wal)? != 0 {
        return Err(StoreError::WipePending);
    }
    Ok(())
}
