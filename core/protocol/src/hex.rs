//! Lowercase hexadecimal, the text form of digests, keys and signatures on the wire.
//!
//! Hex rather than base64: digests are compared by eye in logs and support tickets,
//! and the few extra bytes do not matter next to a photo.

/// Why a string is not lowercase or uppercase hexadecimal of the expected length.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a hexadecimal string of the expected length")]
pub struct HexError;

/// Encodes bytes as lowercase hex.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes hex of any case into bytes.
pub fn decode(text: &str) -> Result<Vec<u8>, HexError> {
    let raw = text.as_bytes();
    if raw.len() % 2 != 0 {
        return Err(HexError);
    }
    raw.chunks_exact(2)
        .map(|pair| Ok((nibble(pair[0])? << 4) | nibble(pair[1])?))
        .collect()
}

/// Decodes hex into a fixed-size array, refusing any other length.
pub fn decode_array<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    decode(text)?.try_into().map_err(|_| HexError)
}

fn nibble(c: u8) -> Result<u8, HexError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(HexError),
    }
}

/// Serde helpers for fixed-size byte arrays written as hex strings.
pub mod serde_array {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::decode_array(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_bad_input() {
        let bytes = [0u8, 1, 0x7f, 0x80, 0xff];
        assert_eq!(encode(&bytes), "00017f80ff");
        assert_eq!(decode("00017F80ff"), Ok(bytes.to_vec()));
        assert_eq!(decode("0"), Err(HexError));
        assert_eq!(decode("zz"), Err(HexError));
        assert_eq!(decode_array::<2>("0001"), Ok([0, 1]));
        assert_eq!(decode_array::<3>("0001"), Err(HexError));
    }
}
