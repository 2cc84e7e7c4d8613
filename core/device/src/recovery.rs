//! What a damaged store still offers: a read-only look at it and an export of every
//! draft, submission and attachment that can still be read, into a sealed archive
//! ([`crate::archive`]) the citizen can keep.
//!
//! [`Recovery`] never writes to the store's folder: its SQLite connection is
//! read-only (it never checkpoints, and never deletes or rewrites a WAL on close;
//! it may rebuild the `-shm` index, which holds no data). It reads the database as
//! SQLite can (the main file and the readable part of the WAL), or, when SQLite
//! cannot use the WAL at all, the main file alone (`immutable=1`). Rows are read
//! one at a time, so a damaged page costs the rows on it, not the export.
//! Attachment files are read straight from the profile's folder, with or without a
//! row: a file whose row was lost is still sealed with the profile's key and bound
//! to its id, so its chunks open (its name and type are then unknown).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use ring::aead::{LessSafeKey, Nonce};
use rusqlite::{params, Connection, OpenFlags};

use crate::archive::{ArchiveProfile, ArchiveWriter, ArchivedDraft, ArchivedSubmission};
use crate::attachments::{chunk_aad, meta_ctx, SealedMeta, CHUNK_OVERHEAD, HEADER_LEN, MAGIC};
use crate::crypto::{self, DataKey, KeyVault, SealContext, NONCE_LEN};
use crate::error::{io, Result, StoreError};
use crate::integrity::{self, DamageKind, Health, DB_FILE};
use crate::model::{Answers, ProfileInfo};

/// What an export saved, and what it could not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub drafts: u32,
    pub submissions: u32,
    /// Attachments saved whole.
    pub attachments: u32,
    /// Attachments of which only the first chunks could be read (saved as such).
    pub partial_attachments: u32,
    /// Drafts or submissions whose row could not be read or opened.
    pub unreadable_records: u32,
    /// Attachment files of which nothing could be read.
    pub unreadable_attachments: u32,
}

/// A store opened read-only to save what can be saved (see the module doc).
#[derive(Debug)]
pub struct Recovery {
    root: PathBuf,
    conn: Option<Connection>,
    damage: Option<DamageKind>,
}

fn open_readable(db: &Path) -> Option<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let works = |c: Connection| {
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .ok()
        .map(|_| c)
    };
    if !db.exists() {
        return None;
    }
    if let Some(c) = Connection::open_with_flags(db, flags).ok().and_then(works) {
        return Some(c);
    }
    // The main file alone, without WAL or locks.
    let uri = format!("file:{}?immutable=1", db.display());
    Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        .ok()
        .and_then(works)
}

impl Recovery {
    /// Opens the store in `dir` for recovery, changing nothing in it. Works on a
    /// healthy store too (then [`Recovery::damage`] is `None`).
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let root = dir.as_ref().to_path_buf();
        let damage = match integrity::check(&root) {
            Ok(Health::Damaged(kind)) => Some(kind),
            Ok(_) => None,
            Err(StoreError::DatabaseCorrupt) => Some(DamageKind::DatabaseUnreadable),
            Err(e) => return Err(e),
        };
        let conn = open_readable(&root.join(DB_FILE));
        tracing::info!(damage = ?damage.map(DamageKind::as_str), readable = conn.is_some(), "opened a store for recovery");
        Ok(Self { root, conn, damage })
    }

    /// How the store is damaged, if it is.
    pub fn damage(&self) -> Option<DamageKind> {
        self.damage
    }

    /// The profiles that can still be read: from the database, and from the key
    /// slots kept beside it when the database lost them.
    pub fn profiles(&self) -> Vec<ProfileInfo> {
        let mut out = self.db_profiles();
        for slot in crate::keyslot::read_all(&self.root) {
            if !out.iter().any(|p| p.id == slot.profile_id) {
                out.push(ProfileInfo {
                    id: slot.profile_id,
                    label: slot.label,
                    created_at_ms: slot.created_at_ms,
                });
            }
        }
        out
    }

    fn db_profiles(&self) -> Vec<ProfileInfo> {
        let Some(c) = &self.conn else {
            return Vec::new();
        };
        crate::store::active_profiles(c)
            .map(|rows| {
                rows.into_iter()
                    .filter_map(std::result::Result::ok)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// label, wrapped key, canary of an active profile: from its row, or from its
    /// key slot when the row cannot be read.
    fn key_row(&self, profile_id: &str) -> Result<(String, Vec<u8>, Vec<u8>)> {
        /// label, wrapped key, canary
        type KeyRow = (String, Option<Vec<u8>>, Option<Vec<u8>>);
        let row: Option<KeyRow> =
            self.conn.as_ref().and_then(|c| {
                c.query_row(
                    "SELECT label, wrapped_key, canary FROM profiles WHERE id = ?1 AND state = 'active'",
                    [profile_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .ok()
            });
        match row {
            Some((label, Some(wrapped), Some(canary))) => Ok((label, wrapped, canary)),
            Some(_) => Err(StoreError::KeyLost),
            None => crate::keyslot::read_all(&self.root)
                .into_iter()
                .find(|s| s.profile_id == profile_id)
                .map(|s| (s.label, s.wrapped_key, s.canary))
                .ok_or_else(|| StoreError::ProfileNotFound(profile_id.to_owned())),
        }
    }

    /// What the vault wrapped for this profile, for an asynchronous vault to unwrap
    /// before [`Recovery::export_profile_with_key`].
    pub fn wrapped_key(&self, profile_id: &str) -> Result<Vec<u8>> {
        Ok(self.key_row(profile_id)?.1)
    }

    /// Exports what can be read of a profile to `dest`, unlocking it with `vault`.
    pub fn export_profile(
        &self,
        profile_id: &str,
        vault: &dyn KeyVault,
        dest: &Path,
    ) -> Result<ExportSummary> {
        let wrapped = self.wrapped_key(profile_id)?;
        let raw = zeroize::Zeroizing::new(vault.unwrap_key(profile_id, &wrapped)?);
        self.export_profile_with_key(profile_id, &raw, dest)
    }

    /// Exports what can be read of a profile to `dest` with its unwrapped data key
    /// (checked against the canary first: a wrong key writes nothing).
    pub fn export_profile_with_key(
        &self,
        profile_id: &str,
        data_key: &[u8],
        dest: &Path,
    ) -> Result<ExportSummary> {
        let (label, wrapped, canary) = self.key_row(profile_id)?;
        let key = DataKey::from_unwrapped(data_key)?.aead_key()?;
        crate::store::check_canary(&key, profile_id, &canary)?;
        let profile = ArchiveProfile {
            id: profile_id,
            label: &label,
            wrapped_key: &wrapped,
            canary: &canary,
        };
        let mut w = ArchiveWriter::create(dest, key.clone(), &profile, self.damage)?;
        let result = self.export_into(&mut w, &key, profile_id);
        match result {
            Ok(summary) => {
                w.finish()?;
                tracing::info!(
                    drafts = summary.drafts,
                    attachments = summary.attachments,
                    "exported a profile for recovery"
                );
                Ok(summary)
            }
            Err(e) => {
                drop(w);
                let _ = std::fs::remove_file(dest);
                Err(e)
            }
        }
    }

    fn export_into(
        &self,
        w: &mut ArchiveWriter,
        key: &LessSafeKey,
        profile_id: &str,
    ) -> Result<ExportSummary> {
        let mut s = ExportSummary::default();
        let c = self.conn.as_ref();
        for id in ids(c, "SELECT id FROM drafts WHERE profile_id = ?1", profile_id) {
            match read_draft(c, key, &id) {
                Some(d) => {
                    w.draft(&d)?;
                    s.drafts += 1;
                }
                None => s.unreadable_records += 1,
            }
        }
        let outbox = "SELECT instance_id FROM outbox WHERE profile_id = ?1";
        for iid in ids(c, outbox, profile_id) {
            match read_submission(c, key, &iid) {
                Some(sub) => {
                    w.submission(&sub)?;
                    s.submissions += 1;
                }
                None => s.unreadable_records += 1,
            }
        }
        let dir = self.root.join("attachments").join(profile_id);
        let mut files: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .strip_suffix(".lya")
                        .map(str::to_owned)
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io("list attachments")(e)),
        };
        files.sort();
        for id in files {
            let row = attachment_row(c, key, &id);
            let path = dir.join(format!("{id}.lya"));
            match export_file(w, key, &path, &id, row.as_ref())? {
                FileOutcome::Whole => s.attachments += 1,
                FileOutcome::Partial => s.partial_attachments += 1,
                FileOutcome::Unreadable => s.unreadable_attachments += 1,
            }
        }
        Ok(s)
    }
}

/// Ids selected by `sql`, as many as can be read before a damaged page.
fn ids(c: Option<&Connection>, sql: &str, profile_id: &str) -> Vec<String> {
    let Some(Ok(mut stmt)) = c.map(|c| c.prepare(sql)) else {
        return Vec::new();
    };
    let Ok(mut rows) = stmt.query([profile_id]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Ok(Some(r)) = rows.next() {
        if let Ok(id) = r.get(0) {
            out.push(id);
        }
    }
    out
}

fn open_cell(key: &LessSafeKey, ctx: SealContext<'_>, sealed: &[u8]) -> Option<Vec<u8>> {
    crypto::open(key, ctx, sealed).ok()
}

fn read_draft(c: Option<&Connection>, key: &LessSafeKey, id: &str) -> Option<ArchivedDraft> {
    let (form_id, form_version, updated_at_ms, sealed): (String, String, i64, Vec<u8>) = c?
        .query_row(
            "SELECT form_id, form_version, updated_at, answers FROM drafts WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok()?;
    let json = open_cell(key, crate::profile::answers_ctx(id), &sealed)?;
    let answers: Answers = serde_json::from_slice(&json).ok()?;
    Some(ArchivedDraft {
        id: id.to_owned(),
        form_id,
        form_version,
        updated_at_ms,
        answers,
    })
}

fn read_submission(
    c: Option<&Connection>,
    key: &LessSafeKey,
    iid: &str,
) -> Option<ArchivedSubmission> {
    let (form_id, sealed): (String, Vec<u8>) = c?
        .query_row(
            "SELECT form_id, submission FROM outbox WHERE instance_id = ?1",
            [iid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()?;
    let ctx = SealContext {
        table: "outbox",
        column: "submission",
        row_id: iid,
    };
    let xml = String::from_utf8(open_cell(key, ctx, &sealed)?).ok()?;
    Some(ArchivedSubmission {
        instance_id: iid.to_owned(),
        form_id,
        xml,
    })
}

/// What the attachment's row says, when it can be read: draft, file name, type.
struct AttachmentRow {
    draft_id: Option<String>,
    file_name: String,
    media_type: String,
}

fn attachment_row(c: Option<&Connection>, key: &LessSafeKey, id: &str) -> Option<AttachmentRow> {
    let (draft_id, media_type, sealed): (Option<String>, String, Vec<u8>) = c?
        .query_row(
            "SELECT draft_id, media_type, meta FROM attachments WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()?;
    let meta: SealedMeta = serde_json::from_slice(&open_cell(key, meta_ctx(id), &sealed)?).ok()?;
    Some(AttachmentRow {
        draft_id,
        file_name: meta.file_name,
        media_type,
    })
}

enum FileOutcome {
    Whole,
    Partial,
    Unreadable,
}

/// Decrypts one chunk-sealed file chunk by chunk into the archive, as far as it
/// authenticates. The layout comes from the file itself (its header's chunk size
/// and its length), so a file without a row opens too.
fn export_file(
    w: &mut ArchiveWriter,
    key: &LessSafeKey,
    path: &Path,
    id: &str,
    row: Option<&AttachmentRow>,
) -> Result<FileOutcome> {
    let Ok(mut file) = File::open(path) else {
        return Ok(FileOutcome::Unreadable);
    };
    let len = file.metadata().map_err(io("read an attachment"))?.len();
    let mut header = [0u8; HEADER_LEN as usize];
    if file.read_exact(&mut header).is_err() || &header[..4] != MAGIC {
        return Ok(FileOutcome::Unreadable);
    }
    let chunk_size = u64::from(u32::from_be_bytes([
        header[4], header[5], header[6], header[7],
    ]));
    if chunk_size == 0 || chunk_size > 16 * 1024 * 1024 {
        return Ok(FileOutcome::Unreadable);
    }
    let sealed_chunk = chunk_size + CHUNK_OVERHEAD;
    let body = len - HEADER_LEN;
    let count = body.div_ceil(sealed_chunk);
    let mut buf = Vec::new();
    let mut started = false;
    let mut bytes = 0u64;
    let mut complete = false;
    for index in 0..count {
        let this = (body - index * sealed_chunk).min(sealed_chunk);
        if this < CHUNK_OVERHEAD {
            break;
        }
        buf.resize(
            usize::try_from(this).map_err(|_| StoreError::Internal("chunk too large".into()))?,
            0,
        );
        if file.read_exact(&mut buf).is_err() {
            break;
        }
        let is_last = index + 1 == count;
        let Some((plain, last)) = open_chunk(key, id, index, &buf, is_last) else {
            break;
        };
        if !started {
            w.attachment(
                id,
                row.and_then(|r| r.draft_id.as_deref()),
                row.map(|r| r.file_name.as_str()),
                row.map(|r| r.media_type.as_str()),
            )?;
            started = true;
        }
        w.chunk(&plain)?;
        bytes += plain.len() as u64;
        if last {
            complete = true;
            break;
        }
    }
    if !started {
        return Ok(FileOutcome::Unreadable);
    }
    w.end_attachment(bytes, complete)?;
    Ok(if complete {
        FileOutcome::Whole
    } else {
        FileOutcome::Partial
    })
}

/// Opens a sealed chunk; when it is the file's last, tries it as the attachment's
/// last chunk first, then as a middle one (a file cut at a chunk boundary).
fn open_chunk(
    key: &LessSafeKey,
    id: &str,
    index: u64,
    sealed: &[u8],
    is_last: bool,
) -> Option<(Vec<u8>, bool)> {
    let try_open = |last: bool| {
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&sealed[..NONCE_LEN]);
        let mut data = sealed[NONCE_LEN..].to_vec();
        let n = key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                chunk_aad(id, index, last),
                &mut data,
            )
            .ok()?
            .len();
        data.truncate(n);
        Some((data, last))
    };
    if is_last {
        try_open(true).or_else(|| try_open(false))
    } else {
        try_open(false)
    }
}
