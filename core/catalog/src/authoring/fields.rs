//! Reading one TOML table field by field, recording every problem with its path
//! instead of stopping at the first, and reporting the fields nobody asked for: a
//! misspelt field name must be an error, never silently dropped.
//!
//! Walking `toml::Table` values by hand rather than deriving `Deserialize`: serde
//! stops at the first error and cannot say `requirements[1].produced_by`.

use toml::{Table, Value};

use super::AuthoringError;
use crate::date::Date;
use crate::model::Text;
use crate::problem::Problem;

/// Where the problems of one file go.
pub(super) struct Report<'r> {
    file: &'r str,
    errors: &'r mut Vec<AuthoringError>,
}

impl<'r> Report<'r> {
    pub(super) fn new(file: &'r str, errors: &'r mut Vec<AuthoringError>) -> Self {
        Report { file, errors }
    }

    pub(super) fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(AuthoringError {
            file: self.file.to_owned(),
            field: field.into(),
            problem,
        });
    }
}

/// One table being read; `finish` reports the keys that were never read.
pub(super) struct Fields<'t> {
    table: &'t Table,
    prefix: String,
    seen: Vec<&'static str>,
    skip_unknown: bool,
}

const TEXT: &str = "a text in double quotes";
const WHOLE_NUMBER: &str = "a whole number";
const NUMBER: &str = "a number";
const LIST: &str = "a list [ ... ] of texts";
const TABLES: &str = "one or more [[...]] blocks";
const TABLE: &str = "a [...] block or { ... }";
const BOOLEAN: &str = "true or false";
const DATE: &str = "a date YYYY-MM-DD";

impl<'t> Fields<'t> {
    /// The top-level table of a file.
    pub(super) fn root(table: &'t Table) -> Self {
        Fields {
            table,
            prefix: String::new(),
            seen: Vec::new(),
            skip_unknown: false,
        }
    }

    fn child(&self, path: String, table: &'t Table) -> Fields<'t> {
        Fields {
            table,
            prefix: format!("{path}."),
            seen: Vec::new(),
            skip_unknown: false,
        }
    }

    /// The full path of `key` in this table (`requirements[1].produced_by`).
    pub(super) fn path(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    fn value(&mut self, key: &'static str) -> Option<&'t Value> {
        self.seen.push(key);
        self.table.get(key)
    }

    /// Reports nothing more about this table: after a problem (an unknown channel
    /// kind) that makes its other fields meaningless.
    pub(super) fn skip_rest(&mut self) {
        self.skip_unknown = true;
    }

    /// Reports every key that was not read.
    pub(super) fn finish(self, report: &mut Report<'_>) {
        if self.skip_unknown {
            return;
        }
        for key in self.table.keys() {
            if !self.seen.contains(&key.as_str()) {
                report.push(self.path(key), Problem::UnknownField);
            }
        }
    }

    /// A required, non-blank text.
    pub(super) fn string(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<String> {
        let value = self.opt_string(key, report);
        self.required(key, value, report)
    }

    /// An optional text; present but blank is a problem.
    pub(super) fn opt_string(
        &mut self,
        key: &'static str,
        report: &mut Report<'_>,
    ) -> Option<String> {
        match self.value(key)? {
            Value::String(text) if text.trim().is_empty() => {
                self.fail(key, Problem::Missing, report)
            }
            Value::String(text) => Some(text.trim().to_owned()),
            _ => self.fail(key, Problem::WrongType { expected: TEXT }, report),
        }
    }

    /// A required whole number between `min` and `max`.
    pub(super) fn number(
        &mut self,
        key: &'static str,
        min: u64,
        max: u64,
        report: &mut Report<'_>,
    ) -> Option<u64> {
        let value = self.opt_number(key, min, max, report);
        self.required(key, value, report)
    }

    /// Reports `problem` at `key`; nothing was read.
    fn fail<T>(&self, key: &str, problem: Problem, report: &mut Report<'_>) -> Option<T> {
        report.push(self.path(key), problem);
        None
    }

    /// `value` of an optional reader, with an absent `key` reported as missing.
    fn required<T>(&self, key: &str, value: Option<T>, report: &mut Report<'_>) -> Option<T> {
        if value.is_none() && !self.table.contains_key(key) {
            report.push(self.path(key), Problem::Missing);
        }
        value
    }

    /// An optional whole number between `min` and `max`.
    pub(super) fn opt_number(
        &mut self,
        key: &'static str,
        min: u64,
        max: u64,
        report: &mut Report<'_>,
    ) -> Option<u64> {
        match self.value(key)? {
            Value::Integer(n) => match u64::try_from(*n) {
                Ok(n) if n < min => self.fail(key, Problem::TooSmall { min }, report),
                Ok(n) if n > max => {
                    report.push(
                        self.path(key),
                        Problem::TooLarge {
                            value: n.to_string(),
                        },
                    );
                    None
                }
                Ok(n) => Some(n),
                Err(_) => self.fail(key, Problem::TooSmall { min }, report),
            },
            _ => {
                report.push(
                    self.path(key),
                    Problem::WrongType {
                        expected: WHOLE_NUMBER,
                    },
                );
                None
            }
        }
    }

    /// An optional decimal number (a whole number is accepted too).
    pub(super) fn opt_decimal(
        &mut self,
        key: &'static str,
        report: &mut Report<'_>,
    ) -> Option<f64> {
        match self.value(key)? {
            Value::Float(x) => Some(*x),
            // Coordinates are small; the conversion is exact for them.
            Value::Integer(n) => Some(*n as f64),
            _ => self.fail(key, Problem::WrongType { expected: NUMBER }, report),
        }
    }

    /// A required `true` or `false`.
    pub(super) fn boolean(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<bool> {
        match self.value(key) {
            Some(Value::Boolean(b)) => Some(*b),
            Some(_) => self.fail(key, Problem::WrongType { expected: BOOLEAN }, report),
            None => self.fail(key, Problem::Missing, report),
        }
    }

    /// A required date, as `"2026-11-30"` or a bare TOML date `2026-11-30`.
    pub(super) fn date(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<Date> {
        let text = match self.value(key) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Datetime(datetime)) => datetime.to_string(),
            Some(_) => {
                report.push(self.path(key), Problem::WrongType { expected: DATE });
                return None;
            }
            None => {
                report.push(self.path(key), Problem::Missing);
                return None;
            }
        };
        match Date::parse(text.trim()) {
            Ok(date) => Some(date),
            Err(_) => self.fail(key, Problem::InvalidDate { value: text }, report),
        }
    }

    /// A list of non-blank texts; absent is `None` (and a problem when `required`).
    pub(super) fn strings(
        &mut self,
        key: &'static str,
        required: bool,
        report: &mut Report<'_>,
    ) -> Option<Vec<String>> {
        let Some(value) = self.value(key) else {
            if required {
                report.push(self.path(key), Problem::Missing);
            }
            return None;
        };
        let Value::Array(items) = value else {
            report.push(self.path(key), Problem::WrongType { expected: LIST });
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(text) if !text.trim().is_empty() => out.push(text.trim().to_owned()),
                Value::String(_) => {
                    report.push(format!("{}[{i}]", self.path(key)), Problem::Missing);
                    ok = false;
                }
                _ => {
                    report.push(
                        format!("{}[{i}]", self.path(key)),
                        Problem::WrongType { expected: TEXT },
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// A required sub-table (`[fee]`), to be read and finished by the caller.
    pub(super) fn table(
        &mut self,
        key: &'static str,
        report: &mut Report<'_>,
    ) -> Option<Fields<'t>> {
        match self.value(key) {
            Some(Value::Table(table)) => Some(self.child(self.path(key), table)),
            Some(_) => self.fail(key, Problem::WrongType { expected: TABLE }, report),
            None => self.fail(key, Problem::Missing, report),
        }
    }

    /// A list of tables (`[[requirements]]` blocks or `[{ ... }, ...]`); absent is an
    /// empty list. Each element is to be read and finished by the caller.
    pub(super) fn tables(&mut self, key: &'static str, report: &mut Report<'_>) -> Vec<Fields<'t>> {
        let Some(value) = self.value(key) else {
            return Vec::new();
        };
        let Value::Array(items) = value else {
            report.push(self.path(key), Problem::WrongType { expected: TABLES });
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.path(key));
            match item {
                Value::Table(table) => out.push(self.child(path, table)),
                _ => report.push(path, Problem::WrongType { expected: TABLE }),
            }
        }
        out
    }

    /// A value without marking it read (to note an id before reading the record).
    pub(super) fn raw(&self, key: &str) -> Option<&'t Value> {
        self.table.get(key)
    }

    /// Whether `key` is absent or an empty list.
    pub(super) fn is_empty_list(&self, key: &str) -> bool {
        match self.table.get(key) {
            None => true,
            Some(Value::Array(items)) => items.is_empty(),
            Some(_) => false,
        }
    }

    /// Whether `key` is present at all.
    pub(super) fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// A bilingual text kept in a sub-table or dotted keys (`title.id`, `title.en`).
    pub(super) fn text(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<Text> {
        let mut fields = self.table(key, report)?;
        let text = fields.inline_text(report);
        fields.finish(report);
        text
    }

    /// An optional bilingual text.
    pub(super) fn opt_text(&mut self, key: &'static str, report: &mut Report<'_>) -> Option<Text> {
        self.table.get(key)?;
        self.text(key, report)
    }

    /// A bilingual text as this table's own `id` and `en` fields.
    pub(super) fn inline_text(&mut self, report: &mut Report<'_>) -> Option<Text> {
        let id = self.string("id", report);
        let en = self.string("en", report);
        Some(Text { id: id?, en: en? })
    }
}
