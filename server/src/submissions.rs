//! Accepting a submission exactly once. The instanceID is the idempotency key: the
//! same instanceID with the same XML is the same submission (a retry after a lost
//! response, or the next part of a split submission), and gets the receipt issued the
//! first time; the same instanceID with different XML, or from another citizen, is a
//! conflict (409, as ODK Central answers).

use bytes::Bytes;
use layanan_protocol::{hex, Receipt, SignedReceipt, SubmissionState, SubmissionSummary};

use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::secrets::sha256;
use crate::state::AppState;
use crate::storage::{AttachmentRow, SubmissionRow, WriteOutcome};
use crate::validate::read_envelope;

/// One attachment part of a multipart POST.
#[derive(Debug, Clone)]
pub struct IncomingAttachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// One OpenRosa POST, parsed.
#[derive(Debug, Clone)]
pub struct IncomingSubmission {
    pub xml: Bytes,
    pub attachments: Vec<IncomingAttachment>,
    /// The `*isIncomplete*` part was present: more attachments follow.
    pub incomplete: bool,
    pub owner: Option<String>,
}

/// What happened to a POST.
#[derive(Debug, Clone)]
pub enum IngestOutcome {
    /// Stored something new (the submission, an attachment, or its completion): 201.
    Stored {
        receipt: SignedReceipt,
        complete: bool,
    },
    /// Nothing new: an earlier attempt delivered all of it: 202.
    Duplicate {
        receipt: SignedReceipt,
        complete: bool,
    },
}

/// Key of content-addressed blobs.
pub fn content_key(sha256_hex: &str) -> String {
    format!("sha256/{sha256_hex}")
}

/// Validates and stores one POST.
pub async fn ingest(state: &AppState, incoming: IncomingSubmission) -> ApiResult<IngestOutcome> {
    let envelope = read_envelope(&incoming.xml).map_err(ApiError::InvalidSubmission)?;
    let instance_id = envelope.instance_id.as_str().to_owned();
    let owner = incoming.owner.as_deref();
    if state
        .storage
        .instance_owned_by_other(&instance_id, owner)
        .await?
    {
        return Err(ApiError::InstanceIdConflict);
    }
    // A retry of what is already stored is answered as a duplicate before any
    // validation: it was validated when first accepted, and a form changed or removed
    // since must not turn a delivered submission into a refused one on the phone.
    let digest = sha256(&incoming.xml);
    let digest_hex = hex::encode(&digest);
    let already_stored = state
        .storage
        .submission(&instance_id)
        .await?
        .is_some_and(|s| s.xml_sha256 == digest_hex);
    if !already_stored {
        validate(state, &envelope.form_id, &incoming.xml).await?;
    }

    // Blobs first, rows second: a row never points at a blob that is not there.
    let mut attachment_rows = Vec::with_capacity(incoming.attachments.len());
    for part in &incoming.attachments {
        let sha = hex::encode(&sha256(&part.bytes));
        let key = content_key(&sha);
        state.blobs.put(&key, part.bytes.clone()).await?;
        attachment_rows.push(AttachmentRow {
            instance_id: instance_id.clone(),
            file_name: part.file_name.clone(),
            owner: incoming.owner.clone(),
            sha256: sha,
            size: part.bytes.len() as u64,
            content_type: part.content_type.clone(),
            blob_key: key,
        });
    }

    // Two attempts: the second only if another request inserted the same instanceID
    // between our read and our insert.
    for _ in 0..2 {
        if let Some(existing) = state.storage.submission(&instance_id).await? {
            if existing.xml_sha256 != digest_hex || existing.owner.as_deref() != owner {
                return Err(ApiError::InstanceIdConflict);
            }
            let outcome = state
                .storage
                .extend_submission(&instance_id, &attachment_rows, !incoming.incomplete)
                .await?;
            let receipt = parse_receipt(&existing.receipt_json)?;
            let complete = existing.complete || !incoming.incomplete;
            return match outcome {
                WriteOutcome::Inserted => Ok(IngestOutcome::Stored { receipt, complete }),
                WriteOutcome::Unchanged => Ok(IngestOutcome::Duplicate { receipt, complete }),
                WriteOutcome::AttachmentConflict => Err(ApiError::AttachmentConflict),
            };
        }

        let xml_key = content_key(&digest_hex);
        state.blobs.put(&xml_key, incoming.xml.clone()).await?;
        let received_ms = now_ms();
        let receipt = state.signer.sign(Receipt {
            instance_id: instance_id.clone(),
            form_id: envelope.form_id.clone(),
            form_version: envelope.form_version.clone(),
            received_at_ms: received_ms,
            submission_sha256: digest,
            key_id: String::new(),
        });
        let row = SubmissionRow {
            instance_id: instance_id.clone(),
            owner: incoming.owner.clone(),
            form_id: envelope.form_id.clone(),
            form_version: envelope.form_version.clone(),
            xml_sha256: digest_hex.clone(),
            xml_blob: xml_key,
            received_ms,
            complete: !incoming.incomplete,
            state: SubmissionState::Received,
            receipt_json: serde_json::to_string(&receipt)
                .map_err(|e| ApiError::Internal(format!("receipt json: {e}")))?,
        };
        match state
            .storage
            .insert_submission(&row, &attachment_rows)
            .await?
        {
            WriteOutcome::Inserted => {
                tracing::info!(form_id = %row.form_id, complete = row.complete, "submission stored");
                return Ok(IngestOutcome::Stored {
                    receipt,
                    complete: row.complete,
                });
            }
            WriteOutcome::AttachmentConflict => return Err(ApiError::AttachmentConflict),
            WriteOutcome::Unchanged => continue,
        }
    }
    Err(ApiError::Internal("submission insert raced twice".into()))
}

/// Checks a new submission against the form it names, with the forms engine, off the
/// async workers (a large form takes milliseconds).
async fn validate(state: &AppState, form_id: &str, xml: &Bytes) -> ApiResult<()> {
    let forms = state.forms.clone();
    let form_id = form_id.to_owned();
    let form = tokio::task::spawn_blocking(move || forms.get(&form_id))
        .await
        .map_err(|_| ApiError::Internal("form lookup task failed".into()))??
        .ok_or(ApiError::UnknownForm)?;
    let validator = state.validator.clone();
    let xml = xml.clone();
    tokio::task::spawn_blocking(move || validator.validate(&form.xml, &xml))
        .await
        .map_err(|_| ApiError::Internal("validation task failed".into()))?
        .map_err(ApiError::InvalidSubmission)
}

/// Reads a stored receipt.
pub fn parse_receipt(json: &str) -> ApiResult<SignedReceipt> {
    serde_json::from_str(json).map_err(|_| ApiError::Internal("stored receipt unreadable".into()))
}

/// The wire view of a stored submission.
pub fn summary(row: &SubmissionRow, attachments: Vec<String>) -> SubmissionSummary {
    SubmissionSummary {
        instance_id: row.instance_id.clone(),
        form_id: row.form_id.clone(),
        form_version: row.form_version.clone(),
        state: row.state,
        complete: row.complete,
        received_at_ms: row.received_ms,
        attachments,
    }
}
