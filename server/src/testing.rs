//! Helpers for tests that start the server in-process (behind the `testing` feature).
//! The one-time-code sink itself is a normal item, [`crate::otp::InProcessOtpSender`],
//! because embedded deployments (the demo) need it too; this name stays for the tests.

pub use crate::otp::InProcessOtpSender as CapturingOtpSender;
