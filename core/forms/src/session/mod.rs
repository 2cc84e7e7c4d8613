//! A form session: one person filling one form.
//!
//! Holds the instance being filled and the computed state of each node (relevant,
//! required, read-only, constraint), answers questions, manages repeats, navigates
//! pages, validates, and produces the submission. Every answer recomputes only what
//! depends on it, in the dependency graph's order. The session does no I/O: the device
//! crate persists [`FormSession::export_draft`] after each answer and resumes with
//! [`FormSession::resume`].

mod compute;
mod draft;
mod inspect;
mod media;
mod pages;
mod prune;
mod render;
mod start;
mod submission;
mod surplus;
pub(crate) mod types;
mod validate;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::env::Environment;
use crate::error::SessionError;
use crate::form::Form;
use crate::instance::{path, Forest, NodeId, NodeRef};
use crate::xform::model::{Preload, SetValueEvent};

pub use inspect::NodeSnapshot;
pub use media::{media_file, MediaRef, MEDIA_FORMS};
pub use pages::{ChoiceView, Page, Question};
pub use start::SessionStart;
pub use submission::Submission;
pub use validate::{IssueKind, ValidationIssue};

/// Computed state of one primary-instance node (its own, not inherited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NodeState {
    relevant: bool,
    required: bool,
    readonly: bool,
    constraint_ok: bool,
}

impl Default for NodeState {
    fn default() -> Self {
        NodeState {
            relevant: true,
            required: false,
            readonly: false,
            constraint_ok: true,
        }
    }
}

/// An expression that failed while recomputing; the affected value is left as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressionFailure {
    /// Instance path of the node being computed.
    pub path: String,
    /// The expression.
    pub expression: String,
    /// What went wrong.
    pub message: String,
}

/// One person filling one form.
#[derive(Debug)]
pub struct FormSession {
    form: Arc<Form>,
    env: Arc<dyn Environment>,
    forest: Forest,
    states: HashMap<NodeId, NodeState>,
    language: Option<String>,
    page: usize,
    page_anchor: Option<NodeId>,
    failures: Vec<ExpressionFailure>,
    /// Set once the first full computation ran: from then on a blank `jr:count`
    /// keeps the instances there are (ODK applies a blank count only at load).
    started: bool,
}

impl FormSession {
    /// Start a new, empty instance: defaults, preloads, first-load actions, then every
    /// computation once.
    pub fn new(form: Arc<Form>, env: Arc<dyn Environment>) -> FormSession {
        let mut s = FormSession::blank(form, env);
        s.apply_preloads(None);
        s.run_setvalues(SetValueEvent::FirstLoad, None, None);
        s.recompute_all(false);
        s.started = true;
        s
    }

    fn blank(form: Arc<Form>, env: Arc<dyn Environment>) -> FormSession {
        let mut forest = Forest::new(form.def.initial.clone());
        for (i, (id, doc)) in form.def.secondary.iter().enumerate() {
            match form.def.secondary_indexes.get(i) {
                Some(ix) => forest.add_indexed(id, Arc::clone(doc), Arc::clone(ix)),
                None => forest.add_shared(id, Arc::clone(doc)),
            }
        }
        let language = form.def.itext.default_language.clone();
        FormSession {
            form,
            env,
            forest,
            states: HashMap::new(),
            language,
            page: 0,
            page_anchor: None,
            failures: Vec::new(),
            started: false,
        }
    }

    /// The form this session fills.
    pub fn form(&self) -> &Arc<Form> {
        &self.form
    }

    /// The language labels are shown in (`None`: the form has no translations).
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Switch the display language; it must be one of the form's languages.
    pub fn set_language(&mut self, lang: &str) -> Result<(), SessionError> {
        if !self.form.def.itext.has_language(lang) {
            return Err(SessionError::InvalidValue {
                path: "language".into(),
                reason: format!("the form has no language '{lang}'"),
            });
        }
        if self.language.as_deref() != Some(lang) {
            self.language = Some(lang.to_string());
            self.failures.clear();
            self.recompute_language();
        }
        Ok(())
    }

    /// Expressions that failed during recomputation (cleared by each operation).
    pub fn expression_failures(&self) -> &[ExpressionFailure] {
        &self.failures
    }

    /// The current value at an instance path.
    pub fn value(&self, instance_path: &str) -> Option<&str> {
        let n = path::resolve(self.forest.primary(), instance_path)?;
        Some(self.forest.primary().value(n))
    }

    /// The instance path of a primary node.
    pub(crate) fn path_of(&self, node: NodeId) -> String {
        let form = &self.form;
        path::of(self.forest.primary(), node, &|g| form.def.is_repeat(g))
    }

    fn resolve_leaf(&self, instance_path: &str) -> Result<NodeId, SessionError> {
        let doc = self.forest.primary();
        match path::resolve(doc, instance_path) {
            Some(n) if doc.is_leaf(n) && !self.form.def.is_repeat(&doc.generic_path(n)) => Ok(n),
            _ => Err(SessionError::UnknownPath(instance_path.to_string())),
        }
    }

    /// Answer a question. The value is checked against the question's type (and its
    /// choices); an empty value clears the answer. Recomputes what depends on it.
    pub fn answer(&mut self, instance_path: &str, value: &str) -> Result<(), SessionError> {
        let node = self.resolve_leaf(instance_path)?;
        let generic = self.forest.primary().generic_path(node);
        let bind = self.form.def.bind(&generic);
        if bind.is_some_and(|b| b.calculate.is_some()) || self.is_readonly(node) {
            return Err(SessionError::ReadOnly(instance_path.to_string()));
        }
        let normalized = self.check_value(node, &generic, value)?;
        self.failures.clear();
        if self.forest.primary_mut().set_value(node, &normalized) {
            self.after_value_change(node, &generic);
        }
        Ok(())
    }

    /// Clear an answer (same as answering with an empty value).
    pub fn clear(&mut self, instance_path: &str) -> Result<(), SessionError> {
        self.answer(instance_path, "")
    }

    fn after_value_change(&mut self, node: NodeId, generic: &str) {
        self.after_value_change_at(node, generic, 0);
    }

    fn after_value_change_at(&mut self, node: NodeId, generic: &str, depth: u32) {
        self.run_setvalues(SetValueEvent::ValueChanged, Some(generic), Some(node));
        let seeds: BTreeSet<usize> = self.form.graph.value_change(generic).into_iter().collect();
        self.recompute(seeds);
        self.prune_filtered_choices(generic, depth);
    }

    /// Set the preloaded values; `only` limits to one subtree (a new repeat instance).
    fn apply_preloads(&mut self, only: Option<NodeId>) {
        let form = Arc::clone(&self.form);
        for b in &form.def.binds {
            let Some(p) = &b.preload else { continue };
            let value = match p {
                Preload::Uid => format!("uuid:{}", self.env.uuid()),
                Preload::Start => crate::datetime::format_timestamp(self.env.now()),
                Preload::Today => {
                    crate::datetime::format_date_days(crate::datetime::local_days(self.env.now()))
                }
                Preload::Property(name) => self.env.property(name).unwrap_or_default(),
                Preload::End => continue,
            };
            for n in self.instances_of(&b.nodeset) {
                if only.is_none_or(|root| self.is_within(n, root))
                    && self.forest.primary().value(n).is_empty()
                {
                    self.forest.primary_mut().set_value(n, &value);
                }
            }
        }
    }

    /// Run `setvalue` actions for an event. For value changes, `trigger` is the answered
    /// control's generic path and `node` its node; for new repeats `node` is the instance.
    fn run_setvalues(&mut self, event: SetValueEvent, trigger: Option<&str>, node: Option<NodeId>) {
        let form = Arc::clone(&self.form);
        let mut changed = Vec::new();
        for sv in form.def.setvalues.iter().filter(|s| s.event == event) {
            if event == SetValueEvent::ValueChanged && sv.trigger.as_deref() != trigger {
                continue;
            }
            let targets: Vec<NodeId> = match (event, node) {
                (SetValueEvent::NewRepeat, Some(root)) => self
                    .instances_of(&sv.target)
                    .into_iter()
                    .filter(|&n| self.is_within(n, root))
                    .collect(),
                (SetValueEvent::ValueChanged, Some(ctl)) => {
                    // The target in the same repeat instance as the control.
                    let ctx = NodeRef::primary(ctl);
                    match self.eval_nodes_at(&sv.target, ctx) {
                        Some(v) => v,
                        None => continue,
                    }
                }
                _ => self.instances_of(&sv.target),
            };
            for t in targets {
                // Stored as a calculation would be: a NaN is blank, ints truncate.
                let dt = form
                    .def
                    .bind(&sv.target)
                    .map(|b| b.data_type)
                    .unwrap_or(crate::xform::model::DataType::String);
                let value = match &sv.value {
                    Some(x) => match self.eval_value(x, NodeRef::primary(t)) {
                        Ok(v) => self.typed_string(v, dt),
                        Err(e) => {
                            self.record_failure(t, &x.source, &e.to_string());
                            continue;
                        }
                    },
                    None => String::new(),
                };
                if self.forest.primary_mut().set_value(t, &value) {
                    changed.push(t);
                }
            }
        }
        if event == SetValueEvent::ValueChanged {
            for t in changed {
                let g = self.forest.primary().generic_path(t);
                let seeds: BTreeSet<usize> = self.form.graph.value_change(&g).into_iter().collect();
                self.recompute(seeds);
            }
        }
    }

    fn record_failure(&mut self, node: NodeId, expression: &str, message: &str) {
        let path = self.path_of(node);
        self.failures.push(ExpressionFailure {
            path,
            expression: expression.to_string(),
            message: message.to_string(),
        });
    }

    /// Attached primary nodes at a generic path.
    pub(crate) fn instances_of(&self, generic: &str) -> Vec<NodeId> {
        crate::xform::parse::nodes_at(self.forest.primary(), generic)
    }

    fn is_within(&self, node: NodeId, root: NodeId) -> bool {
        let doc = self.forest.primary();
        let mut cur = Some(node);
        while let Some(c) = cur {
            if c == root {
                return true;
            }
            cur = doc.parent(c);
        }
        false
    }

    fn state(&self, node: NodeId) -> NodeState {
        self.states.get(&node).copied().unwrap_or_default()
    }

    /// Relevant itself and all its ancestors.
    pub(crate) fn is_relevant(&self, node: NodeId) -> bool {
        let doc = self.forest.primary();
        let mut cur = Some(node);
        while let Some(c) = cur {
            if !self.state(c).relevant {
                return false;
            }
            cur = doc.parent(c);
        }
        true
    }

    /// Read-only itself or through an ancestor (XForms inheritance).
    pub(crate) fn is_readonly(&self, node: NodeId) -> bool {
        let doc = self.forest.primary();
        let mut cur = Some(node);
        while let Some(c) = cur {
            if self.state(c).readonly {
                return true;
            }
            cur = doc.parent(c);
        }
        false
    }

    /// Whether the node is required now.
    pub(crate) fn is_required(&self, node: NodeId) -> bool {
        self.state(node).required
    }
}
