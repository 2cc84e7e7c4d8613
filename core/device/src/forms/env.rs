//! The phone's clock and randomness for the forms engine.

use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};

use layanan_forms::{Environment, Timestamp};
use ring::rand::{SecureRandom, SystemRandom};

use super::error::{FormsError, FormsResult};

/// Largest UTC offset a place on Earth uses, in minutes (UTC+14, Kiribati).
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// The phone's clock and randomness for the forms engine.
///
/// The UTC offset comes from the shell (the platform knows the time zone and its
/// daylight rules; Indonesia itself uses +420, +480 and +540 without daylight saving)
/// and can be updated while a form is open, e.g. when the person travels.
#[derive(Debug)]
pub struct DeviceEnvironment {
    offset_minutes: AtomicI32,
    random: SystemRandom,
    fallback: AtomicU64,
}

impl DeviceEnvironment {
    /// An environment for a device whose local time is `utc_offset_minutes` ahead of
    /// UTC (`420` for WIB).
    pub fn new(utc_offset_minutes: i32) -> FormsResult<Self> {
        check_offset(utc_offset_minutes)?;
        Ok(Self {
            offset_minutes: AtomicI32::new(utc_offset_minutes),
            random: SystemRandom::new(),
            fallback: AtomicU64::new(0),
        })
    }

    /// Updates the UTC offset (the device changed time zone).
    pub fn set_utc_offset_minutes(&self, utc_offset_minutes: i32) -> FormsResult<()> {
        check_offset(utc_offset_minutes)?;
        self.offset_minutes
            .store(utc_offset_minutes, Ordering::Relaxed);
        Ok(())
    }

    /// Eight random bytes from the operating system. Should the system generator ever
    /// fail (the engine's interface has no error channel here), the clock and a
    /// counter are mixed instead: still unique per call, no longer unpredictable.
    fn random_u64(&self) -> u64 {
        let mut buf = [0u8; 8];
        if self.random.fill(&mut buf).is_ok() {
            return u64::from_le_bytes(buf);
        }
        tracing::warn!("system random generator failed; using the clock-based fallback");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let n = self.fallback.fetch_add(1, Ordering::Relaxed);
        mix(nanos ^ mix(n.wrapping_add(0x9E37_79B9_7F4A_7C15)))
    }
}

fn check_offset(minutes: i32) -> FormsResult<()> {
    if (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&minutes) {
        Ok(())
    } else {
        Err(FormsError::InvalidInput(
            "the UTC offset must be between -840 and 840 minutes".into(),
        ))
    }
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Environment for DeviceEnvironment {
    fn now(&self) -> Timestamp {
        Timestamp {
            epoch_millis: crate::model::now_ms(),
            offset_minutes: self.offset_minutes.load(Ordering::Relaxed),
        }
    }

    fn uuid(&self) -> String {
        layanan_forms::env::uuid_from_bits(self.random_u64(), self.random_u64())
    }

    fn random(&self) -> f64 {
        (self.random_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_environment() {
        let env = DeviceEnvironment::new(420).unwrap_or_else(|e| panic!("{e}"));
        let a = env.uuid();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, env.uuid());
        assert!((0.0..1.0).contains(&env.random()));
        assert_eq!(env.now().offset_minutes, 420);
        assert!(env.now().epoch_millis > 1_700_000_000_000);
        assert!(DeviceEnvironment::new(900).is_err());
        assert!(env.set_utc_offset_minutes(480).is_ok());
        assert_eq!(env.now().offset_minutes, 480);
    }
}
