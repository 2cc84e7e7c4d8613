//! Calendar dates (`YYYY-MM-DD`), the only time the catalog knows: when a record last
//! changed, when a source was read, when a citizen's submission was approved.
//!
//! A tiny type of our own rather than a date crate: the phone's library has a size
//! budget, and the catalog needs parsing, ordering and day counts, nothing more.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Lang;

/// A valid proleptic Gregorian date between the years 1 and 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a valid YYYY-MM-DD date")]
pub struct DateError;

impl Date {
    /// The date, if it exists (29 February only in leap years).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (four, two and two digits).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(DateError);
        }
        let number =
            |range: std::ops::Range<usize>| text[range].parse::<u16>().map_err(|_| DateError);
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| DateError)?;
        let day = u8::try_from(number(8..10)?).map_err(|_| DateError)?;
        Date::new(year, month, day).ok_or(DateError)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date as a citizen reads it: "2 Desember 2026", "2 December 2026".
    pub fn long(self, lang: Lang) -> String {
        const BULAN: [&str; 12] = [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ];
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = match lang {
            Lang::Id => &BULAN,
            Lang::En => &MONTHS,
        };
        let month = names[usize::from(self.month.clamp(1, 12) - 1)];
        format!("{} {} {}", self.day, month, self.year)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse(text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates_and_refuses_impossible_ones() {
        let date = Date::parse("2026-11-30").unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2026, 11, 30));
        assert_eq!(date.to_string(), "2026-11-30");
        assert_eq!(date.long(Lang::Id), "30 November 2026");
        assert_eq!(
            Date::new(2026, 12, 2).unwrap().long(Lang::En),
            "2 December 2026"
        );
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            "2026-1-01",
            "2026/01/01",
            "26-01-01",
            "2026-01-01T00:00",
            "",
            "２０２６-01-01",
            "+026-01-01",
        ] {
            assert_eq!(Date::parse(bad), Err(DateError), "{bad}");
        }
    }

    #[test]
    fn counts_days_across_months_years_and_leap_days() {
        let epoch = Date::new(1970, 1, 1).unwrap();
        assert_eq!(epoch.days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        let a = Date::new(2024, 2, 28).unwrap();
        let b = Date::new(2024, 3, 1).unwrap();
        assert_eq!(a.days_until(b), 2);
        assert_eq!(b.days_until(a), -2);
        assert!(a < b);
    }

    #[test]
    fn serializes_as_text() {
        let date = Date::new(2026, 12, 2).unwrap();
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2026-12-02\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }
}
