//! Static dependency extraction: which primary-instance paths an expression reads.
//!
//! The dependency graph is built from these generic paths (no repeat indices:
//! `/data/members/age`). Anything the analysis cannot pin down precisely (a wildcard,
//! `//`, an ancestor axis) is recorded as the deepest known prefix, which means "any
//! change below here": over-approximating costs a little recomputation, missing a
//! dependency would show stale values.

use super::ast::{Axis, Expr, NodeTest, Step};

/// Generic paths read by `expr` when evaluated for a node at `context` (a generic path
/// such as `/data/members/name`). Sorted and without duplicates.
pub fn dependencies(expr: &Expr, context: &str) -> Vec<String> {
    let ctx: Vec<String> = context
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    collect(expr, Some(&ctx), &ctx, &mut out);
    out.sort();
    out.dedup();
    out
}

fn join(segs: &[String]) -> String {
    let mut s = String::new();
    for seg in segs {
        s.push('/');
        s.push_str(seg);
    }
    s
}

/// `node`: the context node's path (`None` inside a secondary instance);
/// `current`: the path `current()` stands for.
fn collect(expr: &Expr, node: Option<&[String]>, current: &[String], out: &mut Vec<String>) {
    match expr {
        Expr::Number(_) | Expr::Literal(_) | Expr::Variable(_) => {}
        Expr::Binary(_, l, r) | Expr::Union(l, r) => {
            collect(l, node, current, out);
            collect(r, node, current, out);
        }
        Expr::Neg(inner) => collect(inner, node, current, out),
        Expr::Call { name, args, .. } => {
            if args.is_empty() {
                match name.as_str() {
                    "string" | "number" | "string-length" | "normalize-space" | "name"
                    | "local-name" => {
                        if let Some(n) = node {
                            out.push(join(n));
                        }
                    }
                    "current" => out.push(join(current)),
                    _ => {}
                }
            }
            for a in args {
                collect(a, node, current, out);
            }
        }
        Expr::Path { absolute, steps } => {
            let start: Option<Vec<String>> = if *absolute {
                Some(Vec::new())
            } else {
                node.map(<[String]>::to_vec)
            };
            walk(start, steps, current, out);
        }
        Expr::Filter {
            base,
            predicates,
            steps,
        } => {
            let start = match &**base {
                Expr::Call { name, args, .. } if name == "current" && args.is_empty() => {
                    Some(current.to_vec())
                }
                other => {
                    collect(other, node, current, out);
                    None
                }
            };
            for p in predicates {
                collect(p, start.as_deref(), current, out);
            }
            walk(start, steps, current, out);
        }
    }
}

/// Whether `expr` calls one of the functions `names` anywhere (e.g. the
/// language-dependent `jr:choice-name` and `jr:itext`).
pub fn calls_any(expr: &Expr, names: &[&str]) -> bool {
    let steps_call = |steps: &[Step]| {
        steps
            .iter()
            .any(|s| s.predicates.iter().any(|p| calls_any(p, names)))
    };
    match expr {
        Expr::Number(_) | Expr::Literal(_) | Expr::Variable(_) => false,
        Expr::Binary(_, l, r) | Expr::Union(l, r) => calls_any(l, names) || calls_any(r, names),
        Expr::Neg(i) => calls_any(i, names),
        Expr::Call { name, args, .. } => {
            names.contains(&name.as_str()) || args.iter().any(|a| calls_any(a, names))
        }
        Expr::Path { steps, .. } => steps_call(steps),
        Expr::Filter {
            base,
            predicates,
            steps,
        } => {
            calls_any(base, names)
                || predicates.iter().any(|p| calls_any(p, names))
                || steps_call(steps)
        }
    }
}

fn walk(start: Option<Vec<String>>, steps: &[Step], current: &[String], out: &mut Vec<String>) {
    let mut path = start;
    for step in steps {
        if let Some(p) = path.as_mut() {
            let precise = match (&step.axis, &step.test) {
                (Axis::Child, NodeTest::Name(n)) => {
                    p.push(n.clone());
                    true
                }
                (Axis::Attribute, NodeTest::Name(n)) => {
                    p.push(format!("@{n}"));
                    true
                }
                (Axis::SelfAxis, _) => true,
                (Axis::Parent, _) => p.pop().is_some(),
                _ => false,
            };
            if !precise {
                out.push(join(p));
                path = None;
            }
        }
        for pred in &step.predicates {
            collect(pred, path.as_deref(), current, out);
        }
    }
    if let Some(p) = path {
        if !p.is_empty() {
            out.push(join(&p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xpath::parser::parse;

    fn deps(src: &str, ctx: &str) -> Vec<String> {
        dependencies(&parse(src).unwrap_or_else(|e| panic!("{e}")), ctx)
    }

    #[test]
    fn relative_absolute_and_predicates() {
        assert_eq!(
            deps("../age > 17 and /data/consent = 'yes'", "/data/m/name"),
            vec!["/data/consent", "/data/m/age"]
        );
        assert_eq!(deps(". > 0", "/data/a"), vec!["/data/a"]);
        assert_eq!(
            deps("count(/data/m[age > 17])", "/data/x"),
            vec!["/data/m", "/data/m/age"]
        );
        assert_eq!(
            deps(
                "instance('c')/root/item[prov = current()/../p and x = /data/q]/label",
                "/data/g/city"
            ),
            vec!["/data/g/p", "/data/q"]
        );
        assert_eq!(deps("string-length()", "/data/a"), vec!["/data/a"]);
        assert_eq!(deps("count(/data//x)", "/data/a"), vec!["/data"]);
        assert!(deps("today()", "/data/a").is_empty());
    }
}
