//! Cross-crate end-to-end tests and their helpers (the fault-injecting proxy, process
//! crash drivers). The drivers for the Kotlin and Swift suites live in `tests/kotlin`
//! and `tests/swift`.

pub mod proxy;
