//! Checking an answer against its question's type before it is stored, so the instance
//! only ever holds values ODK servers accept. Errors say what is wrong, never echo the
//! value (it may be personal data).

use super::FormSession;
use crate::datetime::{parse_date_days, parse_datetime, parse_time};
use crate::error::SessionError;
use crate::instance::NodeId;
use crate::xform::body::{Choices, ControlKind};
use crate::xform::model::DataType;
use crate::xpath::functions::geo::parse_points;

/// Why a value does not fit a type (`None`: it fits). Shared with server validation.
pub(crate) fn type_problem(dt: DataType, v: &str) -> Option<&'static str> {
    if v.is_empty() {
        return None;
    }
    let ok = match dt {
        DataType::Int => {
            let body = v.strip_prefix('-').unwrap_or(v);
            !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) && v.parse::<i64>().is_ok()
        }
        DataType::Decimal => {
            let body = v.strip_prefix('-').unwrap_or(v);
            !body.is_empty()
                && body != "."
                && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && body.bytes().filter(|&b| b == b'.').count() <= 1
        }
        DataType::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        DataType::Date => parse_date_days(v).is_some(),
        DataType::Time => parse_time(v).is_some(),
        DataType::DateTime => v.contains('T') && parse_datetime(v).is_some(),
        DataType::Geopoint => parse_points(v).is_some_and(|p| p.len() == 1) && point_fields_ok(v),
        DataType::Geotrace => parse_points(v).is_some_and(|p| p.len() >= 2),
        DataType::Geoshape => {
            parse_points(v).is_some_and(|p| p.len() >= 4 && p.first() == p.last())
        }
        DataType::Binary => !v.contains('/') && !v.contains('\\') && v != "." && v != "..",
        DataType::String | DataType::Barcode | DataType::Select1 | DataType::Select => true,
    };
    if ok {
        None
    } else {
        Some(match dt {
            DataType::Int => "not a whole number",
            DataType::Decimal => "not a decimal number",
            DataType::Boolean => "not true or false",
            DataType::Date => "not a date (YYYY-MM-DD)",
            DataType::Time => "not a time (HH:MM:SS)",
            DataType::DateTime => "not a date and time",
            DataType::Geopoint => "not a location (lat lon [alt acc])",
            DataType::Geotrace => "not a line of at least 2 points",
            DataType::Geoshape => "not a closed shape of at least 4 points",
            DataType::Binary => "not a plain file name",
            _ => "invalid value",
        })
    }
}

/// Write a decimal as ODK's engine does: a whole number keeps one decimal place
/// (`250` -> `250.0`), others their shortest form (checked against
/// @getodk/xforms-engine 0.22 by tests/differential.rs).
pub(crate) fn decimal_string(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.1}")
    } else {
        format!("{n}")
    }
}

/// Canonical form of an already type-checked answer, as ODK's engine stores it, so
/// that the submission is byte-for-byte what ODK would send.
pub(crate) fn normalize(dt: DataType, value: String) -> String {
    if value.is_empty() {
        return value;
    }
    match dt {
        // A date node holding a dateTime keeps the date, as ODK stores it.
        DataType::Date => match value.split_once('T') {
            Some((d, _)) if crate::datetime::parse_date_days(d).is_some() => d.to_string(),
            _ => value,
        },
        DataType::Int => value.parse::<i64>().map(|n| n.to_string()).unwrap_or(value),
        DataType::Decimal => value.parse::<f64>().map(decimal_string).unwrap_or(value),
        DataType::Geopoint | DataType::Geotrace | DataType::Geoshape => {
            let points: Vec<String> = value
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.split_whitespace()
                        .map(|x| {
                            x.parse::<f64>()
                                .map(decimal_string)
                                .unwrap_or_else(|_| x.into())
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            points.join(";")
        }
        _ => value,
    }
}

fn point_fields_ok(v: &str) -> bool {
    let n = v.split_whitespace().count();
    (2..=4).contains(&n) && v.split_whitespace().all(|x| x.parse::<f64>().is_ok())
}

impl FormSession {
    /// Check `value` for the node's type and choices; returns the value to store.
    pub(crate) fn check_value(
        &self,
        node: NodeId,
        generic: &str,
        value: &str,
    ) -> Result<String, SessionError> {
        let control = self.form.control(generic);
        let dt = self
            .form
            .def
            .bind(generic)
            .map(|b| b.data_type)
            .unwrap_or(DataType::String);
        let multiple = control.is_some_and(|c| matches!(c.kind, ControlKind::Select));
        let value = match dt {
            _ if multiple || dt == DataType::Select => {
                value.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            DataType::String | DataType::Barcode => value.to_string(),
            _ => value.trim().to_string(),
        };
        let invalid = |reason: &str| SessionError::InvalidValue {
            path: self.path_of(node),
            reason: reason.to_string(),
        };
        if let Some(problem) = type_problem(dt, &value) {
            return Err(invalid(problem));
        }
        let value = normalize(dt, value);
        if let Some(c) = control {
            let multiple = matches!(c.kind, ControlKind::Select | ControlKind::Rank);
            if !value.is_empty() && !matches!(c.choices, Choices::None) {
                let offered = self.choices(c, node);
                let items: Vec<&str> = if multiple {
                    value.split_whitespace().collect()
                } else {
                    vec![value.as_str()]
                };
                if items.iter().any(|i| !offered.iter().any(|o| o.value == *i)) {
                    return Err(invalid("not one of the offered choices"));
                }
                if c.kind == ControlKind::Select {
                    // Stored in choice order, each once, single spaces (as ODK does,
                    // whatever order they were ticked in).
                    let ordered: Vec<&str> = offered
                        .iter()
                        .map(|o| o.value.as_str())
                        .filter(|o| items.contains(o))
                        .collect();
                    let mut unique = ordered.clone();
                    unique.dedup();
                    return Ok(unique.join(" "));
                }
            }
            if let (Some(r), false) = (c.range, value.is_empty()) {
                let n: f64 = value.parse().map_err(|_| invalid("not a number"))?;
                let (lo, hi) = if r.start <= r.end {
                    (r.start, r.end)
                } else {
                    (r.end, r.start)
                };
                if n < lo || n > hi {
                    return Err(invalid("outside the range"));
                }
            }
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_checks() {
        assert_eq!(type_problem(DataType::Int, "42"), None);
        assert!(type_problem(DataType::Int, "4.2").is_some());
        assert!(type_problem(DataType::Int, "-").is_some());
        assert_eq!(type_problem(DataType::Decimal, "-4.25"), None);
        assert!(type_problem(DataType::Decimal, "1e5").is_some());
        assert_eq!(type_problem(DataType::Date, "2024-02-29"), None);
        assert!(type_problem(DataType::Date, "2023-02-29").is_some());
        assert_eq!(
            type_problem(DataType::DateTime, "2024-02-29T10:00:00.000+07:00"),
            None
        );
        assert_eq!(type_problem(DataType::Geopoint, "-6.2 106.8 10 5"), None);
        assert!(type_problem(DataType::Geopoint, "-6.2").is_some());
        assert!(type_problem(DataType::Geoshape, "0 0; 1 1; 0 1").is_some());
        assert_eq!(type_problem(DataType::Binary, "foto-ktp.jpg"), None);
        assert!(type_problem(DataType::Binary, "../etc/passwd").is_some());
        assert_eq!(type_problem(DataType::Boolean, "1"), None);
        assert_eq!(type_problem(DataType::Int, ""), None);
    }

    #[test]
    fn normalisation_matches_odk() {
        assert_eq!(normalize(DataType::Decimal, "250".into()), "250.0");
        assert_eq!(normalize(DataType::Decimal, "3.20".into()), "3.2");
        assert_eq!(normalize(DataType::Decimal, "-1".into()), "-1.0");
        assert_eq!(normalize(DataType::Int, "012".into()), "12");
        assert_eq!(
            normalize(DataType::Geopoint, "-6.9175 107.6191 700 4.5".into()),
            "-6.9175 107.6191 700.0 4.5"
        );
        assert_eq!(
            normalize(DataType::Geotrace, "1 2 3 4; 5 6 7 8".into()),
            "1.0 2.0 3.0 4.0;5.0 6.0 7.0 8.0"
        );
    }
}
