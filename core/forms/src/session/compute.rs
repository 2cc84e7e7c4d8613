//! Recomputation: evaluating graph vertices in topological order, and repeat instances
//! (user-added, removed, or driven by `jr:count`).
//!
//! A pass only moves forward through the graph's order; a vertex whose output changes
//! schedules the vertices that read it. Failed expressions are recorded as
//! [`super::ExpressionFailure`] and leave the old value in place: one broken
//! expression must not stop a citizen from filling the rest of the form.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::FormSession;
use crate::datetime::format_date_days;
use crate::error::SessionError;
use crate::graph::{Prop, Vertex};
use crate::instance::{path, NodeId, NodeRef};
use crate::xform::model::{DataType, RepeatDef, SetValueEvent};
use crate::xpath::value::number_to_string;
use crate::xpath::{EvalContext, Value, XPath, XPathError};

/// Upper bound on instances a `jr:count` may create (a typo like 1e9 must not hang).
const MAX_COUNT: usize = 1_000;

enum Output {
    Nothing,
    Value,
    /// Relevance changed: what reads at or below the target must rerun.
    Relevance,
    Structure,
}

impl FormSession {
    pub(crate) fn eval_ctx(&self) -> EvalContext<'_> {
        EvalContext {
            forest: &self.forest,
            env: &*self.env,
            lookup: self,
        }
    }

    pub(crate) fn eval_value(&self, x: &XPath, node: NodeRef) -> Result<Value, XPathError> {
        x.eval(&self.eval_ctx(), node)
    }

    /// Nodes a generic path selects from `ctx` (contextualised into its repeat).
    pub(crate) fn eval_nodes_at(&self, generic: &str, ctx: NodeRef) -> Option<Vec<NodeId>> {
        let x = XPath::compile(generic).ok()?;
        match self.eval_value(&x, ctx).ok()? {
            Value::Nodes(ns) => Some(
                ns.into_iter()
                    .filter(|n| n.doc == 0)
                    .map(|n| n.node)
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Convert a calculation's result to the string stored for the bind's type.
    pub(crate) fn typed_string(&self, v: Value, dt: DataType) -> String {
        match (dt, &v) {
            (DataType::Int, _) => {
                let n = v.to_number(&self.forest);
                if n.is_finite() {
                    number_to_string(n.trunc())
                } else {
                    String::new()
                }
            }
            (DataType::Decimal, _) => {
                let n = v.to_number(&self.forest);
                if n.is_finite() {
                    super::types::decimal_string(n)
                } else {
                    String::new()
                }
            }
            (DataType::Date, Value::Number(n)) if n.is_finite() => {
                format_date_days(n.floor() as i64)
            }
            (DataType::Date, _) => {
                super::types::normalize(DataType::Date, v.to_string_value(&self.forest))
            }
            // ODK's engine stores a NaN (e.g. arithmetic on an empty answer) as empty.
            (_, Value::Number(n)) if n.is_nan() => String::new(),
            _ => v.to_string_value(&self.forest),
        }
    }

    /// Evaluate every vertex (a new session, or a resumed draft). With
    /// `keep_static_calculations`, calculations that read nothing (`uuid()`, `now()`)
    /// keep a value they already have, so a resumed draft keeps its instanceID.
    pub(crate) fn recompute_all(&mut self, keep_static_calculations: bool) {
        let all: BTreeSet<usize> = (0..self.form.graph.vertices.len()).collect();
        self.recompute_inner(all, keep_static_calculations);
    }

    /// Evaluate again what reads the display language (`jr:choice-name`, `jr:itext`)
    /// and everything downstream, so the submission carries the new language's text.
    pub(crate) fn recompute_language(&mut self) {
        let form = Arc::clone(&self.form);
        let seeds: BTreeSet<usize> = form
            .graph
            .vertices
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                let Some(b) = form.def.bind(&v.target) else {
                    return false;
                };
                let x = match v.prop {
                    Prop::Calculate => &b.calculate,
                    Prop::Relevant => &b.relevant,
                    Prop::Required => &b.required,
                    Prop::Readonly => &b.readonly,
                    Prop::Constraint => &b.constraint,
                    Prop::Count => &None,
                };
                x.as_ref().is_some_and(|x| {
                    crate::xpath::deps::calls_any(&x.ast, &["jr:choice-name", "jr:itext"])
                })
            })
            .map(|(i, _)| i)
            .collect();
        if !seeds.is_empty() {
            self.recompute_inner(seeds, false);
        }
    }

    /// Evaluate `seeds` and everything downstream of what they change.
    pub(crate) fn recompute(&mut self, seeds: BTreeSet<usize>) {
        self.recompute_inner(seeds, true);
    }

    fn recompute_inner(&mut self, mut work: BTreeSet<usize>, keep_static: bool) {
        let form = Arc::clone(&self.form);
        let graph = &form.graph;
        // Relevance that feeds back into itself (allowed by ODK) could oscillate: bound
        // the pass. Acyclic forms never come near this.
        let mut budget = graph.vertices.len().saturating_mul(8) + 64;
        while let Some(i) = work.pop_first() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let Some(v) = graph.vertices.get(i) else {
                continue;
            };
            match self.eval_vertex(v, keep_static) {
                Output::Nothing => {}
                Output::Value => {
                    work.extend(graph.value_change(&v.target).into_iter().filter(|&c| c > i));
                }
                Output::Relevance => {
                    work.extend(
                        graph
                            .structure_change(&v.target)
                            .into_iter()
                            .filter(|&c| c != i),
                    );
                }
                Output::Structure => {
                    work.extend(graph.structure_change(&v.target));
                    work.extend(self.vertices_within(&v.target));
                    work.remove(&i);
                }
            }
        }
    }

    /// Vertices whose target lies inside the repeat at `repeat` (generic path).
    fn vertices_within(&self, repeat: &str) -> Vec<usize> {
        self.form
            .graph
            .vertices
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                let inside = v
                    .target
                    .strip_prefix(repeat)
                    .is_some_and(|r| r.starts_with('/'));
                inside || (v.target == repeat && v.prop != Prop::Count)
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn eval_vertex(&mut self, v: &Vertex, keep_static: bool) -> Output {
        let form = Arc::clone(&self.form);
        if v.prop == Prop::Count {
            return self.eval_count(v);
        }
        let Some(bind) = form.def.bind(&v.target) else {
            return Output::Nothing;
        };
        let expr = match v.prop {
            Prop::Calculate => &bind.calculate,
            Prop::Relevant => &bind.relevant,
            Prop::Required => &bind.required,
            Prop::Readonly => &bind.readonly,
            Prop::Constraint => &bind.constraint,
            Prop::Count => &None,
        };
        let Some(expr) = expr else {
            return Output::Nothing;
        };
        let mut changed = false;
        let mut relevance_changed = false;
        for n in self.instances_of(&v.target) {
            let result = self.eval_value(expr, NodeRef::primary(n));
            let value = match result {
                Ok(val) => val,
                Err(e) => {
                    self.record_failure(n, &expr.source, &e.to_string());
                    continue;
                }
            };
            match v.prop {
                Prop::Calculate => {
                    if keep_static
                        && v.deps.is_empty()
                        && !self.forest.primary().value(n).is_empty()
                    {
                        continue;
                    }
                    let s = self.typed_string(value, bind.data_type);
                    changed |= self.forest.primary_mut().set_value(n, &s);
                }
                prop => {
                    let b = value.to_bool();
                    let st = self.states.entry(n).or_default();
                    match prop {
                        Prop::Relevant => {
                            st.relevant = b;
                            relevance_changed |= self.forest.primary_mut().set_blank(n, !b);
                        }
                        Prop::Required => st.required = b,
                        Prop::Readonly => st.readonly = b,
                        _ => st.constraint_ok = b,
                    }
                }
            }
        }
        if changed {
            Output::Value
        } else if relevance_changed {
            Output::Relevance
        } else {
            Output::Nothing
        }
    }

    fn eval_count(&mut self, v: &Vertex) -> Output {
        let form = Arc::clone(&self.form);
        let Some(def) = form.def.repeats.get(&v.target) else {
            return Output::Nothing;
        };
        let Some(count) = &def.count else {
            return Output::Nothing;
        };
        let parent_path = v.target.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        let mut changed = false;
        for parent in self.instances_of(parent_path) {
            let n = match self.eval_value(count, NodeRef::primary(parent)) {
                Ok(val) => val.to_number(&self.forest),
                Err(e) => {
                    self.record_failure(parent, &count.source, &e.to_string());
                    continue;
                }
            };
            // A blank count (NaN) keeps the instances there are, as ODK does.
            if n.is_nan() && self.started {
                continue;
            }
            let want = if n.is_finite() && n > 0.0 {
                (n as usize).min(MAX_COUNT)
            } else {
                0
            };
            let mut have = self.repeat_children(parent, def);
            while have.len() < want {
                let id = self.insert_instance(parent, def);
                have.push(id);
                changed = true;
            }
            // A smaller count drops unanswered instances from the end; an instance the
            // citizen answered is kept (see `surplus_repeats`) until the shell has
            // asked them and calls `drop_surplus_repeats`.
            while have.len() > want {
                match have.last() {
                    Some(&last) if !self.has_answers(last) => {
                        have.pop();
                        self.forest.primary_mut().detach(last);
                        changed = true;
                    }
                    _ => break,
                }
            }
        }
        if changed {
            Output::Structure
        } else {
            Output::Nothing
        }
    }

    /// Instances of repeat `def` directly under `parent`.
    pub(crate) fn repeat_children(&self, parent: NodeId, def: &RepeatDef) -> Vec<NodeId> {
        let doc = self.forest.primary();
        let name = def.path.rsplit('/').next().unwrap_or("");
        doc.children_named(parent, name).to_vec()
    }

    /// Copy the template after the last existing instance (or where the form's instance
    /// put the repeat), with the template's defaults only.
    pub(crate) fn insert_bare(&mut self, parent: NodeId, def: &RepeatDef) -> NodeId {
        let existing = self.repeat_children(parent, def);
        let doc = self.forest.primary();
        let index = match existing.last() {
            Some(&last) => doc.child_index(last).map(|i| i + 1).unwrap_or(0),
            None => def
                .next_sibling
                .as_deref()
                .and_then(|name| {
                    doc.children(parent)
                        .iter()
                        .position(|&c| doc.name(c) == name)
                })
                .unwrap_or(doc.children(parent).len()),
        };
        let template_root = def.template.root_element().unwrap_or(0);
        let id =
            self.forest
                .primary_mut()
                .copy_subtree(&def.template, template_root, parent, index);
        id
    }

    /// Create a repeat instance with preloads and `odk-new-repeat` actions.
    pub(crate) fn insert_instance(&mut self, parent: NodeId, def: &RepeatDef) -> NodeId {
        let id = self.insert_bare(parent, def);
        self.apply_preloads(Some(id));
        self.run_setvalues(SetValueEvent::NewRepeat, None, Some(id));
        id
    }

    /// Resolve the instance path of a repeat (`/data/hh[1]/members`, no final index)
    /// to its parent node and definition.
    fn repeat_target(&self, repeat_path: &str) -> Result<(NodeId, RepeatDef), SessionError> {
        let unknown = || SessionError::UnknownPath(repeat_path.to_string());
        let generic = path::generic(repeat_path);
        let def = self.form.def.repeats.get(&generic).ok_or_else(unknown)?;
        let (parent_path, _) = repeat_path.rsplit_once('/').ok_or_else(unknown)?;
        let parent = if parent_path.is_empty() {
            self.forest.primary().root()
        } else {
            path::resolve(self.forest.primary(), parent_path).ok_or_else(unknown)?
        };
        Ok((parent, def.clone()))
    }

    /// Add an instance to a repeat (`/data/members`, or `/data/hh[2]/members` when
    /// nested). Returns the new instance's path (`/data/members[3]`).
    pub fn add_repeat(&mut self, repeat_path: &str) -> Result<String, SessionError> {
        let (parent, def) = self.repeat_target(repeat_path)?;
        if def.no_add_remove || def.count.is_some() {
            return Err(SessionError::Repeat(def.path.clone()));
        }
        self.failures.clear();
        let id = self.insert_instance(parent, &def);
        let mut seeds: BTreeSet<usize> = self
            .form
            .graph
            .structure_change(&def.path)
            .into_iter()
            .collect();
        seeds.extend(self.vertices_within(&def.path));
        self.recompute(seeds);
        Ok(self.path_of(id))
    }

    /// Remove one repeat instance (`/data/members[2]`); later ones move up.
    pub fn remove_repeat(&mut self, instance_path: &str) -> Result<(), SessionError> {
        let doc = self.forest.primary();
        let node = path::resolve(doc, instance_path)
            .ok_or_else(|| SessionError::UnknownPath(instance_path.to_string()))?;
        let generic = doc.generic_path(node);
        let def = self
            .form
            .def
            .repeats
            .get(&generic)
            .ok_or_else(|| SessionError::UnknownPath(instance_path.to_string()))?;
        if def.no_add_remove || def.count.is_some() {
            return Err(SessionError::Repeat(generic));
        }
        self.failures.clear();
        self.forest.primary_mut().detach(node);
        self.states.remove(&node);
        let seeds: BTreeSet<usize> = self
            .form
            .graph
            .structure_change(&generic)
            .into_iter()
            .collect();
        self.recompute(seeds);
        Ok(())
    }

    /// Number of instances of a repeat (`/data/members`).
    pub fn repeat_count(&self, repeat_path: &str) -> Result<usize, SessionError> {
        let (parent, def) = self.repeat_target(repeat_path)?;
        Ok(self.repeat_children(parent, &def).len())
    }
}
