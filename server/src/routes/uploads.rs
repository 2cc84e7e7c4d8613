//! Resumable attachment upload (see `layanan_protocol::upload`). The server's offset
//! is the only resume point: the device asks, then appends from there. Every chunk
//! carries its SHA-256, and the whole file is checked again on complete, so a chunk
//! mangled by a flaky proxy is refused, never stored.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use layanan_protocol::upload::{self, BlockDigests, CreateUpload, UploadState};
use layanan_protocol::{hex, InstanceId};

use crate::auth::Citizen;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{AttachmentOutcome, AttachmentRow, UploadRow};
use crate::submissions::content_key;

mod ingest;

/// Where an upload's bytes are staged until it completes.
pub fn staging_key(id: &str) -> String {
    format!("uploads/{id}")
}

fn view(state: &AppState, row: &UploadRow) -> UploadState {
    UploadState {
        upload_id: row.id.clone(),
        offset: row.offset,
        total_size: row.total_size,
        complete: row.complete,
        max_chunk_bytes: state.config.limits.upload_chunk_bytes,
    }
}

fn with_offset(mut response: Response, row: &UploadRow) -> Response {
    let headers = response.headers_mut();
    headers.insert(upload::OFFSET_HEADER, HeaderValue::from(row.offset));
    headers.insert(upload::LENGTH_HEADER, HeaderValue::from(row.total_size));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The caller's upload; someone else's is "not found", never "forbidden", so ids
/// cannot be probed.
async fn own_upload(state: &AppState, citizen: &Citizen, id: &str) -> ApiResult<UploadRow> {
    state
        .storage
        .upload(id)
        .await?
        .filter(|row| row.owner == citizen.id)
        .ok_or(ApiError::NotFound)
}

/// `POST /v1/uploads`.
pub async fn create(
    State(state): State<AppState>,
    citizen: Citizen,
    Json(req): Json<CreateUpload>,
) -> ApiResult<Response> {
    let instance_id: InstanceId = req
        .instance_id
        .parse()
        .map_err(|_| ApiError::BadRequest("instance_id is not uuid:<uuid>"))?;
    if layanan_protocol::attachment::check_file_name(&req.file_name).is_err() {
        return Err(ApiError::BadRequest("invalid file_name"));
    }
    let limit = state.config.limits.upload_total_bytes;
    if req.total_size > limit {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    hex::decode_array::<32>(&req.sha256)
        .map_err(|_| ApiError::BadRequest("sha256 must be 64 hex digits"))?;
    if state
        .storage
        .instance_owned_by_other(instance_id.as_str(), Some(&citizen.id))
        .await?
    {
        return Err(ApiError::InstanceIdConflict);
    }
    let open = state.storage.open_uploads_of(&citizen.id).await?;
    if open >= u64::from(state.config.limits.max_open_uploads_per_citizen) {
        // Old ones expire (Limits::upload_ttl) or complete; try again later.
        return Err(ApiError::RateLimited {
            retry_after_secs: 3600,
        });
    }
    let row = UploadRow {
        id: state.secrets.id(),
        owner: citizen.id,
        instance_id: instance_id.as_str().to_owned(),
        file_name: req.file_name,
        content_type: req.content_type,
        total_size: req.total_size,
        sha256: req.sha256.to_ascii_lowercase(),
        offset: 0,
        complete: false,
        created_ms: now_ms(),
    };
    state.storage.insert_upload(&row).await?;
    Ok(with_offset(
        (StatusCode::CREATED, Json(view(&state, &row))).into_response(),
        &row,
    ))
}

/// `HEAD /v1/uploads/{id}` and `GET /v1/uploads/{id}`: where to resume.
pub async fn offset(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let row = own_upload(&state, &citizen, &id).await?;
    Ok(with_offset(Json(view(&state, &row)).into_response(), &row))
}

/// `PATCH /v1/uploads/{id}`: append one chunk at `Upload-Offset`. With
/// `Layanan-Block-Sha256` the verified blocks of a cut request are kept (see
/// [`ingest`]); with `Layanan-Upload-Complete: ?1` the append that reaches the total
/// size also completes the upload.
pub async fn append(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let row = own_upload(&state, &citizen, &id).await?;
    let at: u64 = header_text(&headers, upload::OFFSET_HEADER)
        .and_then(|v| v.parse().ok())
        .ok_or(ApiError::BadRequest("Upload-Offset header required"))?;
    let limit = state.config.limits.upload_chunk_bytes;
    let max_blocks = usize::try_from(limit / upload::MIN_BLOCK_BYTES + 1).unwrap_or(usize::MAX);
    let check = match (
        header_text(&headers, upload::BLOCK_SHA256_HEADER),
        header_text(&headers, upload::CHUNK_SHA256_HEADER),
    ) {
        (Some(blocks), _) => ingest::Check::Blocks(
            BlockDigests::parse(blocks, max_blocks)
                .map_err(|_| ApiError::BadRequest("malformed Layanan-Block-Sha256 header"))?,
        ),
        (None, Some(whole)) => ingest::Check::Whole(
            hex::decode_array(whole)
                .map_err(|_| ApiError::BadRequest("Layanan-Chunk-Sha256 header required"))?,
        ),
        (None, None) => return Err(ApiError::BadRequest("Layanan-Chunk-Sha256 header required")),
    };
    if row.complete || at != row.offset {
        return Err(ApiError::UploadOffsetMismatch { offset: row.offset });
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let complete_asked = header_text(&headers, upload::COMPLETE_HEADER) == Some("?1");
    // The body is received and its verified part stored by a task of its own: if
    // the connection drops, this handler may be dropped, but what arrived is kept.
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        let received = ingest::receive(body, check, limit).await;
        let row = keep(&task_state, row, at, received.kept).await?;
        Ok::<_, ApiError>((row, received.ending))
    });
    let (row, ending) = task
        .await
        .map_err(|_| ApiError::Internal("append task failed".into()))??;
    match ending {
        ingest::Ending::Whole => {}
        ingest::Ending::Mismatch => return Err(ApiError::ChecksumMismatch),
        ingest::Ending::TooLarge => return Err(ApiError::PayloadTooLarge { limit }),
        // Nobody is left to read an answer, or the client stopped early on purpose.
        ingest::Ending::Cut => return Err(ApiError::UploadOffsetMismatch { offset: row.offset }),
    }
    let row = if complete_asked && row.offset == row.total_size {
        finish(&state, row).await?
    } else {
        row
    };
    Ok(with_offset(Json(view(&state, &row)).into_response(), &row))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Commits to the upload at `at` the bytes that passed their check: writes them and
/// moves the offset, unless another request moved it first (then nothing is written
/// and the answer says where the upload stands). Commits of one upload take turns,
/// so a late commit of a cut request never truncates what a newer one wrote.
async fn keep(state: &AppState, row: UploadRow, at: u64, kept: Bytes) -> ApiResult<UploadRow> {
    if kept.is_empty() {
        return Ok(row);
    }
    let end = at + kept.len() as u64;
    if end > row.total_size {
        return Err(ApiError::BadRequest(
            "chunk goes beyond the declared total_size",
        ));
    }
    let _turn = commit_turn(&row.id).lock().await;
    let now = state
        .storage
        .upload(&row.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if now.complete || now.offset != at {
        return Err(ApiError::UploadOffsetMismatch { offset: now.offset });
    }
    state
        .blobs
        .write_at(&staging_key(&row.id), at, kept)
        .await?;
    if !state.storage.advance_upload(&row.id, at, end).await? {
        let now = state
            .storage
            .upload(&row.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        return Err(ApiError::UploadOffsetMismatch { offset: now.offset });
    }
    Ok(UploadRow { offset: end, ..now })
}

/// The lock an upload's commits take turns on (striped: a few dozen locks for every
/// upload of the process; two uploads sharing one merely wait a write for each other).
fn commit_turn(upload_id: &str) -> &'static tokio::sync::Mutex<()> {
    static TURNS: [tokio::sync::Mutex<()>; 64] = [const { tokio::sync::Mutex::const_new(()) }; 64];
    let hash = upload_id.bytes().fold(0usize, |h, b| {
        h.wrapping_mul(31).wrapping_add(usize::from(b))
    });
    &TURNS[hash % TURNS.len()]
}

/// `POST /v1/uploads/{id}/complete`: check the whole file and attach it to its
/// submission. Idempotent: completing a completed upload answers the same.
pub async fn complete(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let row = own_upload(&state, &citizen, &id).await?;
    let row = finish(&state, row).await?;
    Ok(with_offset(Json(view(&state, &row)).into_response(), &row))
}

/// Checks the whole file of a fully appended upload and attaches it to its
/// submission; a completed upload stays as it is.
async fn finish(state: &AppState, row: UploadRow) -> ApiResult<UploadRow> {
    if row.complete {
        return Ok(row);
    }
    if row.offset != row.total_size {
        return Err(ApiError::UploadIncomplete);
    }
    let final_key = content_key(&row.sha256);
    let staging = staging_key(&row.id);
    let (mut digest, mut len) = state.blobs.digest_prefix(&staging, row.total_size).await?;
    if len == 0 && row.total_size > 0 {
        // A previous complete moved the file and died before its database commit.
        (digest, len) = state
            .blobs
            .digest_prefix(&final_key, row.total_size)
            .await?;
    } else if hex::encode(&digest) == row.sha256 && len == row.total_size {
        state.blobs.rename(&staging, &final_key).await?;
    }
    if hex::encode(&digest) != row.sha256 || len != row.total_size {
        state.storage.reset_upload(&row.id).await?;
        state.blobs.delete(&staging).await?;
        return Err(ApiError::ChecksumMismatch);
    }
    let attachment = AttachmentRow {
        instance_id: row.instance_id.clone(),
        file_name: row.file_name.clone(),
        owner: Some(row.owner.clone()),
        sha256: row.sha256.clone(),
        size: row.total_size,
        content_type: row.content_type.clone(),
        blob_key: final_key,
    };
    if state.storage.finish_upload(&row.id, &attachment).await? == AttachmentOutcome::Conflict {
        return Err(ApiError::AttachmentConflict);
    }
    Ok(UploadRow {
        complete: true,
        ..row
    })
}
