//! Where in a connection's byte streams faults fire: targeted faults a test asks for, and
//! random ones drawn from the profile with a seeded generator so a failing run replays.

use std::time::Duration;

use crate::profile::LinkProfile;

/// A fault a test schedules with [`crate::FaultProxy::fail_next`].
///
/// It is claimed by the first connection that sends request bytes after it was
/// scheduled, whether that connection is new or a reused keep-alive one, and byte counts
/// start at that point. So with HTTP/1.1 it hits the next request, not a request that
/// was already on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Forward exactly `n` request bytes upstream, then reset both sides.
    ResetAfterRequestBytes(u64),
    /// Forward exactly `n` response bytes to the client, then reset both sides.
    ResetAfterResponseBytes(u64),
    /// Forward the whole request and let the server answer, then reset before any
    /// response byte reaches the client: the server committed, the client cannot know.
    DropResponse,
    /// Forward the request, then hold the response for this long from its first byte,
    /// e.g. to outlast a client timeout after the server committed.
    Stall(Duration),
    /// Hold the request for this long before its first byte reaches the server.
    StallRequest(Duration),
}

/// Direction of travel; indexes per-direction state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Client to server.
    Up = 0,
    /// Server to client.
    Down = 1,
}

impl Dir {
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// What happens when a trigger point is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Reset,
    Stall(Duration),
}

/// One fault point: after exactly `at` bytes have been read in `dir` (counted from the
/// start of the connection), do `action`.
#[derive(Clone, Copy, Debug)]
struct Trigger {
    dir: Dir,
    at: u64,
    action: Action,
    targeted: bool,
    fired: bool,
}

/// Fault points of one connection, shared by its two directions.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    read: [u64; 2],
    triggers: Vec<Trigger>,
}

impl Plan {
    /// The random faults of connection number `index`: derived from the seed and the
    /// index alone, so the same seed dooms the same connections whatever the timing.
    pub(crate) fn random(profile: &LinkProfile, seed: u64, index: u64) -> Self {
        let mut rng = SplitMix64::new(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        let mut plan = Self::default();
        // Draw every value unconditionally so one knob does not shift the others.
        let reset_roll = rng.next_f64();
        let reset_dir = rng.dir();
        let reset_at = rng.log_uniform(profile.fault_window_bytes);
        let stall_roll = rng.next_f64();
        let stall_dir = rng.dir();
        let stall_at = rng.log_uniform(profile.fault_window_bytes);
        if reset_roll < profile.reset_probability {
            plan.push(reset_dir, reset_at, Action::Reset, false);
        }
        if let Some((chance, duration)) = profile.stall {
            if stall_roll < chance {
                plan.push(stall_dir, stall_at, Action::Stall(duration), false);
            }
        }
        plan
    }

    fn push(&mut self, dir: Dir, at: u64, action: Action, targeted: bool) {
        self.triggers.push(Trigger {
            dir,
            at,
            action,
            targeted,
            fired: false,
        });
    }

    /// Whether this connection may take a scheduled fault now: one at a time, so a
    /// second `fail_next` goes to the next request rather than piling onto this one.
    pub(crate) fn can_claim(&self) -> bool {
        !self.triggers.iter().any(|t| t.targeted && !t.fired)
    }

    /// Arms a scheduled fault relative to the bytes read so far.
    pub(crate) fn claim(&mut self, fault: Fault) {
        let up = self.read[Dir::Up.index()];
        let down = self.read[Dir::Down.index()];
        let (dir, at, action) = match fault {
            Fault::ResetAfterRequestBytes(n) => (Dir::Up, up.saturating_add(n), Action::Reset),
            Fault::ResetAfterResponseBytes(n) => (Dir::Down, down.saturating_add(n), Action::Reset),
            Fault::DropResponse => (Dir::Down, down, Action::Reset),
            Fault::Stall(d) => (Dir::Down, down, Action::Stall(d)),
            Fault::StallRequest(d) => (Dir::Up, up, Action::Stall(d)),
        };
        // A targeted fault replaces random ones in its direction, so a test gets exactly
        // the fault it asked for.
        self.triggers.retain(|t| t.targeted || t.dir != dir);
        self.push(dir, at, action, true);
    }

    /// Accounts for `len` freshly read bytes in `dir` and says how many of them to
    /// forward before the next fault fires (all of them when none does).
    pub(crate) fn advance(&mut self, dir: Dir, len: usize) -> (usize, Option<Action>) {
        let read = &mut self.read[dir.index()];
        let start = *read;
        let end = start.saturating_add(len as u64);
        let next = self
            .triggers
            .iter_mut()
            .filter(|t| t.dir == dir && !t.fired && t.at >= start && t.at <= end)
            .min_by_key(|t| t.at);
        match next {
            Some(trigger) => {
                trigger.fired = true;
                let take = trigger.at - start;
                *read = trigger.at;
                // `take <= len`, so it fits in usize.
                (usize::try_from(take).unwrap_or(len), Some(trigger.action))
            }
            None => {
                *read = end;
                (len, None)
            }
        }
    }
}

/// SplitMix64: a tiny seedable generator, enough to place faults reproducibly without a
/// dependency.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn dir(&mut self) -> Dir {
        if self.next_u64() & 1 == 0 {
            Dir::Up
        } else {
            Dir::Down
        }
    }

    /// Log-uniform in `0..=max`: every order of magnitude is about equally likely.
    pub(crate) fn log_uniform(&mut self, max: u64) -> u64 {
        let x = (max as f64 + 1.0).ln() * self.next_f64();
        // `as` saturates, and the result is clamped anyway.
        ((x.exp() - 1.0).floor() as u64).min(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_splits_a_chunk_at_the_fault_point() {
        let mut plan = Plan::default();
        plan.claim(Fault::ResetAfterRequestBytes(10));
        assert_eq!(plan.advance(Dir::Up, 4), (4, None));
        assert_eq!(plan.advance(Dir::Up, 100), (6, Some(Action::Reset)));
    }

    #[test]
    fn drop_response_fires_on_the_first_response_byte() {
        let mut plan = Plan::default();
        assert_eq!(plan.advance(Dir::Down, 7), (7, None));
        plan.claim(Fault::DropResponse);
        assert!(!plan.can_claim());
        assert_eq!(plan.advance(Dir::Up, 50), (50, None));
        assert_eq!(plan.advance(Dir::Down, 3), (0, Some(Action::Reset)));
        assert!(plan.can_claim());
    }

    #[test]
    fn a_fault_exactly_at_the_end_of_a_chunk_fires_after_it() {
        let mut plan = Plan::default();
        plan.claim(Fault::ResetAfterResponseBytes(5));
        assert_eq!(plan.advance(Dir::Down, 5), (5, Some(Action::Reset)));
    }

    #[test]
    fn log_uniform_stays_in_range_and_covers_small_values() {
        let mut rng = SplitMix64::new(7);
        let draws: Vec<u64> = (0..10_000).map(|_| rng.log_uniform(1 << 20)).collect();
        assert!(draws.iter().all(|&d| d <= 1 << 20));
        let small = draws.iter().filter(|&&d| d < 1024).count();
        assert!((4_000..6_000).contains(&small), "{small}");
    }

    #[test]
    fn random_plans_depend_only_on_seed_and_index() {
        let profile = LinkProfile {
            reset_probability: 0.5,
            ..LinkProfile::loopback()
        };
        let a: Vec<usize> = (0..64)
            .map(|i| Plan::random(&profile, 42, i).triggers.len())
            .collect();
        let b: Vec<usize> = (0..64)
            .map(|i| Plan::random(&profile, 42, i).triggers.len())
            .collect();
        assert_eq!(a, b);
        let doomed = a.iter().sum::<usize>();
        assert!((16..48).contains(&doomed), "{doomed}");
    }
}
