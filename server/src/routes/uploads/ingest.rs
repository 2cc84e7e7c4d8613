//! Receiving one append's body, keeping what arrived intact even when the request is
//! cut (a phone on a hill gets a few seconds of signal at a time).
//!
//! With per-block digests (`Layanan-Block-Sha256`) every whole block is checked as it
//! arrives; when the body stops early (the link dropped, the phone's run ended) the
//! blocks that matched are kept and the upload's offset moves past them, as tus keeps
//! a received prefix. A block that does not match ends the append there: what came
//! before it is kept, nothing after. Without block digests (older clients) the chunk
//! is all or nothing, checked against its one SHA-256, as before.
//!
//! The body is read by a task of its own, so the prefix is kept even when the server
//! drops the request's future on a closed connection.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use layanan_protocol::upload::BlockDigests;

use crate::secrets::sha256;

/// How an append's body must be checked.
#[derive(Clone, Debug)]
pub(super) enum Check {
    /// The whole body against one SHA-256 (older clients): all or nothing.
    Whole([u8; 32]),
    /// Each block against its digest; a verified prefix is kept.
    Blocks(BlockDigests),
}

/// What arrived, and how it ended.
#[derive(Debug)]
pub(super) struct Received {
    /// The bytes that passed their check, from the append's offset on.
    pub kept: Bytes,
    pub ending: Ending,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ending {
    /// Everything the request declared arrived and matched.
    Whole,
    /// The body stopped early (connection cut): `kept` is what was verified.
    Cut,
    /// A block (or the whole chunk) did not match its digest.
    Mismatch,
    /// More bytes than the digests (or the server's limit) cover.
    TooLarge,
}

/// Reads `body` to its end (or its cut), checking as it goes.
pub(super) async fn receive(mut body: Body, check: Check, limit: u64) -> Received {
    let cap = match &check {
        Check::Whole(_) => limit,
        Check::Blocks(b) => b.max_len().min(limit),
    };
    let mut received = BytesMut::new();
    let mut verified = 0usize;
    let mut ending = None;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            ending = Some(Ending::Cut);
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if (received.len() + data.len()) as u64 > cap {
            ending = Some(Ending::TooLarge);
            break;
        }
        received.extend_from_slice(&data);
        if let Check::Blocks(blocks) = &check {
            match verify_whole_blocks(blocks, &received, verified) {
                Ok(v) => verified = v,
                Err(v) => {
                    verified = v;
                    ending = Some(Ending::Mismatch);
                    break;
                }
            }
        }
    }
    let received = received.freeze();
    let ending = match (ending, &check) {
        (Some(e), Check::Blocks(_)) => e,
        // All or nothing: a cut or oversized legacy chunk keeps nothing.
        (Some(e), Check::Whole(_)) => {
            verified = 0;
            e
        }
        (None, Check::Whole(digest)) => {
            if sha256(&received) == *digest {
                verified = received.len();
                Ending::Whole
            } else {
                Ending::Mismatch
            }
        }
        (None, Check::Blocks(blocks)) => finish_blocks(blocks, &received, &mut verified),
    };
    Received {
        kept: received.slice(..verified),
        ending,
    }
}

fn block_size(blocks: &BlockDigests) -> usize {
    usize::try_from(blocks.block_bytes).unwrap_or(usize::MAX)
}

/// Checks every whole block after `verified`; the new verified length, or (as
/// `Err`) the length before the first block that did not match.
fn verify_whole_blocks(
    blocks: &BlockDigests,
    received: &[u8],
    mut verified: usize,
) -> Result<usize, usize> {
    let size = block_size(blocks);
    while received.len() - verified >= size {
        let index = verified / size;
        let Some(expected) = blocks.digests.get(index) else {
            return Err(verified);
        };
        if BlockDigests::digest(&received[verified..verified + size]) != *expected {
            return Err(verified);
        }
        verified += size;
    }
    Ok(verified)
}

/// The body ended cleanly: the tail must be the last block, and every block declared
/// must have come.
fn finish_blocks(blocks: &BlockDigests, received: &[u8], verified: &mut usize) -> Ending {
    let size = block_size(blocks);
    let tail = &received[*verified..];
    let index = *verified / size;
    if !tail.is_empty() {
        match blocks.digests.get(index) {
            Some(expected) if BlockDigests::digest(tail) == *expected => {
                *verified = received.len();
            }
            _ => return Ending::Mismatch,
        }
    }
    let blocks_received = received.len().div_ceil(size);
    if blocks_received == blocks.digests.len() {
        Ending::Whole
    } else {
        // Fewer bytes than declared blocks: the sender stopped early on purpose or
        // a proxy ended the body; keep the prefix, like a cut.
        Ending::Cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(parts: Vec<Result<Bytes, std::io::Error>>) -> Body {
        Body::from_stream(tokio_stream::iter(parts))
    }

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 % 251) as u8).collect()
    }

    const BLOCK: u64 = 4096;

    #[tokio::test]
    async fn a_cut_body_keeps_its_verified_blocks() {
        let bytes = data(10_000);
        let blocks = BlockDigests::of(&bytes, BLOCK);
        // 9,000 bytes arrive, then the connection drops: two whole blocks are kept.
        let body = body_of(vec![
            Ok(Bytes::copy_from_slice(&bytes[..5_000])),
            Ok(Bytes::copy_from_slice(&bytes[5_000..9_000])),
            Err(std::io::Error::other("cut")),
        ]);
        let r = receive(body, Check::Blocks(blocks.clone()), 1 << 20).await;
        assert_eq!(r.ending, Ending::Cut);
        assert_eq!(&r.kept[..], &bytes[..8192]);

        let whole = body_of(vec![Ok(Bytes::copy_from_slice(&bytes))]);
        let r = receive(whole, Check::Blocks(blocks), 1 << 20).await;
        assert_eq!(r.ending, Ending::Whole);
        assert_eq!(&r.kept[..], &bytes[..]);
    }

    #[tokio::test]
    async fn a_mangled_block_ends_the_append_before_it() {
        let bytes = data(10_000);
        let blocks = BlockDigests::of(&bytes, BLOCK);
        let mut mangled = bytes.clone();
        mangled[5_000] ^= 1;
        let r = receive(
            body_of(vec![Ok(Bytes::from(mangled.clone()))]),
            Check::Blocks(blocks.clone()),
            1 << 20,
        )
        .await;
        assert_eq!(r.ending, Ending::Mismatch);
        assert_eq!(&r.kept[..], &bytes[..4096]);
        // The short last block is checked too.
        let mut tail = bytes.clone();
        tail[9_999] ^= 1;
        let r = receive(
            body_of(vec![Ok(Bytes::from(tail))]),
            Check::Blocks(blocks.clone()),
            1 << 20,
        )
        .await;
        assert_eq!(r.ending, Ending::Mismatch);
        assert_eq!(r.kept.len(), 8192);
        // More than the digests cover.
        let mut long = bytes.clone();
        long.extend_from_slice(&data(5_000));
        let r = receive(
            body_of(vec![Ok(Bytes::from(long))]),
            Check::Blocks(blocks),
            1 << 20,
        )
        .await;
        assert_eq!(r.ending, Ending::TooLarge);
    }

    #[tokio::test]
    async fn an_old_client_chunk_is_all_or_nothing() {
        let bytes = data(10_000);
        let digest = sha256(&bytes);
        let cut = body_of(vec![
            Ok(Bytes::copy_from_slice(&bytes[..9_000])),
            Err(std::io::Error::other("cut")),
        ]);
        let r = receive(cut, Check::Whole(digest), 1 << 20).await;
        assert_eq!((r.ending, r.kept.len()), (Ending::Cut, 0));
        let r = receive(
            body_of(vec![Ok(Bytes::from(bytes.clone()))]),
            Check::Whole(digest),
            1 << 20,
        )
        .await;
        assert_eq!((r.ending, r.kept.len()), (Ending::Whole, 10_000));
        let r = receive(
            body_of(vec![Ok(Bytes::from(bytes))]),
            Check::Whole([0; 32]),
            1 << 20,
        )
        .await;
        assert_eq!((r.ending, r.kept.len()), (Ending::Mismatch, 0));
    }
}
