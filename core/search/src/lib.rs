#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod stem;

pub use error::{DecodeError, DictionaryError};
pub use stem::{stem, RootDictionary, Stemmer};
