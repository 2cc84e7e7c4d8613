//! A database migrated step by step from the first schema equals a fresh one, and
//! keeps its data; and every released schema, frozen in `tests/frozen/` as it really
//! shipped (see its README.md), upgrades to exactly the fresh schema with its rows.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use layanan_device::testing::{upgrade_one, CREATE, MIGRATIONS, VERSION};
use layanan_device::{StaticKeyVault, Store};
use rusqlite::types::Value;
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
        (t, n, normalise(&sql))
    })
    .collect()
}

/// Whitespace and identifier quoting are not schema: `CREATE TABLE "outbox"` (what
/// SQLite writes when a migration renames a rebuilt table) is `CREATE TABLE outbox`.
fn normalise(sql: &str) -> String {
    sql.replace('"', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
        "DROP TABLE store_meta; ALTER TABLE drafts DROP COLUMN generation; DROP TABLE sync_settings; DROP TABLE forms; DROP TABLE status_events; DROP TABLE sync_accounts; DROP TABLE outbox_attachments;
         DROP TABLE outbox; DROP TABLE attachments; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    // A version-1 store had no guard file (a guard beside an older database is
    // reported as a rollback).
    std::fs::remove_file(old.join("layanan.db.guard")).unwrap();

    let store = Store::open(&old).unwrap();
    let p = store.unlock_profile(&profile_id, &vault).unwrap();
    p.attachments()
        .add(None, "a.jpg", "image/jpeg", &b"after upgrade"[..])
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
    // Every step through the store's own runner (a step may rebuild a table, which
    // the runner does with foreign keys off).
    let mut stepwise = Connection::open_in_memory().unwrap();
    stepwise.pragma_update(None, "foreign_keys", true).unwrap();
    for from in 0..VERSION {
        upgrade_one(&mut stepwise, from).unwrap();
    }
    assert_eq!(schema_of(&stepwise), schema_of(&raw));
}

// ---------------------------------------------------------------------------------
// Frozen databases of every released schema version.

const FROZEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/frozen");
/// The key-encryption key the frozen databases were written with.
const FROZEN_KEK: [u8; 32] = [0x4c; 32];

#[derive(Debug)]
struct Frozen {
    name: String,
    version: u32,
    sql: String,
}

/// Every `v<N>-<label>.sql` in `tests/frozen/`, by name.
fn frozen_databases() -> Vec<Frozen> {
    let mut found: Vec<Frozen> = std::fs::read_dir(FROZEN_DIR)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let version = name
                .strip_prefix('v')
                .and_then(|rest| rest.split(['-', '.']).next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{name}: frozen files are named v<N>-<label>.sql"));
            let sql = std::fs::read_to_string(&path).unwrap();
            Frozen { name, version, sql }
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// Everything SQLite knows about one table: columns (order, type, NOT NULL, default,
/// primary key), indexes with their columns, and foreign keys.
#[derive(Debug, PartialEq)]
struct TableShape {
    columns: Vec<Vec<Value>>,
    indexes: Vec<Vec<Value>>,
    foreign_keys: Vec<Vec<Value>>,
}

/// The whole schema: the normalised `sqlite_master` entries, and each table's shape.
#[derive(Debug, PartialEq)]
struct Shape {
    objects: Vec<(String, String, String)>,
    tables: BTreeMap<String, TableShape>,
}

fn pragma_rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let width = stmt.column_count();
    let rows = stmt
        .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn table_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.map(Result::unwrap).collect()
}

fn shape_of(conn: &Connection) -> Shape {
    let tables = table_names(conn)
        .into_iter()
        .map(|table| {
            let mut indexes = Vec::new();
            for index in pragma_rows(conn, &format!("PRAGMA index_list({table})")) {
                // seq (position in the list) depends on creation order, not schema.
                let mut entry = index[1..].to_vec();
                let Value::Text(name) = &index[1] else {
                    panic!("index name of {table}")
                };
                entry.extend(
                    pragma_rows(conn, &format!("PRAGMA index_xinfo({name})"))
                        .into_iter()
                        .flatten(),
                );
                indexes.push(entry);
            }
            indexes.sort_by_key(|entry| format!("{entry:?}"));
            let shape = TableShape {
                columns: pragma_rows(conn, &format!("PRAGMA table_xinfo({table})")),
                indexes,
                foreign_keys: pragma_rows(conn, &format!("PRAGMA foreign_key_list({table})")),
            };
            (table, shape)
        })
        .collect();
    Shape {
        objects: schema_of(conn),
        tables,
    }
}

/// Says what differs between two shapes, object by object and table by table.
fn shape_diff(upgraded: &Shape, fresh: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    let up: BTreeSet<_> = upgraded.objects.iter().collect();
    let fr: BTreeSet<_> = fresh.objects.iter().collect();
    for missing in fr.difference(&up) {
        out.push(format!("fresh has, upgraded lacks: {missing:?}"));
    }
    for extra in up.difference(&fr) {
        out.push(format!("upgraded has, fresh lacks: {extra:?}"));
    }
    for (table, shape) in &fresh.tables {
        match upgraded.tables.get(table) {
            Some(other) if other == shape => {}
            Some(other) => out.push(format!(
                "table {table} differs:\n  upgraded {other:?}\n  fresh    {shape:?}"
            )),
            None => out.push(format!("table {table} missing after the upgrade")),
        }
    }
    out
}

/// Every row of every table, each as its column values by name.
fn all_rows(conn: &Connection) -> BTreeMap<String, Vec<BTreeMap<String, Value>>> {
    table_names(conn)
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
            let rows = stmt
                .query_map([], |r| {
                    names
                        .iter()
                        .enumerate()
                        .map(|(i, name)| Ok((name.clone(), r.get::<_, Value>(i)?)))
                        .collect::<rusqlite::Result<BTreeMap<_, _>>>()
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (table, rows)
        })
        .collect()
}

/// Rows of `table` reduced to `columns`, in a stable order, for comparing as a multiset.
fn projected(rows: &[BTreeMap<String, Value>], columns: &[&String]) -> Vec<String> {
    let mut out: Vec<String> = rows
        .iter()
        .map(|row| {
            format!(
                "{:?}",
                columns.iter().map(|c| row.get(*c)).collect::<Vec<_>>()
            )
        })
        .collect();
    out.sort();
    out
}

fn text(row: &BTreeMap<String, Value>, column: &str) -> String {
    match row.get(column) {
        Some(Value::Text(t)) => t.clone(),
        other => panic!("{column} is {other:?}"),
    }
}

/// Upgrades one frozen database with the real `Store::open` and checks it; the error
/// says what differs.
fn check_frozen(frozen: &Frozen, dir: &Path, fresh: &Shape) -> Result<(), String> {
    // Materialise it: a real SQLite file at that version, as a phone would hold it.
    let before = {
        let conn = Connection::open(dir.join("layanan.db")).unwrap();
        conn.execute_batch(&frozen.sql)
            .map_err(|e| format!("does not load: {e}"))?;
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        if version != frozen.version {
            return Err(format!(
                "says user_version {version}, named {}",
                frozen.version
            ));
        }
        all_rows(&conn)
    };

    let store = Store::open(dir).map_err(|e| format!("Store::open failed: {e}"))?;
    let conn = Connection::open(dir.join("layanan.db")).unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    if version != VERSION {
        return Err(format!("opened at user_version {version}, not {VERSION}"));
    }
    let diff = shape_diff(&shape_of(&conn), fresh);
    if !diff.is_empty() {
        return Err(format!(
            "schema after upgrade differs from a fresh store's:\n{}",
            diff.join("\n")
        ));
    }

    // Every row survives with every value it had (new columns aside).
    let after = all_rows(&conn);
    for (table, old_rows) in &before {
        let new_rows = after
            .get(table)
            .ok_or_else(|| format!("table {table} gone"))?;
        let Some(first) = old_rows.first() else {
            continue;
        };
        let columns: Vec<&String> = first.keys().collect();
        if projected(old_rows, &columns) != projected(new_rows, &columns) {
            return Err(format!("rows of {table} changed by the upgrade"));
        }
    }

    // And the store reads them: the sealed cells still open with the profile's key.
    let vault = StaticKeyVault::new(FROZEN_KEK);
    for profile_row in &before["profiles"] {
        let profile = store
            .unlock_profile(&text(profile_row, "id"), &vault)
            .map_err(|e| format!("profile does not unlock: {e}"))?;
        let details = profile
            .account()
            .details()
            .map_err(|e| format!("details: {e}"))?;
        assert_eq!(details.full_name.as_deref(), Some("Siti Nurhaliza"));
        for draft in &before["drafts"] {
            let answers = profile
                .drafts()
                .load(&text(draft, "id"))
                .map_err(|e| format!("draft does not load: {e}"))?
                .answers;
            assert_eq!(answers["/data/nama_anak"], "Putri Ayu Lestari");
        }
        for attachment in before.get("attachments").into_iter().flatten() {
            profile
                .attachments()
                .info(&text(attachment, "id"))
                .map_err(|e| format!("attachment does not open: {e}"))?;
        }
        for item in before.get("outbox").into_iter().flatten() {
            let iid = text(item, "instance_id");
            let xml = profile
                .outbox()
                .submission(&iid)
                .map_err(|e| format!("outbox submission does not open: {e}"))?;
            assert!(String::from_utf8(xml).unwrap().contains(&iid));
        }
        let outbox = profile
            .outbox()
            .list()
            .map_err(|e| format!("outbox: {e}"))?;
        assert_eq!(outbox.len(), before.get("outbox").map_or(0, Vec::len));
    }
    Ok(())
}

#[test]
fn every_frozen_release_upgrades_to_the_fresh_schema_with_its_rows() {
    let frozen = frozen_databases();
    for version in 1..=VERSION {
        assert!(
            frozen.iter().any(|f| f.version == version),
            "no frozen database of version {version}: freeze it (tests/frozen/README.md)"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let fresh_dir = dir.path().join("fresh");
    drop(Store::open(&fresh_dir).unwrap());
    let fresh = shape_of(&Connection::open(fresh_dir.join("layanan.db")).unwrap());

    let failures: Vec<String> = frozen
        .iter()
        .filter_map(|f| {
            let at = dir.path().join(&f.name);
            std::fs::create_dir(&at).unwrap();
            check_frozen(f, &at, &fresh)
                .err()
                .map(|why| format!("{}: {why}", f.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} frozen databases do not upgrade to the fresh schema:\n\n{}",
        failures.len(),
        frozen.len(),
        failures.join("\n\n")
    );
}
