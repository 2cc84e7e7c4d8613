//! The process's one tokio runtime, created on first use.

use std::sync::OnceLock;

use tokio::runtime::Runtime;

use crate::errors::StoreError;

pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("layanan")
            .enable_all()
            .build()
            // Without a runtime the library can do nothing at all; there is no
            // error channel at this point, and it only fails when threads cannot
            // be spawned.
            .unwrap_or_else(|e| panic!("cannot start the Layanan runtime: {e}"))
    })
}

/// Runs blocking store work (SQLite, file I/O, key unwrapping) on the runtime's
/// blocking pool and awaits it from whatever executor the foreign side uses.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    match runtime().spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(StoreError::Internal {
            reason: "the operation panicked".into(),
        }),
        Err(_) => Err(StoreError::Internal {
            reason: "the operation was cancelled".into(),
        }),
    }
}
