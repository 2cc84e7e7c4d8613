//! Where the core's work runs. Every async export names uniffi's tokio runtime
//! (`#[uniffi::export(async_runtime = "tokio")]`), so its future is polled inside a
//! tokio context whatever executor the shell drives it from (Kotlin coroutines, Swift
//! tasks), and HTTP, timers and spawned tasks need no hand-written bridge. SQLite,
//! file and key work is blocking: it goes to tokio's blocking pool, never to the
//! async threads and never to the shell's main thread.

use crate::errors::StoreError;
use crate::forms::FormsError;
use layanan_device as device;

/// An area's error enum with an `Internal` variant, for a task that panicked.
pub(crate) trait Internal {
    fn internal(reason: String) -> Self;
}

impl Internal for StoreError {
    fn internal(reason: String) -> Self {
        Self::Internal { reason }
    }
}

impl Internal for FormsError {
    fn internal(reason: String) -> Self {
        Self::Internal { reason }
    }
}

/// Runs blocking store work (SQLite, file I/O, key unwrapping) on the blocking pool.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    on_pool(f).await
}

/// Runs blocking work (store, files, form parsing) on the blocking pool; a panic
/// there becomes the area's `Internal` error.
pub(crate) async fn on_pool<T, E, F>(f: F) -> Result<T, E>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: Internal + Send + 'static,
{
    match device::pool::run_blocking(f).await {
        Ok(result) => result,
        Err(e) => Err(E::internal(e.to_string())),
    }
}
