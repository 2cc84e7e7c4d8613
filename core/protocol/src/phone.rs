//! Indonesian mobile numbers in one canonical form, so that "0812...", "62812..." and
//! "+62 812-..." are one citizen. Both ends normalise before anything else is done.

use std::fmt;

/// A normalised Indonesian mobile number, `+628` followed by 7 to 11 digits.
///
/// `Debug` and `Display` mask it: a phone number is personal data and must never
/// reach a log by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// Why a string is not an Indonesian mobile number.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an Indonesian mobile number")]
pub struct PhoneError;

impl PhoneNumber {
    /// Parses the forms people type: leading 0, 62 or +62, spaces, dashes, dots.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let mut digits = String::with_capacity(input.len());
        for (i, c) in input.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(PhoneError),
            }
        }
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(PhoneError);
        };
        if !national.starts_with('8') || !(8..=12).contains(&national.len()) {
            return Err(PhoneError);
        }
        Ok(Self(format!("+62{national}")))
    }

    /// The E.164 text, for the SMS gateway and keyed hashing only.
    pub fn e164(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(***)")
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("+62***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_spellings_normalise_to_one_number() {
        let a = PhoneNumber::parse("0812-3456-7890").unwrap();
        let b = PhoneNumber::parse("+62 812 3456 7890").unwrap();
        let c = PhoneNumber::parse("6281234567890").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.e164(), "+6281234567890");
    }

    #[test]
    fn rejects_landlines_and_garbage_and_never_prints_the_number() {
        assert_eq!(PhoneNumber::parse("021-555-1234"), Err(PhoneError));
        assert_eq!(PhoneNumber::parse("08x"), Err(PhoneError));
        assert_eq!(PhoneNumber::parse("12345"), Err(PhoneError));
        let p = PhoneNumber::parse("081234567890").unwrap();
        assert!(!format!("{p:?} {p}").contains("1234"));
    }
}
