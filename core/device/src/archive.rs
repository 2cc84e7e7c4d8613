//! The recovery archive: one file a citizen can keep, holding what could be read of
//! a profile from a damaged store, sealed with that profile's own data key.
//!
//! The archive carries the profile's wrapped key and canary (what its `KeyVault`
//! made, useless without the vault), so it opens wherever that vault can unwrap:
//! the same phone's key store, or the passphrase on the CLI. Nothing personal is
//! in the clear: the plain header holds the profile id, its nickname label, the
//! damage kind and the export time.
//!
//! Layout: `b"LYARCH\0\x01"`, `u32` BE header length, header JSON, then records
//! `kind: u8 | len: u32 BE | sealed`, each sealed with AES-256-GCM under the
//! associated data `archive \0 <kind> \0 <profile id>/<record index>`, so records
//! cannot be reordered or moved between archives, and a final `end` record that
//! names the record count, so a cut archive is detected.
//! Kinds: `draft` (JSON), `submission` (JSON, a finalized submission's XML),
//! `attachment` (JSON metadata) followed by its `chunk`s (raw plaintext, at most
//! 64 KiB each) and an `attachment_end` (JSON), and `end` (JSON).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use ring::aead::LessSafeKey;
use serde::{Deserialize, Serialize};

use crate::crypto::{self, DataKey, KeyVault, SealContext};
use crate::error::{io, Result, StoreError};
use crate::model::Answers;

const MAGIC: &[u8; 8] = b"LYARCH\0\x01";
const MAX_RECORD: u32 = 16 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Draft = 1,
    Submission = 2,
    Attachment = 3,
    Chunk = 4,
    AttachmentEnd = 5,
    End = 0xff,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submission => "submission",
            Self::Attachment => "attachment",
            Self::Chunk => "chunk",
            Self::AttachmentEnd => "attachment_end",
            Self::End => "end",
        }
    }

    fn from_u8(b: u8) -> Option<Self> {
        [
            Self::Draft,
            Self::Submission,
            Self::Attachment,
            Self::Chunk,
            Self::AttachmentEnd,
            Self::End,
        ]
        .into_iter()
        .find(|k| *k as u8 == b)
    }
}

/// The archive's plain header.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    profile_id: String,
    label: String,
    exported_at_ms: i64,
    damage: Option<String>,
    #[serde(with = "crate::keyslot::hex_bytes")]
    wrapped_key: Vec<u8>,
    #[serde(with = "crate::keyslot::hex_bytes")]
    canary: Vec<u8>,
}

/// A draft as archived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedDraft {
    pub id: String,
    pub form_id: String,
    pub form_version: String,
    pub updated_at_ms: i64,
    pub answers: Answers,
}

/// A finalized submission (outbox item) as archived: its OpenRosa XML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedSubmission {
    pub instance_id: String,
    pub form_id: String,
    pub xml: String,
}

/// An attachment as archived. `file_name` and `media_type` are unknown for a file
/// whose row was lost; `complete` is false when only its first chunks could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedAttachment {
    pub id: String,
    pub draft_id: Option<String>,
    pub file_name: Option<String>,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
    pub complete: bool,
}

#[derive(Serialize, Deserialize)]
struct AttachmentMeta {
    id: String,
    draft_id: Option<String>,
    file_name: Option<String>,
    media_type: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AttachmentEnd {
    bytes: u64,
    complete: bool,
}

#[derive(Serialize, Deserialize)]
struct End {
    records: u64,
}

/// Everything an archive holds, opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveContents {
    pub profile_id: String,
    pub label: String,
    pub damage: Option<String>,
    pub exported_at_ms: i64,
    pub drafts: Vec<ArchivedDraft>,
    pub submissions: Vec<ArchivedSubmission>,
    pub attachments: Vec<ArchivedAttachment>,
}

fn record_ctx<'a>(kind: Kind, row: &'a str) -> SealContext<'a> {
    SealContext {
        table: "archive",
        column: kind.name(),
        row_id: row,
    }
}

fn damaged_archive() -> StoreError {
    StoreError::InvalidInput("the archive is damaged or incomplete".into())
}

/// Writes an archive record by record.
pub(crate) struct ArchiveWriter {
    out: BufWriter<File>,
    key: LessSafeKey,
    profile_id: String,
    index: u64,
}

/// What identifies the profile in an archive's header.
pub(crate) struct ArchiveProfile<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub wrapped_key: &'a [u8],
    pub canary: &'a [u8],
}

impl ArchiveWriter {
    pub(crate) fn create(
        dest: &Path,
        key: LessSafeKey,
        profile: &ArchiveProfile<'_>,
        damage: Option<crate::DamageKind>,
    ) -> Result<Self> {
        let header = serde_json::to_vec(&Header {
            format: 1,
            profile_id: profile.id.to_owned(),
            label: profile.label.to_owned(),
            exported_at_ms: crate::model::now_ms(),
            damage: damage.map(|d| d.as_str().to_owned()),
            wrapped_key: profile.wrapped_key.to_vec(),
            canary: profile.canary.to_vec(),
        })
        .map_err(|e| StoreError::Internal(format!("encoding the archive header: {e}")))?;
        let mut out = BufWriter::new(File::create(dest).map_err(io("create the archive"))?);
        let len = u32::try_from(header.len())
            .map_err(|_| StoreError::Internal("header too large".into()))?;
        out.write_all(MAGIC)
            .and_then(|()| out.write_all(&len.to_be_bytes()))
            .and_then(|()| out.write_all(&header))
            .map_err(io("write the archive"))?;
        Ok(Self {
            out,
            key,
            profile_id: profile.id.to_owned(),
            index: 0,
        })
    }

    fn record(&mut self, kind: Kind, plain: &[u8]) -> Result<()> {
        let row = format!("{}/{}", self.profile_id, self.index);
        let sealed = crypto::seal(&self.key, record_ctx(kind, &row), plain)
            .map_err(|_| StoreError::Internal("sealing an archive record failed".into()))?;
        let len = u32::try_from(sealed.len())
            .map_err(|_| StoreError::Internal("record too large".into()))?;
        self.out
            .write_all(&[kind as u8])
            .and_then(|()| self.out.write_all(&len.to_be_bytes()))
            .and_then(|()| self.out.write_all(&sealed))
            .map_err(io("write the archive"))?;
        self.index += 1;
        Ok(())
    }

    fn json(&mut self, kind: Kind, value: &impl Serialize) -> Result<()> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| StoreError::Internal(format!("encoding an archive record: {e}")))?;
        self.record(kind, &bytes)
    }

    pub(crate) fn draft(&mut self, draft: &ArchivedDraft) -> Result<()> {
        self.json(Kind::Draft, draft)
    }

    pub(crate) fn submission(&mut self, s: &ArchivedSubmission) -> Result<()> {
        self.json(Kind::Submission, s)
    }

    /// Starts an attachment; follow with [`Self::chunk`]s and [`Self::end_attachment`].
    pub(crate) fn attachment(
        &mut self,
        id: &str,
        draft_id: Option<&str>,
        file_name: Option<&str>,
        media_type: Option<&str>,
    ) -> Result<()> {
        self.json(
            Kind::Attachment,
            &AttachmentMeta {
                id: id.to_owned(),
                draft_id: draft_id.map(str::to_owned),
                file_name: file_name.map(str::to_owned),
                media_type: media_type.map(str::to_owned),
            },
        )
    }

    pub(crate) fn chunk(&mut self, plain: &[u8]) -> Result<()> {
        self.record(Kind::Chunk, plain)
    }

    pub(crate) fn end_attachment(&mut self, bytes: u64, complete: bool) -> Result<()> {
        self.json(Kind::AttachmentEnd, &AttachmentEnd { bytes, complete })
    }

    /// Writes the end record and flushes the file to disk.
    pub(crate) fn finish(mut self) -> Result<()> {
        let records = self.index + 1;
        self.json(Kind::End, &End { records })?;
        let file = self
            .out
            .into_inner()
            .map_err(|e| io("write the archive")(e.into_error()))?;
        file.sync_all().map_err(io("flush the archive"))
    }
}

fn json<T: serde::de::DeserializeOwned>(p: &[u8]) -> Result<T> {
    serde_json::from_slice(p).map_err(|_| damaged_archive())
}

fn read_exact_or_damaged(r: &mut impl Read, buf: &mut [u8]) -> Result<()> {
    r.read_exact(buf).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            damaged_archive()
        } else {
            io("read the archive")(e)
        }
    })
}

fn read_header(r: &mut impl Read) -> Result<Header> {
    let mut magic = [0u8; 8];
    read_exact_or_damaged(r, &mut magic)?;
    if &magic != MAGIC {
        return Err(StoreError::InvalidInput(
            "not a Layanan recovery archive".into(),
        ));
    }
    let mut len = [0u8; 4];
    read_exact_or_damaged(r, &mut len)?;
    let len = u32::from_be_bytes(len);
    if len > MAX_RECORD {
        return Err(damaged_archive());
    }
    let mut header = vec![0u8; len as usize];
    read_exact_or_damaged(r, &mut header)?;
    serde_json::from_slice(&header).map_err(|_| damaged_archive())
}

/// The profile id and wrapped key in an archive, for a vault to unwrap.
pub fn archive_wrapped_key(path: &Path) -> Result<(String, Vec<u8>)> {
    let mut r = BufReader::new(File::open(path).map_err(io("open the archive"))?);
    let h = read_header(&mut r)?;
    Ok((h.profile_id, h.wrapped_key))
}

/// Opens an archive with the profile's vault.
pub fn read_archive(path: &Path, vault: &dyn KeyVault) -> Result<ArchiveContents> {
    let (profile_id, wrapped) = archive_wrapped_key(path)?;
    let raw = zeroize::Zeroizing::new(vault.unwrap_key(&profile_id, &wrapped)?);
    read_archive_with_key(path, &raw)
}

/// Opens an archive with the data key a vault unwrapped from [`archive_wrapped_key`].
pub fn read_archive_with_key(path: &Path, data_key: &[u8]) -> Result<ArchiveContents> {
    let mut r = BufReader::new(File::open(path).map_err(io("open the archive"))?);
    let h = read_header(&mut r)?;
    let key = DataKey::from_unwrapped(data_key)?.aead_key()?;
    crate::store::check_canary(&key, &h.profile_id, &h.canary)?;
    let mut out = ArchiveContents {
        profile_id: h.profile_id.clone(),
        label: h.label,
        damage: h.damage,
        exported_at_ms: h.exported_at_ms,
        ..ArchiveContents::default()
    };
    let mut index = 0u64;
    let mut open: Option<ArchivedAttachment> = None;
    loop {
        let mut head = [0u8; 5];
        read_exact_or_damaged(&mut r, &mut head)?;
        let kind = Kind::from_u8(head[0]).ok_or_else(damaged_archive)?;
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]);
        if len > MAX_RECORD {
            return Err(damaged_archive());
        }
        let mut sealed = vec![0u8; len as usize];
        read_exact_or_damaged(&mut r, &mut sealed)?;
        let row = format!("{}/{index}", h.profile_id);
        let plain =
            crypto::open(&key, record_ctx(kind, &row), &sealed).map_err(|_| damaged_archive())?;
        index += 1;
        match kind {
            Kind::Draft => out.drafts.push(json(&plain)?),
            Kind::Submission => out.submissions.push(json(&plain)?),
            Kind::Attachment => {
                let m: AttachmentMeta = json(&plain)?;
                open = Some(ArchivedAttachment {
                    id: m.id,
                    draft_id: m.draft_id,
                    file_name: m.file_name,
                    media_type: m.media_type,
                    bytes: Vec::new(),
                    complete: false,
                });
            }
            Kind::Chunk => open
                .as_mut()
                .ok_or_else(damaged_archive)?
                .bytes
                .extend_from_slice(&plain),
            Kind::AttachmentEnd => {
                let end: AttachmentEnd = json(&plain)?;
                let mut a = open.take().ok_or_else(damaged_archive)?;
                if a.bytes.len() as u64 != end.bytes {
                    return Err(damaged_archive());
                }
                a.complete = end.complete;
                out.attachments.push(a);
            }
            Kind::End => {
                let end: End = json(&plain)?;
                if end.records != index || open.is_some() {
                    return Err(damaged_archive());
                }
                return Ok(out);
            }
        }
    }
}
