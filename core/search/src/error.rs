//! Typed errors for the inputs this crate can refuse: a damaged serialized index and a
//! damaged dictionary. Nothing here carries document text, only positions and kinds.

/// Why a serialized [`Index`](crate::Index) could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes do not start with this crate's magic.
    #[error("not a search index (bad magic)")]
    BadMagic,
    /// The index was written by a format version this build does not read.
    #[error("unsupported search index version {found} (this build reads {supported})")]
    UnsupportedVersion {
        /// The version byte found.
        found: u8,
        /// The version this build reads.
        supported: u8,
    },
    /// The bytes end before the structure they describe.
    #[error("search index truncated at byte {offset}")]
    Truncated {
        /// Where the reader ran out of bytes.
        offset: usize,
    },
    /// The checksum over the body does not match: the bytes were damaged.
    #[error("search index checksum mismatch")]
    Checksum,
    /// A value is out of range (an id past the end of a table, invalid UTF-8, ...).
    #[error("search index is inconsistent at byte {offset}: {what}")]
    Invalid {
        /// Where the bad value starts.
        offset: usize,
        /// What was wrong, for developers (no document content).
        what: &'static str,
    },
    /// Bytes remain after the last structure.
    #[error("search index has {count} trailing bytes")]
    TrailingBytes {
        /// How many bytes were left over.
        count: usize,
    },
}

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
