//! Typed errors for the input this crate can refuse: a damaged dictionary. Nothing
//! here carries document text, only positions and kinds.

/// Why a root-word dictionary could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DictionaryError {
    /// The zlib stream is damaged.
    #[error("dictionary is not a valid zlib stream")]
    Compression,
    /// A front-coded entry refers to more shared bytes than the previous word has.
    #[error("dictionary entry {entry} is malformed")]
    Malformed {
        /// Index of the bad entry.
        entry: usize,
    },
    /// The words are not strictly sorted, so lookups would miss.
    #[error("dictionary entry {entry} is out of order")]
    Unsorted {
        /// Index of the first entry out of order.
        entry: usize,
    },
}
