#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod index;
pub mod normalize;
pub mod stem;
pub mod typo;
pub mod words;

pub use error::DictionaryError;
pub use index::{Document, Hit, Index, MatchKind, SearchResult, WordMatch};
pub use stem::{stem, RootDictionary, Stemmer};
