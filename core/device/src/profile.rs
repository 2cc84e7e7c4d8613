//! An unlocked profile: the one place that holds a profile's data key and seals and
//! opens its rows.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, RwLock};

use ring::aead::{LessSafeKey, UnboundKey, AES_256_GCM};
use rusqlite::{params, OptionalExtension};

use crate::attachments::{self, AttachmentReader};
use crate::crypto::{self, SealContext, SealError};
use crate::error::{Result, StoreError};
use crate::model::{new_id, now_ms, Answers, AttachmentInfo, Draft, DraftSummary, ProfileDetails};
use crate::store::StoreInner;
use crate::views::{Account, Attachments, Drafts};

/// A profile whose data key is in memory until [`Profile::lock`] (or drop).
pub struct Profile {
    inner: Arc<StoreInner>,
    id: String,
    /// `None` once locked. Every seal and open holds the read lock, so `lock` waits
    /// for a running write (an attachment being sealed) and then no new one starts.
    key: RwLock<Option<LessSafeKey>>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const DRAFT_COLUMNS: &str = "id, form_id, form_version, created_at, updated_at";

fn draft_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<DraftSummary> {
    Ok(DraftSummary {
        id: r.get(0)?,
        form_id: r.get(1)?,
        form_version: r.get(2)?,
        created_at_ms: r.get(3)?,
        updated_at_ms: r.get(4)?,
    })
}

impl Profile {
    pub(crate) fn new(inner: Arc<StoreInner>, id: String, key: LessSafeKey) -> Self {
        Self {
            inner,
            id,
            key: RwLock::new(Some(key)),
        }
    }

    /// Forgets the data key: every later call that needs it (reading or writing a
    /// sealed value, a form session, a sync run) fails with [`StoreError::Locked`].
    /// The key's memory is overwritten in place (ring keeps its expanded AES key
    /// inline, and it is replaced by the schedule of an all-zero key) before the slot
    /// is emptied. Unlock the profile again through the store to use it.
    pub fn lock(&self) {
        let mut slot = self.key.write().unwrap_or_else(|p| p.into_inner());
        if let Some(key) = slot.as_mut() {
            if let Ok(zero) = UnboundKey::new(&AES_256_GCM, &[0u8; 32]) {
                *key = LessSafeKey::new(zero);
            }
        }
        *slot = None;
        tracing::debug!(profile = %self.id, "locked profile");
    }

    /// True after [`Profile::lock`].
    pub fn is_locked(&self) -> bool {
        self.key.read().map(|k| k.is_none()).unwrap_or(true)
    }

    /// Fails with [`StoreError::Locked`] after [`Profile::lock`]; for callers that
    /// start long work (a sync run) and should refuse before touching anything.
    pub fn ensure_unlocked(&self) -> Result<()> {
        if self.is_locked() {
            Err(StoreError::Locked)
        } else {
            Ok(())
        }
    }

    /// Runs `f` with the data key, or fails with [`StoreError::Locked`].
    pub(crate) fn with_key<T>(&self, f: impl FnOnce(&LessSafeKey) -> Result<T>) -> Result<T> {
        let slot = self.key.read().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(key) => f(key),
            None => Err(StoreError::Locked),
        }
    }

    /// Interrupts the SQL statement `task` (see [`crate::interrupt::as_task`]) is
    /// running on this store now, if any: it fails and its transaction rolls back.
    /// Statements of other callers are never touched.
    pub fn interrupt(&self, task: crate::interrupt::TaskId) {
        self.inner.interrupt(task);
    }

    /// This profile's change notifications (outbox, status, sync progress), from now on.
    pub fn subscribe(&self) -> crate::ChangeStream {
        self.inner.changes().subscribe(&self.id)
    }

    pub(crate) fn publish(&self, change: crate::ProfileChange) {
        self.inner.changes().publish(&self.id, change);
    }

    /// The profile's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn seal(&self, ctx: SealContext<'_>, plain: &[u8]) -> Result<Vec<u8>> {
        self.with_key(|key| {
            crypto::seal(key, ctx, plain).map_err(|_| StoreError::Internal("sealing failed".into()))
        })
    }

    pub(crate) fn open(&self, ctx: SealContext<'_>, sealed: &[u8]) -> Result<Vec<u8>> {
        self.with_key(|key| {
            crypto::open(key, ctx, sealed).map_err(|e| match e {
                SealError::Random => StoreError::Internal("random generator failed".into()),
                _ => StoreError::Corrupt {
                    table: ctx.table,
                    column: ctx.column,
                    row_id: ctx.row_id.to_owned(),
                },
            })
        })
    }

    pub(crate) fn inner(&self) -> &StoreInner {
        &self.inner
    }
}

/// The owner's details, the server account and the sync settings.
impl Account<'_> {
    /// Replaces the owner's personal details (sealed).
    pub fn set_details(&self, details: &ProfileDetails) -> Result<()> {
        let json = serde_json::to_vec(details)
            .map_err(|e| StoreError::Internal(format!("encoding details: {e}")))?;
        let sealed = self.seal(details_ctx(&self.id), &json)?;
        self.inner.with_writer(|c| {
            c.execute(
                "UPDATE profiles SET details = ?1 WHERE id = ?2 AND state = 'active'",
                params![sealed, self.id],
            )?;
            Ok(())
        })
    }

    /// The owner's personal details; empty until set.
    pub fn details(&self) -> Result<ProfileDetails> {
        let sealed: Option<Vec<u8>> = self.inner.read(|c| {
            Ok(c.query_row(
                "SELECT details FROM profiles WHERE id = ?1",
                [&self.id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })?;
        let Some(sealed) = sealed else {
            return Ok(ProfileDetails::default());
        };
        let json = self.open(details_ctx(&self.id), &sealed)?;
        serde_json::from_slice(&json).map_err(|_| StoreError::Corrupt {
            table: "profiles",
            column: "details",
            row_id: self.id.clone(),
        })
    }
}

/// Forms being filled in.
impl Drafts<'_> {
    fn seal_answers(&self, draft_id: &str, answers: &Answers) -> Result<Vec<u8>> {
        let json = serde_json::to_vec(answers)
            .map_err(|e| StoreError::Internal(format!("encoding answers: {e}")))?;
        self.seal(answers_ctx(draft_id), &json)
    }

    /// Starts a draft of `form_id` at `form_version` with `answers`.
    pub fn create(&self, form_id: &str, form_version: &str, answers: &Answers) -> Result<Draft> {
        if form_id.is_empty() {
            return Err(StoreError::InvalidInput("form id must not be empty".into()));
        }
        let id = new_id();
        let sealed = self.seal_answers(&id, answers)?;
        let now = now_ms();
        self.inner.with_writer(|c| {
            c.prepare_cached(
                "INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
            )?
            .execute(params![id, self.id, form_id, form_version, now, sealed])?;
            Ok(())
        })?;
        Ok(Draft {
            id,
            form_id: form_id.to_owned(),
            form_version: form_version.to_owned(),
            created_at_ms: now,
            updated_at_ms: now,
            answers: answers.clone(),
        })
    }

    /// Replaces a draft's answers: the autosave after each answer. One statement,
    /// committed before it returns.
    pub fn save(&self, draft_id: &str, answers: &Answers) -> Result<i64> {
        let sealed = self.seal_answers(draft_id, answers)?;
        let now = now_ms();
        self.inner.write_draft(draft_id, |c, generation| {
            let changed = c
                .prepare_cached(
                    "UPDATE drafts SET answers = ?1, updated_at = ?2, generation = ?5
                     WHERE id = ?3 AND profile_id = ?4",
                )?
                .execute(params![sealed, now, draft_id, self.id, generation])?;
            if changed == 0 {
                return Err(StoreError::DraftNotFound(draft_id.to_owned()));
            }
            Ok(now)
        })
    }

    /// Loads a draft with its answers.
    pub fn load(&self, draft_id: &str) -> Result<Draft> {
        let row = self.inner.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS}, answers FROM drafts WHERE id = ?1 AND profile_id = ?2"
            ))?
            .query_row(params![draft_id, self.id], |r| {
                Ok((draft_summary(r)?, r.get::<_, Vec<u8>>(5)?))
            })
            .optional()?)
        })?;
        let (summary, sealed) =
            row.ok_or_else(|| StoreError::DraftNotFound(draft_id.to_owned()))?;
        let json = self.open(answers_ctx(draft_id), &sealed)?;
        let answers: Answers = serde_json::from_slice(&json).map_err(|_| StoreError::Corrupt {
            table: "drafts",
            column: "answers",
            row_id: draft_id.to_owned(),
        })?;
        Ok(Draft {
            id: summary.id,
            form_id: summary.form_id,
            form_version: summary.form_version,
            created_at_ms: summary.created_at_ms,
            updated_at_ms: summary.updated_at_ms,
            answers,
        })
    }

    /// The profile's drafts, most recently saved first. Opens nothing sealed.
    pub fn list(&self) -> Result<Vec<DraftSummary>> {
        self.inner.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM drafts WHERE profile_id = ?1
                 ORDER BY updated_at DESC, id"
            ))?;
            let rows = stmt.query_map([&self.id], draft_summary)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Deletes a draft and its attachments.
    pub fn delete(&self, draft_id: &str) -> Result<()> {
        let attachment_ids = self.inner.write(|tx| {
            let ids: Vec<String> = tx
                .prepare("SELECT id FROM attachments WHERE draft_id = ?1 AND profile_id = ?2")?
                .query_map(params![draft_id, self.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute(
                "DELETE FROM attachments WHERE draft_id = ?1 AND profile_id = ?2",
                params![draft_id, self.id],
            )?;
            let n = tx.execute(
                "DELETE FROM drafts WHERE id = ?1 AND profile_id = ?2",
                params![draft_id, self.id],
            )?;
            if n == 0 {
                return Err(StoreError::DraftNotFound(draft_id.to_owned()));
            }
            Ok(ids)
        })?;
        for id in attachment_ids {
            attachments::remove_file(&self.inner, &self.id, &id)?;
        }
        Ok(())
    }
}

/// Files sealed in the store.
impl Attachments<'_> {
    /// Seals `source` into a new attachment, streaming it chunk by chunk. `draft_id`
    /// ties it to a draft (deleted with it); `file_name` is what the submission
    /// refers to.
    pub fn add(
        &self,
        draft_id: Option<&str>,
        file_name: &str,
        media_type: &str,
        source: impl Read,
    ) -> Result<AttachmentInfo> {
        attachments::add(self, draft_id, file_name, media_type, source)
    }

    /// Seals the file at `path` into a new attachment.
    pub fn add_from_path(
        &self,
        draft_id: Option<&str>,
        file_name: &str,
        media_type: &str,
        path: &Path,
    ) -> Result<AttachmentInfo> {
        attachments::validate_names(file_name, media_type)?;
        let file =
            std::fs::File::open(path).map_err(crate::error::io("open the file to attach"))?;
        self.attachments().add(
            draft_id,
            file_name,
            media_type,
            std::io::BufReader::new(file),
        )
    }

    /// An attachment's metadata.
    pub fn info(&self, attachment_id: &str) -> Result<AttachmentInfo> {
        attachments::info(self, attachment_id)
    }

    /// Attachments of a draft (or, with `None`, every attachment of the profile).
    pub fn list(&self, draft_id: Option<&str>) -> Result<Vec<AttachmentInfo>> {
        attachments::list(self, draft_id)
    }

    /// A streaming reader over the plaintext; holds one chunk in memory at a time.
    pub fn open(&self, attachment_id: &str) -> Result<AttachmentReader> {
        attachments::open_reader(self, attachment_id)
    }

    /// One chunk's plaintext, for chunked upload and resume.
    pub fn read_chunk(&self, attachment_id: &str, index: u64) -> Result<Vec<u8>> {
        attachments::read_chunk(self, attachment_id, index)
    }

    /// Plaintext bytes `[offset, offset + len)` (clamped to the end), for resumable
    /// upload from the server's offset.
    pub fn read_range(&self, attachment_id: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
        attachments::read_range(self, attachment_id, offset, len)
    }

    /// Decrypts an attachment to `dest` (for the shells to display or share it),
    /// streaming, and removes a partial file on error.
    pub fn export(&self, attachment_id: &str, dest: &Path) -> Result<u64> {
        attachments::export(self, attachment_id, dest)
    }

    /// Deletes an attachment's row and file.
    pub fn delete(&self, attachment_id: &str) -> Result<()> {
        attachments::delete(self, attachment_id)
    }
}

pub(crate) fn answers_ctx(draft_id: &str) -> SealContext<'_> {
    SealContext {
        table: "drafts",
        column: "answers",
        row_id: draft_id,
    }
}

fn details_ctx(profile_id: &str) -> SealContext<'_> {
    SealContext {
        table: "profiles",
        column: "details",
        row_id: profile_id,
    }
}
