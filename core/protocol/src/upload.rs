//! Resumable attachment upload, so a 2 MB photo that loses the link at 1.9 MB resumes
//! at 1.9 MB instead of starting over on a 2G line (40-160 s per attempt).
//!
//! Flow: `POST /v1/uploads` (create) -> `HEAD /v1/uploads/{id}` (offset) ->
//! `PATCH /v1/uploads/{id}` (append a chunk at the offset, with its SHA-256) ->
//! `POST /v1/uploads/{id}/complete`. A completed upload becomes an attachment of the
//! submission with that instanceID and file name; the submission XML may come before or
//! after.
//!
//! Answers the device acts on: `upload_offset_mismatch` (409, with the server's offset
//! in `Upload-Offset`): continue from there; `checksum_mismatch` (422): the chunk (or,
//! on complete, the whole file, and the offset is back to 0) arrived damaged, send it
//! again; `not_found` (404): the upload expired after days without progress, create a
//! new one.

use serde::{Deserialize, Serialize};

/// Request header: byte offset at which the appended chunk starts; response header of
/// the offset query and of an append: bytes the server holds.
pub const OFFSET_HEADER: &str = "Upload-Offset";
/// Response header: the declared total size of the upload.
pub const LENGTH_HEADER: &str = "Upload-Length";
/// Request header: lowercase hex SHA-256 of the appended chunk's bytes.
pub const CHUNK_SHA256_HEADER: &str = "Layanan-Chunk-Sha256";
/// Content type of an appended chunk.
pub const CHUNK_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// `POST /v1/uploads`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateUpload {
    /// The submission this attachment belongs to (`uuid:...`).
    pub instance_id: String,
    /// The attachment's file name as the submission XML references it.
    pub file_name: String,
    pub content_type: String,
    pub total_size: u64,
    /// Lowercase hex SHA-256 of the whole file, checked on complete.
    pub sha256: String,
}

/// State of an upload: answer to create, offset query, append and complete.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadState {
    pub upload_id: String,
    /// Bytes the server holds; the next chunk must start here.
    pub offset: u64,
    pub total_size: u64,
    pub complete: bool,
    /// Largest chunk the server accepts in one append.
    pub max_chunk_bytes: u64,
}
