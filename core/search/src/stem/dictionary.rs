//! The root-word dictionary the stemmer checks every candidate against.
//!
//! Sastrawi's list (29,931 usable words, 236,286 bytes as a newline list) is embedded
//! front-coded and zlib-compressed: 59,594 bytes (measured 2025-12-02 with
//! `scripts/build_data.sh`; front coding alone is 137,952 bytes, deflate alone 85,129).
//! It is inflated once, on first use, into one sorted string with word offsets and
//! looked up by binary search (about 15 comparisons). See `data/README.md` for its
//! source and licence.

use std::sync::OnceLock;

use crate::error::DictionaryError;

/// The embedded dictionary: `data/kata-dasar.fc.zz`, built by `scripts/build_data.py`.
const EMBEDDED: &[u8] = include_bytes!("../../data/kata-dasar.fc.zz");

/// A sorted set of root words (lowercase ASCII letters and hyphens).
#[derive(Debug, Clone, Default)]
pub struct RootDictionary {
    /// All words concatenated, in sorted order.
    text: String,
    /// Start of each word in `text`; the word ends where the next starts.
    starts: Vec<u32>,
}

impl RootDictionary {
    /// The dictionary embedded in this crate, decoded on first use.
    ///
    /// The embedded bytes are checked by this crate's tests; were they ever damaged, the
    /// stemmer would fall back to an empty dictionary (every word is its own stem)
    /// rather than fail a search.
    pub fn embedded() -> &'static RootDictionary {
        static DICTIONARY: OnceLock<RootDictionary> = OnceLock::new();
        DICTIONARY.get_or_init(|| Self::decode(EMBEDDED).unwrap_or_default())
    }

    /// Decodes a front-coded, zlib-compressed word list (the embedded format).
    pub fn decode(compressed: &[u8]) -> Result<Self, DictionaryError> {
        let plain = miniz_oxide::inflate::decompress_to_vec_zlib(compressed)
            .map_err(|_| DictionaryError::Compression)?;
        let mut text = String::with_capacity(plain.len() * 2);
        let mut starts = Vec::new();
        let mut word = String::new();
        let mut rest = plain.as_slice();
        while let Some((&shared, tail)) = rest.split_first() {
            let entry = starts.len();
            let malformed = DictionaryError::Malformed { entry };
            let end = tail
                .iter()
                .position(|&b| b == b'\n')
                .ok_or(malformed.clone())?;
            let suffix = std::str::from_utf8(&tail[..end]).map_err(|_| malformed.clone())?;
            let shared = usize::from(shared);
            if shared > word.len() || !word.is_char_boundary(shared) {
                return Err(malformed);
            }
            let previous_len = word.len();
            word.truncate(shared);
            word.push_str(suffix);
            if entry > 0 && word.as_str() <= &text[text.len() - previous_len..] {
                return Err(DictionaryError::Unsorted { entry });
            }
            starts.push(u32::try_from(text.len()).map_err(|_| malformed)?);
            text.push_str(&word);
            rest = &tail[end + 1..];
        }
        Ok(Self { text, starts })
    }

    /// Builds a dictionary from words in any order (duplicates are dropped).
    pub fn from_words<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut sorted: Vec<String> = words
            .into_iter()
            .map(|w| w.as_ref().to_owned())
            .filter(|w| !w.is_empty())
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut text = String::new();
        let mut starts = Vec::with_capacity(sorted.len());
        for word in &sorted {
            // A dictionary over 4 GiB is not a use case; stop adding rather than wrap.
            let Ok(start) = u32::try_from(text.len()) else {
                break;
            };
            starts.push(start);
            text.push_str(word);
        }
        Self { text, starts }
    }

    /// Whether `word` is a root word.
    pub fn contains(&self, word: &str) -> bool {
        if word.is_empty() {
            return false;
        }
        let mut low = 0usize;
        let mut high = self.starts.len();
        while low < high {
            let mid = low + (high - low) / 2;
            match self.word(mid).cmp(word) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// How many words the dictionary holds.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the dictionary holds no word.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The words in sorted order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.starts.len()).map(|i| self.word(i))
    }

    fn word(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&s| s as usize);
        &self.text[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionary_decodes_completely() {
        let dictionary = RootDictionary::decode(EMBEDDED).unwrap();
        assert_eq!(dictionary.len(), 29_931);
        for word in [
            "sapu", "makan", "adu", "panjang", "lahir", "kawin", "mati", "duduk",
        ] {
            assert!(dictionary.contains(word), "{word}");
        }
        assert!(!dictionary.contains("pembuatan"));
        assert!(!dictionary.contains(""));
        let words: Vec<&str> = dictionary.words().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        assert!(words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }

    #[test]
    fn damaged_bytes_are_typed_errors() {
        let mut damaged = EMBEDDED.to_vec();
        damaged[100] ^= 0xff;
        assert!(RootDictionary::decode(&damaged).is_err());
        assert_eq!(
            RootDictionary::decode(b"not zlib").unwrap_err(),
            DictionaryError::Compression
        );
    }

    #[test]
    fn front_coding_is_checked() {
        let compress = |plain: &[u8]| miniz_oxide::deflate::compress_to_vec_zlib(plain, 6);
        // Shares 5 bytes with a previous word of 3.
        let bad = compress(b"\x00abc\n\x05d\n");
        assert_eq!(
            RootDictionary::decode(&bad).unwrap_err(),
            DictionaryError::Malformed { entry: 1 }
        );
        let unsorted = compress(b"\x00b\n\x00a\n");
        assert_eq!(
            RootDictionary::decode(&unsorted).unwrap_err(),
            DictionaryError::Unsorted { entry: 1 }
        );
        let good = RootDictionary::decode(&compress(b"\x00ab\n\x01c\n\x00b\n")).unwrap();
        assert_eq!(good.words().collect::<Vec<_>>(), ["ab", "ac", "b"]);
    }

    #[test]
    fn from_words_sorts_and_dedups() {
        let d = RootDictionary::from_words(["makan", "adu", "makan", ""]);
        assert_eq!(d.len(), 2);
        assert!(d.contains("adu") && d.contains("makan") && !d.contains("mak"));
    }
}
