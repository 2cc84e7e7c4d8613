#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod date;
pub mod error;
pub mod regions;

pub use check::{check, check_at, CurrentRegion, NikInfo, Region, Sex};
pub use date::Date;
pub use error::{DateProblem, NikError, RegionDataError};
pub use regions::Regions;
