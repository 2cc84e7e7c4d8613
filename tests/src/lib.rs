//! Cross-crate end-to-end tests and their helpers (the fault-injecting proxy, the
//! device/server harness of the end-to-end tests, process crash drivers). The drivers
//! for the Kotlin and Swift suites live in `tests/kotlin` and `tests/swift`.

pub mod e2e;
pub mod proxy;
