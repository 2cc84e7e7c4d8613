//! Load-time checks of a parsed expression: every function exists and gets an
//! accepted number of arguments. Run once per expression when a form loads, so that a
//! broken form is refused before anyone starts filling it.

use super::ast::{Expr, Step};
use super::functions::signature;
use super::XPathError;

/// Check all calls in `expr`.
pub fn check(expr: &Expr) -> Result<(), XPathError> {
    match expr {
        Expr::Number(_) | Expr::Literal(_) | Expr::Variable(_) => Ok(()),
        Expr::Binary(_, l, r) | Expr::Union(l, r) => {
            check(l)?;
            check(r)
        }
        Expr::Neg(inner) => check(inner),
        Expr::Call { name, args, pos } => {
            let Some(arity) = signature(name) else {
                return Err(XPathError::UnknownFunction {
                    name: name.clone(),
                    pos: *pos,
                });
            };
            let n = args.len();
            let paired_ok = match name.as_str() {
                "indexed-repeat" => n % 2 == 1,
                "weighted-checklist" => n % 2 == 0,
                _ => true,
            };
            if n < arity.min || arity.max.is_some_and(|m| n > m) || !paired_ok {
                let expected = match (name.as_str(), arity.max) {
                    ("indexed-repeat", _) => "3, 5, 7, ...".to_string(),
                    ("weighted-checklist", _) => "4, 6, 8, ...".to_string(),
                    (_, Some(m)) if m == arity.min => m.to_string(),
                    (_, Some(m)) => format!("{} to {m}", arity.min),
                    (_, None) => format!("{} or more", arity.min),
                };
                return Err(XPathError::Arity {
                    name: name.clone(),
                    pos: *pos,
                    expected,
                    found: n,
                });
            }
            args.iter().try_for_each(check)
        }
        Expr::Path { steps, .. } => check_steps(steps),
        Expr::Filter {
            base,
            predicates,
            steps,
        } => {
            check(base)?;
            predicates.iter().try_for_each(check)?;
            check_steps(steps)
        }
    }
}

fn check_steps(steps: &[Step]) -> Result<(), XPathError> {
    steps
        .iter()
        .flat_map(|s| s.predicates.iter())
        .try_for_each(check)
}

#[cfg(test)]
mod tests {
    use crate::xpath::{XPath, XPathError};

    #[test]
    fn unknown_functions_and_arity() {
        assert!(matches!(
            XPath::compile("1 + frobnicate(2)"),
            Err(XPathError::UnknownFunction { ref name, pos: 4 }) if name == "frobnicate"
        ));
        assert!(matches!(
            XPath::compile("if(1, 2)"),
            Err(XPathError::Arity { found: 2, .. })
        ));
        assert!(matches!(
            XPath::compile("indexed-repeat(/a/b, /a, 1, /a/c)"),
            Err(XPathError::Arity { found: 4, .. })
        ));
        assert!(XPath::compile("concat()").is_ok());
        assert!(XPath::compile("jr:choice-name(/data/a, '/data/a')").is_ok());
        assert!(XPath::compile("/data/x[count(a[pow(1)]) > 1]").is_err());
    }
}
