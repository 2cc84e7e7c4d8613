//! Writes a frozen database for `tests/frozen/` (see its README.md): a SQL dump of a
//! store at one schema version, with a profile, drafts, attachment rows, an outbox item,
//! a session, a status event and a cached form wherever that version has the table.
//!
//! ```text
//! cargo run -p layanan-device --features testing --bin layanan-freeze-db -- \
//!     --out core/device/tests/frozen/v5-<commit>.sql --provenance "..." \
//!     [--schema old-schema.sql --version N]
//! ```
//!
//! Without `--schema` it dumps what this build's `Store::open` writes (the current
//! `VERSION`): run it when a version is released. With `--schema` (the SQL text of an
//! older release, taken from git history) it builds that schema instead, sets
//! `user_version` to `--version`, and copies this build's rows into it, column by
//! column, for the columns that version has. Sealed cells stay valid there: the
//! envelope and its associated data (table, column, row id) have not changed since the
//! first schema. It never overwrites a file: a frozen database is never regenerated.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use layanan_device::sync::Session;
use layanan_device::testing::VERSION;
use layanan_device::{Answers, CachedForm, ProfileDetails, StaticKeyVault, Store};
use layanan_protocol::auth::TokenPair;
use layanan_protocol::InstanceId;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// The key-encryption key of every frozen database (the test unlocks with it).
const KEK: [u8; 32] = [0x4c; 32];
/// A fixed instant (2025-11-28) for the rows whose time the code takes as input.
const AT_MS: i64 = 1_764_300_000_000;

type Res<T> = Result<T, Box<dyn Error>>;

struct Args {
    out: PathBuf,
    provenance: String,
    schema: Option<(PathBuf, u32)>,
}

fn args() -> Res<Args> {
    let mut out = None;
    let mut provenance = None;
    let mut schema = None;
    let mut version = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--provenance" => provenance = Some(value),
            "--schema" => schema = Some(PathBuf::from(value)),
            "--version" => version = Some(value.parse::<u32>()?),
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    let schema = match (schema, version) {
        (Some(path), Some(version)) => Some((path, version)),
        (None, None) => None,
        _ => return Err("--schema and --version go together".into()),
    };
    Ok(Args {
        out: out.ok_or("--out is required")?,
        provenance: provenance.ok_or("--provenance is required")?,
        schema,
    })
}

/// A store written by this build's code, with one of everything.
fn fill(dir: &Path) -> Res<()> {
    let store = Store::open(dir)?;
    let vault = StaticKeyVault::new(KEK);
    let p = store.create_profile("Siti", &vault)?;
    p.account().set_details(&ProfileDetails {
        full_name: Some("Siti Nurhaliza".into()),
        nik: Some("3201014501900007".into()),
        birth_date: Some("1990-01-05".into()),
        phone: Some("081398765432".into()),
        address: Some("Jl. Merdeka No. 10, Bandung".into()),
    })?;

    // A draft being filled, with a file attached.
    let mut birth = Answers::new();
    birth.insert("/data/nama_anak".into(), "Putri Ayu Lestari".into());
    let draft = p.drafts().create("akta_kelahiran", "2024061201", &birth)?;
    birth.insert("/data/tanggal_lahir".into(), "2026-11-01".into());
    p.drafts().save(&draft.id, &birth)?;
    p.attachments().add(
        Some(&draft.id),
        "surat_keterangan_lahir.jpg",
        "image/jpeg",
        &b"\xff\xd8\xff\xe0 surat keterangan lahir"[..],
    )?;

    // A complaint with a photo, finalized into the outbox.
    let mut complaint = Answers::new();
    complaint.insert(
        "/data/keluhan".into(),
        "Jalan desa berlubang besar di depan SD Negeri 2.".into(),
    );
    complaint.insert("/data/foto".into(), "foto_jalan.jpg".into());
    let filed = p.drafts().create("pengaduan", "2024070101", &complaint)?;
    p.attachments().add(
        Some(&filed.id),
        "foto_jalan.jpg",
        "image/jpeg",
        &b"\xff\xd8\xff\xe0 foto jalan"[..],
    )?;
    let iid = InstanceId::new_random();
    let xml = format!(
        "<data id=\"pengaduan\" version=\"2024070101\"><keluhan>Jalan desa berlubang besar \
         di depan SD Negeri 2.</keluhan><foto>foto_jalan.jpg</foto><meta><instanceID>{}\
         </instanceID></meta></data>",
        iid.as_str()
    );
    p.outbox()
        .finalize(&filed.id, &iid, xml.as_bytes(), &["foto_jalan.jpg"])?;

    // Signed in to the agency's server.
    let tokens = TokenPair {
        token_type: "Bearer".into(),
        access_token: "frozen-access-token".into(),
        access_expires_in_secs: 900,
        refresh_token: "frozen-refresh-token".into(),
        refresh_expires_in_secs: 2_592_000,
        citizen_id: "c-0001".into(),
    };
    p.account().save_session(
        "https://layanan.example.go.id",
        &Session::from_tokens(&tokens, AT_MS),
    )?;

    // A form kept offline.
    p.forms().save(
        &CachedForm {
            form_id: "pengaduan".into(),
            version: "2024070101".into(),
            name: "Pengaduan Masyarakat".into(),
            hash: "md5:0123456789abcdef0123456789abcdef".into(),
            downloaded_at_ms: AT_MS,
        },
        "<h:html xmlns=\"http://www.w3.org/2002/xforms\" \
         xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:head><h:title>Pengaduan Masyarakat\
         </h:title></h:head><h:body/></h:html>",
    )?;
    drop(p);
    drop(store);

    // A status event as the status pull stores it (the pull needs a server; its only
    // sealed column, the officer's note, is empty for a plain state change).
    let conn = Connection::open(dir.join("layanan.db"))?;
    conn.execute(
        "INSERT INTO status_events (profile_id, instance_id, state, at_ms, notified, note)
         SELECT profile_id, instance_id, 'received', ?1, 0, NULL FROM outbox",
        [AT_MS],
    )?;
    // A frozen file is a database without the guard file that stood beside it on
    // the phone. Generation 0 ("nothing committed since the guard was written") is
    // the one state in which a database without its guard is adopted rather than
    // reported as damaged (`integrity.rs`), so that is the state frozen.
    if VERSION >= 6 {
        conn.execute("UPDATE store_meta SET generation = 0", [])?;
    }
    Ok(())
}

/// An older schema with this build's rows, in the columns it has.
fn backport(current: &Path, schema_sql: &str, version: u32) -> Res<Connection> {
    let old = Connection::open_in_memory()?;
    old.execute_batch(schema_sql)?;
    old.pragma_update(None, "user_version", version)?;
    let path = current.to_str().ok_or("temporary path is not UTF-8")?;
    old.execute("ATTACH DATABASE ?1 AS src", [path])?;
    for table in tables(&old, "main")? {
        let theirs = columns(&old, "src", &table)?;
        let shared: Vec<String> = columns(&old, "main", &table)?
            .into_iter()
            .filter(|c| theirs.contains(c))
            .collect();
        if shared.is_empty() {
            continue;
        }
        let list = shared.join(", ");
        old.execute_batch(&format!(
            "INSERT INTO main.{table} ({list}) SELECT {list} FROM src.{table} ORDER BY rowid"
        ))?;
    }
    old.execute_batch("DETACH DATABASE src")?;
    Ok(old)
}

fn tables(conn: &Connection, schema: &str) -> Res<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY rowid"
    ))?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

fn columns(conn: &Connection, schema: &str, table: &str) -> Res<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {schema}.table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get(1))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

fn literal(value: ValueRef<'_>) -> Res<String> {
    Ok(match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => format!("{f:?}"),
        ValueRef::Text(t) => format!("'{}'", std::str::from_utf8(t)?.replace('\'', "''")),
        ValueRef::Blob(b) => {
            let mut hex = String::with_capacity(3 + 2 * b.len());
            hex.push_str("X'");
            for byte in b {
                write!(hex, "{byte:02x}")?;
            }
            hex.push('\'');
            hex
        }
    })
}

/// The schema as SQLite stores it (creation order), then every row as an INSERT.
fn dump(conn: &Connection, provenance: &str) -> Res<String> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut out = String::new();
    writeln!(
        out,
        "-- Frozen layanan-device database at schema version {version}. Never edit or regenerate:"
    )?;
    writeln!(
        out,
        "-- see README.md. Sealed cells open with StaticKeyVault::new([0x4c; 32])."
    )?;
    for line in provenance.lines() {
        writeln!(out, "-- {line}")?;
    }
    writeln!(out, "\nPRAGMA user_version = {version};")?;
    let mut stmt =
        conn.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")?;
    let objects = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for sql in objects {
        writeln!(out, "\n{};", sql?.trim())?;
    }
    writeln!(out)?;
    for table in tables(conn, "main")? {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
        let names = stmt.column_names().collect::<Vec<_>>().join(", ");
        let width = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..width)
                .map(|i| literal(row.get_ref(i)?))
                .collect::<Res<Vec<_>>>()?;
            writeln!(
                out,
                "INSERT INTO {table} ({names}) VALUES ({});",
                values.join(", ")
            )?;
        }
    }
    Ok(out)
}

fn main() -> Res<()> {
    let args = args()?;
    if args.out.exists() {
        return Err(format!(
            "{} exists: frozen files are never rewritten",
            args.out.display()
        )
        .into());
    }
    let work = std::env::temp_dir().join(format!("layanan-freeze-{}", std::process::id()));
    let result = (|| {
        fill(&work)?;
        let current = work.join("layanan.db");
        let conn = match &args.schema {
            None => Connection::open(&current)?,
            Some((schema, version)) => {
                backport(&current, &std::fs::read_to_string(schema)?, *version)?
            }
        };
        let text = dump(&conn, &args.provenance)?;
        std::fs::write(&args.out, text)?;
        Ok::<_, Box<dyn Error>>(())
    })();
    std::fs::remove_dir_all(&work)?;
    result?;
    eprintln!(
        "wrote {} (this build writes version {VERSION})",
        args.out.display()
    );
    Ok(())
}
