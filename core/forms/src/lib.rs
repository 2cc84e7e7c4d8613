#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod datetime;
pub mod env;
pub mod instance;
pub mod xpath;

pub use env::{Environment, FixedEnvironment, Timestamp};
