//! Indexed evaluation of the equality filters that choice lists and `pulldata()` use:
//! `instance('x')/root/item[field = expr]` (optionally `and more`) on a secondary
//! instance becomes one hash lookup (see `instance::index`) instead of evaluating the
//! predicate for every row. Measured 2026-11-28 (benches/external_list.rs): an answer
//! plus the filtered choices of a 10,000-row CSV cost 3.6 ms scanning, 31 us indexed.
//!
//! Only used when the result is certainly the same as the plain evaluation: a child step
//! by name on a secondary instance, the filter compares a child field of the item with a
//! value that does not depend on the item (no relative path, `position()` or `last()`
//! outside `current()`), and that value is a string or a single node.

use super::ast::{Axis, BinOp, Expr, NodeTest, Step};
use super::eval::{eval, Ctx};
use super::value::{node_string, Value};
use super::{EvalContext, XPathError};
use crate::instance::NodeRef;

/// The step's nodes below `parent` through the index, or `None` to evaluate normally.
/// Returns the candidates and how many of the step's predicates were applied.
pub(super) fn indexed_step(
    parent: NodeRef,
    step: &Step,
    e: &EvalContext<'_>,
    c: &Ctx,
) -> Result<Option<Vec<NodeRef>>, XPathError> {
    let (Axis::Child, NodeTest::Name(item)) = (step.axis, &step.test) else {
        return Ok(None);
    };
    let Some(index) = e.forest.index(parent.doc) else {
        return Ok(None);
    };
    let Some(first) = step.predicates.first() else {
        return Ok(None);
    };
    let (eq, rest) = match first {
        Expr::Binary(BinOp::And, l, r) if independent(r) => (&**l, Some(&**r)),
        other => (other, None),
    };
    let Some((field, key_expr)) = field_equality(eq) else {
        return Ok(None);
    };
    let key = match eval(key_expr, e, c)? {
        Value::String(s) => s,
        Value::Nodes(ns) if ns.len() == 1 => node_string(e.forest, ns[0]),
        _ => return Ok(None),
    };
    let doc = e.forest.doc(parent.doc);
    let Some(by_value) = index.field(doc, parent.node, item, &field) else {
        return Ok(None);
    };
    let mut set: Vec<NodeRef> = by_value
        .filter(&key)
        .into_iter()
        .map(|node| NodeRef {
            doc: parent.doc,
            node,
        })
        .collect();
    if let Some(r) = rest {
        set = super::eval::apply_predicate(set, r, e, c)?;
    }
    for p in &step.predicates[1..] {
        set = super::eval::apply_predicate(set, p, e, c)?;
    }
    Ok(Some(set))
}

/// `field = expr` or `expr = field`, with `field` a single child name and `expr`
/// independent of the item.
fn field_equality(x: &Expr) -> Option<(String, &Expr)> {
    let Expr::Binary(BinOp::Eq, l, r) = x else {
        return None;
    };
    match (child_name(l), child_name(r)) {
        (Some(f), _) if independent(r) => Some((f, r)),
        (_, Some(f)) if independent(l) => Some((f, l)),
        _ => None,
    }
}

/// `name` or `@name`: the field an item is compared on.
fn child_name(x: &Expr) -> Option<String> {
    match x {
        Expr::Path {
            absolute: false,
            steps,
        } => match steps.as_slice() {
            [Step {
                axis: Axis::Child,
                test: NodeTest::Name(n),
                predicates,
            }] if predicates.is_empty() => Some(n.clone()),
            [Step {
                axis: Axis::Attribute,
                test: NodeTest::Name(n),
                predicates,
            }] if predicates.is_empty() => Some(format!("@{n}")),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the value of `x` is the same for every item (reads no relative path and no
/// context position outside `current()`).
fn independent(x: &Expr) -> bool {
    match x {
        Expr::Number(_) | Expr::Literal(_) | Expr::Variable(_) => true,
        Expr::Binary(_, l, r) | Expr::Union(l, r) => independent(l) && independent(r),
        Expr::Neg(i) => independent(i),
        Expr::Call { name, args, .. } => {
            let contextual = args.is_empty()
                && matches!(
                    name.as_str(),
                    "position"
                        | "last"
                        | "string"
                        | "number"
                        | "string-length"
                        | "normalize-space"
                        | "name"
                        | "local-name"
                );
            !contextual && args.iter().all(independent)
        }
        // Steps' own predicates run against the steps' nodes, not the outer item.
        Expr::Path { absolute, .. } => *absolute,
        Expr::Filter { base, .. } => match &**base {
            // Predicates and steps of a filter are evaluated against its own nodes,
            // never against the outer item: only the base matters.
            Expr::Call { name, args, .. } if name == "current" && args.is_empty() => true,
            other => independent(other),
        },
    }
}

/// `pulldata('list', 'return_col', 'key_col', key)`: the `return_col` of the first row
/// of the CSV (or XML) instance `list` whose `key_col` equals `key`, or `""`. JavaRosa
/// reads the instance as `/root/item` rows, as here; the lookup is indexed.
pub(super) fn pulldata(v: &[Value], e: &EvalContext<'_>) -> Value {
    let s = |i: usize| {
        v.get(i)
            .map(|x| x.to_string_value(e.forest))
            .unwrap_or_default()
    };
    let (list, ret, col, key) = (s(0), s(1), s(2), s(3));
    let Some(doc_ix) = e.forest.secondary_index(list.trim()) else {
        return Value::String(String::new());
    };
    let doc = e.forest.doc(doc_ix);
    let Some(root) = doc.root_element() else {
        return Value::String(String::new());
    };
    let row = match e.forest.index(doc_ix) {
        Some(ix) => ix
            .field(doc, root, "item", col.trim())
            .and_then(|by| by.by_value.get(&key).and_then(|rows| rows.first().copied())),
        None => None,
    };
    let ret = ret.trim();
    let value = row
        .and_then(|r| match ret.strip_prefix('@') {
            Some(attr) => doc.attribute(r, attr),
            None => doc.child(r, ret),
        })
        .map(|n| doc.string_value(n))
        .unwrap_or_default();
    Value::String(value)
}

/// Functions whose arguments are only ever read as strings: an argument that does not
/// depend on the item can be evaluated once for the whole filter.
const STRING_ARGS: [&str; 10] = [
    "contains",
    "starts-with",
    "ends-with",
    "substring-before",
    "substring-after",
    "concat",
    "normalize-space",
    "string-length",
    "translate",
    "regex",
];

/// A filter predicate with its item-independent parts evaluated once (`/data/q` in
/// `contains(label, /data/q)`), for a scan over many items; `None` when nothing can be
/// hoisted. Only substitutions that cannot change the result are made: string
/// arguments of string functions, and single-node operands of comparisons.
pub(super) fn hoist(pred: &Expr, e: &EvalContext<'_>, c: &Ctx) -> Result<Option<Expr>, XPathError> {
    let mut changed = false;
    let out = hoist_in(pred, e, c, &mut changed)?;
    Ok(changed.then_some(out))
}

fn is_absolute_path(x: &Expr) -> bool {
    matches!(x, Expr::Path { absolute: true, .. }) && independent(x)
}

fn hoist_in(
    x: &Expr,
    e: &EvalContext<'_>,
    c: &Ctx,
    changed: &mut bool,
) -> Result<Expr, XPathError> {
    Ok(match x {
        Expr::Binary(op @ (BinOp::And | BinOp::Or), l, r) => Expr::Binary(
            *op,
            Box::new(hoist_in(l, e, c, changed)?),
            Box::new(hoist_in(r, e, c, changed)?),
        ),
        Expr::Binary(op, l, r)
            if matches!(
                op,
                BinOp::Eq | BinOp::Neq | BinOp::Lt | BinOp::Lte | BinOp::Gt | BinOp::Gte
            ) =>
        {
            // Only against a relative path (the item's field): a node-set compared with
            // a node-set or with a string gives the same result for a single node.
            let relative = |o: &Expr| {
                matches!(
                    o,
                    Expr::Path {
                        absolute: false,
                        ..
                    }
                )
            };
            let side = |s: &Expr, other: &Expr, changed: &mut bool| -> Result<Expr, XPathError> {
                if is_absolute_path(s) && relative(other) {
                    if let Value::Nodes(ns) = eval(s, e, c)? {
                        if let [n] = ns.as_slice() {
                            *changed = true;
                            return Ok(Expr::Literal(node_string(e.forest, *n)));
                        }
                    }
                }
                Ok(s.clone())
            };
            Expr::Binary(
                *op,
                Box::new(side(l, r, changed)?),
                Box::new(side(r, l, changed)?),
            )
        }
        Expr::Call { name, args, pos } if STRING_ARGS.contains(&name.as_str()) => {
            let mut out = Vec::with_capacity(args.len());
            for a in args {
                if is_absolute_path(a) {
                    *changed = true;
                    out.push(Expr::Literal(eval(a, e, c)?.to_string_value(e.forest)));
                } else {
                    out.push(hoist_in(a, e, c, changed)?);
                }
            }
            Expr::Call {
                name: name.clone(),
                args: out,
                pos: *pos,
            }
        }
        Expr::Call { name, args, pos } if name == "not" || name == "boolean" => Expr::Call {
            name: name.clone(),
            args: args
                .iter()
                .map(|a| hoist_in(a, e, c, changed))
                .collect::<Result<_, _>>()?,
            pos: *pos,
        },
        other => other.clone(),
    })
}
