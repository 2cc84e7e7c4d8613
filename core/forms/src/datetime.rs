//! Calendar arithmetic for ODK's date, time and dateTime values.
//!
//! Hand-written proleptic Gregorian conversions (Howard Hinnant's days-from-civil) so
//! the engine needs no date crate and never reads a clock: "now" always comes from the
//! caller's [`crate::Environment`]. ODK treats a date as a number of days since
//! 1970-01-01, which is what [`parse_date_days`] returns.

/// An instant as the caller's environment sees it: UTC milliseconds and the local
/// offset the user's device uses, so `today()` and `format-date` match the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub epoch_millis: i64,
    /// Local offset from UTC in minutes (Indonesia: +420, +480 or +540).
    pub offset_minutes: i32,
}

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date for a number of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parse `YYYY-MM-DD` strictly into days since the epoch.
pub fn parse_date_days(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-');
    let y = parts.next()?;
    let m = parts.next()?;
    let d = parts.next()?;
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (digits(y)?, digits(m)? as u32, digits(d)? as u32);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Parse a time `HH:MM[:SS[.fff]][Z|+hh:mm|-hh:mm]`: milliseconds since midnight and the
/// offset in minutes when one is written.
pub fn parse_time(s: &str) -> Option<(i64, Option<i32>)> {
    let (clock, offset) = split_offset(s)?;
    let mut parts = clock.split(':');
    let h = digits(parts.next()?)?;
    let m = digits(parts.next()?)?;
    let sec_part = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let (sec, ms) = match sec_part {
        None => (0, 0),
        Some(sp) => match sp.split_once('.') {
            Some((s, frac)) => {
                let f = digits(frac)?;
                let ms = match frac.len() {
                    1 => f * 100,
                    2 => f * 10,
                    3 => f,
                    n => f / 10_i64.pow((n - 3).min(15) as u32),
                };
                (digits(s)?, ms)
            }
            None => (digits(sp)?, 0),
        },
    };
    if h > 24 || m > 59 || sec > 60 {
        return None;
    }
    Some((((h * 60 + m) * 60 + sec) * 1000 + ms, offset))
}

fn split_offset(s: &str) -> Option<(&str, Option<i32>)> {
    if let Some(rest) = s.strip_suffix('Z') {
        return Some((rest, Some(0)));
    }
    if let Some(idx) = s.rfind(['+', '-']) {
        if idx > 0 {
            let (clock, off) = s.split_at(idx);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = &off[1..];
            let (oh, om) = match off.split_once(':') {
                Some((h, m)) => (digits(h)?, digits(m)?),
                None if off.len() == 4 => (digits(&off[..2])?, digits(&off[2..])?),
                None => (digits(off)?, 0),
            };
            return Some((clock, Some(sign * (oh * 60 + om) as i32)));
        }
    }
    Some((s, None))
}

/// Parse a date or dateTime into UTC epoch milliseconds and the written offset
/// (`None`: no offset written, read as UTC).
pub fn parse_datetime(s: &str) -> Option<(i64, Option<i32>)> {
    let s = s.trim();
    match s.split_once('T') {
        None => parse_date_days(s).map(|d| (d * MS_PER_DAY, None)),
        Some((date, time)) => {
            let days = parse_date_days(date)?;
            let (ms, off) = parse_time(time)?;
            let local = days * MS_PER_DAY + ms;
            Some((local - off.unwrap_or(0) as i64 * 60_000, off))
        }
    }
}

/// A date or dateTime string as fractional days since the epoch (ODK's numeric view of
/// dates). Local wall-clock time is used: `2020-01-02T12:00:00+07:00` is 18263.5.
pub fn datetime_to_days(s: &str) -> Option<f64> {
    let s = s.trim();
    match s.split_once('T') {
        None => parse_date_days(s).map(|d| d as f64),
        Some((date, time)) => {
            let days = parse_date_days(date)?;
            let (ms, _) = parse_time(time)?;
            Some(days as f64 + ms as f64 / MS_PER_DAY as f64)
        }
    }
}

/// `YYYY-MM-DD` for days since the epoch.
pub fn format_date_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// ISO 8601 local date-time with offset, as ODK writes `now()`:
/// `2026-11-28T14:05:09.123+07:00`.
pub fn format_timestamp(ts: Timestamp) -> String {
    let local = ts.epoch_millis + ts.offset_minutes as i64 * 60_000;
    let days = local.div_euclid(MS_PER_DAY);
    let ms = local.rem_euclid(MS_PER_DAY);
    let (h, mi, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let off = ts.offset_minutes;
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!(
        "{}T{h:02}:{mi:02}:{s:02}.{f:03}{sign}{:02}:{:02}",
        format_date_days(days),
        off / 60,
        off % 60
    )
}

/// Local date of a timestamp, in days since the epoch.
pub fn local_days(ts: Timestamp) -> i64 {
    (ts.epoch_millis + ts.offset_minutes as i64 * 60_000).div_euclid(MS_PER_DAY)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// ODK `format-date`/`format-date-time`: `%Y %y %m %n %b %d %e %H %h %M %S %3 %a`,
/// applied to local wall-clock milliseconds since the epoch.
pub fn format_pattern(local_millis: i64, pattern: &str) -> String {
    let days = local_millis.div_euclid(MS_PER_DAY);
    let ms = local_millis.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let weekday = (days + 4).rem_euclid(7) as usize;
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{y:04}")),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('n') => out.push_str(&m.to_string()),
            Some('b') => out.push_str(MONTHS[(m as usize).saturating_sub(1) % 12]),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&d.to_string()),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('h') => out.push_str(&h.to_string()),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('3') => out.push_str(&format!("{f:03}")),
            Some('a') => out.push_str(DAYS[weekday]),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 18_262, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2020, 1, 1), 18_262);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn parse_and_format() {
        assert_eq!(parse_date_days("2020-01-02"), Some(18_263));
        assert_eq!(parse_date_days("2021-02-29"), None);
        assert_eq!(parse_date_days("2020-2-01"), None);
        assert_eq!(
            datetime_to_days("2020-01-02T12:00:00+07:00"),
            Some(18_263.5)
        );
        let (ms, off) = parse_datetime("1970-01-01T07:00:00+07:00").unwrap_or((1, None));
        assert_eq!((ms, off), (0, Some(420)));
        let ts = Timestamp {
            epoch_millis: 0,
            offset_minutes: 420,
        };
        assert_eq!(format_timestamp(ts), "1970-01-01T07:00:00.000+07:00");
        assert_eq!(local_days(ts), 0);
        assert_eq!(
            format_pattern(18_263 * MS_PER_DAY, "%e %b %Y (%a) %d/%m/%y"),
            "2 Jan 2020 (Thu) 02/01/20"
        );
        assert_eq!(parse_time("14:30"), Some((52_200_000, None)));
        assert_eq!(
            parse_time("14:30:00.5-01:00"),
            Some((52_200_500, Some(-60)))
        );
        assert_eq!(parse_time("1430"), None);
    }
}
