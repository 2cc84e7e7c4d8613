//! Resumable attachment upload, so a 2 MB photo that loses the link at 1.9 MB resumes
//! at 1.9 MB instead of starting over on a 2G line (40-160 s per attempt).
//!
//! Flow: `POST /v1/uploads` (create) -> `HEAD /v1/uploads/{id}` (offset) ->
//! `PATCH /v1/uploads/{id}` (append a chunk at the offset, with its SHA-256) ->
//! `POST /v1/uploads/{id}/complete`. A completed upload becomes an attachment of the
//! submission with that instanceID and file name; the submission XML may come before or
//! after.
//!
//! Short signal windows (a few seconds on a hill): an append may carry
//! [`BLOCK_SHA256_HEADER`], a digest per block of the appended bytes, instead of (or
//! with) the one digest of the whole chunk. The server then keeps every whole block
//! that arrived and matched its digest even when the request is cut (as tus keeps
//! the received prefix), and the next offset query says where to go on. A client may
//! also send [`COMPLETE_HEADER`] on the append that reaches `total_size`: the server
//! then completes the upload in the same exchange (one round trip fewer). Servers
//! without these headers, and clients that do not send them, keep the old behaviour.
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
/// Request header of an append: `<block_bytes>;<digest>,<digest>,...`, one digest
/// per block of `block_bytes` (the last may be shorter), each the first 16 bytes of
/// the block's SHA-256 in lowercase hex. Integrity against a mangling link, not
/// authentication (TLS does that); the whole file's SHA-256 is checked on complete.
pub const BLOCK_SHA256_HEADER: &str = "Layanan-Block-Sha256";
/// Request header of an append: `?1` asks the server to complete the upload when this
/// append reaches `total_size` (the answer then says `complete: true`).
pub const COMPLETE_HEADER: &str = "Layanan-Upload-Complete";
/// The smallest block a server accepts: below it the digests cost more than a cut
/// loses.
pub const MIN_BLOCK_BYTES: u64 = 4 * 1024;
/// Bytes of each block digest (a truncated SHA-256).
pub const BLOCK_DIGEST_BYTES: usize = 16;

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

/// The per-block digests of one append ([`BLOCK_SHA256_HEADER`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockDigests {
    pub block_bytes: u64,
    pub digests: Vec<[u8; BLOCK_DIGEST_BYTES]>,
}

/// Why a [`BLOCK_SHA256_HEADER`] value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed block digest header")]
pub struct BlockDigestError;

impl BlockDigests {
    /// The digest of one block.
    pub fn digest(block: &[u8]) -> [u8; BLOCK_DIGEST_BYTES] {
        let full = ring::digest::digest(&ring::digest::SHA256, block);
        let mut out = [0u8; BLOCK_DIGEST_BYTES];
        out.copy_from_slice(&full.as_ref()[..BLOCK_DIGEST_BYTES]);
        out
    }

    /// The digests of `bytes` cut into blocks of `block_bytes`.
    pub fn of(bytes: &[u8], block_bytes: u64) -> Self {
        let size = usize::try_from(block_bytes.max(1)).unwrap_or(usize::MAX);
        Self {
            block_bytes,
            digests: bytes.chunks(size).map(Self::digest).collect(),
        }
    }

    /// The header value.
    pub fn to_header(&self) -> String {
        let list: Vec<String> = self.digests.iter().map(|d| crate::hex::encode(d)).collect();
        format!("{};{}", self.block_bytes, list.join(","))
    }

    /// Reads a header value; `max_blocks` bounds the work a request can ask for.
    pub fn parse(value: &str, max_blocks: usize) -> Result<Self, BlockDigestError> {
        let (size, list) = value.trim().split_once(';').ok_or(BlockDigestError)?;
        let block_bytes: u64 = size.trim().parse().map_err(|_| BlockDigestError)?;
        if block_bytes < MIN_BLOCK_BYTES {
            return Err(BlockDigestError);
        }
        let digests = list
            .split(',')
            .map(|d| crate::hex::decode_array::<BLOCK_DIGEST_BYTES>(d.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| BlockDigestError)?;
        if digests.is_empty() || digests.len() > max_blocks {
            return Err(BlockDigestError);
        }
        Ok(Self {
            block_bytes,
            digests,
        })
    }

    /// Bytes the blocks can hold at most.
    pub fn max_len(&self) -> u64 {
        self.block_bytes.saturating_mul(self.digests.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_digests_round_trip_and_refuse_garbage() {
        let bytes: Vec<u8> = (0..40_000u32).map(|i| (i % 253) as u8).collect();
        let blocks = BlockDigests::of(&bytes, 16 * 1024);
        assert_eq!(blocks.digests.len(), 3);
        assert_eq!(blocks.digests[2], BlockDigests::digest(&bytes[32 * 1024..]));
        let header = blocks.to_header();
        assert_eq!(BlockDigests::parse(&header, 64), Ok(blocks.clone()));
        assert_eq!(blocks.max_len(), 48 * 1024);
        assert!(BlockDigests::parse(&header, 2).is_err());
        assert!(BlockDigests::parse("1024;00", 64).is_err());
        assert!(BlockDigests::parse("16384;zz", 64).is_err());
        assert!(BlockDigests::parse("16384", 64).is_err());
    }
}
