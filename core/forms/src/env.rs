//! What the engine needs from the world, supplied by the caller.
//!
//! The engine is deterministic: `now()`, `today()`, `uuid()`, `random()` and device
//! properties all come through [`Environment`], so the same answers in the same
//! environment always give the same submission, on the phone, on the server and in
//! tests. The engine never reads a clock or a random source itself.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::datetime::Timestamp;

/// The caller-provided view of time, randomness and device properties.
pub trait Environment: Send + Sync + Debug {
    /// The current instant and local offset.
    fn now(&self) -> Timestamp;
    /// A fresh random (version 4) UUID in lowercase hex with dashes, without `uuid:`.
    fn uuid(&self) -> String;
    /// A random number in `[0, 1)`.
    fn random(&self) -> f64;
    /// A device property for `jr:preload="property"` (`deviceid`, `username`, `email`,
    /// `phonenumber`, ...); `None` leaves the field empty.
    fn property(&self, _name: &str) -> Option<String> {
        None
    }
}

/// A deterministic environment: fixed time, UUIDs and random numbers from a seeded
/// generator. For tests, the server's re-validation, and reproducible demos.
#[derive(Debug)]
pub struct FixedEnvironment {
    now: Timestamp,
    state: AtomicU64,
    properties: Vec<(String, String)>,
}

impl FixedEnvironment {
    /// An environment frozen at `now`, whose generator starts from `seed`.
    pub fn new(now: Timestamp, seed: u64) -> FixedEnvironment {
        FixedEnvironment {
            now,
            state: AtomicU64::new(seed),
            properties: Vec::new(),
        }
    }

    /// Add a device property (builder style).
    pub fn with_property(mut self, name: &str, value: &str) -> FixedEnvironment {
        self.properties.push((name.to_string(), value.to_string()));
        self
    }

    fn next(&self) -> u64 {
        let s = self
            .state
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix(s)
    }
}

/// SplitMix64 finaliser: a good, tiny mixing function for seeded sequences.
pub(crate) fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Format 16 random bytes as a version 4 UUID.
pub fn uuid_from_bits(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

impl Environment for FixedEnvironment {
    fn now(&self) -> Timestamp {
        self.now
    }

    fn uuid(&self) -> String {
        let hi = self.next();
        let lo = self.next();
        uuid_from_bits(hi, lo)
    }

    fn random(&self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn property(&self, name: &str) -> Option<String> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_environment_is_deterministic() {
        let ts = Timestamp {
            epoch_millis: 1,
            offset_minutes: 420,
        };
        let a = FixedEnvironment::new(ts, 7);
        let b = FixedEnvironment::new(ts, 7);
        let ua = a.uuid();
        assert_eq!(ua, b.uuid());
        assert_eq!(ua.len(), 36);
        assert_eq!(&ua[14..15], "4");
        assert_ne!(a.uuid(), ua);
        let r = a.random();
        assert!((0.0..1.0).contains(&r));
    }
}
