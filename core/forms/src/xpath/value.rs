//! XPath values and the XPath 1.0 conversion and comparison rules.
//!
//! Kept apart from the evaluator because functions, binds and the session all convert
//! values, and they must all do it the same way ODK does (for example, a date string
//! converts to a number of days, as in JavaRosa).

use super::ast::BinOp;
use crate::datetime::datetime_to_days;
use crate::instance::{Forest, NodeRef};

/// An XPath 1.0 value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A number (IEEE double, as XPath 1.0).
    Number(f64),
    /// A string.
    String(String),
    /// A node-set in document order without duplicates.
    Nodes(Vec<NodeRef>),
}

/// String-value of a node.
pub fn node_string(forest: &Forest, n: NodeRef) -> String {
    forest.doc(n.doc).visible_string_value(n.node)
}

impl Value {
    /// XPath `string()`.
    pub fn to_string_value(&self, forest: &Forest) -> String {
        match self {
            Value::Bool(b) => if *b { "true" } else { "false" }.to_string(),
            Value::Number(n) => number_to_string(*n),
            Value::String(s) => s.clone(),
            Value::Nodes(ns) => ns
                .first()
                .map(|&n| node_string(forest, n))
                .unwrap_or_default(),
        }
    }

    /// XPath `number()`, extended as ODK does: date and dateTime strings become days.
    pub fn to_number(&self, forest: &Forest) -> f64 {
        match self {
            Value::Bool(b) => {
                if *b {
                    1.0
                } else {
                    0.0
                }
            }
            Value::Number(n) => *n,
            Value::String(s) => string_to_number(s),
            Value::Nodes(_) => string_to_number(&self.to_string_value(forest)),
        }
    }

    /// XPath `boolean()`.
    pub fn to_bool(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Nodes(ns) => !ns.is_empty(),
        }
    }
}

/// XPath 1.0 string-to-number, plus ODK's date and dateTime strings.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if let Some(n) = parse_xpath_number(t) {
        return n;
    }
    datetime_to_days(t).unwrap_or(f64::NAN)
}

fn parse_xpath_number(t: &str) -> Option<f64> {
    let body = t.strip_prefix('-').unwrap_or(t);
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || body.bytes().filter(|&b| b == b'.').count() > 1
        || body == "."
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// XPath 1.0 number-to-string: integers without a decimal point, no exponent,
/// `NaN` and `Infinity` spelled out.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    // Shortest round-trip representation, then expand any exponent.
    let s = format!("{n}");
    if !s.contains('e') {
        return s;
    }
    let mut digits = format!("{:.20}", n);
    if digits.contains('.') {
        while digits.ends_with('0') {
            digits.pop();
        }
        if digits.ends_with('.') {
            digits.pop();
        }
    }
    digits
}

fn cmp_numbers(op: BinOp, a: f64, b: f64) -> bool {
    match op {
        BinOp::Eq => a == b,
        BinOp::Neq => a != b,
        BinOp::Lt => a < b,
        BinOp::Lte => a <= b,
        BinOp::Gt => a > b,
        BinOp::Gte => a >= b,
        _ => false,
    }
}

fn cmp_strings(op: BinOp, a: &str, b: &str) -> bool {
    match op {
        BinOp::Eq => a == b,
        BinOp::Neq => a != b,
        _ => cmp_numbers(op, string_to_number(a), string_to_number(b)),
    }
}

/// Compare two values with an equality or relational operator (XPath 1.0 section 3.4).
///
/// One ODK difference: an empty node-set compares as the empty string, as JavaRosa
/// unpacks it (`item[first = '']` selects items without `first`; `/data/none != 'x'`
/// is true). XPath 1.0 makes every comparison with an empty node-set false.
pub fn compare(forest: &Forest, op: BinOp, left: &Value, right: &Value) -> bool {
    let blank = Value::String(String::new());
    let unpack = |v: &Value| matches!(v, Value::Nodes(ns) if ns.is_empty());
    let left = if unpack(left) { &blank } else { left };
    let right = if unpack(right) { &blank } else { right };
    let equality = matches!(op, BinOp::Eq | BinOp::Neq);
    match (left, right) {
        (Value::Nodes(a), Value::Nodes(b)) => {
            let bs: Vec<String> = b.iter().map(|&n| node_string(forest, n)).collect();
            a.iter().any(|&x| {
                let xs = node_string(forest, x);
                bs.iter().any(|y| cmp_strings(op, &xs, y))
            })
        }
        (Value::Nodes(ns), other) | (other, Value::Nodes(ns)) => {
            let flipped = matches!(left, Value::Nodes(_));
            let op = if flipped { op } else { flip(op) };
            match other {
                Value::Bool(b) => cmp_numbers(op, bool_num(!ns.is_empty()), bool_num(*b)),
                Value::Number(v) => ns
                    .iter()
                    .any(|&n| cmp_numbers(op, string_to_number(&node_string(forest, n)), *v)),
                Value::String(s) => ns
                    .iter()
                    .any(|&n| cmp_strings(op, &node_string(forest, n), s)),
                Value::Nodes(_) => false,
            }
        }
        _ if equality => {
            if matches!(left, Value::Bool(_)) || matches!(right, Value::Bool(_)) {
                cmp_numbers(op, bool_num(left.to_bool()), bool_num(right.to_bool()))
            } else if matches!(left, Value::Number(_)) || matches!(right, Value::Number(_)) {
                cmp_numbers(op, left.to_number(forest), right.to_number(forest))
            } else {
                cmp_strings(
                    op,
                    &left.to_string_value(forest),
                    &right.to_string_value(forest),
                )
            }
        }
        _ => cmp_numbers(op, left.to_number(forest), right.to_number(forest)),
    }
}

fn bool_num(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Mirror a relational operator so that `value op nodes` can be computed as
/// `nodes op' value`.
fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Lte => BinOp::Gte,
        BinOp::Gt => BinOp::Lt,
        BinOp::Gte => BinOp::Lte,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::Document;

    #[test]
    fn number_formatting() {
        assert_eq!(number_to_string(3.0), "3");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(1e21), "1000000000000000000000");
        assert_eq!(number_to_string(f64::NAN), "NaN");
        assert_eq!(number_to_string(2.5), "2.5");
        assert_eq!(number_to_string(1e-7), "0.0000001");
    }

    #[test]
    fn string_numbers() {
        assert_eq!(string_to_number(" 12 "), 12.0);
        assert_eq!(string_to_number("-1.5"), -1.5);
        assert!(string_to_number("1e3").is_nan());
        assert!(string_to_number("").is_nan());
        assert!(string_to_number(".").is_nan());
        assert_eq!(string_to_number("1970-01-11"), 10.0);
    }

    #[test]
    fn comparisons() {
        let mut d = Document::new();
        let data = d.add_element(0, "data");
        let a = d.add_element(data, "a");
        d.set_value(a, "5");
        let b = d.add_element(data, "a");
        d.set_value(b, "7");
        let f = Forest::new(d);
        let ns = Value::Nodes(vec![NodeRef::primary(a), NodeRef::primary(b)]);
        assert!(compare(&f, BinOp::Eq, &ns, &Value::Number(7.0)));
        assert!(compare(&f, BinOp::Neq, &ns, &Value::Number(7.0)));
        assert!(compare(&f, BinOp::Lt, &Value::Number(6.0), &ns));
        assert!(!compare(&f, BinOp::Gt, &Value::Number(5.0), &ns));
        assert!(compare(&f, BinOp::Eq, &ns, &Value::String("5".into())));
        assert!(compare(&f, BinOp::Eq, &ns, &Value::Bool(true)));
        assert!(compare(
            &f,
            BinOp::Eq,
            &Value::Bool(true),
            &Value::String("x".into())
        ));
        assert!(compare(
            &f,
            BinOp::Eq,
            &Value::Number(1.0),
            &Value::String("1.0".into())
        ));
        assert!(!compare(
            &f,
            BinOp::Eq,
            &Value::String("1".into()),
            &Value::String("1.0".into())
        ));
    }
}
