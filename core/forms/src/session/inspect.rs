//! A flat view of every node's computed state, for debugging shells, the server's
//! audit of a submission, and the differential test against ODK's own engine.

use super::validate::IssueKind;
use super::FormSession;
use crate::instance::NodeId;

/// The computed state of one leaf of the instance.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSnapshot {
    /// Instance path.
    pub path: String,
    /// Current value (kept even when not relevant).
    pub value: String,
    /// Relevant, including through its ancestors.
    pub relevant: bool,
    /// Required now.
    pub required: bool,
    /// Read-only (bind `readonly`, inherited).
    pub readonly: bool,
    /// The validation problem it has now, if relevant.
    pub issue: Option<IssueKind>,
}

impl FormSession {
    /// Every leaf of the primary instance in document order with its state.
    pub fn snapshot(&self) -> Vec<NodeSnapshot> {
        let mut out = Vec::new();
        if let Some(root) = self.forest.primary().root_element() {
            self.snapshot_into(root, &mut out);
        }
        out
    }

    fn snapshot_into(&self, n: NodeId, out: &mut Vec<NodeSnapshot>) {
        let doc = self.forest.primary();
        for &c in doc.children(n) {
            if doc.children(c).is_empty() && !self.form.def.is_repeat(&doc.generic_path(c)) {
                out.push(NodeSnapshot {
                    path: self.path_of(c),
                    value: doc.value(c).to_string(),
                    relevant: self.is_relevant(c),
                    required: self.is_required(c),
                    readonly: self.is_readonly(c),
                    issue: self.validate_node(c).map(|i| i.kind),
                });
            } else {
                self.snapshot_into(c, out);
            }
        }
    }
}
