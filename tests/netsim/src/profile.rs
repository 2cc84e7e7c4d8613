//! What the simulated link looks like, and the physical floor a transfer over it cannot beat.

use std::time::Duration;

/// The shape of the simulated link between the device and the server.
///
/// Build one from a preset and adjust fields with struct update syntax, e.g.
/// `LinkProfile { offline: true, ..LinkProfile::edge_2g() }`.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkProfile {
    /// Bits per second in each direction, shared by all connections in that direction
    /// (one radio link, not one per socket). `None` means unlimited.
    pub bandwidth_bps: Option<u64>,
    /// One-way delay. Data arrives `latency` after it left, in order: a delay line, so a
    /// long transfer pays it once rather than once per read.
    pub latency: Duration,
    /// Chance that a new connection is doomed: it is reset (RST) after a random number of
    /// bytes in a random direction, so both mid-request and mid-response losses happen.
    pub reset_probability: f64,
    /// `(chance, duration)`: a connection stops forwarding for `duration` at a random
    /// point, as when the signal fades without dropping.
    pub stall: Option<(f64, Duration)>,
    /// Random reset and stall points are drawn log-uniformly from `0..=fault_window_bytes`
    /// of the chosen direction, so small responses are hit about as often as large
    /// uploads. A point beyond the end of a connection's traffic never fires (the
    /// connection survives); [`crate::ProxyStats::resets`] counts the ones that did.
    pub fault_window_bytes: u64,
    /// No service: new connections are refused (the port is closed) and open ones are
    /// reset, like a phone that lost its signal.
    pub offline: bool,
}

impl LinkProfile {
    /// A perfect link: no cap, no delay, no faults.
    pub fn loopback() -> Self {
        Self {
            bandwidth_bps: None,
            latency: Duration::ZERO,
            reset_probability: 0.0,
            stall: None,
            fault_window_bytes: 1 << 20,
            offline: false,
        }
    }

    /// The common lab 2G/EDGE profile: 240 kbit/s each way, 420 ms one way
    /// (840 ms round trip), 2 % of connections reset.
    pub fn edge_2g() -> Self {
        Self {
            bandwidth_bps: Some(240_000),
            latency: Duration::from_millis(420),
            reset_probability: 0.02,
            ..Self::loopback()
        }
    }

    /// Round-trip time: twice the one-way latency.
    pub fn rtt(&self) -> Duration {
        self.latency * 2
    }

    /// Time to put `bytes` on the link in one direction (zero when uncapped).
    pub fn transmit_time(&self, bytes: u64) -> Duration {
        match self.bandwidth_bps {
            None => Duration::ZERO,
            Some(bps) => {
                // u128 so a multi-gigabyte total cannot overflow the nanosecond product.
                let nanos = u128::from(bytes) * 8 * 1_000_000_000 / u128::from(bps.max(1));
                Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
            }
        }
    }
}

impl Default for LinkProfile {
    fn default() -> Self {
        Self::loopback()
    }
}

/// The physical lower bound for a sync over `profile`, which the 2G benchmark reports
/// next to the wall time: every byte serialised at the link rate plus every unavoidable
/// round trip.
///
/// `bytes_up + bytes_down` are summed because one request/response exchange cannot
/// overlap its own upload with its download; a client that runs exchanges in parallel
/// on several connections could in principle approach `max(up, down) / bandwidth`
/// instead. Count in `round_trips` one per request/response exchange plus one per new
/// TCP connection (the proxy charges a handshake round trip to each new connection, as
/// a real link does).
pub fn physical_limit(
    bytes_up: u64,
    bytes_down: u64,
    round_trips: u32,
    profile: &LinkProfile,
) -> Duration {
    profile.transmit_time(bytes_up.saturating_add(bytes_down)) + profile.rtt() * round_trips
}
