//! Integration tests of layanan-server over real HTTP on loopback, on SQLite and (when
//! LAYANAN_TEST_POSTGRES_URL is set) PostgreSQL. One test binary keeps linking cheap.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

mod auth;
mod limits;
mod openrosa;
mod privacy;
mod status;
mod uploads;
