//! Resumable attachment upload (see `layanan_protocol::upload`). The server's offset
//! is the only resume point: the device asks, then appends from there. Every chunk
//! carries its SHA-256, and the whole file is checked again on complete, so a chunk
//! mangled by a flaky proxy is refused, never stored.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use layanan_protocol::upload::{self, CreateUpload, UploadState};
use layanan_protocol::{hex, InstanceId};

use crate::auth::Citizen;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::secrets::sha256;
use crate::state::AppState;
use crate::storage::{AttachmentOutcome, AttachmentRow, UploadRow};
use crate::submissions::content_key;

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

/// `PATCH /v1/uploads/{id}`: append one chunk at `Upload-Offset`.
pub async fn append(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let row = own_upload(&state, &citizen, &id).await?;
    let at: u64 = headers
        .get(upload::OFFSET_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or(ApiError::BadRequest("Upload-Offset header required"))?;
    let declared: [u8; 32] = headers
        .get(upload::CHUNK_SHA256_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| hex::decode_array(v.trim()).ok())
        .ok_or(ApiError::BadRequest("Layanan-Chunk-Sha256 header required"))?;
    if row.complete || at != row.offset {
        return Err(ApiError::UploadOffsetMismatch { offset: row.offset });
    }
    if sha256(&body) != declared {
        return Err(ApiError::ChecksumMismatch);
    }
    let end = at + body.len() as u64;
    if end > row.total_size {
        return Err(ApiError::BadRequest(
            "chunk goes beyond the declared total_size",
        ));
    }
    state
        .blobs
        .write_at(&staging_key(&row.id), at, body)
        .await?;
    if !state.storage.advance_upload(&row.id, at, end).await? {
        // Another request moved the offset first; tell the device where it stands.
        let now = own_upload(&state, &citizen, &id).await?;
        return Err(ApiError::UploadOffsetMismatch { offset: now.offset });
    }
    let row = UploadRow { offset: end, ..row };
    Ok(with_offset(Json(view(&state, &row)).into_response(), &row))
}

/// `POST /v1/uploads/{id}/complete`: check the whole file and attach it to its
/// submission. Idempotent: completing a completed upload answers the same.
pub async fn complete(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let row = own_upload(&state, &citizen, &id).await?;
    if row.complete {
        return Ok(with_offset(Json(view(&state, &row)).into_response(), &row));
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
    let row = UploadRow {
        complete: true,
        ..row
    };
    Ok(with_offset(Json(view(&state, &row)).into_response(), &row))
}
