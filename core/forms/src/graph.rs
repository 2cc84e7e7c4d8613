//! The dependency graph: which computations must rerun when a node changes.
//!
//! Vertices are a bind's computed properties (calculate, relevant, required, readonly,
//! constraint) and repeats' `jr:count`, over generic paths (no repeat indices). They are
//! kept in one topological order, so a recomputation pass only ever moves forward; a
//! cycle among calculations is a load error naming the nodes. A dependency on a path
//! also covers changes below it (`count(/data/members)` depends on every member), and
//! a change to a repeat's structure reaches everything that reads inside it.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::LoadError;
use crate::xform::model::FormDef;
use crate::xpath::deps::dependencies;
use crate::xpath::XPath;

/// Which property a vertex computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prop {
    /// `calculate`: writes the node's value.
    Calculate,
    /// `relevant`.
    Relevant,
    /// `required`.
    Required,
    /// `readonly`.
    Readonly,
    /// `constraint`.
    Constraint,
    /// `jr:count` of the repeat at `target`: changes the number of instances.
    Count,
}

/// One computation.
#[derive(Debug, Clone)]
pub struct Vertex {
    /// Generic path of the bound node (the repeat, for `Count`).
    pub target: String,
    /// What it computes.
    pub prop: Prop,
    /// Generic paths it reads.
    pub deps: Vec<String>,
}

/// All computations of a form, topologically ordered.
#[derive(Debug, Clone, Default)]
pub struct DepGraph {
    /// Vertices in evaluation order.
    pub vertices: Vec<Vertex>,
    by_path: HashMap<String, Vec<usize>>,
    by_ancestor: HashMap<String, Vec<usize>>,
}

fn ancestors_or_self(path: &str) -> impl Iterator<Item = &str> {
    let mut cur = Some(path);
    std::iter::from_fn(move || {
        let p = cur?;
        cur = p.rfind('/').filter(|&i| i > 0).map(|i| &p[..i]);
        Some(p)
    })
}

impl DepGraph {
    /// Build and order the graph; a calculation cycle is an error naming its nodes.
    pub fn build(def: &FormDef) -> Result<DepGraph, LoadError> {
        let mut raw: Vec<Vertex> = Vec::new();
        let mut add = |target: &str, prop: Prop, x: &Option<XPath>, ctx: &str| {
            if let Some(x) = x {
                raw.push(Vertex {
                    target: target.to_string(),
                    prop,
                    deps: dependencies(&x.ast, ctx),
                });
            }
        };
        for b in &def.binds {
            let t = b.nodeset.as_str();
            add(t, Prop::Calculate, &b.calculate, t);
            add(t, Prop::Relevant, &b.relevant, t);
            add(t, Prop::Required, &b.required, t);
            add(t, Prop::Readonly, &b.readonly, t);
            add(t, Prop::Constraint, &b.constraint, t);
        }
        let mut repeat_paths: Vec<&String> = def.repeats.keys().collect();
        repeat_paths.sort();
        for p in repeat_paths {
            if let Some(r) = def.repeats.get(p) {
                let parent = p.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
                add(p, Prop::Count, &r.count, parent);
            }
        }
        let index = Index::new(&raw);
        // Relevance is a producer too (a non-relevant node reads as blank), but a
        // relevance loop is not a load error in ODK: if ordering with relevance edges
        // fails, order by the calculation edges alone and let the recomputation's
        // worklist settle relevance.
        let repeats: HashSet<&str> = def.repeats.keys().map(String::as_str).collect();
        // Likewise a `jr:count` that reads its own repeat (`count(/data/hh)` feeding the
        // count, as in JavaRosa's child vaccination smoke test): JavaRosa evaluates
        // counts outside its DAG, so order by calculations alone and let the bounded
        // worklist settle the count. Only a loop of calculations is a load error.
        let order = topo_order(&raw, &index, &repeats, Edges::All)
            .or_else(|_| topo_order(&raw, &index, &repeats, Edges::NoRelevance))
            .or_else(|_| topo_order(&raw, &index, &repeats, Edges::CalculationsOnly))
            .map_err(|nodes| LoadError::Cycle { nodes })?;
        let vertices: Vec<Vertex> = order.iter().map(|&i| raw[i].clone()).collect();
        let index = Index::new(&vertices);
        Ok(DepGraph {
            vertices,
            by_path: index.by_path,
            by_ancestor: index.by_ancestor,
        })
    }

    /// Vertices that read the value at `path` (a leaf was answered or calculated).
    pub fn value_change(&self, path: &str) -> Vec<usize> {
        lookup_value(&self.by_path, path)
    }

    /// Vertices that read at or below `path` (a repeat instance was added or removed).
    pub fn structure_change(&self, path: &str) -> Vec<usize> {
        let mut v = lookup_value(&self.by_path, path);
        if let Some(below) = self.by_ancestor.get(path) {
            v.extend(below);
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Which producer edges order the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edges {
    All,
    NoRelevance,
    CalculationsOnly,
}

/// Kahn's algorithm over producer -> consumer edges (relevance edges optional); on a
/// cycle, the nodes of one loop.
fn topo_order(
    raw: &[Vertex],
    index: &Index,
    repeats: &HashSet<&str>,
    edges: Edges,
) -> Result<Vec<usize>, Vec<String>> {
    let n = raw.len();
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (i, v) in raw.iter().enumerate() {
        let consumers = match v.prop {
            Prop::Calculate => index
                .value_change(&v.target)
                .into_iter()
                .filter(|&c| reads_value_of(&raw[c], &v.target, repeats))
                .collect(),
            Prop::Count if edges != Edges::CalculationsOnly => index.structure_change(&v.target),
            Prop::Relevant if edges == Edges::All => index.structure_change(&v.target),
            _ => continue,
        };
        for c in consumers {
            // A computation reading its own node (`.`, `coalesce(., 'x')`) sees the
            // node's current value, as ODK does: not a cycle.
            if c == i {
                continue;
            }
            out_edges[i].push(c);
            indegree[c] += 1;
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &c in &out_edges[i] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                ready.insert(c);
            }
        }
    }
    if order.len() < n {
        return Err(find_cycle(raw, &out_edges, &indegree));
    }
    Ok(order)
}

/// Whether `consumer` reads the value a calculation writes at `target`, for ordering:
/// the node itself or an ancestor of it, except an ancestor that also contains the
/// consumer's own node (`position(..)`, `count(..)` read their container's structure,
/// not its text; two such siblings are not a cycle, as in JavaRosa).
/// A repeat path read as a whole (`count(/data/hh)`, `indexed-repeat(x, /data/hh, n)`)
/// is a read of its structure too: the `Count` vertex and repeat changes reach it.
fn reads_value_of(consumer: &Vertex, target: &str, repeats: &HashSet<&str>) -> bool {
    consumer.deps.iter().any(|d| {
        d == target
            || (is_below(target, d)
                && !repeats.contains(d.as_str())
                && !(is_below(&consumer.target, d) || consumer.target == *d))
    })
}

/// Whether `path` lies strictly below `ancestor`.
fn is_below(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.starts_with('/'))
}

fn lookup_value(by_path: &HashMap<String, Vec<usize>>, path: &str) -> Vec<usize> {
    let mut v: Vec<usize> = ancestors_or_self(path)
        .filter_map(|a| by_path.get(a))
        .flatten()
        .copied()
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

struct Index {
    by_path: HashMap<String, Vec<usize>>,
    by_ancestor: HashMap<String, Vec<usize>>,
}

impl Index {
    fn new(vertices: &[Vertex]) -> Index {
        let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_ancestor: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, v) in vertices.iter().enumerate() {
            for d in &v.deps {
                by_path.entry(d.clone()).or_default().push(i);
                for a in ancestors_or_self(d).skip(1) {
                    by_ancestor.entry(a.to_string()).or_default().push(i);
                }
            }
        }
        Index {
            by_path,
            by_ancestor,
        }
    }

    fn value_change(&self, path: &str) -> Vec<usize> {
        lookup_value(&self.by_path, path)
    }

    fn structure_change(&self, path: &str) -> Vec<usize> {
        let mut v = lookup_value(&self.by_path, path);
        if let Some(below) = self.by_ancestor.get(path) {
            v.extend(below);
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Walk backwards from a vertex Kahn's algorithm could not order: each such vertex has
/// an unordered predecessor, so the walk must revisit a vertex; report that loop's
/// targets in dependency order, closing it (`a -> b -> a`).
fn find_cycle(raw: &[Vertex], out_edges: &[Vec<usize>], indegree: &[usize]) -> Vec<String> {
    let stuck: Vec<bool> = indegree.iter().map(|&d| d > 0).collect();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); raw.len()];
    for (from, outs) in out_edges.iter().enumerate() {
        for &to in outs {
            preds[to].push(from);
        }
    }
    let Some(start) = stuck.iter().position(|&s| s) else {
        return Vec::new();
    };
    let mut seen: Vec<usize> = Vec::new();
    let mut cur = start;
    loop {
        if let Some(pos) = seen.iter().position(|&s| s == cur) {
            let mut nodes: Vec<String> = seen[pos..]
                .iter()
                .rev()
                .map(|&i| raw[i].target.clone())
                .collect();
            nodes.dedup();
            if let Some(first) = nodes.first().cloned() {
                nodes.push(first);
            }
            return nodes;
        }
        seen.push(cur);
        match preds[cur].iter().copied().find(|&p| stuck[p]) {
            Some(p) => cur = p,
            None => return seen.iter().map(|&i| raw[i].target.clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ancestors_or_self;

    #[test]
    fn ancestors() {
        let v: Vec<&str> = ancestors_or_self("/data/g/x").collect();
        assert_eq!(v, vec!["/data/g/x", "/data/g", "/data"]);
    }
}
