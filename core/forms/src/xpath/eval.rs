//! The XPath 1.0 evaluator.
//!
//! Walks the syntax tree against a [`Forest`]. Two ODK rules go beyond XPath 1.0:
//! absolute paths always start in the primary instance (even inside a predicate on a
//! secondary instance), and an absolute path is "contextualised" as JavaRosa does: a
//! step without predicates that names an ancestor of the expression's own node selects
//! that very ancestor, so `/data/members/age` written in a bind of
//! `/data/members[2]/name` means the age of member 2.
//! Recursion depth is bounded by the parser's nesting limit.

use super::ast::{Axis, BinOp, Expr, NodeTest, Step};
use super::functions;
use super::value::{compare, Value};
use super::{EvalContext, XPathError};
use crate::instance::{Document, Forest, NodeKind, NodeRef};

/// The dynamic context of one evaluation step.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The context node.
    pub node: NodeRef,
    /// The context position (1-based).
    pub pos: usize,
    /// The context size.
    pub size: usize,
    /// What `current()` returns: the node the whole expression was evaluated for.
    pub current: NodeRef,
}

/// Evaluate `expr` with `context` as context node and `current()`.
pub fn evaluate(expr: &Expr, e: &EvalContext<'_>, context: NodeRef) -> Result<Value, XPathError> {
    let c = Ctx {
        node: context,
        pos: 1,
        size: 1,
        current: context,
    };
    eval(expr, e, &c)
}

/// Evaluate `expr` in the dynamic context `c`.
pub fn eval(expr: &Expr, e: &EvalContext<'_>, c: &Ctx) -> Result<Value, XPathError> {
    match expr {
        Expr::Number(n) => Ok(Value::Number(*n)),
        Expr::Literal(s) => Ok(Value::String(s.clone())),
        Expr::Variable(v) => Err(XPathError::Eval(format!(
            "variables are not supported (${v})"
        ))),
        Expr::Binary(BinOp::Or, l, r) => {
            if eval(l, e, c)?.to_bool() {
                return Ok(Value::Bool(true));
            }
            Ok(Value::Bool(eval(r, e, c)?.to_bool()))
        }
        Expr::Binary(BinOp::And, l, r) => {
            if !eval(l, e, c)?.to_bool() {
                return Ok(Value::Bool(false));
            }
            Ok(Value::Bool(eval(r, e, c)?.to_bool()))
        }
        Expr::Binary(op, l, r) => {
            let lv = eval(l, e, c)?;
            let rv = eval(r, e, c)?;
            match op {
                BinOp::Eq | BinOp::Neq | BinOp::Lt | BinOp::Lte | BinOp::Gt | BinOp::Gte => {
                    Ok(Value::Bool(compare(e.forest, *op, &lv, &rv)))
                }
                _ => {
                    let a = lv.to_number(e.forest);
                    let b = rv.to_number(e.forest);
                    Ok(Value::Number(match op {
                        BinOp::Add => a + b,
                        BinOp::Sub => a - b,
                        BinOp::Mul => a * b,
                        BinOp::Div => a / b,
                        _ => a % b,
                    }))
                }
            }
        }
        Expr::Neg(inner) => Ok(Value::Number(-eval(inner, e, c)?.to_number(e.forest))),
        Expr::Union(l, r) => {
            let mut a = nodes(eval(l, e, c)?, "|")?;
            a.extend(nodes(eval(r, e, c)?, "|")?);
            normalize(e.forest, &mut a);
            Ok(Value::Nodes(a))
        }
        Expr::Call { name, args, .. } => functions::call(name, args, e, c),
        Expr::Path { absolute, steps } => {
            if *absolute {
                let root = NodeRef::primary(0);
                let anchor = if c.current.doc == 0 {
                    ancestors_from_top(e.forest.primary(), c.current.node)
                } else {
                    Vec::new()
                };
                eval_steps(vec![root], steps, e, c, &anchor).map(Value::Nodes)
            } else {
                eval_steps(vec![c.node], steps, e, c, &[]).map(Value::Nodes)
            }
        }
        Expr::Filter {
            base,
            predicates,
            steps,
        } => {
            let mut set = nodes(eval(base, e, c)?, "a predicate or path step")?;
            for p in predicates {
                set = apply_predicate(set, p, e, c)?;
            }
            eval_steps(set, steps, e, c, &[]).map(Value::Nodes)
        }
    }
}

/// Require a node-set.
pub fn nodes(v: Value, what: &str) -> Result<Vec<NodeRef>, XPathError> {
    match v {
        Value::Nodes(n) => Ok(n),
        other => Err(XPathError::Eval(format!(
            "{what} needs a node-set, got {}",
            kind_name(&other)
        ))),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Nodes(_) => "a node-set",
    }
}

/// Sort into document order and remove duplicates.
pub fn normalize(forest: &Forest, set: &mut Vec<NodeRef>) {
    if set.len() < 2 {
        return;
    }
    let mut keyed: Vec<((u32, Vec<u32>), NodeRef)> = set
        .iter()
        .map(|&n| ((n.doc, forest.doc(n.doc).order_key(n.node)), n))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.1 == b.1);
    *set = keyed.into_iter().map(|(_, n)| n).collect();
}

/// Ancestors-or-self of `node` from the root element down (the document node excluded).
fn ancestors_from_top(doc: &Document, node: u32) -> Vec<u32> {
    let mut chain = Vec::new();
    let mut cur = node;
    while let Some(p) = doc.parent(cur) {
        if doc.kind(cur) == NodeKind::Element {
            chain.push(cur);
        }
        cur = p;
    }
    chain.reverse();
    chain
}

fn eval_steps(
    mut set: Vec<NodeRef>,
    steps: &[Step],
    e: &EvalContext<'_>,
    c: &Ctx,
    anchor: &[u32],
) -> Result<Vec<NodeRef>, XPathError> {
    let mut contextualising = !anchor.is_empty();
    for (i, step) in steps.iter().enumerate() {
        let mut next = Vec::new();
        for &n in &set {
            let mut candidates = match super::lookup::indexed_step(n, step, e, c)? {
                Some(found) => found,
                None => {
                    let mut candidates = axis_nodes(e.forest, n, step);
                    for p in &step.predicates {
                        candidates = apply_predicate(candidates, p, e, c)?;
                    }
                    candidates
                }
            };
            if step.axis.is_reverse() {
                candidates.reverse();
            }
            next.extend(candidates);
        }
        let ordered = matches!(step.axis, Axis::Child | Axis::Attribute | Axis::SelfAxis);
        if set.len() > 1 && !ordered {
            normalize(e.forest, &mut next);
        }
        if contextualising {
            let simple = step.axis == Axis::Child
                && step.predicates.is_empty()
                && matches!(step.test, NodeTest::Name(_));
            match anchor.get(i) {
                Some(&a) if simple && next.contains(&NodeRef::primary(a)) => {
                    next = vec![NodeRef::primary(a)];
                }
                _ => contextualising = false,
            }
        }
        set = next;
    }
    Ok(set)
}

/// Filter `set` (in axis order) by one predicate.
pub(super) fn apply_predicate(
    set: Vec<NodeRef>,
    pred: &Expr,
    e: &EvalContext<'_>,
    c: &Ctx,
) -> Result<Vec<NodeRef>, XPathError> {
    // Fast path: a constant position such as `[2]`.
    if let Expr::Number(n) = pred {
        let idx = *n;
        if idx.fract() == 0.0 && idx >= 1.0 {
            return Ok(set.get(idx as usize - 1).copied().into_iter().collect());
        }
        return Ok(Vec::new());
    }
    // A scan over many items (a large choice list): evaluate what does not depend on
    // the item once (xpath::lookup::hoist).
    let hoisted = if set.len() >= 32 {
        super::lookup::hoist(pred, e, c)?
    } else {
        None
    };
    let pred = hoisted.as_ref().unwrap_or(pred);
    let size = set.len();
    let mut out = Vec::new();
    for (i, &n) in set.iter().enumerate() {
        let inner = Ctx {
            node: n,
            pos: i + 1,
            size,
            current: c.current,
        };
        let keep = match eval(pred, e, &inner)? {
            Value::Number(v) => v == (i + 1) as f64,
            other => other.to_bool(),
        };
        if keep {
            out.push(n);
        }
    }
    Ok(out)
}

fn matches_test(doc: &Document, node: u32, axis: Axis, test: &NodeTest) -> bool {
    let kind = doc.kind(node);
    let principal = if axis == Axis::Attribute {
        NodeKind::Attribute
    } else {
        NodeKind::Element
    };
    match test {
        NodeTest::Node => true,
        NodeTest::Never => false,
        NodeTest::Text => {
            kind == NodeKind::Element && doc.is_leaf(node) && !doc.value(node).is_empty()
        }
        NodeTest::Any => kind == principal,
        NodeTest::Name(n) => kind == principal && doc.name(node) == n,
        NodeTest::AnyInPrefix(p) => {
            kind == principal
                && doc
                    .name(node)
                    .split_once(':')
                    .is_some_and(|(prefix, _)| prefix == p)
        }
    }
}

fn push_descendants(doc: &Document, node: u32, out: &mut Vec<u32>) {
    for &ch in doc.children(node) {
        out.push(ch);
        push_descendants(doc, ch, out);
    }
}

/// The nodes of `step`'s axis from `n` that pass its node test, in axis order
/// (reverse document order for reverse axes).
fn axis_nodes(forest: &Forest, n: NodeRef, step: &Step) -> Vec<NodeRef> {
    let doc = forest.doc(n.doc);
    let id = n.node;
    let mut raw: Vec<u32> = Vec::new();
    match step.axis {
        Axis::Child => {
            if let NodeTest::Name(name) = &step.test {
                return doc
                    .children_named(id, name)
                    .iter()
                    .map(|&node| NodeRef { doc: n.doc, node })
                    .collect();
            }
            if step.test == NodeTest::Text {
                // Instance leaves hold their text directly: `text()` stands for the
                // element's own text and selects the element.
                if doc.is_leaf(id) && !doc.value(id).is_empty() {
                    raw.push(id);
                }
                return raw
                    .into_iter()
                    .map(|node| NodeRef { doc: n.doc, node })
                    .collect();
            }
            raw.extend_from_slice(doc.children(id));
        }
        Axis::Attribute => raw.extend_from_slice(doc.attributes(id)),
        Axis::SelfAxis => raw.push(id),
        Axis::Parent => raw.extend(doc.parent(id)),
        Axis::Ancestor | Axis::AncestorOrSelf => {
            if step.axis == Axis::AncestorOrSelf {
                raw.push(id);
            }
            let mut cur = id;
            while let Some(p) = doc.parent(cur) {
                raw.push(p);
                cur = p;
            }
        }
        Axis::Descendant | Axis::DescendantOrSelf => {
            if step.axis == Axis::DescendantOrSelf {
                raw.push(id);
            }
            push_descendants(doc, id, &mut raw);
        }
        Axis::FollowingSibling | Axis::PrecedingSibling => {
            if doc.kind(id) == NodeKind::Element {
                if let (Some(p), Some(i)) = (doc.parent(id), doc.child_index(id)) {
                    let sibs = doc.children(p);
                    if step.axis == Axis::FollowingSibling {
                        raw.extend_from_slice(&sibs[i + 1..]);
                    } else {
                        raw.extend(sibs[..i].iter().rev());
                    }
                }
            }
        }
        Axis::Following | Axis::Preceding => {
            let mut all = Vec::new();
            push_descendants(doc, doc.root(), &mut all);
            let key = doc.order_key(id);
            let mut anc = Vec::new();
            let mut cur = id;
            while let Some(p) = doc.parent(cur) {
                anc.push(p);
                cur = p;
            }
            for x in all {
                let k = doc.order_key(x);
                let is_desc = k.starts_with(&key);
                if step.axis == Axis::Following {
                    if k > key && !is_desc {
                        raw.push(x);
                    }
                } else if k < key && !anc.contains(&x) {
                    raw.push(x);
                }
            }
            if step.axis == Axis::Preceding {
                raw.reverse();
            }
        }
    }
    raw.into_iter()
        .filter(|&x| matches_test(doc, x, step.axis, &step.test))
        .map(|node| NodeRef { doc: n.doc, node })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::{FixedEnvironment, Timestamp};
    use crate::instance::Document;
    use crate::xpath::{NoLookup, XPath};

    fn forest() -> (Forest, u32) {
        let mut d = Document::new();
        let data = d.add_element(0, "data");
        d.add_attribute(data, "id", "f");
        for (name, v) in [("a", "1"), ("b", "2"), ("c", "hello")] {
            let n = d.add_element(data, name);
            d.set_value(n, v);
        }
        let mut target = 0;
        for i in 1..=3 {
            let m = d.add_element(data, "m");
            let age = d.add_element(m, "age");
            d.set_value(age, &(i * 10).to_string());
            let name = d.add_element(m, "name");
            d.set_value(name, &format!("n{i}"));
            if i == 2 {
                target = name;
            }
        }
        let mut f = Forest::new(d);
        let mut list = Document::new();
        let root = list.add_element(0, "root");
        for (v, l, p) in [
            ("1", "Jakarta", "a"),
            ("2", "Bandung", "b"),
            ("3", "Bogor", "b"),
        ] {
            let item = list.add_element(root, "item");
            let n = list.add_element(item, "name");
            list.set_value(n, v);
            let lab = list.add_element(item, "label");
            list.set_value(lab, l);
            let prov = list.add_element(item, "prov");
            list.set_value(prov, p);
        }
        f.add_secondary("cities", list);
        (f, target)
    }

    fn run(src: &str) -> Value {
        let (f, target) = forest();
        let env = FixedEnvironment::new(
            Timestamp {
                epoch_millis: 0,
                offset_minutes: 0,
            },
            1,
        );
        let ctx = EvalContext {
            forest: &f,
            env: &env,
            lookup: &NoLookup,
        };
        let x = XPath::compile(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        x.eval(&ctx, NodeRef::primary(target))
            .unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn s(src: &str) -> String {
        let (f, _) = forest();
        run(src).to_string_value(&f)
    }

    #[test]
    fn arithmetic_and_logic() {
        assert_eq!(run("1 + 2 * 3"), Value::Number(7.0));
        assert_eq!(run("7 mod 3"), Value::Number(1.0));
        assert_eq!(run("-(2) - 1"), Value::Number(-3.0));
        assert_eq!(run("1 div 0"), Value::Number(f64::INFINITY));
        assert_eq!(run("1 = 1 and 2 > 1 or 0"), Value::Bool(true));
        assert_eq!(run("/data/a + /data/b"), Value::Number(3.0));
    }

    #[test]
    fn paths_and_predicates() {
        assert_eq!(s("/data/c"), "hello");
        assert_eq!(s("count(/data/*)"), "6");
        assert_eq!(s("/data/@id"), "f");
        assert_eq!(s("../age"), "20");
        assert_eq!(s("."), "n2");
        // Contextualised: the same member as the context node.
        assert_eq!(s("/data/m/age"), "20");
        assert_eq!(s("count(/data/m)"), "1");
        // Not contextualised once a predicate is involved.
        assert_eq!(s("/data/m[3]/age"), "30");
        assert_eq!(s("count(../../m)"), "3");
        assert_eq!(s("sum(../../m/age)"), "60");
        assert_eq!(s("../../m[age > 15][last()]/name"), "n3");
        assert_eq!(s("../../m[position() = 1]/name"), "n1");
        assert_eq!(s("count(//age)"), "3");
        assert_eq!(s("name(../preceding-sibling::*[1])"), "m");
        assert_eq!(s("count(ancestor::*)"), "2");
        assert_eq!(s("count(../../m/age | ../../m/name)"), "6");
    }

    #[test]
    fn secondary_instances_and_current() {
        assert_eq!(
            s("instance('cities')/root/item[name = /data/b]/label"),
            "Bandung"
        );
        assert_eq!(s("count(instance('cities')/root/item[prov = 'b'])"), "2");
        assert_eq!(
            s("instance('cities')/root/item[name = current()/../../a]/label"),
            "Jakarta"
        );
        assert_eq!(s("count(instance('nope')/root/item)"), "0");
    }
}
