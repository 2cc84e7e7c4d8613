//! Repeat instances beyond a smaller `jr:count` that hold answers.
//!
//! ODK drops the instances past the new count, answers included. Losing a citizen's
//! typing because another answer changed is worse than asking: the engine drops only
//! unanswered instances and keeps answered ones, which the shell lists with
//! [`FormSession::surplus_repeats`], asks about, and removes with
//! [`FormSession::drop_surplus_repeats`] (ADR 0003).

use std::collections::BTreeSet;

use super::FormSession;
use crate::error::SessionError;
use crate::instance::{path, NodeId, NodeRef};

impl FormSession {
    /// Whether a repeat instance holds something the citizen typed: a leaf with a
    /// question (not calculated) and a value.
    pub(crate) fn has_answers(&self, instance: NodeId) -> bool {
        let doc = self.forest.primary();
        let mut stack = vec![instance];
        while let Some(n) = stack.pop() {
            let kids = doc.children(n);
            if kids.is_empty() {
                let g = doc.generic_path(n);
                let calculated = self
                    .form
                    .def
                    .bind(&g)
                    .is_some_and(|b| b.calculate.is_some());
                if !calculated && self.form.control(&g).is_some() && !doc.value(n).is_empty() {
                    return true;
                }
            }
            stack.extend_from_slice(kids);
        }
        false
    }

    /// Instance paths of repeat instances past their `jr:count` that were kept because
    /// they hold answers, in document order. Empty when every count is met.
    pub fn surplus_repeats(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut defs: Vec<_> = self.form.def.repeats.values().collect();
        defs.sort_by(|a, b| a.path.cmp(&b.path));
        for def in defs {
            let Some(count) = &def.count else { continue };
            let parent_path = def.path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            for parent in self.instances_of(parent_path) {
                let Ok(v) = self.eval_value(count, NodeRef::primary(parent)) else {
                    continue;
                };
                let n = v.to_number(&self.forest);
                if !n.is_finite() {
                    continue;
                }
                let want = if n > 0.0 { n as usize } else { 0 };
                let have = self.repeat_children(parent, def);
                out.extend(have.iter().skip(want).map(|&i| self.path_of(i)));
            }
        }
        out
    }

    /// Remove the instances past the count of the repeat `repeat_path` (as in
    /// [`FormSession::repeat_count`]), answers included: call it once the citizen has
    /// agreed to lose them.
    pub fn drop_surplus_repeats(&mut self, repeat_path: &str) -> Result<(), SessionError> {
        let generic = path::generic(repeat_path);
        if !self.form.def.repeats.contains_key(&generic) {
            return Err(SessionError::UnknownPath(repeat_path.to_string()));
        }
        let surplus: Vec<String> = self
            .surplus_repeats()
            .into_iter()
            .filter(|p| path::generic(p) == generic)
            .collect();
        self.failures.clear();
        for p in surplus.iter().rev() {
            if let Some(n) = path::resolve(self.forest.primary(), p) {
                self.forest.primary_mut().detach(n);
                self.states.remove(&n);
            }
        }
        let seeds: BTreeSet<usize> = self
            .form
            .graph
            .structure_change(&generic)
            .into_iter()
            .collect();
        self.recompute(seeds);
        Ok(())
    }
}
