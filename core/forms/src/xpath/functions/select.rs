//! Select-list functions: `selected`, `count-selected`, `selected-at`,
//! `jr:choice-name`, `checklist`, `weighted-checklist`.
//!
//! A multiple-choice answer is a space-separated list of choice values, as in ODK.

use super::{gn, gs};
use crate::instance::Forest;
use crate::xpath::ast::Expr;
use crate::xpath::eval::{eval, Ctx};
use crate::xpath::value::{node_string, string_to_number, Value};
use crate::xpath::{parser, EvalContext, XPathError};

pub(super) fn call(name: &str, v: &[Value], f: &Forest) -> Result<Value, XPathError> {
    Ok(match name {
        "selected" => {
            let list = gs(v, 0, f);
            let want = gs(v, 1, f);
            let want = want.trim();
            Value::Bool(list.split_whitespace().any(|x| x == want))
        }
        "count-selected" => Value::Number(gs(v, 0, f).split_whitespace().count() as f64),
        "selected-at" => {
            let list = gs(v, 0, f);
            let i = gn(v, 1, f);
            let item = if i.is_nan() || i < 0.0 {
                None
            } else {
                list.split_whitespace().nth(i as usize)
            };
            Value::String(item.unwrap_or("").to_string())
        }
        "checklist" => {
            let trues = truths(v.get(2..).unwrap_or(&[]), f).filter(|&b| b).count() as f64;
            Value::Bool(within(trues, gn(v, 0, f), gn(v, 1, f)))
        }
        "weighted-checklist" => {
            let rest = v.get(2..).unwrap_or(&[]);
            let mut total = 0.0;
            for pair in rest.chunks(2) {
                if let [value, weight] = pair {
                    if value_truths(value, f).iter().any(|&b| b) {
                        total += weight.to_number(f);
                    }
                }
            }
            Value::Bool(within(total, gn(v, 0, f), gn(v, 1, f)))
        }
        other => {
            return Err(XPathError::Eval(format!(
                "function '{other}' is not implemented"
            )))
        }
    })
}

fn within(x: f64, min: f64, max: f64) -> bool {
    (min < 0.0 || x >= min) && (max < 0.0 || x <= max)
}

fn value_truths(v: &Value, f: &Forest) -> Vec<bool> {
    match v {
        Value::Nodes(ns) => ns
            .iter()
            .map(|&n| truthy_string(&node_string(f, n)))
            .collect(),
        Value::String(s) => vec![truthy_string(s)],
        other => vec![other.to_bool()],
    }
}

fn truths<'a>(vals: &'a [Value], f: &'a Forest) -> impl Iterator<Item = bool> + 'a {
    vals.iter().flat_map(move |v| value_truths(v, f))
}

/// How checklists read an answer: `true`/`1`/a non-zero number is yes.
fn truthy_string(s: &str) -> bool {
    let t = s.trim();
    t == "true" || {
        let n = string_to_number(t);
        !n.is_nan() && n != 0.0
    }
}

/// `jr:choice-name(value, 'path')`: the label of `value` among the choices of the select
/// bound at `path` (a string holding a path, relative to the context node).
pub(super) fn choice_name(
    args: &[Expr],
    e: &EvalContext<'_>,
    c: &Ctx,
) -> Result<Value, XPathError> {
    let (Some(value_expr), Some(path_expr)) = (args.first(), args.get(1)) else {
        return Ok(Value::String(String::new()));
    };
    let value = eval(value_expr, e, c)?.to_string_value(e.forest);
    let path_src = eval(path_expr, e, c)?.to_string_value(e.forest);
    let path = parser::parse(path_src.trim())?;
    let target = match eval(&path, e, c)? {
        Value::Nodes(ns) => ns.first().copied(),
        _ => None,
    };
    let label = target.and_then(|t| e.lookup.choice_label(t, value.trim()));
    Ok(Value::String(label.unwrap_or_default()))
}
