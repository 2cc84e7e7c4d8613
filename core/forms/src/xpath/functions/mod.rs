//! The function library: XPath 1.0 core functions plus ODK's extensions
//! (getodk/xforms-spec, "XPath Functions").
//!
//! [`signature`] is the single list of known names and arities: the load-time check
//! uses it, so an unknown function or a wrong argument count is a load error, never a
//! surprise while a citizen fills the form. [`call`] dispatches to one module per family.

mod date;
pub(crate) mod geo;
mod misc;
mod nodeset;
mod number;
mod select;
mod string;

use super::ast::Expr;
use super::eval::{eval, Ctx};
use super::value::Value;
use super::{EvalContext, XPathError};

/// Accepted argument counts of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    /// Fewest arguments.
    pub min: usize,
    /// Most arguments (`None`: unbounded).
    pub max: Option<usize>,
}

const fn a(min: usize, max: usize) -> Option<Arity> {
    Some(Arity {
        min,
        max: Some(max),
    })
}

const fn at_least(min: usize) -> Option<Arity> {
    Some(Arity { min, max: None })
}

/// The arity of a known function, or `None` if the engine does not implement it.
pub fn signature(name: &str) -> Option<Arity> {
    match name {
        // XPath 1.0 node-set functions.
        "last" | "true" | "false" | "today" | "now" | "random" | "pi" | "current" => a(0, 0),
        "position" | "name" | "local-name" | "namespace-uri" | "string" | "number"
        | "string-length" | "normalize-space" | "uuid" => a(0, 1),
        "count"
        | "sum"
        | "boolean"
        | "not"
        | "floor"
        | "ceiling"
        | "lang"
        | "instance"
        | "int"
        | "abs"
        | "count-selected"
        | "once"
        | "date"
        | "date-time"
        | "decimal-date-time"
        | "decimal-time"
        | "boolean-from-string"
        | "area"
        | "enclosed-area"
        | "count-non-empty"
        | "exp"
        | "exp10"
        | "log"
        | "log10"
        | "sqrt"
        | "sin"
        | "cos"
        | "tan"
        | "asin"
        | "acos"
        | "atan"
        | "jr:itext"
        | "base64-decode" => a(1, 1),
        "round" | "randomize" => a(1, 2),
        "starts-with" | "ends-with" | "contains" | "substring-before" | "substring-after"
        | "selected" | "selected-at" | "jr:choice-name" | "regex" | "pow" | "atan2"
        | "format-date" | "format-date-time" | "geofence" => a(2, 2),
        "substring" | "substr" | "digest" => a(2, 3),
        "translate" | "if" => a(3, 3),
        "pulldata" => a(4, 4),
        "concat" => at_least(0),
        "coalesce" => at_least(2),
        "join" | "min" | "max" | "distance" => at_least(1),
        "checklist" | "weighted-checklist" | "indexed-repeat" => at_least(3),
        _ => None,
    }
}

/// Call function `name` (already checked at load time) with unevaluated `args`.
pub fn call(name: &str, args: &[Expr], e: &EvalContext<'_>, c: &Ctx) -> Result<Value, XPathError> {
    // Functions that need their arguments unevaluated or the dynamic context.
    match name {
        "if" => {
            let cond = arg(args, 0, e, c)?.to_bool();
            return arg(args, if cond { 1 } else { 2 }, e, c);
        }
        "coalesce" => {
            for i in 0..args.len() {
                let v = arg(args, i, e, c)?;
                let s = v.to_string_value(e.forest);
                if !s.is_empty() {
                    return Ok(Value::String(s));
                }
            }
            return Ok(Value::String(String::new()));
        }
        "once" => {
            let own = super::value::node_string(e.forest, c.current);
            if !own.is_empty() {
                return Ok(Value::String(own));
            }
            return arg(args, 0, e, c);
        }
        "current" => return Ok(Value::Nodes(vec![c.current])),
        "last" => return Ok(Value::Number(c.size as f64)),
        "position" if args.is_empty() => return Ok(Value::Number(c.pos as f64)),
        "instance" => return nodeset::instance(args, e, c),
        "indexed-repeat" => return nodeset::indexed_repeat(args, e, c),
        "jr:choice-name" => return select::choice_name(args, e, c),
        _ => {}
    }
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(eval(a, e, c)?);
    }
    let v = &values;
    let f = e.forest;
    match name {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "not" => Ok(Value::Bool(!g(v, 0).to_bool())),
        "boolean" => Ok(Value::Bool(g(v, 0).to_bool())),
        "string" => Ok(Value::String(match v.first() {
            Some(x) => x.to_string_value(f),
            None => super::value::node_string(f, c.node),
        })),
        "number" => Ok(Value::Number(match v.first() {
            Some(x) => x.to_number(f),
            None => super::value::string_to_number(&super::value::node_string(f, c.node)),
        })),
        "lang" => Ok(Value::Bool(false)),
        "jr:itext" => {
            let id = g(v, 0).to_string_value(f);
            Ok(Value::String(e.lookup.itext(&id).unwrap_or(id)))
        }
        "count" | "sum" | "count-non-empty" | "position" | "name" | "local-name"
        | "namespace-uri" => nodeset::call(name, v, e, c),
        "concat" | "join" | "substr" | "substring" | "substring-before" | "substring-after"
        | "string-length" | "normalize-space" | "contains" | "starts-with" | "ends-with"
        | "translate" | "regex" | "base64-decode" => string::call(name, v, f, c),
        "selected" | "count-selected" | "selected-at" | "checklist" | "weighted-checklist" => {
            select::call(name, v, f)
        }
        "today" | "now" | "date" | "date-time" | "decimal-date-time" | "decimal-time"
        | "format-date" | "format-date-time" => date::call(name, v, e),
        "area" | "enclosed-area" | "distance" => geo::call(name, v, f),
        "geofence" => Ok(geo::geofence(v, f)),
        "pulldata" => Ok(super::lookup::pulldata(v, e)),
        "uuid" | "random" | "randomize" | "digest" | "boolean-from-string" => {
            misc::call(name, values, e)
        }
        _ => number::call(name, v, f),
    }
}

/// Evaluate argument `i` (present: arity was checked at load time).
fn arg(args: &[Expr], i: usize, e: &EvalContext<'_>, c: &Ctx) -> Result<Value, XPathError> {
    match args.get(i) {
        Some(x) => eval(x, e, c),
        None => Err(XPathError::Eval(format!("missing argument {}", i + 1))),
    }
}

/// All string values a list of arguments stands for: every node of a node-set, or the
/// value itself (ODK's `concat`, `join`, `min`, `max` take node-sets this way).
fn flatten(values: &[Value], f: &crate::instance::Forest) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::Nodes(ns) => {
                out.extend(ns.iter().map(|&n| super::value::node_string(f, n)));
            }
            other => out.push(other.to_string_value(f)),
        }
    }
    out
}

static EMPTY: Value = Value::String(String::new());

/// Argument `i`, or the empty string if absent (never panics on an unchecked tree).
fn g(v: &[Value], i: usize) -> &Value {
    v.get(i).unwrap_or(&EMPTY)
}

/// Argument `i` as a string.
fn gs(v: &[Value], i: usize, f: &crate::instance::Forest) -> String {
    g(v, i).to_string_value(f)
}

/// Argument `i` as a number.
fn gn(v: &[Value], i: usize, f: &crate::instance::Forest) -> f64 {
    g(v, i).to_number(f)
}
