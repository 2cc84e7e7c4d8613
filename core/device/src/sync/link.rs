//! What the engine has measured of the link, and how it shapes uploads.
//!
//! Measured, not configured: a phone moves between a village's 2G, a town's 4G and a
//! hill with a few seconds of signal. Two figures are kept across runs: the rate at
//! which appends went through (bytes per second, smoothed), and how recently the link
//! was cut (a dropped connection, or a run that ended with work still in flight).
//!
//! - On an unstable link, one upload at a time: a cut then loses at most one partial
//!   block, and the one item in flight finishes (and gets its receipt) as early as
//!   possible instead of several items each getting half-way.
//! - On a slow link, small blocks (16 KiB, about half a second at 240 kbit/s), so a
//!   cut keeps all but that half second; on a fast one, 64 KiB (fewer digests).
//! - The request size stays large: with per-block digests the server keeps every
//!   verified block of a cut request, so a big request costs nothing when cut and
//!   saves round trips (0.84 s each on 2G) when not.
//!
//! The figures behind the thresholds (docs/sync-benchmarks.md, 2026-12-02): 240 kbit/s
//! with 840 ms round trips, runs cut every 5-10 s.

use std::sync::Mutex;
use std::time::Duration;

/// Below this rate (bytes per second) a link is slow: 512 kbit/s.
const SLOW_BYTES_PER_SEC: f64 = 64_000.0;
/// Block on a slow link or one not measured yet.
pub(crate) const SMALL_BLOCK: u64 = 16 * 1024;
/// Block on a fast link.
pub(crate) const LARGE_BLOCK: u64 = 64 * 1024;
/// A cut counts for this many later clean exchanges before the link is stable again.
const CUT_MEMORY: u32 = 6;

/// How the next run's uploads are shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub concurrency: usize,
    pub block_bytes: u64,
}

#[derive(Debug, Default)]
struct Figures {
    /// Smoothed append rate; `None` until the first append is measured.
    bytes_per_sec: Option<f64>,
    /// Clean exchanges still needed before the last cut is forgotten.
    cut_debt: u32,
}

/// The engine's running estimate of its link.
#[derive(Debug, Default)]
pub(crate) struct LinkEstimate {
    figures: Mutex<Figures>,
}

impl LinkEstimate {
    fn with<T>(&self, f: impl FnOnce(&mut Figures) -> T) -> T {
        match self.figures.lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// An append of `bytes` that took `elapsed` (request to answer).
    pub(crate) fn transferred(&self, bytes: u64, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        if bytes < 4096 || secs <= 0.0 {
            return;
        }
        let rate = bytes as f64 / secs;
        self.with(|f| {
            f.bytes_per_sec = Some(match f.bytes_per_sec {
                Some(old) => old * 0.7 + rate * 0.3,
                None => rate,
            });
            f.cut_debt = f.cut_debt.saturating_sub(1);
        });
    }

    /// The connection dropped mid-exchange, or a run ended with work in flight.
    pub(crate) fn cut(&self) {
        self.with(|f| f.cut_debt = CUT_MEMORY);
    }

    /// True while a recent cut is remembered.
    #[cfg(test)]
    pub(crate) fn unstable(&self) -> bool {
        self.with(|f| f.cut_debt > 0)
    }

    /// The measured rate, if any.
    pub(crate) fn bytes_per_sec(&self) -> Option<f64> {
        self.with(|f| f.bytes_per_sec)
    }

    /// Concurrency and block size for the next run; `configured` is the app's
    /// concurrency for a good link.
    pub(crate) fn shape(&self, configured: usize) -> Shape {
        let (rate, unstable) = self.with(|f| (f.bytes_per_sec, f.cut_debt > 0));
        let slow = rate.is_none_or(|r| r < SLOW_BYTES_PER_SEC);
        Shape {
            concurrency: if unstable { 1 } else { configured.max(1) },
            block_bytes: if slow { SMALL_BLOCK } else { LARGE_BLOCK },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_makes_the_link_unstable_until_clean_exchanges_follow() {
        let link = LinkEstimate::default();
        assert_eq!(
            link.shape(3),
            Shape {
                concurrency: 3,
                block_bytes: SMALL_BLOCK
            },
            "not measured yet: small blocks, the app's concurrency"
        );
        // 256 KiB in 9 s: 2G.
        link.transferred(256 * 1024, Duration::from_secs(9));
        assert_eq!(link.shape(2).block_bytes, SMALL_BLOCK);
        link.cut();
        assert!(link.unstable());
        assert_eq!(link.shape(2).concurrency, 1);
        for _ in 0..CUT_MEMORY {
            link.transferred(256 * 1024, Duration::from_secs(9));
        }
        assert!(!link.unstable());
        assert_eq!(link.shape(2).concurrency, 2);
        // A fast link: larger blocks once the average has moved up.
        for _ in 0..10 {
            link.transferred(1024 * 1024, Duration::from_millis(500));
        }
        assert_eq!(link.shape(2).block_bytes, LARGE_BLOCK);
    }
}
