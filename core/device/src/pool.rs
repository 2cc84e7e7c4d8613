//! Blocking work (SQLite, files, key derivation) on tokio's blocking pool, through one
//! task type.
//!
//! Every distinct closure given to `tokio::task::spawn_blocking` instantiates tokio's
//! task machinery (harness, cell, vtable) once more: with ninety call sites that was
//! 190 KB of the phone's library (aarch64, 2026-12-02, docs/benchmarks.md). Here the
//! closure is boxed behind one `dyn FnOnce` type and its result comes back through a
//! typed one-shot channel, so the machinery exists once.

use tokio::sync::oneshot;

/// Why blocking work gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The work panicked; the panic stayed on the pool's thread.
    #[error("the operation panicked")]
    Panicked,
    /// The runtime shut down before the work ran.
    #[error("the operation was cancelled")]
    Cancelled,
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Runs `f` on the blocking pool and waits for its result without blocking the
/// async thread.
pub async fn run_blocking<T, F>(f: F) -> Result<T, PoolError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        // The receiver is gone only if the caller stopped waiting: nothing to tell.
        let _ = tx.send(f());
    });
    run_job(job).await?;
    // The job ran to its end, so it sent its result.
    rx.await.map_err(|_| PoolError::Cancelled)
}

/// The one place that spawns: not generic, so tokio's task code is instantiated once.
async fn run_job(job: Job) -> Result<(), PoolError> {
    tokio::task::spawn_blocking(job).await.map_err(|e| {
        if e.is_panic() {
            PoolError::Panicked
        } else {
            PoolError::Cancelled
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returns_the_result_and_runs_off_the_async_thread() {
        let caller = std::thread::current().id();
        let (value, worker) = run_blocking(|| (41 + 1, std::thread::current().id()))
            .await
            .unwrap();
        assert_eq!(value, 42);
        assert_ne!(worker, caller);
    }

    #[tokio::test]
    async fn a_panic_is_an_error_not_a_crash() {
        let out: Result<(), _> = run_blocking(|| panic!("boom")).await;
        assert_eq!(out, Err(PoolError::Panicked));
    }
}
