//! The NIK check itself: what a 16-digit NIK (`PP KK CC DDMMYY SSSS`) must satisfy and
//! what it tells. A check can only refuse numbers that cannot be a NIK; it cannot prove
//! that Dukcapil issued one. Nothing here logs or keeps the NIK.

use crate::date::Date;
use crate::error::{DateProblem, NikError};
use crate::regions::Regions;

/// Sex encoded in the NIK's day of birth (women's day has 40 added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Laki-laki: day 01-31.
    Male,
    /// Perempuan: day 41-71.
    Female,
}

/// A region code with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Dotted Kemendagri code: `"32"`, `"32.76"`, `"32.76.01"`.
    pub code: String,
    /// Name, e.g. `"Kota Depok"`.
    pub name: String,
}

/// Where a NIK issued under a historical regency code is today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRegion {
    /// The province the regency belongs to now.
    pub province: Region,
    /// The regency/city under its current code.
    pub regency: Region,
    /// The district under its current code.
    pub district: Region,
}

/// What a valid NIK tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NikInfo {
    /// From the day of birth.
    pub sex: Sex,
    /// Day + 40 removed for women; century chosen so the date is not after "today".
    pub birth_date: Date,
    /// Digits 1-2, as the NIK has them.
    pub province: Region,
    /// Digits 1-4, as the NIK has them.
    pub regency: Region,
    /// Digits 1-6, as the NIK has them.
    pub district: Region,
    /// The region's current codes when the NIK carries a historical regency code (for
    /// example `91.01` Merauke, `93.01` since Papua Selatan was formed in 2022).
    pub current: Option<CurrentRegion>,
}

/// Checks a NIK as typed by a citizen, taking "today" from the clock
/// ([`Date::today_in_indonesia`]).
pub fn check(nik: &str) -> Result<NikInfo, NikError> {
    check_at(nik, Date::today_in_indonesia())
}

/// Checks a NIK as typed by a citizen, with `today` deciding the century of the birth
/// year (the latest one not after `today`).
///
/// Spaces, dots and hyphens are removed first; then it must be exactly 16 digits with a
/// known province, regency/city and district, a possible birth date and a serial other
/// than 0000. The first problem found, in that order, is returned.
pub fn check_at(nik: &str, today: Date) -> Result<NikInfo, NikError> {
    let digits = normalize(nik)?;
    let regions = Regions::embedded()?;
    let (province, regency, district, current) = region(regions, &digits)?;
    let (sex, birth_date) = birth(&digits, today)?;
    if digits[12..] == [0, 0, 0, 0] {
        return Err(NikError::SerialZero);
    }
    Ok(NikInfo {
        sex,
        birth_date,
        province,
        regency,
        district,
        current,
    })
}

/// The 16 digits, with the separators a citizen types removed.
fn normalize(nik: &str) -> Result<[u8; 16], NikError> {
    let mut digits = [0u8; 16];
    let mut count = 0usize;
    for c in nik.chars() {
        if c.is_whitespace() || c == '.' || c == '-' {
            continue;
        }
        let digit = c.to_digit(10).filter(|_| c.is_ascii_digit());
        let Some(digit) = digit else {
            return Err(NikError::NotDigits);
        };
        if let Some(slot) = digits.get_mut(count) {
            *slot = digit as u8;
        }
        count += 1;
    }
    if count != 16 {
        return Err(NikError::WrongLength { digits: count });
    }
    Ok(digits)
}

fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + u32::from(d))
}

fn dotted(code: u32, parts: usize) -> String {
    let s = format!("{code:0width$}", width = parts * 2);
    let mut out = String::with_capacity(parts * 3);
    for (i, pair) in s.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.extend(pair.iter().map(|&b| char::from(b)));
    }
    out
}

type Regional = (Region, Region, Region, Option<CurrentRegion>);

fn region(regions: &Regions, digits: &[u8; 16]) -> Result<Regional, NikError> {
    let pp = number(&digits[0..2]);
    let ppkk = number(&digits[0..4]);
    let cc = number(&digits[4..6]);
    let named = |code: u32, parts: usize, name: &str| Region {
        code: dotted(code, parts),
        name: name.to_owned(),
    };
    let province_name = regions
        .province(pp)
        .ok_or_else(|| NikError::UnknownProvince {
            code: dotted(pp, 1),
        })?;
    let unknown_regency = || NikError::UnknownRegency {
        code: dotted(ppkk, 2),
    };
    // A regency renumbered by a split keeps its districts' last two digits.
    let (current_ppkk, renumbered) = match regions.regency(ppkk) {
        Some(_) => (ppkk, false),
        None => (regions.renumbered(ppkk).ok_or_else(unknown_regency)?, true),
    };
    let regency_name = regions.regency(current_ppkk).ok_or_else(unknown_regency)?;
    let district_name =
        regions
            .district(current_ppkk * 100 + cc)
            .ok_or_else(|| NikError::UnknownDistrict {
                code: dotted(ppkk * 100 + cc, 3),
            })?;
    let current = if renumbered {
        let current_pp = current_ppkk / 100;
        let current_province = regions.province(current_pp).ok_or_else(unknown_regency)?;
        Some(CurrentRegion {
            province: named(current_pp, 1, current_province),
            regency: named(current_ppkk, 2, regency_name),
            district: named(current_ppkk * 100 + cc, 3, district_name),
        })
    } else {
        None
    };
    Ok((
        named(pp, 1, province_name),
        named(ppkk, 2, regency_name),
        named(ppkk * 100 + cc, 3, district_name),
        current,
    ))
}

fn birth(digits: &[u8; 16], today: Date) -> Result<(Sex, Date), NikError> {
    let impossible = |problem| NikError::ImpossibleDate { problem };
    let raw_day = number(&digits[6..8]);
    let month = number(&digits[8..10]);
    let yy = number(&digits[10..12]);
    let (sex, day) = match raw_day {
        1..=31 => (Sex::Male, raw_day),
        41..=71 => (Sex::Female, raw_day - 40),
        _ => return Err(impossible(DateProblem::Day)),
    };
    if !(1..=12).contains(&month) {
        return Err(impossible(DateProblem::Month));
    }
    // Both fit: day <= 31, month <= 12, yy <= 99.
    let (day, month, yy) = (day as u8, month as u8, yy as u16);
    let mut exists = false;
    for century in [2000u16, 1900] {
        if let Some(date) = Date::new(century + yy, month, day) {
            exists = true;
            if date <= today {
                return Ok((sex, date));
            }
        }
    }
    Err(impossible(if exists {
        DateProblem::Future
    } else {
        DateProblem::NoSuchDay
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_strips_separators_and_counts_digits() {
        assert_eq!(normalize("32.76.01 010190-0001").map(|d| d[15]), Ok(1));
        assert_eq!(normalize("123"), Err(NikError::WrongLength { digits: 3 }));
        assert_eq!(normalize("32760101019000O1"), Err(NikError::NotDigits));
        // Non-ASCII digits (Arabic-Indic) are not NIK digits.
        assert_eq!(normalize("٣٢٧٦٠١٠١٠١٩٠٠٠٠١"), Err(NikError::NotDigits));
    }

    #[test]
    fn dotted_codes() {
        assert_eq!(dotted(32, 1), "32");
        assert_eq!(dotted(3276, 2), "32.76");
        assert_eq!(dotted(110101, 3), "11.01.01");
    }
}
