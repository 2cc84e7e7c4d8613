//! When to try a failed item again: capped exponential backoff with full jitter,
//! never earlier than the server's Retry-After.
//!
//! Full jitter (a uniform draw between zero and the exponential bound) spreads a
//! village's phones over the window when a tower comes back, instead of having them
//! all retry in lockstep; AWS measured it halving server calls against plain
//! exponential backoff under contention.

use std::time::Duration;

/// The backoff policy of a sync engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// Bound after the first failure.
    pub base: Duration,
    /// Largest bound, however many failures.
    pub cap: Duration,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            cap: Duration::from_secs(6 * 3600),
        }
    }
}

impl BackoffPolicy {
    /// Delay before attempt `attempts + 1`, given a uniform random `unit` in [0, 1)
    /// and the server's Retry-After, if any.
    pub fn delay(&self, attempts: u32, unit: f64, retry_after: Option<Duration>) -> Duration {
        let exp = self.base.saturating_mul(
            1u32.checked_shl(attempts.saturating_sub(1).min(31))
                .unwrap_or(u32::MAX),
        );
        let bound = exp.min(self.cap);
        let jittered = bound.mul_f64(unit.clamp(0.0, 1.0));
        match retry_after {
            Some(server) => jittered.max(server.min(self.cap)),
            None => jittered,
        }
    }
}

/// A uniform draw in [0, 1) from the system's random source.
pub(crate) fn unit_random() -> f64 {
    let bytes = crate::crypto::random_bytes::<8>().unwrap_or([0x80; 8]);
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_up_to_the_cap_with_jitter_below_the_bound() {
        let p = BackoffPolicy {
            base: Duration::from_secs(10),
            cap: Duration::from_secs(100),
        };
        assert_eq!(p.delay(1, 0.999_999, None).as_secs(), 9);
        assert_eq!(p.delay(2, 0.999_999, None).as_secs(), 19);
        assert_eq!(p.delay(3, 0.5, None), Duration::from_secs(20));
        assert_eq!(p.delay(30, 1.0, None), Duration::from_secs(100));
        assert_eq!(p.delay(u32::MAX, 1.0, None), Duration::from_secs(100));
        assert_eq!(p.delay(1, 0.0, None), Duration::ZERO);
    }

    #[test]
    fn honours_retry_after_as_a_floor_within_the_cap() {
        let p = BackoffPolicy {
            base: Duration::from_secs(10),
            cap: Duration::from_secs(100),
        };
        assert_eq!(
            p.delay(1, 0.0, Some(Duration::from_secs(42))),
            Duration::from_secs(42)
        );
        assert_eq!(
            p.delay(1, 0.0, Some(Duration::from_secs(4200))),
            Duration::from_secs(100)
        );
    }

    #[test]
    fn unit_random_is_in_range() {
        for _ in 0..1000 {
            let u = unit_random();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
