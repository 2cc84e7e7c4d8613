//! Where submission XML and attachments live: behind [`BlobStore`], local files by
//! default. Several server processes on one PostgreSQL need a shared implementation
//! (a shared volume, or an object store) of the same trait.
//!
//! Finished content is content-addressed (`sha256/<hex>`), so storing the same photo
//! twice is a no-op and a retry can never corrupt what an earlier attempt stored.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;

/// Why a blob operation failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob io: {0}")]
    Io(#[from] std::io::Error),
    #[error("invalid blob key")]
    InvalidKey,
    #[error("blob task failed")]
    Task,
}

impl From<BlobError> for crate::error::ApiError {
    fn from(e: BlobError) -> Self {
        crate::error::ApiError::Internal(e.to_string())
    }
}

/// Byte storage addressed by slash-separated keys of `[a-z0-9._-]` segments.
#[async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key` atomically; readers see all or nothing.
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError>;
    /// The whole blob, or `None`.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError>;
    /// Writes `bytes` at `offset`, first dropping anything stored beyond `offset` (left
    /// by an append whose database update never committed), and syncs to disk.
    async fn write_at(&self, key: &str, offset: u64, bytes: Bytes) -> Result<(), BlobError>;
    /// SHA-256 and length of the first `len` bytes, read in chunks (never whole in
    /// memory).
    async fn digest_prefix(&self, key: &str, len: u64) -> Result<([u8; 32], u64), BlobError>;
    /// Moves a blob to a new key, replacing what is there.
    async fn rename(&self, from: &str, to: &str) -> Result<(), BlobError>;
    /// Removes a blob; removing a missing one is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// Blobs as files under one folder.
#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        let valid = !key.is_empty()
            && key.split('/').all(|seg| {
                !seg.is_empty()
                    && seg != "."
                    && seg != ".."
                    && seg.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)
                    })
            });
        if valid {
            Ok(self.root.join(key))
        } else {
            Err(BlobError::InvalidKey)
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, BlobError> + Send + 'static,
) -> Result<T, BlobError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| BlobError::Task)?
}

fn ensure_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) => std::fs::create_dir_all(dir),
        None => Ok(()),
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        let path = self.path(key)?;
        blocking(move || {
            ensure_parent(&path)?;
            let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            Ok(())
        })
        .await
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError> {
        let path = self.path(key)?;
        blocking(move || match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        })
        .await
    }

    async fn write_at(&self, key: &str, offset: u64, bytes: Bytes) -> Result<(), BlobError> {
        let path = self.path(key)?;
        blocking(move || {
            ensure_parent(&path)?;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.set_len(offset)?;
            file.seek(SeekFrom::Start(offset))?;
            file.write_all(&bytes)?;
            file.sync_data()?;
            Ok(())
        })
        .await
    }

    async fn digest_prefix(&self, key: &str, len: u64) -> Result<([u8; 32], u64), BlobError> {
        let path = self.path(key)?;
        blocking(move || {
            let file = match std::fs::File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok((crate::secrets::sha256(b""), 0));
                }
                Err(e) => return Err(e.into()),
            };
            let mut reader = file.take(len);
            let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
            let mut buf = vec![0u8; 64 * 1024];
            let mut total = 0u64;
            loop {
                let n = reader.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                ctx.update(&buf[..n]);
                total += n as u64;
            }
            let mut out = [0u8; 32];
            out.copy_from_slice(ctx.finish().as_ref());
            Ok((out, total))
        })
        .await
    }

    async fn rename(&self, from: &str, to: &str) -> Result<(), BlobError> {
        let (from, to) = (self.path(from)?, self.path(to)?);
        blocking(move || {
            ensure_parent(&to)?;
            std::fs::rename(&from, &to)?;
            Ok(())
        })
        .await
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path(key)?;
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn append_truncates_uncommitted_tail_and_keys_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::new(dir.path().to_path_buf());
        store
            .write_at("uploads/a", 0, Bytes::from_static(b"hello"))
            .await
            .unwrap();
        store
            .write_at("uploads/a", 5, Bytes::from_static(b" wor"))
            .await
            .unwrap();
        // The database still says offset 5: the " wor" append never committed.
        store
            .write_at("uploads/a", 5, Bytes::from_static(b" world"))
            .await
            .unwrap();
        let (digest, len) = store.digest_prefix("uploads/a", 100).await.unwrap();
        assert_eq!(len, 11);
        assert_eq!(digest, crate::secrets::sha256(b"hello world"));
        store.rename("uploads/a", "sha256/x").await.unwrap();
        assert_eq!(
            store.get("sha256/x").await.unwrap().unwrap(),
            Bytes::from_static(b"hello world")
        );
        assert!(store.get("uploads/a").await.unwrap().is_none());
        assert!(matches!(
            store.get("../etc/passwd").await,
            Err(BlobError::InvalidKey)
        ));
    }
}
