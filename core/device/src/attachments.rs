//! Attachments sealed in fixed-size chunks.
//!
//! A photo is never held whole in memory: it is read, sealed and written one chunk
//! at a time, and read back the same way. Each chunk is sealed on its own, so the
//! sync engine can upload chunk `n` and resume at the server's offset.
//!
//! File layout (`attachments/<profile>/<id>.lya`):
//! `b"LYA" 0x01 | chunk_size: u32 BE | chunk 0 | chunk 1 | ...`, each chunk being
//! `nonce (12) | ciphertext | tag (16)`. Every chunk but the last holds exactly
//! `chunk_size` plaintext bytes. A chunk's associated data binds it to the
//! attachment id, its index and whether it is the last one, so chunks cannot be
//! reordered, swapped between files, dropped from the end or appended to.
//! The row keeps size and chunk count; a file whose length disagrees is corrupt.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use ring::aead::{Aad, LessSafeKey, Nonce};
use ring::digest;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::crypto::{random_bytes, SealContext, NONCE_LEN, TAG_LEN};
use crate::error::{io, Result, StoreError};
use crate::model::{new_id, now_ms, AttachmentInfo};
use crate::profile::Profile;
use crate::store::StoreInner;

/// Plaintext bytes per chunk. 64 KiB: big enough that the 28 bytes of nonce and tag
/// cost 0.04 %, small enough to be one upload request on 2G (about 2 s at 240 kbit/s).
pub const CHUNK_SIZE: u32 = 64 * 1024;
pub(crate) const MAGIC: &[u8; 4] = b"LYA\x01";
pub(crate) const HEADER_LEN: u64 = 8;
pub(crate) const CHUNK_OVERHEAD: u64 = (NONCE_LEN + TAG_LEN) as u64;

/// What the row's sealed `meta` column holds.
#[derive(Serialize, Deserialize)]
pub(crate) struct SealedMeta {
    pub(crate) file_name: String,
    pub(crate) sha256_hex: String,
}

pub(crate) fn meta_ctx(id: &str) -> SealContext<'_> {
    SealContext {
        table: "attachments",
        column: "meta",
        row_id: id,
    }
}

pub(crate) fn chunk_aad(id: &str, index: u64, last: bool) -> Aad<Vec<u8>> {
    let mut aad = b"layanan/v1\0attachments\0content\0".to_vec();
    aad.extend_from_slice(id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(&index.to_be_bytes());
    aad.push(u8::from(last));
    Aad::from(aad)
}

fn file_path(inner: &StoreInner, profile_id: &str, id: &str) -> PathBuf {
    inner.attachments_dir(profile_id).join(format!("{id}.lya"))
}

/// Reads until `buf` is full or the source ends; returns the bytes read.
fn fill(source: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match source.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io("read the file to attach")(e)),
        }
    }
    Ok(n)
}

struct Written {
    size: u64,
    chunk_count: u64,
    sha256_hex: String,
}

fn write_chunks(
    key: &LessSafeKey,
    id: &str,
    mut source: impl Read,
    dest: &Path,
) -> Result<Written> {
    let file = File::create(dest).map_err(io("create an attachment file"))?;
    let mut out = BufWriter::with_capacity(CHUNK_SIZE as usize + 64, file);
    out.write_all(MAGIC).map_err(io("write an attachment"))?;
    out.write_all(&CHUNK_SIZE.to_be_bytes())
        .map_err(io("write an attachment"))?;

    let cs = CHUNK_SIZE as usize;
    let mut sha = digest::Context::new(&digest::SHA256);
    // Two buffers: a chunk is sealed only once we know whether another follows.
    let mut cur = vec![0u8; cs + TAG_LEN];
    let mut next = vec![0u8; cs + TAG_LEN];
    let mut cur_len = fill(&mut source, &mut cur[..cs])?;
    let mut index = 0u64;
    let mut size = 0u64;
    loop {
        let next_len = if cur_len == cs {
            fill(&mut source, &mut next[..cs])?
        } else {
            0
        };
        let last = next_len == 0;
        sha.update(&cur[..cur_len]);
        size += cur_len as u64;
        let nonce = random_bytes::<NONCE_LEN>()?;
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                chunk_aad(id, index, last),
                &mut cur[..cur_len],
            )
            .map_err(|_| StoreError::Internal("sealing a chunk failed".into()))?;
        out.write_all(&nonce).map_err(io("write an attachment"))?;
        out.write_all(&cur[..cur_len])
            .map_err(io("write an attachment"))?;
        out.write_all(tag.as_ref())
            .map_err(io("write an attachment"))?;
        index += 1;
        if last {
            break;
        }
        std::mem::swap(&mut cur, &mut next);
        cur_len = next_len;
    }
    let file = out
        .into_inner()
        .map_err(|e| io("write an attachment")(e.into_error()))?;
    file.sync_all().map_err(io("flush an attachment"))?;
    let sha256_hex = sha
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Written {
        size,
        chunk_count: index,
        sha256_hex,
    })
}

/// Checks what `add` would refuse, before any file is opened. The file-name rule is
/// the protocol's, the one the server applies on receipt, so a file attached here is
/// never refused after it was finalized.
pub(crate) fn validate_names(file_name: &str, media_type: &str) -> Result<()> {
    layanan_protocol::attachment::check_file_name(file_name)
        .map_err(|e| StoreError::InvalidInput(format!("attachment file name: {e}")))?;
    if media_type.is_empty() || !media_type.contains('/') {
        return Err(StoreError::InvalidInput(
            "media type must look like type/subtype".into(),
        ));
    }
    Ok(())
}

pub(crate) fn add(
    profile: &Profile,
    draft_id: Option<&str>,
    file_name: &str,
    media_type: &str,
    source: impl Read,
) -> Result<AttachmentInfo> {
    validate_names(file_name, media_type)?;
    let inner = profile.inner();
    let id = new_id();
    let dir = inner.attachments_dir(profile.id());
    std::fs::create_dir_all(&dir).map_err(io("create the attachments folder"))?;
    let tmp = dir.join(format!("{id}.tmp"));
    let dest = file_path(inner, profile.id(), &id);
    let written = match profile.with_key(|key| write_chunks(key, &id, source, &tmp)) {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let meta = SealedMeta {
        file_name: file_name.to_owned(),
        sha256_hex: written.sha256_hex.clone(),
    };
    let meta_json = serde_json::to_vec(&meta)
        .map_err(|e| StoreError::Internal(format!("encoding attachment meta: {e}")))?;
    let sealed_meta = profile.seal(meta_ctx(&id), &meta_json)?;
    let created = now_ms();
    let result = inner.write(|tx| {
        if let Some(draft_id) = draft_id {
            let owner: Option<String> = tx
                .query_row("SELECT profile_id FROM drafts WHERE id = ?1", [draft_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if owner.as_deref() != Some(profile.id()) {
                return Err(StoreError::DraftNotFound(draft_id.to_owned()));
            }
        }
        tx.execute(
            "INSERT INTO attachments
               (id, profile_id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id,
                profile.id(),
                draft_id,
                media_type,
                to_sql_int(written.size)?,
                CHUNK_SIZE,
                to_sql_int(written.chunk_count)?,
                created,
                sealed_meta
            ],
        )?;
        // Renamed inside the transaction: if the commit then fails, the file is an
        // orphan that the next Store::open sweeps; a row never points at nothing.
        std::fs::rename(&tmp, &dest).map_err(io("store an attachment"))?;
        Ok(())
    });
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    tracing::debug!(attachment = %id, chunks = written.chunk_count, "stored attachment");
    Ok(AttachmentInfo {
        id,
        draft_id: draft_id.map(str::to_owned),
        file_name: file_name.to_owned(),
        media_type: media_type.to_owned(),
        size: written.size,
        chunk_size: CHUNK_SIZE,
        chunk_count: written.chunk_count,
        sha256_hex: written.sha256_hex,
        created_at_ms: created,
    })
}

fn to_sql_int(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| StoreError::InvalidInput("attachment too large".into()))
}

/// Negative values only come from a tampered row; they then fail the length check.
fn from_sql_int(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

const INFO_COLUMNS: &str =
    "id, draft_id, media_type, size, chunk_size, chunk_count, created_at, meta";

fn row_to_info(profile: &Profile, r: &rusqlite::Row<'_>) -> Result<AttachmentInfo> {
    let id: String = r.get(0)?;
    let sealed: Vec<u8> = r.get(7)?;
    let meta: SealedMeta =
        serde_json::from_slice(&profile.open(meta_ctx(&id), &sealed)?).map_err(|_| {
            StoreError::Corrupt {
                table: "attachments",
                column: "meta",
                row_id: id.clone(),
            }
        })?;
    Ok(AttachmentInfo {
        draft_id: r.get(1)?,
        media_type: r.get(2)?,
        size: from_sql_int(r.get(3)?),
        chunk_size: r.get(4)?,
        chunk_count: from_sql_int(r.get(5)?),
        created_at_ms: r.get(6)?,
        file_name: meta.file_name,
        sha256_hex: meta.sha256_hex,
        id,
    })
}

pub(crate) fn info(profile: &Profile, id: &str) -> Result<AttachmentInfo> {
    profile
        .inner()
        .read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {INFO_COLUMNS} FROM attachments WHERE id = ?1 AND profile_id = ?2"
            ))?;
            let mut rows = stmt.query(params![id, profile.id()])?;
            match rows.next()? {
                Some(r) => row_to_info(profile, r).map(Some),
                None => Ok(None),
            }
        })?
        .ok_or_else(|| StoreError::AttachmentNotFound(id.to_owned()))
}

pub(crate) fn list(profile: &Profile, draft_id: Option<&str>) -> Result<Vec<AttachmentInfo>> {
    profile.inner().read(|c| {
        let mut stmt = c.prepare_cached(&format!(
            "SELECT {INFO_COLUMNS} FROM attachments
             WHERE profile_id = ?1 AND (?2 IS NULL OR draft_id = ?2)
             ORDER BY created_at, rowid"
        ))?;
        let mut rows = stmt.query(params![profile.id(), draft_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(row_to_info(profile, r)?);
        }
        Ok(out)
    })
}

/// An attachment file opened for chunk-level access, with its length checked.
struct ChunkFile {
    file: File,
    key: LessSafeKey,
    id: String,
    size: u64,
    chunk_size: u64,
    chunk_count: u64,
}

impl ChunkFile {
    fn open(profile: &Profile, id: &str) -> Result<Self> {
        let info = info(profile, id)?;
        let corrupt = |chunk, reason| StoreError::AttachmentCorrupt {
            id: id.to_owned(),
            chunk,
            reason,
        };
        let path = file_path(profile.inner(), profile.id(), id);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(corrupt(0, "the file is missing"))
            }
            Err(e) => return Err(io("open an attachment")(e)),
        };
        let chunk_size = u64::from(info.chunk_size);
        if info.chunk_count == 0 || chunk_size == 0 {
            return Err(corrupt(0, "the stored chunk layout is invalid"));
        }
        let full = info.chunk_count - 1;
        // Checked: the row's numbers are plain columns someone could have tampered with.
        let expected = full
            .checked_mul(chunk_size)
            .and_then(|full_plain| info.size.checked_sub(full_plain))
            .filter(|last| *last <= chunk_size)
            .and_then(|last| {
                full.checked_mul(chunk_size + CHUNK_OVERHEAD)?
                    .checked_add(HEADER_LEN + last + CHUNK_OVERHEAD)
            });
        let actual = file.metadata().map_err(io("read an attachment"))?.len();
        match expected {
            Some(exp) if exp == actual => {}
            Some(exp) if actual < exp => {
                let chunk = actual.saturating_sub(HEADER_LEN) / (chunk_size + CHUNK_OVERHEAD);
                return Err(corrupt(chunk, "the file is truncated"));
            }
            _ => return Err(corrupt(full, "the file is longer than what was sealed")),
        }
        let mut header = [0u8; HEADER_LEN as usize];
        file.read_exact(&mut header)
            .map_err(io("read an attachment"))?;
        if &header[..4] != MAGIC
            || u64::from(u32::from_be_bytes([
                header[4], header[5], header[6], header[7],
            ])) != chunk_size
        {
            return Err(corrupt(0, "the file header is damaged"));
        }
        Ok(Self {
            file,
            key: profile.with_key(|key| Ok(key.clone()))?,
            id: id.to_owned(),
            size: info.size,
            chunk_size,
            chunk_count: info.chunk_count,
        })
    }

    /// Decrypts chunk `index` into `buf` (cleared first).
    fn read_chunk_into(&mut self, index: u64, buf: &mut Vec<u8>) -> Result<()> {
        if index >= self.chunk_count {
            return Err(StoreError::InvalidInput(format!(
                "chunk {index} is past the last chunk ({})",
                self.chunk_count
            )));
        }
        let last = index + 1 == self.chunk_count;
        let plain_len = if last {
            self.size - index * self.chunk_size
        } else {
            self.chunk_size
        };
        let offset = HEADER_LEN + index * (self.chunk_size + CHUNK_OVERHEAD);
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(io("read an attachment"))?;
        let mut nonce = [0u8; NONCE_LEN];
        let len = usize::try_from(plain_len + TAG_LEN as u64)
            .map_err(|_| StoreError::Internal("chunk too large".into()))?;
        buf.clear();
        buf.resize(len, 0);
        let read = self
            .file
            .read_exact(&mut nonce)
            .and_then(|()| self.file.read_exact(buf));
        if let Err(e) = read {
            return Err(if e.kind() == std::io::ErrorKind::UnexpectedEof {
                StoreError::AttachmentCorrupt {
                    id: self.id.clone(),
                    chunk: index,
                    reason: "the file is truncated",
                }
            } else {
                io("read an attachment")(e)
            });
        }
        let plain = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                chunk_aad(&self.id, index, last),
                buf,
            )
            .map_err(|_| StoreError::AttachmentCorrupt {
                id: self.id.clone(),
                chunk: index,
                reason: "the chunk failed authentication",
            })?
            .len();
        buf.truncate(plain);
        Ok(())
    }
}

/// Streams an attachment's plaintext, one chunk in memory at a time. Errors surface
/// as `std::io::Error` of kind `InvalidData` wrapping the [`StoreError`].
pub struct AttachmentReader {
    chunks: ChunkFile,
    next: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl std::fmt::Debug for AttachmentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentReader")
            .field("id", &self.chunks.id)
            .field("next_chunk", &self.next)
            .finish_non_exhaustive()
    }
}

impl AttachmentReader {
    /// Plaintext size in bytes.
    pub fn size(&self) -> u64 {
        self.chunks.size
    }
}

impl Read for AttachmentReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.next == self.chunks.chunk_count {
                return Ok(0);
            }
            self.chunks
                .read_chunk_into(self.next, &mut self.buf)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            self.next += 1;
            self.pos = 0;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

pub(crate) fn open_reader(profile: &Profile, id: &str) -> Result<AttachmentReader> {
    Ok(AttachmentReader {
        chunks: ChunkFile::open(profile, id)?,
        next: 0,
        buf: Vec::new(),
        pos: 0,
    })
}

pub(crate) fn read_chunk(profile: &Profile, id: &str, index: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    ChunkFile::open(profile, id)?.read_chunk_into(index, &mut buf)?;
    Ok(buf)
}

/// Plaintext bytes `[offset, offset + len)`, read chunk by chunk from one open file.
pub(crate) fn read_range(profile: &Profile, id: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
    let mut chunks = ChunkFile::open(profile, id)?;
    let end = offset.saturating_add(len).min(chunks.size);
    let mut out = Vec::with_capacity(usize::try_from(end.saturating_sub(offset)).unwrap_or(0));
    let mut buf = Vec::new();
    let mut at = offset;
    while at < end {
        let index = at / chunks.chunk_size;
        chunks.read_chunk_into(index, &mut buf)?;
        let start = usize::try_from(at - index * chunks.chunk_size)
            .map_err(|_| StoreError::Internal("offset overflow".into()))?;
        let take = usize::try_from((end - at).min(buf.len() as u64 - start as u64))
            .map_err(|_| StoreError::Internal("length overflow".into()))?;
        out.extend_from_slice(&buf[start..start + take]);
        at += take as u64;
    }
    Ok(out)
}

/// Checks one attachment end to end without keeping its plaintext: the file is there,
/// its length matches the sealed layout, every chunk authenticates, and the
/// plaintext's SHA-256 is the one sealed in the row. A damaged file (truncated by a
/// dying battery, a flipped byte on a storage card, deleted by a cleaner app) is
/// [`StoreError::AttachmentCorrupt`]; other errors are the store's own.
pub(crate) fn verify(profile: &Profile, id: &str) -> Result<()> {
    let expected = info(profile, id)?.sha256_hex;
    let mut chunks = ChunkFile::open(profile, id)?;
    let mut sha = digest::Context::new(&digest::SHA256);
    let mut buf = Vec::new();
    for index in 0..chunks.chunk_count {
        chunks.read_chunk_into(index, &mut buf)?;
        sha.update(&buf);
    }
    if layanan_protocol::hex::encode(sha.finish().as_ref()) != expected {
        return Err(StoreError::AttachmentCorrupt {
            id: id.to_owned(),
            chunk: chunks.chunk_count.saturating_sub(1),
            reason: "the content does not match its sealed digest",
        });
    }
    Ok(())
}

impl crate::views::Attachments<'_> {
    /// Checks an attachment's file against what was sealed (length, every chunk, the
    /// whole digest). `Err(StoreError::AttachmentCorrupt)` names the first damaged
    /// chunk; the file is left as it is (the citizen may still want to see it).
    pub fn verify(&self, attachment_id: &str) -> Result<()> {
        verify(self, attachment_id)
    }
}

pub(crate) fn export(profile: &Profile, id: &str, dest: &Path) -> Result<u64> {
    let mut chunks = ChunkFile::open(profile, id)?;
    let result = (|| {
        let mut out = BufWriter::new(File::create(dest).map_err(io("create the export file"))?);
        let mut buf = Vec::new();
        for index in 0..chunks.chunk_count {
            chunks.read_chunk_into(index, &mut buf)?;
            out.write_all(&buf).map_err(io("write the export file"))?;
        }
        out.flush().map_err(io("write the export file"))?;
        Ok(chunks.size)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

pub(crate) fn delete(profile: &Profile, id: &str) -> Result<()> {
    let n = profile.inner().with_writer(|c| {
        Ok(c.execute(
            "DELETE FROM attachments WHERE id = ?1 AND profile_id = ?2",
            params![id, profile.id()],
        )?)
    })?;
    if n == 0 {
        return Err(StoreError::AttachmentNotFound(id.to_owned()));
    }
    remove_file(profile.inner(), profile.id(), id)
}

pub(crate) fn remove_file(inner: &StoreInner, profile_id: &str, id: &str) -> Result<()> {
    match std::fs::remove_file(file_path(inner, profile_id, id)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io("delete an attachment")(e)),
    }
}

/// Deletes files no row points at: leftovers of a crash between writing a file and
/// committing its row, or of a wipe. Cheap: one directory listing per profile.
///
/// Runs only on a store opened healthy (a damaged one never gets a `StoreInner`),
/// and deletes only files last modified before `checkpoint_at_ms`, the last healthy
/// checkpoint: a row committed before then is in the main file for sure, so a file
/// from then without a row is a real orphan. Newer files are kept for a later open.
pub(crate) fn sweep_orphans(inner: &StoreInner, checkpoint_at_ms: i64) -> Result<()> {
    let root = inner.attachments_dir("");
    let entries = match std::fs::read_dir(&root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("list attachments")(e)),
    };
    let known: HashSet<(String, String)> = inner.read(|c| {
        let mut stmt = c.prepare("SELECT profile_id, id FROM attachments")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    let before_checkpoint = |file: &std::fs::DirEntry| {
        file.metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_millis()).ok())
            .is_some_and(|ms| ms < checkpoint_at_ms)
    };
    for dir in entries.flatten() {
        let profile_id = dir.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let keep = name
                .strip_suffix(".lya")
                .is_some_and(|id| known.contains(&(profile_id.clone(), id.to_owned())));
            if !keep && before_checkpoint(&file) {
                tracing::info!(profile = %profile_id, "removing orphaned attachment file");
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
    Ok(())
}
