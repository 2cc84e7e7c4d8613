#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod answer;
pub mod bundle;
mod catalog;
pub mod date;
pub mod integrity;
pub mod life_events;
pub mod model;
mod problem;

#[cfg(feature = "authoring")]
pub mod authoring;

pub use bundle::{publish_delta, publish_full, Applied, BundleError, PublishError};
pub use catalog::{Catalog, Records};
pub use date::{Date, DateError};
pub use integrity::Broken;
pub use model::{
    Agency, Channel, Charge, Fee, GeoPoint, Lang, LegalBasis, Level, LifeEvent, LocalName, Office,
    RecordKind, Requirement, Service, Source, Step, Text,
};
pub use problem::Problem;
