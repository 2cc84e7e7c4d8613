//! Deciding, before anything is written, whether the store on disk is the one it
//! was: never treat "cannot read" as "empty".
//!
//! [`check`] reads the guard file ([`crate::guard`]), the database file's length and
//! header, and (through a read-only SQLite connection, which never checkpoints or
//! deletes a WAL on close) the schema version and `store_meta`. It changes nothing
//! on disk, so a damaged store stays exactly as it was found for
//! [`crate::Recovery`].
//!
//! | found | meaning |
//! |---|---|
//! | no database, no guard | a new store |
//! | a database without `store_meta`, or with generation 0, and no guard | a store from before guards (or one whose first open was cut): adopt it |
//! | guard, and no database / zero bytes / no schema | [`DamageKind::DatabaseMissing`] / [`DamageKind::DatabaseEmpty`] |
//! | database shorter than at the last checkpoint, or than its header says (no WAL) | [`DamageKind::DatabaseTruncated`] |
//! | SQLite cannot read it | [`DamageKind::DatabaseUnreadable`] |
//! | another store's id | [`DamageKind::ForeignDatabase`] |
//! | generation below the last checkpoint's | [`DamageKind::RolledBack`] |
//! | generation below the last commit's, WAL absent or empty / present | [`DamageKind::WalMissing`] / [`DamageKind::WalDamaged`] |
//! | generation 1+ and no guard / a guard whose checksums fail | [`DamageKind::GuardMissing`] / [`DamageKind::GuardDamaged`] |
//!
//! A deleted `-shm` is not damage: SQLite rebuilds the WAL index from the WAL, and
//! the generation check then confirms every commit is still readable.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{io, Result, StoreError};
use crate::guard::{self, GuardRead, GuardRecord};

pub(crate) const DB_FILE: &str = "layanan.db";

/// How a store was found damaged. The store refuses to open (and deletes nothing);
/// [`crate::Recovery`] reads what can still be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DamageKind {
    /// The database file is gone although this store had one.
    DatabaseMissing,
    /// The database file is empty (zero bytes, or no tables) although it held data.
    DatabaseEmpty,
    /// The database file is shorter than it was at its last checkpoint.
    DatabaseTruncated,
    /// SQLite cannot read the database file (not a database, or damaged pages).
    DatabaseUnreadable,
    /// The database file belongs to another store (it was replaced).
    ForeignDatabase,
    /// The database is older than its last checkpoint (an old copy put back).
    RolledBack,
    /// Commits made since the last checkpoint are gone with the write-ahead log.
    WalMissing,
    /// The write-ahead log is damaged: SQLite reads fewer commits than were made.
    WalDamaged,
    /// The store's guard file is gone, so its database cannot be vouched for.
    GuardMissing,
    /// The store's guard file is damaged.
    GuardDamaged,
}

impl DamageKind {
    /// A stable snake_case name, for logs and the archive header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DatabaseMissing => "database_missing",
            Self::DatabaseEmpty => "database_empty",
            Self::DatabaseTruncated => "database_truncated",
            Self::DatabaseUnreadable => "database_unreadable",
            Self::ForeignDatabase => "foreign_database",
            Self::RolledBack => "rolled_back",
            Self::WalMissing => "wal_missing",
            Self::WalDamaged => "wal_damaged",
            Self::GuardMissing => "guard_missing",
            Self::GuardDamaged => "guard_damaged",
        }
    }

    /// What to tell the citizen, in Bahasa Indonesia and in English.
    pub fn citizen_message(self) -> CitizenMessage {
        let (id, en) = match self {
            Self::DatabaseMissing | Self::DatabaseEmpty | Self::DatabaseTruncated => (
                "Berkas data aplikasi di ponsel ini hilang atau terpotong.",
                "The app's data file on this phone is missing or cut short.",
            ),
            Self::WalMissing | Self::WalDamaged | Self::RolledBack => (
                "Perubahan terakhir di ponsel ini tidak tersimpan utuh.",
                "The latest changes on this phone were not kept intact.",
            ),
            Self::DatabaseUnreadable
            | Self::ForeignDatabase
            | Self::GuardMissing
            | Self::GuardDamaged => (
                "Berkas data aplikasi di ponsel ini rusak.",
                "The app's data file on this phone is damaged.",
            ),
        };
        CitizenMessage {
            id: format!(
                "{id} Tidak ada yang dihapus. Anda dapat menyimpan salinan draf dan foto yang \
                 masih terbaca ke sebuah arsip terkunci, lalu meminta bantuan petugas."
            ),
            en: format!(
                "{en} Nothing was deleted. You can save the drafts and photos that can still \
                 be read to a locked archive, then ask an officer for help."
            ),
        }
    }
}

impl std::fmt::Display for DamageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message for the citizen in both languages the app speaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitizenMessage {
    /// Bahasa Indonesia.
    pub id: String,
    /// English.
    pub en: String,
}

/// What [`check`] found.
#[derive(Debug)]
pub(crate) enum Health {
    /// Nothing there yet: create the store.
    New,
    /// A database the guard does not know yet, with nothing that could have been lost
    /// since it was made (legacy, or a first open that was cut): adopt it.
    Adopt,
    /// The guard vouches for the database.
    Healthy {
        store_id: [u8; 16],
        seq: u64,
        record: GuardRecord,
    },
    Damaged(DamageKind),
}

/// Length of a file, `None` when it does not exist.
fn len_of(path: &Path) -> Result<Option<u64>> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(m.len())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("inspect the store's files")(e)),
    }
}

/// The length the SQLite header says the file has, when the header's page count is
/// valid (its "version-valid-for" matches the change counter).
fn header_len(path: &Path) -> Result<Option<u64>> {
    let mut header = [0u8; 100];
    let mut f = File::open(path).map_err(io("read the database header"))?;
    if f.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Ok(None);
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n => u64::from(n),
    };
    if be32(24) != be32(92) {
        return Ok(None);
    }
    Ok(Some(u64::from(be32(28)) * page_size))
}

/// The database as SQLite reads it: schema version, and `store_meta` if it has one.
struct DbView {
    version: u32,
    meta: Option<([u8; 16], u64)>,
}

/// `tag`: the draft whose row holds the guard's generation (an autosave), if any.
fn read_view(db: &Path, tag: Option<&str>) -> Result<DbView> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta')",
        [],
        |r| r.get(0),
    )?;
    let meta = if has_meta {
        conn.query_row(
            "SELECT store_id, generation FROM store_meta WHERE id = 1",
            [],
            |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
        .and_then(|(id, g)| {
            Some((
                <[u8; 16]>::try_from(id.as_slice()).ok()?,
                u64::try_from(g).ok()?,
            ))
        })
    } else {
        None
    };
    if has_meta && meta.is_none() {
        return Err(StoreError::DatabaseCorrupt);
    }
    // An autosave's generation is in its draft row (a missing row counts as 0).
    let meta = match (meta, tag) {
        (Some((id, g)), Some(draft)) => {
            let saved: Option<i64> = conn
                .query_row(
                    "SELECT generation FROM drafts WHERE id = ?1",
                    [draft],
                    |r| r.get(0),
                )
                .optional()?;
            let saved = saved.and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
            Some((id, g.max(saved)))
        }
        (meta, _) => meta,
    };
    Ok(DbView { version, meta })
}

/// Decides what the store in `root` is, changing nothing on disk.
pub(crate) fn check(root: &Path) -> Result<Health> {
    use DamageKind as K;
    let found = guard::read(root)?;
    let db = root.join(DB_FILE);
    let wal_len = len_of(&root.join(format!("{DB_FILE}-wal")))?.unwrap_or(0);
    let (store_id, seq, record) = match found {
        GuardRead::Damaged => return Ok(Health::Damaged(K::GuardDamaged)),
        GuardRead::Absent => {
            return match len_of(&db)? {
                None | Some(0) => Ok(Health::New),
                Some(_) => match read_view(&db, None)? {
                    v if v.version == 0 => Ok(Health::New),
                    DbView {
                        meta: Some((_, g)), ..
                    } if g > 0 => Ok(Health::Damaged(K::GuardMissing)),
                    _ => Ok(Health::Adopt),
                },
            }
        }
        GuardRead::Present {
            store_id,
            seq,
            record,
        } => (store_id, seq, record),
    };
    let damaged = |k| Ok(Health::Damaged(k));
    let db_len = match len_of(&db)? {
        None => return damaged(K::DatabaseMissing),
        Some(0) => return damaged(K::DatabaseEmpty),
        Some(n) => n,
    };
    if db_len < record.checkpoint_db_len {
        return damaged(K::DatabaseTruncated);
    }
    // With a WAL, a checkpoint cut midway may have written the new page count before
    // the pages; only a main file standing alone must match its own header.
    if wal_len == 0 && header_len(&db)?.is_some_and(|h| db_len < h) {
        return damaged(K::DatabaseTruncated);
    }
    let view = match read_view(&db, record.tag.as_deref()) {
        Ok(v) => v,
        Err(StoreError::DatabaseCorrupt) => return damaged(K::DatabaseUnreadable),
        Err(e) => return Err(e),
    };
    if view.version == 0 {
        return damaged(K::DatabaseEmpty);
    }
    let Some((db_store_id, generation)) = view.meta else {
        // The guard was written for a database with `store_meta`: this one is older.
        return damaged(K::RolledBack);
    };
    if db_store_id != store_id {
        return damaged(K::ForeignDatabase);
    }
    if generation < record.checkpointed_generation {
        return damaged(K::RolledBack);
    }
    if generation < record.generation {
        return damaged(if wal_len == 0 {
            K::WalMissing
        } else {
            K::WalDamaged
        });
    }
    Ok(Health::Healthy {
        store_id,
        seq,
        record,
    })
}
