//! Cross-crate end-to-end tests and their helpers (the device/server harness of the
//! end-to-end tests, process crash drivers). The simulated link and fault proxy they run
//! through is its own crate, `layanan-netsim`, so the demo can use it without this one.
//! The drivers for the Kotlin and Swift suites live in `tests/kotlin` and `tests/swift`.

pub mod e2e;
