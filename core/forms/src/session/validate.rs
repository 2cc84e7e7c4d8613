//! Validation: required answers and constraints, with messages in the session's
//! language. Only relevant nodes are checked (a skipped question is never an error),
//! exactly as ODK does, so the server reaches the same verdict as the phone.

use super::FormSession;
use crate::instance::{NodeId, NodeRef};

/// What kind of problem a question has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// Required but empty.
    Required,
    /// The constraint is false for the current value.
    Constraint,
    /// The value does not fit the type (only submitted instances can have this).
    Type,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationIssue {
    /// Instance path of the question.
    pub path: String,
    /// The kind of problem.
    pub kind: IssueKind,
    /// Message for the person filling the form, in the session's language.
    pub message: String,
}

/// Whether a language name means English (else Bahasa Indonesia is used for the
/// engine's own messages).
fn is_english(lang: Option<&str>) -> bool {
    lang.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("english") || l.ends_with("(en)") || l == "en"
    })
}

impl FormSession {
    fn default_message(&self, kind: IssueKind) -> String {
        let en = is_english(self.language.as_deref());
        match (kind, en) {
            (IssueKind::Required, false) => "Pertanyaan ini wajib diisi.",
            (IssueKind::Required, true) => "This question is required.",
            (IssueKind::Constraint, false) => "Jawaban tidak memenuhi ketentuan.",
            (IssueKind::Constraint, true) => "The answer does not meet the requirements.",
            (IssueKind::Type, false) => "Jawaban tidak sesuai jenis pertanyaan.",
            (IssueKind::Type, true) => "The answer does not fit the question type.",
        }
        .to_string()
    }

    pub(crate) fn constraint_message(&self, node: NodeId) -> String {
        let generic = self.forest.primary().generic_path(node);
        self.form
            .def
            .bind(&generic)
            .and_then(|b| b.constraint_msg.as_ref())
            .map(|t| self.render(t, NodeRef::primary(node)))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| self.default_message(IssueKind::Constraint))
    }

    fn required_message(&self, node: NodeId) -> String {
        let generic = self.forest.primary().generic_path(node);
        self.form
            .def
            .bind(&generic)
            .and_then(|b| b.required_msg.as_ref())
            .map(|t| self.render(t, NodeRef::primary(node)))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| self.default_message(IssueKind::Required))
    }

    /// Check one node (relevance, required, constraint, type).
    pub(crate) fn validate_node(&self, node: NodeId) -> Option<ValidationIssue> {
        if !self.is_relevant(node) {
            return None;
        }
        let doc = self.forest.primary();
        let value = doc.value(node);
        let issue = |kind, message| {
            Some(ValidationIssue {
                path: self.path_of(node),
                kind,
                message,
            })
        };
        if value.is_empty() {
            if self.is_required(node) {
                return issue(IssueKind::Required, self.required_message(node));
            }
            return None;
        }
        let generic = doc.generic_path(node);
        if let Some(b) = self.form.def.bind(&generic) {
            if super::types::type_problem(b.data_type, value).is_some() {
                return issue(IssueKind::Type, self.default_message(IssueKind::Type));
            }
        }
        if !self.state(node).constraint_ok {
            return issue(IssueKind::Constraint, self.constraint_message(node));
        }
        None
    }

    /// Validate the question at an instance path (`None`: fine or not relevant).
    pub fn validate_question(&self, instance_path: &str) -> Option<ValidationIssue> {
        let n = crate::instance::path::resolve(self.forest.primary(), instance_path)?;
        self.validate_node(n)
    }

    /// Validate the whole form, in document order.
    pub fn validate_all(&self) -> Vec<ValidationIssue> {
        let mut nodes = Vec::new();
        for b in &self.form.def.binds {
            if b.required.is_some()
                || b.constraint.is_some()
                || b.data_type != crate::xform::model::DataType::String
            {
                nodes.extend(self.instances_of(&b.nodeset));
            }
        }
        let doc = self.forest.primary();
        nodes.sort_by_key(|&n| doc.order_key(n));
        nodes.dedup();
        nodes
            .into_iter()
            .filter_map(|n| self.validate_node(n))
            .collect()
    }
}
