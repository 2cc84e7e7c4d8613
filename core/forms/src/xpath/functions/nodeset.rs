//! Node-set functions: `count`, `sum`, `count-non-empty`, `position(node)`, `name`,
//! `local-name`, `instance`, and ODK's `indexed-repeat`.

use super::g;
use crate::instance::NodeRef;
use crate::xpath::ast::Expr;
use crate::xpath::eval::{eval, nodes, Ctx};
use crate::xpath::value::{node_string, string_to_number, Value};
use crate::xpath::{EvalContext, XPathError};

fn node_arg(v: &[Value], i: usize, c: &Ctx, fname: &str) -> Result<Vec<NodeRef>, XPathError> {
    match v.get(i) {
        None => Ok(vec![c.node]),
        Some(Value::Nodes(ns)) => Ok(ns.clone()),
        Some(_) => Err(XPathError::Eval(format!("{fname}() needs a node-set"))),
    }
}

pub(super) fn call(
    name: &str,
    v: &[Value],
    e: &EvalContext<'_>,
    c: &Ctx,
) -> Result<Value, XPathError> {
    let f = e.forest;
    Ok(match name {
        "count" => Value::Number(node_arg(v, 0, c, name)?.len() as f64),
        "count-non-empty" => Value::Number(
            node_arg(v, 0, c, name)?
                .iter()
                .filter(|&&n| !node_string(f, n).is_empty())
                .count() as f64,
        ),
        "sum" => Value::Number(
            node_arg(v, 0, c, name)?
                .iter()
                .map(|&n| string_to_number(&node_string(f, n)))
                .sum(),
        ),
        "position" => {
            // ODK: the 1-based position of the node among its same-named siblings.
            let ns = node_arg(v, 0, c, name)?;
            let Some(&n) = ns.first() else {
                return Ok(Value::Number(f64::NAN));
            };
            let doc = f.doc(n.doc);
            let nm = doc.name(n.node);
            let pos = doc
                .parent(n.node)
                .map(|p| {
                    doc.children(p)
                        .iter()
                        .filter(|&&s| doc.name(s) == nm)
                        .position(|&s| s == n.node)
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            Value::Number((pos + 1) as f64)
        }
        "name" | "local-name" | "namespace-uri" => {
            let ns = node_arg(v, 0, c, name)?;
            let full = ns
                .first()
                .map(|&n| f.doc(n.doc).name(n.node).to_string())
                .unwrap_or_default();
            Value::String(match name {
                "name" => full,
                "local-name" => full.rsplit(':').next().unwrap_or("").to_string(),
                _ => String::new(),
            })
        }
        _ => g(v, 0).clone(),
    })
}

/// `instance('id')`: the document node of a secondary instance (empty if unknown).
pub(super) fn instance(args: &[Expr], e: &EvalContext<'_>, c: &Ctx) -> Result<Value, XPathError> {
    let id = match args.first() {
        Some(a) => eval(a, e, c)?.to_string_value(e.forest),
        None => String::new(),
    };
    Ok(Value::Nodes(match e.forest.secondary_index(&id) {
        Some(doc) => vec![NodeRef { doc, node: 0 }],
        None => Vec::new(),
    }))
}

/// `indexed-repeat(path, repeat1, index1[, repeat2, index2...])`: the value of `path`
/// in the given (1-based) instances of nested repeats.
pub(super) fn indexed_repeat(
    args: &[Expr],
    e: &EvalContext<'_>,
    c: &Ctx,
) -> Result<Value, XPathError> {
    let Some((target, pairs)) = args.split_first() else {
        return Ok(Value::Nodes(Vec::new()));
    };
    // Repeat paths are evaluated without contextualisation first (anchored at the
    // document), then each chosen instance anchors the next path.
    let mut anchor = NodeRef::primary(0);
    for pair in pairs.chunks(2) {
        let [repeat, index] = pair else {
            return Err(XPathError::Eval(
                "indexed-repeat needs repeat/index pairs".into(),
            ));
        };
        let idx = eval(index, e, c)?.to_number(e.forest);
        let inner = Ctx {
            current: anchor,
            ..*c
        };
        let instances = nodes(eval(repeat, e, &inner)?, "indexed-repeat")?;
        if idx.is_nan() || idx < 1.0 {
            return Ok(Value::Nodes(Vec::new()));
        }
        match instances.get(idx as usize - 1) {
            Some(&n) => anchor = n,
            None => return Ok(Value::Nodes(Vec::new())),
        }
    }
    let inner = Ctx {
        current: anchor,
        ..*c
    };
    eval(target, e, &inner)
}
