//! Stopping one task's running SQL statement, and only that task's.
//!
//! A cancelled sync run must stop at a safe point; when it is inside a statement, the
//! safe point is SQLite's interrupt (the statement fails, its transaction rolls back).
//! The store's two connections are shared by every caller, so an interrupt must not
//! hit a statement of someone else (a screen's autosave). Work runs "as" a task on
//! its thread ([`as_task`]); each connection records which task holds it, and
//! [`Interrupts::interrupt`] interrupts a connection only while that task holds it,
//! under the same lock that records the holder, so the holder cannot change between
//! the check and the interrupt.

use std::cell::Cell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, InterruptHandle};

/// Identifies a task whose statements can be interrupted; 0 is "no task".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskId(u64);

impl TaskId {
    /// A new id, unique in this process.
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Default for TaskId {
    fn default() -> Self {
        Self::new()
    }
}

thread_local! {
    static CURRENT: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` on this thread as `task`: the statements it runs can be interrupted by
/// [`crate::Profile::interrupt`] with the same id.
pub fn as_task<T>(task: TaskId, f: impl FnOnce() -> T) -> T {
    let before = CURRENT.with(|c| c.replace(task.0));
    let out = f();
    CURRENT.with(|c| c.set(before));
    out
}

/// Which connection a guard holds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Conn {
    Writer = 0,
    Reader = 1,
}

/// The connections' interrupt handles and their current holders.
pub(crate) struct Interrupts {
    handles: [InterruptHandle; 2],
    holders: Mutex<[u64; 2]>,
}

impl std::fmt::Debug for Interrupts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupts")
    }
}

impl Interrupts {
    pub(crate) fn new(writer: &Connection, reader: &Connection) -> Self {
        Self {
            handles: [writer.get_interrupt_handle(), reader.get_interrupt_handle()],
            holders: Mutex::new([0, 0]),
        }
    }

    fn holders(&self) -> MutexGuard<'_, [u64; 2]> {
        self.holders.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Interrupts the statements `task` is running now, if any; no other task's.
    pub(crate) fn interrupt(&self, task: TaskId) {
        let holders = self.holders();
        for (i, holder) in holders.iter().enumerate() {
            if *holder == task.0 {
                self.handles[i].interrupt();
            }
        }
    }

    /// Locks a connection and records the current task as its holder.
    pub(crate) fn hold<'a>(&'a self, which: Conn, m: &'a Mutex<Connection>) -> Held<'a> {
        // A panic while holding the lock leaves the connection usable: SQLite rolls
        // back an unfinished transaction when the next one begins.
        let conn = m.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.holders()[which as usize] = CURRENT.with(Cell::get);
        Held {
            conn,
            interrupts: self,
            which,
        }
    }
}

/// A locked connection; releasing it clears its holder before the lock is released.
pub(crate) struct Held<'a> {
    conn: MutexGuard<'a, Connection>,
    interrupts: &'a Interrupts,
    which: Conn,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.interrupts.holders()[self.which as usize] = 0;
    }
}

impl Deref for Held<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    /// A statement that runs for minutes unless interrupted.
    const ENDLESS: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
                           SELECT count(*) FROM n WHERE i < 0";

    #[test]
    fn only_the_holding_task_is_interrupted() {
        let writer = Connection::open_in_memory().unwrap();
        let reader = Connection::open_in_memory().unwrap();
        let interrupts = Arc::new(Interrupts::new(&writer, &reader));
        let reader = Arc::new(Mutex::new(reader));
        let (run, other) = (TaskId::new(), TaskId::new());

        let (i2, r2) = (Arc::clone(&interrupts), Arc::clone(&reader));
        let started = Instant::now();
        let worker = std::thread::spawn(move || {
            as_task(run, || {
                let conn = i2.hold(Conn::Reader, &r2);
                conn.query_row(ENDLESS, [], |r| r.get::<_, i64>(0))
            })
        });
        std::thread::sleep(Duration::from_millis(200));
        // Another task's cancel leaves the statement running.
        interrupts.interrupt(other);
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            !worker.is_finished(),
            "interrupted by a task that does not hold it"
        );
        interrupts.interrupt(run);
        let result = worker.join().unwrap();
        assert_eq!(
            result.unwrap_err().sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted)
        );
        assert!(started.elapsed() < Duration::from_secs(30));
        // The connection is free and fine for the next caller.
        let n: i64 = interrupts
            .hold(Conn::Reader, &reader)
            .query_row("SELECT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}
