//! Answers a choice filter no longer offers are cleared, as ODK does: when the
//! district changes, a village of the old district is not kept (and `pulldata()` or
//! `jr:choice-name` calculations from it recompute). Checked by tests/differential.rs.

use super::FormSession;
use crate::xform::body::ControlKind;

/// How deep clearing one select may clear another (cascades of filters).
const MAX_CASCADE: u32 = 16;

impl FormSession {
    /// After the node at generic path `changed` took a new value: clear the values of
    /// filtered selects whose itemset reads it and no longer offers them.
    pub(crate) fn prune_filtered_choices(&mut self, changed: &str, depth: u32) {
        if depth > MAX_CASCADE {
            return;
        }
        let form = std::sync::Arc::clone(&self.form);
        let controls = form
            .filtered_selects
            .iter()
            .filter(|(_, deps)| {
                deps.iter()
                    .any(|d| d == changed || is_below(changed, d) || is_below(d, changed))
            })
            .filter_map(|(path, _)| form.controls.get(path));
        for c in controls {
            for n in self.instances_of(&c.path) {
                let value = self.forest.primary().value(n).to_string();
                if value.is_empty() {
                    continue;
                }
                let offered = self.choices(c, n);
                let is_offered = |v: &str| offered.iter().any(|o| o.value == v);
                let kept = if matches!(c.kind, ControlKind::Select | ControlKind::Rank) {
                    value
                        .split_whitespace()
                        .filter(|v| is_offered(v))
                        .collect::<Vec<_>>()
                        .join(" ")
                } else if is_offered(&value) {
                    value.clone()
                } else {
                    String::new()
                };
                if kept != value && self.forest.primary_mut().set_value(n, &kept) {
                    let path = c.path.clone();
                    self.after_value_change_at(n, &path, depth + 1);
                }
            }
        }
    }
}

fn is_below(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.starts_with('/'))
}
