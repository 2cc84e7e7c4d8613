//! A database migrated step by step from the first schema equals a fresh one, and
//! keeps its data.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use layanan_device::testing::{CREATE, MIGRATIONS, VERSION};
use layanan_device::{StaticKeyVault, Store};
use rusqlite::Connection;

fn schema_of(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))
        .unwrap();
    rows.map(|r| {
        let (t, n, sql): (String, String, String) = r.unwrap();
        (t, n, sql.split_whitespace().collect::<Vec<_>>().join(" "))
    })
    .collect()
}

#[test]
fn step_by_step_migration_equals_fresh_schema() {
    assert_eq!(MIGRATIONS.len(), VERSION as usize);
    let dir = tempfile::tempdir().unwrap();

    // A version-1 database, as the first release wrote it, with a profile in it.
    let vault = StaticKeyVault::new([1; 32]);
    let old = dir.path().join("old");
    let profile_id = {
        let store = Store::open(&old).unwrap();
        store
            .create_profile("Lama", &vault)
            .unwrap()
            .id()
            .to_owned()
    };
    let conn = Connection::open(old.join("layanan.db")).unwrap();
    conn.execute_batch(
        "DROP TABLE sync_settings; DROP TABLE forms; DROP TABLE status_events; DROP TABLE sync_accounts; DROP TABLE outbox_attachments;
         DROP TABLE outbox; DROP TABLE attachments; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&old).unwrap();
    let p = store.unlock_profile(&profile_id, &vault).unwrap();
    p.add_attachment(None, "a.jpg", "image/jpeg", &b"after upgrade"[..])
        .unwrap();
    let migrated = Connection::open(old.join("layanan.db")).unwrap();

    let fresh_dir = dir.path().join("fresh");
    drop(Store::open(&fresh_dir).unwrap());
    let fresh = Connection::open(fresh_dir.join("layanan.db")).unwrap();

    let version = |c: &Connection| {
        c.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))
            .unwrap()
    };
    assert_eq!(version(&migrated), VERSION);
    assert_eq!(version(&fresh), VERSION);
    assert_eq!(schema_of(&migrated), schema_of(&fresh));

    // And the fresh schema is exactly what CREATE says: every migration step's
    // objects exist in it.
    let raw = Connection::open_in_memory().unwrap();
    raw.execute_batch(CREATE).unwrap();
    assert_eq!(schema_of(&raw), schema_of(&fresh));
    let stepwise = Connection::open_in_memory().unwrap();
    for step in MIGRATIONS {
        stepwise.execute_batch(step).unwrap();
    }
    assert_eq!(schema_of(&stepwise), schema_of(&raw));
}
