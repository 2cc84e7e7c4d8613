//! Pages and navigation.
//!
//! The body is laid out into pages on demand from the current repeats and relevance:
//! each relevant question is a page, except that a `field-list` group puts all its
//! relevant questions on one page (ODK's behaviour). The session remembers the first
//! question of the current page, so the position survives pages appearing or
//! disappearing as answers change relevance.

use super::FormSession;
use crate::error::SessionError;
use crate::instance::{path, NodeId, NodeRef};
use crate::xform::body::{BodyNode, ControlKind, RangeSpec};
use crate::xform::model::DataType;
use crate::xform::text::Text;

/// A choice as shown: value and label in the current language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    /// Stored value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Media of the label (choice images, audio), in the current language.
    pub media: Vec<super::media::MediaRef>,
}

/// A question as the shells render it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Instance path, the key for `answer`.
    pub path: String,
    /// Control kind.
    pub kind: ControlKind,
    /// Value type.
    pub data_type: DataType,
    /// Label in the current language.
    pub label: String,
    /// Hint.
    pub hint: Option<String>,
    /// Guidance hint (itext `guidance` form).
    pub guidance: Option<String>,
    /// Media of the label (image, big-image, audio, video), in the current language.
    pub media: Vec<super::media::MediaRef>,
    /// Appearance, passed through (`multiline`, `minimal`, `signature`...).
    pub appearance: Option<String>,
    /// Upload media type (`image/*`...).
    pub mediatype: Option<String>,
    /// Choices of a select, already filtered.
    pub choices: Vec<ChoiceView>,
    /// Current value.
    pub value: String,
    /// Must be answered.
    pub required: bool,
    /// Cannot be changed (notes, calculated, readonly binds).
    pub readonly: bool,
    /// Constraint message when the current value violates the constraint.
    pub error: Option<String>,
    /// Range parameters of a range question.
    pub range: Option<RangeSpec>,
}

/// One screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// 0-based page index.
    pub index: usize,
    /// Number of pages now.
    pub count: usize,
    /// Label of the field-list group or of the repeat this page belongs to.
    pub title: Option<String>,
    /// Instance path of the repeat instance the page is in (`/data/members[2]`).
    pub repeat: Option<String>,
    /// Questions on the page.
    pub questions: Vec<Question>,
}

/// A page before rendering: nodes and the generic paths of their controls.
#[derive(Debug, Clone)]
pub(crate) struct PageRef {
    pub items: Vec<(NodeId, String)>,
    pub title: Option<(Text, NodeId)>,
    pub repeat: Option<NodeId>,
}

impl FormSession {
    /// Lay out the pages for the current state.
    pub(crate) fn page_refs(&self) -> Vec<PageRef> {
        let mut out = Vec::new();
        let form = std::sync::Arc::clone(&self.form);
        self.walk(
            &form.def.body,
            self.forest.primary().root(),
            "",
            None,
            None,
            &mut out,
        );
        out
    }

    /// The node at `generic` inside `scope` (whose generic path is `scope_path`).
    fn find_in(&self, scope: NodeId, scope_path: &str, generic: &str) -> Option<NodeId> {
        let rest = generic.strip_prefix(scope_path)?;
        let doc = self.forest.primary();
        let mut cur = scope;
        for seg in rest.split('/').filter(|s| !s.is_empty()) {
            cur = doc.child(cur, seg)?;
        }
        Some(cur)
    }

    fn walk(
        &self,
        nodes: &[BodyNode],
        scope: NodeId,
        scope_path: &str,
        repeat: Option<NodeId>,
        title: Option<(Text, NodeId)>,
        out: &mut Vec<PageRef>,
    ) {
        for n in nodes {
            match n {
                BodyNode::Control(c) => {
                    if let Some(node) = self.find_in(scope, scope_path, &c.path) {
                        if self.is_relevant(node) {
                            out.push(PageRef {
                                items: vec![(node, c.path.clone())],
                                title: title.clone(),
                                repeat,
                            });
                        }
                    }
                }
                BodyNode::Group(g) => {
                    let group_node = match &g.path {
                        Some(p) => match self.find_in(scope, scope_path, p) {
                            Some(gn) => Some(gn),
                            None => continue,
                        },
                        None => None,
                    };
                    if group_node.is_some_and(|gn| !self.is_relevant(gn)) {
                        continue;
                    }
                    let anchor = group_node.unwrap_or(scope);
                    let group_title = g.label.clone().map(|l| (l, anchor)).or(title.clone());
                    if g.is_field_list() {
                        let mut inner = Vec::new();
                        self.walk(&g.children, scope, scope_path, repeat, None, &mut inner);
                        let items: Vec<(NodeId, String)> =
                            inner.into_iter().flat_map(|p| p.items).collect();
                        if !items.is_empty() {
                            out.push(PageRef {
                                items,
                                title: group_title,
                                repeat,
                            });
                        }
                    } else {
                        self.walk(&g.children, scope, scope_path, repeat, group_title, out);
                    }
                }
                BodyNode::Repeat(r) => {
                    let Some((parent_path, name)) = r.path.rsplit_once('/') else {
                        continue;
                    };
                    let parent = if parent_path.is_empty() {
                        Some(self.forest.primary().root())
                    } else {
                        self.find_in(scope, scope_path, parent_path)
                    };
                    let Some(parent) = parent else { continue };
                    let doc = self.forest.primary();
                    let instances: Vec<NodeId> = doc.children_named(parent, name).to_vec();
                    for inst in instances {
                        if !self.is_relevant(inst) {
                            continue;
                        }
                        let t = r.label.clone().map(|l| (l, inst)).or(title.clone());
                        self.walk(&r.children, inst, &r.path, Some(inst), t, out);
                    }
                }
            }
        }
    }

    /// The page index holding `anchor`, else the remembered index, clamped.
    fn current_index(&self, pages: &[PageRef]) -> usize {
        if let Some(a) = self.page_anchor {
            if let Some(i) = pages
                .iter()
                .position(|p| p.items.iter().any(|(n, _)| *n == a))
            {
                return i;
            }
        }
        self.page.min(pages.len().saturating_sub(1))
    }

    fn set_page(&mut self, pages: &[PageRef], i: usize) {
        self.page = i;
        self.page_anchor = pages.get(i).and_then(|p| p.items.first()).map(|(n, _)| *n);
    }

    /// The number of pages now.
    pub fn page_count(&self) -> usize {
        self.page_refs().len()
    }

    /// The current page (`None` if the form has no relevant question).
    pub fn current_page(&self) -> Option<Page> {
        let pages = self.page_refs();
        let i = self.current_index(&pages);
        let p = pages.get(i)?;
        Some(Page {
            index: i,
            count: pages.len(),
            title: p
                .title
                .as_ref()
                .map(|(t, n)| self.render(t, NodeRef::primary(*n))),
            repeat: p.repeat.map(|r| self.path_of(r)),
            questions: p
                .items
                .iter()
                .filter_map(|(n, g)| self.question(*n, g))
                .collect(),
        })
    }

    /// The view of one question.
    pub(crate) fn question(&self, node: NodeId, generic: &str) -> Option<Question> {
        let c = self.form.control(generic)?;
        let ctx = NodeRef::primary(node);
        let bind = self.form.def.bind(generic);
        let value = self.forest.primary().value(node).to_string();
        let error = if value.is_empty() || self.state(node).constraint_ok {
            None
        } else {
            Some(self.constraint_message(node))
        };
        Some(Question {
            path: self.path_of(node),
            kind: c.kind,
            data_type: bind.map(|b| b.data_type).unwrap_or(DataType::String),
            label: c
                .label
                .as_ref()
                .map(|t| self.render(t, ctx))
                .unwrap_or_default(),
            hint: c
                .hint
                .as_ref()
                .map(|t| self.render(t, ctx))
                .filter(|h| !h.is_empty()),
            guidance: c
                .hint
                .as_ref()
                .and_then(|t| self.render_form(t, ctx, "guidance")),
            media: c
                .label
                .as_ref()
                .map(|t| self.media_of(t, ctx))
                .unwrap_or_default(),
            appearance: c.appearance.clone(),
            mediatype: c.mediatype.clone(),
            choices: self.choices(c, node),
            value,
            required: self.is_required(node),
            readonly: self.is_readonly(node) || bind.is_some_and(|b| b.calculate.is_some()),
            error,
            range: c.range,
        })
    }

    /// The question at an instance path, wherever it is.
    pub fn question_at(&self, instance_path: &str) -> Option<Question> {
        let n = path::resolve(self.forest.primary(), instance_path)?;
        let g = self.forest.primary().generic_path(n);
        self.question(n, &g)
    }

    /// Move to the next page. The current page's answers are validated first (as ODK
    /// does when leaving a screen); `Ok(false)` at the last page.
    pub fn next_page(&mut self) -> Result<bool, SessionError> {
        let pages = self.page_refs();
        let i = self.current_index(&pages);
        if let Some(p) = pages.get(i) {
            let issues: Vec<_> = p
                .items
                .iter()
                .filter_map(|(n, _)| self.validate_node(*n))
                .collect();
            if !issues.is_empty() {
                return Err(SessionError::Invalid(issues));
            }
        }
        if i + 1 < pages.len() {
            self.set_page(&pages, i + 1);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Move to the previous page; `false` at the first page.
    pub fn previous_page(&mut self) -> bool {
        let pages = self.page_refs();
        let i = self.current_index(&pages);
        if i > 0 {
            self.set_page(&pages, i - 1);
            true
        } else {
            false
        }
    }

    /// Jump to the page showing the question at `instance_path`, or, for a group or
    /// a repeat instance (`/data/members[2]`), to the first page inside it.
    pub fn jump(&mut self, instance_path: &str) -> Result<(), SessionError> {
        let pages = self.page_refs();
        let n = path::resolve(self.forest.primary(), instance_path)
            .ok_or_else(|| SessionError::UnknownPath(instance_path.to_string()))?;
        let i = pages
            .iter()
            .position(|p| p.items.iter().any(|(x, _)| *x == n))
            .or_else(|| {
                pages
                    .iter()
                    .position(|p| p.items.iter().any(|(x, _)| self.is_within(*x, n)))
            })
            .ok_or_else(|| SessionError::UnknownPath(instance_path.to_string()))?;
        self.set_page(&pages, i);
        Ok(())
    }

    /// Jump to the first page.
    pub fn jump_to_start(&mut self) {
        let pages = self.page_refs();
        self.set_page(&pages, 0);
    }
}
