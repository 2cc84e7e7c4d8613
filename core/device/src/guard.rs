//! The store's guard file: its identity and how far its database had got, kept
//! outside SQLite's files so that losing or damaging those is noticed.
//!
//! SQLite cannot tell "I cannot read the write-ahead log" from "there was nothing
//! in it": a WAL with a bad header is ignored, one with a bad frame in the middle is
//! read up to the frame before, and a deleted one is simply absent. The database
//! then looks older than it was, or empty and new. The guard is a second witness:
//! every commit carries a generation counter inside the database (committed with
//! the data: `store_meta.generation`, or an autosave's draft row) and then mirrors
//! it here, so
//! at open a database that shows an older generation than the guard has lost
//! commits (see [`crate::integrity`]).
//!
//! An autosave does not touch `store_meta` (one more page per save would cost more
//! than the save itself): it writes its generation into the draft row it updates
//! (`drafts.generation`) and the guard records which draft that was (the slot's
//! tag), so the check at open reads that one row.
//!
//! Layout of `layanan.db.guard` (320 bytes):
//! - `[0, 64)` header, written once, with fsync and rename: `b"LYGUARD\x01"`, the
//!   16-byte store id, the first 16 bytes of SHA-256 over those 24 bytes, zeros.
//! - `[64, 192)` and `[192, 320)` two slots, written in turn (slot `seq % 2`):
//!   `seq, generation, checkpointed_generation, checkpoint_db_len,
//!   checkpoint_at_ms` (u64/i64 big endian), the tag's length (one byte) and the tag
//!   (the draft id, at most 64 bytes, zero padded), and at `[112, 128)` the first 16
//!   bytes of SHA-256 over the store id and the slot's first 112 bytes. The valid
//!   slot with the higher `seq` wins, so a slot torn by a power cut leaves the other.
//!
//! The per-commit mirror is one `pwrite` into the page cache, without fsync: it
//! survives an app kill exactly as a `synchronous = NORMAL` WAL commit does, and
//! both may be lost to a power cut (which the check at open then reports, honestly,
//! as lost commits). A checkpoint record is fsynced. A checksum, not a MAC: the guard
//! detects damage, not an attacker who rewrites both files (personal data is sealed
//! per cell either way, see ADR 0001 and 0005).
//!
//! This module must never decide what a mismatch means; [`crate::integrity`] does.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ring::digest;

use crate::error::{io, Result};

pub(crate) const GUARD_FILE: &str = "layanan.db.guard";
const MAGIC: &[u8; 8] = b"LYGUARD\x01";
const HEADER_LEN: usize = 64;
const SLOT_LEN: usize = 128;
const SUMMED: usize = SLOT_LEN - 16;
const MAX_TAG: usize = 64;
const FILE_LEN: usize = HEADER_LEN + 2 * SLOT_LEN;
const SUM_LEN: usize = 16;

/// What the guard knows about the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct GuardRecord {
    /// The generation of the last commit the store made.
    pub generation: u64,
    /// The draft whose row holds `generation` when the last commit was an autosave;
    /// `None` when `store_meta` holds it.
    pub tag: Option<String>,
    /// The generation the last completed checkpoint moved into the main file.
    pub checkpointed_generation: u64,
    /// The main file's length after that checkpoint (it never shrinks: no VACUUM).
    pub checkpoint_db_len: u64,
    /// Wall-clock time the last completed checkpoint started.
    pub checkpoint_at_ms: i64,
}

/// The guard as found on disk.
#[derive(Debug)]
pub(crate) enum GuardRead {
    /// No guard file: a new store, or one written before guards existed.
    Absent,
    /// A guard file whose header or both slots fail their checksum.
    Damaged,
    Present {
        store_id: [u8; 16],
        seq: u64,
        record: GuardRecord,
    },
}

fn sum(parts: &[&[u8]]) -> [u8; SUM_LEN] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    let mut out = [0u8; SUM_LEN];
    out.copy_from_slice(&ctx.finish().as_ref()[..SUM_LEN]);
    out
}

fn header_bytes(store_id: &[u8; 16]) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(MAGIC);
    h[8..24].copy_from_slice(store_id);
    let s = sum(&[&h[..24]]);
    h[24..24 + SUM_LEN].copy_from_slice(&s);
    h
}

fn slot_bytes(store_id: &[u8; 16], seq: u64, r: &GuardRecord) -> [u8; SLOT_LEN] {
    let mut s = [0u8; SLOT_LEN];
    s[0..8].copy_from_slice(&seq.to_be_bytes());
    s[8..16].copy_from_slice(&r.generation.to_be_bytes());
    s[16..24].copy_from_slice(&r.checkpointed_generation.to_be_bytes());
    s[24..32].copy_from_slice(&r.checkpoint_db_len.to_be_bytes());
    s[32..40].copy_from_slice(&r.checkpoint_at_ms.to_be_bytes());
    let tag = r.tag.as_deref().unwrap_or("").as_bytes();
    let tag = &tag[..tag.len().min(MAX_TAG)];
    s[40] = tag.len() as u8;
    s[41..41 + tag.len()].copy_from_slice(tag);
    let c = sum(&[store_id, &s[..SUMMED]]);
    s[SUMMED..].copy_from_slice(&c);
    s
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_be_bytes(a)
}

fn parse_slot(store_id: &[u8; 16], s: &[u8]) -> Option<(u64, GuardRecord)> {
    if sum(&[store_id, &s[..SUMMED]]) != s[SUMMED..] {
        return None;
    }
    let tag_len = usize::from(s[40]).min(MAX_TAG);
    let tag = std::str::from_utf8(&s[41..41 + tag_len]).ok()?;
    Some((
        u64_at(s, 0),
        GuardRecord {
            generation: u64_at(s, 8),
            tag: (!tag.is_empty()).then(|| tag.to_owned()),
            checkpointed_generation: u64_at(s, 16),
            checkpoint_db_len: u64_at(s, 24),
            checkpoint_at_ms: i64::from_be_bytes(s[32..40].try_into().unwrap_or([0; 8])),
        },
    ))
}

pub(crate) fn path(root: &Path) -> PathBuf {
    root.join(GUARD_FILE)
}

/// Reads the guard without changing anything.
pub(crate) fn read(root: &Path) -> Result<GuardRead> {
    let mut bytes = Vec::with_capacity(FILE_LEN);
    match File::open(path(root)) {
        Ok(mut f) => f
            .read_to_end(&mut bytes)
            .map_err(io("read the store's guard file"))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(GuardRead::Absent),
        Err(e) => return Err(io("open the store's guard file")(e)),
    };
    if bytes.len() < FILE_LEN || &bytes[..8] != MAGIC {
        return Ok(GuardRead::Damaged);
    }
    let mut store_id = [0u8; 16];
    store_id.copy_from_slice(&bytes[8..24]);
    if header_bytes(&store_id)[..] != bytes[..HEADER_LEN] {
        return Ok(GuardRead::Damaged);
    }
    let a = parse_slot(&store_id, &bytes[HEADER_LEN..HEADER_LEN + SLOT_LEN]);
    let b = parse_slot(&store_id, &bytes[HEADER_LEN + SLOT_LEN..FILE_LEN]);
    let best = match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    Ok(match best {
        Some((seq, record)) => GuardRead::Present {
            store_id,
            seq,
            record,
        },
        None => GuardRead::Damaged,
    })
}

/// The open guard file of a healthy store, and what it last recorded.
#[derive(Debug)]
pub(crate) struct Guard {
    file: File,
    store_id: [u8; 16],
    seq: u64,
    record: GuardRecord,
}

impl Guard {
    /// Writes a new guard file (temp name, fsync, rename, fsync of the folder).
    pub(crate) fn create(root: &Path, store_id: [u8; 16], record: GuardRecord) -> Result<Self> {
        let tmp = root.join(format!("{GUARD_FILE}.tmp"));
        let mut bytes = Vec::with_capacity(FILE_LEN);
        bytes.extend_from_slice(&header_bytes(&store_id));
        bytes.extend_from_slice(&slot_bytes(&store_id, 0, &record));
        bytes.extend_from_slice(&slot_bytes(&store_id, 1, &record));
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path(root))?;
            sync_dir(root)
        };
        write().map_err(io("write the store's guard file"))?;
        Self::open(root, store_id, 1, record)
    }

    /// Opens the existing guard file for writing.
    pub(crate) fn open(
        root: &Path,
        store_id: [u8; 16],
        seq: u64,
        record: GuardRecord,
    ) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path(root))
            .map_err(io("open the store's guard file"))?;
        Ok(Self {
            file,
            store_id,
            seq,
            record,
        })
    }

    pub(crate) fn record(&self) -> &GuardRecord {
        &self.record
    }

    fn write_slot(&mut self, record: GuardRecord) -> std::io::Result<()> {
        // Remembered even if the write fails: the next record then carries it.
        self.seq += 1;
        let bytes = slot_bytes(&self.store_id, self.seq, &record);
        self.record = record;
        let offset = HEADER_LEN + usize::from(self.seq % 2 == 1) * SLOT_LEN;
        write_at(&self.file, &bytes, offset as u64)
    }

    /// Records a commit's generation, and the draft that holds it for an autosave
    /// (page cache only, no fsync: see the module doc).
    pub(crate) fn mirror(&mut self, generation: u64, tag: Option<&str>) -> std::io::Result<()> {
        let record = GuardRecord {
            generation,
            tag: tag.map(str::to_owned),
            ..self.record.clone()
        };
        self.write_slot(record)
    }

    /// Records a completed checkpoint, fsynced.
    pub(crate) fn record_checkpoint(
        &mut self,
        generation: u64,
        db_len: u64,
        at_ms: i64,
    ) -> std::io::Result<()> {
        self.write_slot(GuardRecord {
            generation,
            tag: None,
            checkpointed_generation: generation,
            checkpoint_db_len: db_len,
            checkpoint_at_ms: at_ms,
        })?;
        self.file.sync_data()
    }
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(not(unix))]
fn write_at(mut file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(buf)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rec(g: u64) -> GuardRecord {
        GuardRecord {
            generation: g,
            tag: None,
            checkpointed_generation: 1,
            checkpoint_db_len: 4096,
            checkpoint_at_ms: 7,
        }
    }

    #[test]
    fn the_newest_valid_slot_wins_and_a_torn_slot_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut g = Guard::create(dir.path(), [7; 16], rec(1)).unwrap();
        g.mirror(2, None).unwrap();
        g.mirror(3, Some("draft-1")).unwrap();
        let GuardRead::Present { record, .. } = read(dir.path()).unwrap() else {
            panic!("guard not read")
        };
        assert_eq!(record.generation, 3);
        assert_eq!(record.tag.as_deref(), Some("draft-1"));
        // Tear the newest slot (seq 3 lives in slot 1): the older one answers.
        let mut bytes = std::fs::read(path(dir.path())).unwrap();
        bytes[HEADER_LEN + SLOT_LEN + 9] ^= 0xff;
        std::fs::write(path(dir.path()), &bytes).unwrap();
        let GuardRead::Present { record, .. } = read(dir.path()).unwrap() else {
            panic!("guard not read")
        };
        assert_eq!((record.generation, record.tag), (2, None));
        // Both slots torn: damaged, never "absent".
        bytes[HEADER_LEN + 9] ^= 0xff;
        std::fs::write(path(dir.path()), &bytes).unwrap();
        assert!(matches!(read(dir.path()).unwrap(), GuardRead::Damaged));
        std::fs::write(path(dir.path()), b"").unwrap();
        assert!(matches!(read(dir.path()).unwrap(), GuardRead::Damaged));
    }
}
