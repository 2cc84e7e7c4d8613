//! Date and time functions: `today`, `now`, `date`, `date-time`, `decimal-date-time`,
//! `decimal-time`, `format-date`, `format-date-time`.
//!
//! Time comes only from the caller's environment; wall-clock fields of a written
//! dateTime are kept as written, as ODK shows them to the person filling the form.

use super::{g, gs};
use crate::datetime::{
    format_date_days, format_pattern, format_timestamp, local_days, parse_date_days,
    parse_datetime, parse_time, Timestamp,
};
use crate::xpath::value::{string_to_number, Value};
use crate::xpath::{EvalContext, XPathError};

const MS_PER_DAY: f64 = 86_400_000.0;

pub(super) fn call(name: &str, v: &[Value], e: &EvalContext<'_>) -> Result<Value, XPathError> {
    let f = e.forest;
    Ok(match name {
        "today" => Value::String(format_date_days(local_days(e.env.now()))),
        "now" => Value::String(format_timestamp(e.env.now())),
        // A dateTime string keeps its time part (JavaRosa's `date()` returns the
        // instant; its calculate-now test formats the time back out of it).
        "date" => Value::String(match local_millis(g(v, 0), f) {
            Some(ms) if has_time_part(g(v, 0), f) => {
                let off = e.env.now().offset_minutes;
                format_timestamp(Timestamp {
                    epoch_millis: ms as i64 - off as i64 * 60_000,
                    offset_minutes: off,
                })
            }
            Some(ms) => format_date_days((ms / MS_PER_DAY).floor() as i64),
            None => String::new(),
        }),
        "date-time" => Value::String(match local_millis(g(v, 0), f) {
            Some(ms) => {
                let off = e.env.now().offset_minutes;
                format_timestamp(Timestamp {
                    epoch_millis: ms as i64 - off as i64 * 60_000,
                    offset_minutes: off,
                })
            }
            None => String::new(),
        }),
        "decimal-date-time" => {
            let s = gs(v, 0, f);
            Value::Number(match parse_datetime(&s) {
                Some((ms, _)) => ms as f64 / MS_PER_DAY,
                None => string_to_number(&s),
            })
        }
        "decimal-time" => {
            let s = gs(v, 0, f);
            Value::Number(match parse_time(s.trim()) {
                Some((ms, _)) => ms as f64 / MS_PER_DAY,
                None => f64::NAN,
            })
        }
        "format-date" | "format-date-time" => {
            let pattern = gs(v, 1, f);
            Value::String(match local_millis(g(v, 0), f) {
                Some(ms) => format_pattern(ms.floor() as i64, &pattern),
                None => String::new(),
            })
        }
        other => {
            return Err(XPathError::Eval(format!(
                "function '{other}' is not implemented"
            )))
        }
    })
}

/// Whether a value is a string dateTime (`2018-01-01T10:20:30.400`).
fn has_time_part(v: &Value, f: &crate::instance::Forest) -> bool {
    match v {
        Value::Number(_) | Value::Bool(_) => false,
        other => other
            .to_string_value(f)
            .trim()
            .split_once('T')
            .is_some_and(|(d, t)| parse_date_days(d).is_some() && parse_time(t).is_some()),
    }
}

/// Local wall-clock milliseconds since the epoch for a date, dateTime, time-less number
/// of days, or `None` when the value is empty or not a date.
fn local_millis(v: &Value, f: &crate::instance::Forest) -> Option<f64> {
    let days = match v {
        Value::Number(n) => *n,
        Value::Bool(_) => return None,
        other => {
            let s = other.to_string_value(f);
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            if let Some(d) = parse_date_days(s) {
                return Some(d as f64 * MS_PER_DAY);
            }
            if let Some((date, time)) = s.split_once('T') {
                let d = parse_date_days(date)?;
                let (ms, _) = parse_time(time)?;
                return Some(d as f64 * MS_PER_DAY + ms as f64);
            }
            string_to_number(s)
        }
    };
    if days.is_finite() {
        Some(days * MS_PER_DAY)
    } else {
        None
    }
}
