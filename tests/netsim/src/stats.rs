//! Counters of what actually crossed the simulated link.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::fault::Dir;

/// A snapshot of the proxy's counters since it started.
///
/// Bytes are TCP payload bytes delivered to the far side (what the 2G benchmark reports
/// as bytes on the wire); bytes lost to a reset are not counted, and TCP/IP header
/// overhead is not modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Connections accepted and forwarded to the upstream.
    pub connections: u64,
    /// Bytes delivered client to server.
    pub bytes_up: u64,
    /// Bytes delivered server to client.
    pub bytes_down: u64,
    /// Connections reset by a fault (random or targeted), not by an endpoint.
    pub resets: u64,
    /// Stalls that began (random or targeted).
    pub stalls: u64,
}

/// Live counters behind [`ProxyStats`], updated from many connection tasks.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    connections: AtomicU64,
    bytes: [AtomicU64; 2],
    resets: AtomicU64,
    stalls: AtomicU64,
}

impl Counters {
    pub(crate) fn connection(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn delivered(&self, dir: Dir, bytes: usize) {
        self.bytes[dir.index()].fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub(crate) fn reset(&self) {
        self.resets.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn stall(&self) {
        self.stalls.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ProxyStats {
        ProxyStats {
            connections: self.connections.load(Ordering::Relaxed),
            bytes_up: self.bytes[Dir::Up.index()].load(Ordering::Relaxed),
            bytes_down: self.bytes[Dir::Down.index()].load(Ordering::Relaxed),
            resets: self.resets.load(Ordering::Relaxed),
            stalls: self.stalls.load(Ordering::Relaxed),
        }
    }
}
