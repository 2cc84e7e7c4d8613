//! The outbox: finalized submissions on their way to the agency.
//!
//! Modelled on matrix-rust-sdk's send queue: an item is persisted before any byte is
//! sent, keyed by its instanceID (the idempotency key the server dedupes on), and
//! moves `queued -> sending -> sent`, or to `failed` (retried after a backoff) or
//! `wedged` (needs the citizen; never blocks the others). Finalizing a draft moves it
//! here in one transaction: the draft, its answers and its attachments are never in
//! two places or in none.

use layanan_protocol::{InstanceId, SignedReceipt, SubmissionState};
use rusqlite::{params, OptionalExtension, Row};

use crate::crypto::SealContext;
use crate::error::{Result, StoreError};
use crate::model::{now_ms, OutboxError, OutboxItem, OutboxState};
use crate::profile::Profile;
use crate::views::Outbox;
use crate::ProfileChange;

pub(crate) mod damage;

fn ctx<'a>(column: &'static str, instance_id: &'a str) -> SealContext<'a> {
    SealContext {
        table: "outbox",
        column,
        row_id: instance_id,
    }
}

const ITEM_COLUMNS: &str = "instance_id, form_id, form_version, state, attempts, next_attempt_at,
     created_at, updated_at, agency_state, error, receipt,
     (SELECT count(*) FROM outbox_attachments a WHERE a.instance_id = outbox.instance_id)";

/// An attachment of an outbox item, as the sync engine uploads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxAttachment {
    pub attachment_id: String,
    /// The server's resumable-upload id, once created.
    pub upload_id: Option<String>,
    /// True once the server confirmed the whole file.
    pub uploaded: bool,
}

impl Outbox<'_> {
    fn item_from_row(&self, r: &Row<'_>) -> Result<OutboxItem> {
        let instance_id: String = r.get(0)?;
        let state: String = r.get(3)?;
        let error = match r.get::<_, Option<Vec<u8>>>(9)? {
            Some(sealed) => Some(
                serde_json::from_slice::<OutboxError>(
                    &self.open(ctx("error", &instance_id), &sealed)?,
                )
                .map_err(|_| corrupt("error", &instance_id))?,
            ),
            None => None,
        };
        let receipt = match r.get::<_, Option<Vec<u8>>>(10)? {
            Some(sealed) => Some(
                serde_json::from_slice::<SignedReceipt>(
                    &self.open(ctx("receipt", &instance_id), &sealed)?,
                )
                .map_err(|_| corrupt("receipt", &instance_id))?,
            ),
            None => None,
        };
        Ok(OutboxItem {
            state: OutboxState::parse(&state).ok_or_else(|| corrupt("state", &instance_id))?,
            form_id: r.get(1)?,
            form_version: r.get(2)?,
            attempts: r.get(4)?,
            next_attempt_at_ms: r.get(5)?,
            created_at_ms: r.get(6)?,
            updated_at_ms: r.get(7)?,
            agency_state: match r.get::<_, Option<String>>(8)? {
                Some(s) => Some(
                    SubmissionState::parse(&s)
                        .ok_or_else(|| corrupt("agency_state", &instance_id))?,
                ),
                None => None,
            },
            error,
            receipt,
            attachment_count: r.get(11)?,
            instance_id,
        })
    }

    /// Moves a draft into the outbox as the submission `submission_xml` (written by
    /// the forms engine, with `meta/instanceID` = `instance_id`), together with the
    /// attachments the submission names (`named_files`), in one transaction. The
    /// draft's other attachments (replaced, cleared, or under a question that became
    /// irrelevant) are deleted in the same transaction, so a crash can never leave
    /// the outbox item with a file it does not name, or without one it does.
    pub fn finalize(
        &self,
        draft_id: &str,
        instance_id: &InstanceId,
        submission_xml: &[u8],
        named_files: &[&str],
    ) -> Result<OutboxItem> {
        let iid = instance_id.as_str();
        let sealed = self.seal(ctx("submission", iid), submission_xml)?;
        let attachments = Profile::attachments(self).list(Some(draft_id))?;
        if named_files
            .iter()
            .any(|n| !attachments.iter().any(|a| a.file_name == *n))
        {
            return Err(StoreError::InvalidInput(
                "the submission names a file that is not attached to the draft".into(),
            ));
        }
        // A file damaged before it was sent (a battery that died mid-write, a storage
        // card) is found now, while the citizen still has the form open, not by
        // the sync engine days later.
        for a in attachments
            .iter()
            .filter(|a| named_files.contains(&a.file_name.as_str()))
        {
            crate::attachments::verify(self, &a.id)?;
        }
        let unnamed: Vec<String> = attachments
            .into_iter()
            .filter(|a| !named_files.contains(&a.file_name.as_str()))
            .map(|a| a.id)
            .collect();
        let now = now_ms();
        self.inner().write(|tx| {
            let draft: Option<(String, String)> = tx
                .query_row(
                    "SELECT form_id, form_version FROM drafts WHERE id = ?1 AND profile_id = ?2",
                    params![draft_id, self.id()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (form_id, form_version) =
                draft.ok_or_else(|| StoreError::DraftNotFound(draft_id.to_owned()))?;
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE instance_id = ?1)",
                [iid],
                |r| r.get(0),
            )?;
            if exists {
                return Err(StoreError::InvalidInput(
                    "this instance id is already in the outbox".into(),
                ));
            }
            for id in &unnamed {
                tx.execute(
                    "DELETE FROM attachments WHERE id = ?1 AND profile_id = ?2",
                    params![id, self.id()],
                )?;
            }
            tx.execute(
                "INSERT INTO outbox (instance_id, profile_id, seq, form_id, form_version, state,
                                     created_at, updated_at, submission)
                 VALUES (?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?3, ?4, 'queued',
                         ?5, ?5, ?6)",
                params![iid, self.id(), form_id, form_version, now, sealed],
            )?;
            tx.execute(
                "INSERT INTO outbox_attachments (instance_id, attachment_id)
                 SELECT ?1, id FROM attachments WHERE draft_id = ?2 AND profile_id = ?3",
                params![iid, draft_id, self.id()],
            )?;
            tx.execute(
                "UPDATE attachments SET draft_id = NULL WHERE draft_id = ?1 AND profile_id = ?2",
                params![draft_id, self.id()],
            )?;
            tx.execute("DELETE FROM drafts WHERE id = ?1", [draft_id])?;
            Ok(())
        })?;
        // The rows are gone; a file left by a crash here is an orphan the next open
        // sweeps.
        for id in &unnamed {
            crate::attachments::remove_file(self.inner(), self.id(), id)?;
        }
        crate::checkpoint::quietly(self.inner()); // a finalized submission never lives in the WAL only
        tracing::info!(instance = %iid, dropped = unnamed.len(), "finalized draft into the outbox");
        let item = self.outbox().item(iid)?;
        self.publish(ProfileChange::OutboxItem(Box::new(item.clone())));
        Ok(item)
    }

    /// One outbox item.
    pub fn item(&self, instance_id: &str) -> Result<OutboxItem> {
        self.inner()
            .read(|c| {
                let mut stmt = c.prepare_cached(&format!(
                    "SELECT {ITEM_COLUMNS} FROM outbox WHERE instance_id = ?1 AND profile_id = ?2"
                ))?;
                let mut rows = stmt.query(params![instance_id, self.id()])?;
                match rows.next()? {
                    Some(r) => self.item_from_row(r).map(Some),
                    None => Ok(None),
                }
            })?
            .ok_or_else(|| StoreError::OutboxItemNotFound(instance_id.to_owned()))
    }

    /// The whole outbox, oldest first.
    pub fn list(&self) -> Result<Vec<OutboxItem>> {
        self.inner().read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE profile_id = ?1 ORDER BY seq"
            ))?;
            let mut rows = stmt.query([self.id()])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(self.item_from_row(r)?);
            }
            Ok(out)
        })
    }

    /// The submission XML of an outbox item.
    pub fn submission(&self, instance_id: &str) -> Result<Vec<u8>> {
        let sealed: Vec<u8> = self
            .inner()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT submission FROM outbox WHERE instance_id = ?1 AND profile_id = ?2",
                    params![instance_id, self.id()],
                    |r| r.get(0),
                )
                .optional()?)
            })?
            .ok_or_else(|| StoreError::OutboxItemNotFound(instance_id.to_owned()))?;
        self.open(ctx("submission", instance_id), &sealed)
    }

    /// Puts a wedged or failed item back in the queue, e.g. after the citizen was
    /// told the server's limit changed. Sent items stay sent.
    pub fn requeue(&self, instance_id: &str) -> Result<()> {
        let n = self.inner().with_writer(|c| {
            Ok(c.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = 0, updated_at = ?3
                 WHERE instance_id = ?1 AND profile_id = ?2 AND state IN ('wedged', 'failed')",
                params![instance_id, self.id(), now_ms()],
            )?)
        })?;
        if n == 0 {
            return Err(StoreError::OutboxItemNotFound(instance_id.to_owned()));
        }
        self.publish_item(instance_id);
        Ok(())
    }

    /// Replaces the file `file_name` of a wedged or failed item (its sealed copy was
    /// damaged: the citizen took the photo again) with `source`, and puts the item
    /// back in the queue. The new file keeps the name the submission refers to; an
    /// image type is checked to be an image first. Refused for an item that is sent
    /// or being sent, and for a file the server already holds whole.
    pub fn reattach(
        &self,
        instance_id: &str,
        file_name: &str,
        media_type: &str,
        source: impl std::io::Read,
    ) -> Result<OutboxItem> {
        let item = self.outbox().item(instance_id)?;
        if !matches!(item.state, OutboxState::Wedged | OutboxState::Failed) {
            return Err(StoreError::InvalidInput(
                "only a wedged or failed outbox item can take a new file".into(),
            ));
        }
        let old = self
            .outbox()
            .attachments(instance_id)?
            .into_iter()
            .find(|a| {
                Profile::attachments(self)
                    .info(&a.attachment_id)
                    .is_ok_and(|i| i.file_name == file_name)
            })
            .ok_or_else(|| StoreError::InvalidInput("the item has no file of that name".into()))?;
        if old.uploaded {
            return Err(StoreError::InvalidInput(
                "the server already holds this file whole".into(),
            ));
        }
        let source = crate::forms::image::checked(media_type, source)?
            .map_err(|problem| StoreError::InvalidInput(format!("the new file: {problem}")))?;
        let new = Profile::attachments(self).add(None, file_name, media_type, source)?;
        let swapped = self.inner().write(|tx| {
            let n = tx.execute(
                "UPDATE outbox_attachments SET attachment_id = ?3, upload_id = NULL, uploaded = 0
                 WHERE instance_id = ?1 AND attachment_id = ?2 AND uploaded = 0",
                params![instance_id, old.attachment_id, new.id],
            )?;
            if n == 0 {
                return Err(StoreError::InvalidInput(
                    "the item's file changed meanwhile".into(),
                ));
            }
            tx.execute(
                "DELETE FROM attachments WHERE id = ?1 AND profile_id = ?2",
                params![old.attachment_id, self.id()],
            )?;
            let n = tx.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = 0, backoff_level = 0,
                    error = NULL, error_code = NULL, updated_at = ?3
                 WHERE instance_id = ?1 AND profile_id = ?2 AND state IN ('wedged', 'failed')",
                params![instance_id, self.id(), now_ms()],
            )?;
            if n == 0 {
                return Err(StoreError::InvalidInput(
                    "the item is being sent; try again after the sync".into(),
                ));
            }
            Ok(())
        });
        if let Err(e) = swapped {
            // The new copy is not referenced: drop it (a crash here leaves an orphan
            // the next open sweeps).
            let _ = Profile::attachments(self).delete(&new.id);
            return Err(e);
        }
        crate::attachments::remove_file(self.inner(), self.id(), &old.attachment_id)?;
        tracing::info!(instance = %instance_id, "re-attached a file to an outbox item");
        self.publish_item(instance_id);
        self.outbox().item(instance_id)
    }

    /// How the items still waiting stand, counted by state: what a sync summary
    /// tells the citizen ("2 wait for a retry at 14:05, 1 needs you").
    pub fn waiting(&self, now: i64) -> Result<crate::model::OutboxWaiting> {
        let mut w = crate::model::OutboxWaiting::default();
        for item in self.outbox().list()? {
            match item.state {
                OutboxState::Sent => {}
                OutboxState::Queued | OutboxState::Sending => w.due_now += 1,
                OutboxState::Failed if item.next_attempt_at_ms <= now => w.due_now += 1,
                OutboxState::Failed => {
                    w.retry_later += 1;
                    w.next_retry_at_ms = Some(
                        w.next_retry_at_ms
                            .map_or(item.next_attempt_at_ms, |t| t.min(item.next_attempt_at_ms)),
                    );
                }
                OutboxState::Wedged => w.wedged.push(crate::model::WedgedItem {
                    error: item.error.unwrap_or_else(|| OutboxError {
                        code: crate::OutboxErrorCode::Incomplete,
                        message: "Kiriman ini perlu Anda periksa.".into(),
                        message_en: "This submission needs you to look at it.".into(),
                        file_name: None,
                        question: None,
                    }),
                    instance_id: item.instance_id,
                    form_id: item.form_id,
                }),
            }
        }
        Ok(w)
    }

    // ---- for the sync engine ----

    /// Items a sync may send now, oldest first: queued, failed whose backoff is over,
    /// and `sending` left over from a run that was killed.
    pub fn due(&self, now: i64) -> Result<Vec<String>> {
        self.inner().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT instance_id FROM outbox
                 WHERE profile_id = ?1
                   AND (state IN ('queued', 'sending') OR (state = 'failed' AND next_attempt_at <= ?2))
                 ORDER BY seq",
            )?;
            let ids = stmt.query_map(params![self.id(), now], |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The earliest time a failed item becomes due, if any.
    pub fn next_retry_at(&self) -> Result<Option<i64>> {
        self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT min(next_attempt_at) FROM outbox WHERE profile_id = ?1 AND state = 'failed'",
                [self.id()],
                |r| r.get(0),
            )?)
        })
    }

    fn set_state(
        &self,
        instance_id: &str,
        state: OutboxState,
        extra_sql: &str,
        error: Option<&OutboxError>,
        next_attempt_at: i64,
    ) -> Result<()> {
        let sealed_error = match error {
            Some(e) => Some(self.seal(
                ctx("error", instance_id),
                &serde_json::to_vec(e).map_err(|e| StoreError::Internal(e.to_string()))?,
            )?),
            None => None,
        };
        let n = self.inner().with_writer(|c| {
            Ok(c.execute(
                &format!(
                    "UPDATE outbox SET state = ?3, updated_at = ?4, error = ?5,
                        error_code = ?6, next_attempt_at = ?7 {extra_sql}
                     WHERE instance_id = ?1 AND profile_id = ?2"
                ),
                params![
                    instance_id,
                    self.id(),
                    state.as_str(),
                    now_ms(),
                    sealed_error,
                    error.map(|e| e.code.as_str().into_owned()),
                    next_attempt_at
                ],
            )?)
        })?;
        if n == 0 {
            return Err(StoreError::OutboxItemNotFound(instance_id.to_owned()));
        }
        self.publish_item(instance_id);
        Ok(())
    }

    /// Marks an item as being sent; counts the attempt.
    pub fn mark_sending(&self, instance_id: &str) -> Result<()> {
        self.set_state(
            instance_id,
            OutboxState::Sending,
            ", attempts = attempts + 1",
            None,
            0,
        )
    }

    /// Records a recoverable failure; the item is due again at `next_attempt_at`.
    /// `backoff_level` is the failure count the delay was computed from (reset by
    /// the engine when an attempt made progress).
    pub fn mark_failed(
        &self,
        instance_id: &str,
        error: &OutboxError,
        next_attempt_at: i64,
        backoff_level: u32,
    ) -> Result<()> {
        self.set_state(
            instance_id,
            OutboxState::Failed,
            &format!(", backoff_level = {backoff_level}"),
            Some(error),
            next_attempt_at,
        )
    }

    /// The failure count the item's next backoff builds on.
    pub fn backoff_level(&self, instance_id: &str) -> Result<u32> {
        self.inner()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT backoff_level FROM outbox WHERE instance_id = ?1 AND profile_id = ?2",
                    params![instance_id, self.id()],
                    |r| r.get(0),
                )
                .optional()?)
            })?
            .ok_or_else(|| StoreError::OutboxItemNotFound(instance_id.to_owned()))
    }

    /// Records a failure only the citizen can resolve.
    pub fn mark_wedged(&self, instance_id: &str, error: &OutboxError) -> Result<()> {
        self.set_state(instance_id, OutboxState::Wedged, "", Some(error), 0)
    }

    /// Puts an item a run was sending back to `queued` without counting a failure
    /// (the run stopped for reasons that are not the item's).
    pub fn requeue_sending(&self, instance_id: &str) -> Result<()> {
        self.inner().with_writer(|c| {
            c.execute(
                "UPDATE outbox SET state = 'queued', updated_at = ?3
                 WHERE instance_id = ?1 AND profile_id = ?2 AND state = 'sending'",
                params![instance_id, self.id(), now_ms()],
            )?;
            Ok(())
        })?;
        self.publish_item(instance_id);
        Ok(())
    }

    /// Records delivery with the (already verified) receipt.
    pub fn mark_sent(&self, instance_id: &str, receipt: &SignedReceipt) -> Result<()> {
        let sealed = self.seal(
            ctx("receipt", instance_id),
            &serde_json::to_vec(receipt).map_err(|e| StoreError::Internal(e.to_string()))?,
        )?;
        let n = self.inner().with_writer(|c| {
            Ok(c.execute(
                "UPDATE outbox SET state = 'sent', updated_at = ?3, receipt = ?4, error = NULL,
                    error_code = NULL, agency_state = coalesce(agency_state, 'received')
                 WHERE instance_id = ?1 AND profile_id = ?2",
                params![instance_id, self.id(), now_ms(), sealed],
            )?)
        })?;
        if n == 0 {
            return Err(StoreError::OutboxItemNotFound(instance_id.to_owned()));
        }
        self.publish_item(instance_id);
        Ok(())
    }

    /// The attachments an item must upload, in a stable order.
    pub fn attachments(&self, instance_id: &str) -> Result<Vec<OutboxAttachment>> {
        self.inner().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT a.attachment_id, a.upload_id, a.uploaded FROM outbox_attachments a
                 JOIN outbox o ON o.instance_id = a.instance_id
                 WHERE a.instance_id = ?1 AND o.profile_id = ?2 ORDER BY a.attachment_id",
            )?;
            let rows = stmt.query_map(params![instance_id, self.id()], |r| {
                Ok(OutboxAttachment {
                    attachment_id: r.get(0)?,
                    upload_id: r.get(1)?,
                    uploaded: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// What is left to send of an item, for a run that may not finish everything:
    /// the bytes of its files not yet confirmed whole by the server plus its XML, and
    /// whether an upload of it is under way (the server holds part of it).
    pub fn pending_bytes(&self, instance_id: &str) -> Result<(u64, bool)> {
        let mut bytes = 0u64;
        let mut started = false;
        for a in self.outbox().attachments(instance_id)? {
            if a.uploaded {
                continue;
            }
            started |= a.upload_id.is_some();
            bytes = bytes.saturating_add(Profile::attachments(self).info(&a.attachment_id)?.size);
        }
        let xml = self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT length(submission) FROM outbox WHERE instance_id = ?1 AND profile_id = ?2",
                params![instance_id, self.id()],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .unwrap_or(0))
        })?;
        Ok((
            bytes.saturating_add(u64::try_from(xml).unwrap_or(0)),
            started,
        ))
    }

    /// Remembers the server's upload id so a later run resumes instead of restarting.
    pub fn set_upload(
        &self,
        instance_id: &str,
        attachment_id: &str,
        upload_id: Option<&str>,
        uploaded: bool,
    ) -> Result<()> {
        self.inner().with_writer(|c| {
            c.execute(
                "UPDATE outbox_attachments SET upload_id = ?3, uploaded = ?4
                 WHERE instance_id = ?1 AND attachment_id = ?2",
                params![instance_id, attachment_id, upload_id, uploaded],
            )?;
            Ok(())
        })
    }

    /// Records the agency's latest decision on a submission.
    pub fn set_agency_state(&self, instance_id: &str, state: SubmissionState) -> Result<()> {
        self.inner().with_writer(|c| {
            c.execute(
                "UPDATE outbox SET agency_state = ?3, updated_at = ?4
                 WHERE instance_id = ?1 AND profile_id = ?2",
                params![instance_id, self.id(), state.as_str(), now_ms()],
            )?;
            Ok(())
        })?;
        self.publish_item(instance_id);
        Ok(())
    }
}

impl Outbox<'_> {
    /// Tells subscribers how the item stands now that a write committed.
    fn publish_item(&self, instance_id: &str) {
        if !self.inner().changes().has_subscribers() {
            return;
        }
        match self.outbox().item(instance_id) {
            Ok(item) => self.publish(ProfileChange::OutboxItem(Box::new(item))),
            // Unreadable now: subscribers re-read (and meet the error themselves).
            Err(_) => self.publish(ProfileChange::Outbox),
        }
    }
}

fn corrupt(column: &'static str, row_id: &str) -> StoreError {
    StoreError::Corrupt {
        table: "outbox",
        column,
        row_id: row_id.to_owned(),
    }
}
